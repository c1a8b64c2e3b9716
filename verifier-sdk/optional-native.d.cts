/**
 * The leaf hash (out[0..32)) and the root (out[32..64)) of an RFC 6962 audit-path fold, computed natively; see
 * merkle-fold.c. Throws TypeError or RangeError when an argument is out of shape.
 */
export type NativeFold = (leafInput: Uint8Array, path: Uint8Array, pathAt: number, sides: Uint8Array, count: number, out: Uint8Array) => void;
export declare const fold: NativeFold | null;
/** Why the addon did not load, when it was expected to; null otherwise. */
export declare const loadError: string | null;
