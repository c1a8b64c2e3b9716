
/**
 * A public key as the ledger stores it.
 *
 * @example
 * ```ts
 * const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: '…', y: '…' };
 * ```
 */
export type PublicJwk =
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string }
  | { kty: 'OKP'; crv: 'Ed25519'; x: string };

/**
 * The only two signature algorithms of hutong credentials.
 *
 * @example
 * ```ts
 * const alg: CredentialAlg = 'EdDSA';
 * ```
 */
export type CredentialAlg = 'ES256' | 'EdDSA';

/**
 * The primitives verification needs. Two implementations give identical answers on identical inputs: node:crypto
 * (Node fast path) and WebCrypto + @noble/curves (browsers). Decoding (Base45, DEFLATE, JSON) is not a backend's
 * business: every build decodes with the same lib/ code. Methods may be synchronous.
 */
export interface CryptoBackend {
  readonly name: string;
  sha256(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * Optional synchronous fast path: the leaf hash of `leafInput` and the root reached by folding an audit path
   * (RFC 9162 §2.1.3.2), both lower-case hex. The path is `count` 32-byte hashes at `hashes[at…]`; `sides[k]` is 1
   * when hash k goes on the left (see `proofSidesInto`). Must equal the generic computation with `sha256`.
   */
  readonly foldProof?: (leafInput: Uint8Array, hashes: Uint8Array, at: number, sides: Uint8Array, count: number) => { leafHash: string; root: string };
  /** Imports a public key once; the verifier caches the result per (issuer, kid). Throws on a malformed key. */
  importKey(alg: CredentialAlg, jwk: PublicJwk): Promise<unknown>;
  /** Raw signature check: ES256 takes r‖s (IEEE P1363, 64 bytes), EdDSA the 64-byte RFC 8032 signature. */
  verify(alg: CredentialAlg, key: unknown, signature: Uint8Array, data: Uint8Array): boolean | Promise<boolean>;
  base64url(data: Uint8Array): string;
}
