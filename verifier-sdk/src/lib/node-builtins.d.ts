// The few Node built-ins the Node-only modules use. The SDK compiles with "types": [] so that browser modules
// cannot touch a Node global by accident; these declarations are visible only where a module imports them.
declare module 'node:crypto' {
  export interface KeyObject {
    readonly type: 'public' | 'private' | 'secret';
    readonly asymmetricKeyType?: string;
    export(options: { format: 'jwk' }): Record<string, string>;
  }
  export function createPublicKey(key: { key: object; format: 'jwk' }): KeyObject;
  export function createPrivateKey(key: { key: object; format: 'jwk' }): KeyObject;
  export function generateKeyPairSync(type: 'ec' | 'ed25519', options?: { namedCurve?: string }): { publicKey: KeyObject; privateKey: KeyObject };
  type SignKey = KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' | 'der' };
  export function sign(algorithm: string | null, data: Uint8Array, key: SignKey): Uint8Array;
  export function verify(algorithm: string | null, data: Uint8Array, key: SignKey, signature: Uint8Array): boolean;
  export function hash(algorithm: 'sha256', data: Uint8Array | string, outputEncoding: 'buffer'): Uint8Array;
  export function hash(algorithm: 'sha256', data: Uint8Array | string, outputEncoding: 'latin1' | 'hex'): string;
  interface Hash { update(data: Uint8Array | string): Hash; digest(): Uint8Array }
  export function createHash(algorithm: 'sha256'): Hash;
  export function createHmac(algorithm: 'sha256', key: Uint8Array): Hash;
  export function randomBytes(size: number): Uint8Array;
}

declare module 'node:zlib' {
  export function inflateRawSync(data: Uint8Array, options: { maxOutputLength?: number; info: true }): { buffer: Uint8Array; engine: { bytesWritten: number } };
  export function deflateRawSync(data: Uint8Array, options?: { level?: number; dictionary?: Uint8Array }): Uint8Array;
}

declare module 'node:buffer' {
  export interface NodeBuffer extends Uint8Array {
    write(s: string, offset: number, length: number, encoding: 'latin1'): number;
    toString(encoding?: 'hex' | 'latin1' | 'utf8' | 'base64url', start?: number, end?: number): string;
  }
  export const Buffer: {
    alloc(size: number): NodeBuffer;
    from(data: ArrayBufferLike, byteOffset?: number, length?: number): Uint8Array & { toString(encoding: 'base64url' | 'latin1' | 'utf8'): string };
    from(data: string, encoding: 'latin1' | 'utf8' | 'base64url' | 'hex'): Uint8Array;
  };
}

declare module 'node:fs/promises' {
  export function readFile(path: string, encoding: 'utf8'): Promise<string>;
  export function writeFile(path: string, data: string, options?: { mode?: number }): Promise<void>;
  export function rename(from: string, to: string): Promise<void>;
  export function mkdir(path: string, options?: { recursive?: boolean }): Promise<string | undefined>;
}
