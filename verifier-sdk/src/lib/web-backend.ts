// Browser backend: WebCrypto for SHA-256, ECDSA P-256 and (where present) Ed25519; @noble/curves for Ed25519
// where WebCrypto lacks it. (QR frames inflate with lib/inflate.ts in every build, not DecompressionStream: that was
// async and slow — two stream round trips per scan, one of them to detect trailing bytes, which browsers treat
// differently.)
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlDecode, base64urlEncode } from './base64url.js';
import { sha256Into } from './sha256.js';
import { toHex } from './hex.js';
import type { CredentialAlg, CryptoBackend, PublicJwk } from './crypto-backend.js';

type NobleKey = { noble: Uint8Array };

export interface WebBackendOptions {
  /** 'auto' tries WebCrypto Ed25519 first; 'noble' forces @noble/curves (used by oracle tests). */
  ed25519?: 'auto' | 'noble';
}

// Resolved per call so that importing the SDK has no side effects and works before a polyfill is installed.
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export function newWebBackend(options: WebBackendOptions = {}): CryptoBackend {
  const mode = options.ed25519 ?? 'auto';
  return {
    name: mode === 'noble' ? 'web+noble' : 'web',
    async sha256(data) {
      return new Uint8Array(await subtle().digest('SHA-256', data as Uint8Array<ArrayBuffer>));
    },
    foldProof: foldProofSync,
    async importKey(alg: CredentialAlg, jwk: PublicJwk) {
      if (alg === 'ES256') {
        return subtle().importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: (jwk as { y?: string }).y },
          { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      }
      const raw = base64urlDecode(jwk.x);
      if (!raw || raw.length !== 32) throw new Error('bad Ed25519 key');
      if (mode === 'auto') {
        try {
          return await subtle().importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
        } catch {
          // Ed25519 is missing from some browsers' WebCrypto: fall back to @noble/curves.
        }
      }
      return { noble: raw } satisfies NobleKey;
    },
    async verify(alg, key, signature, data) {
      if (alg === 'ES256') {
        return subtle().verify({ name: 'ECDSA', hash: 'SHA-256' }, key as CryptoKey, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
      }
      if ((key as NobleKey).noble) {
        try {
          // zip215: false = RFC 8032 strict (canonical S and A), the same rules as OpenSSL and WebCrypto.
          return ed25519.verify(signature, data, (key as NobleKey).noble, { zip215: false });
        } catch {
          return false;
        }
      }
      return subtle().verify({ name: 'Ed25519' }, key as CryptoKey, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    },
    base64url: base64urlEncode,
  };
}

// The proof fold in plain TypeScript SHA-256 (lib/sha256.ts): thirteen awaited subtle.digest calls cost far more
// than the hashing. Scratch 0x01 ‖ L ‖ R plus the leaf hash; used synchronously. The running hash r is always
// written to (and left in) work[1…33); when the sibling goes on the left, r moves to the right half first.
const work = new Uint8Array(65);
const leaf = new Uint8Array(32);

function foldProofSync(leafInput: Uint8Array, hashes: Uint8Array, at: number, sides: Uint8Array, count: number): { leafHash: string; root: string } {
  sha256Into(leafInput, 0, leafInput.length, leaf, 0);
  work[0] = 0x01;
  work.set(leaf, 1);
  for (let k = 0; k < count; k++) {
    const left = sides[k] === 1;
    if (left) work.copyWithin(33, 1, 33);
    const s = at + 32 * k, o = left ? 1 : 33;
    for (let j = 0; j < 32; j++) work[o + j] = hashes[s + j]!;
    sha256Into(work, 0, 65, work, 1);
  }
  return { leafHash: toHex(leaf), root: toHex(work.subarray(1, 33)) };
}
