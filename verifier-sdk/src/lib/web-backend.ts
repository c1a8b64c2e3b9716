// Browser backend: WebCrypto for SHA-256, ECDSA P-256 and (where present) Ed25519; @noble/curves for Ed25519
// where WebCrypto lacks it. (QR frames inflate with lib/inflate.ts in every build, not DecompressionStream: that was
// async and slow — two stream round trips per scan, one of them to detect trailing bytes, which browsers treat
// differently.)
import { ed25519 } from '@noble/curves/ed25519.js';
import type { EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { base64urlDecode, base64urlEncode } from './base64url.js';
import { sha256Into } from './sha256.js';
import { toHex } from './hex.js';
import type { CredentialAlg, CryptoBackend, PublicJwk } from './crypto-backend.js';

type NobleKey = { noble: Uint8Array; point: EdwardsPoint };

const ED25519_L = ed25519.Point.Fn.ORDER;
const littleEndian = (b: Uint8Array): bigint => {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
};

/**
 * RFC 8032 §5.1.7 with the cofactorless equation [S]B = R + [k]A, as OpenSSL checks it: @noble/curves' own verify
 * is cofactored ([8][S]B = [8]R + [8][k]A), which accepts R or A with a small-order component that OpenSSL rejects.
 * The verifier has already refused S ≥ L and a non-canonical or small-order R (lib/signature-rules.ts).
 */
async function verifyCofactorless(key: NobleKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  const s = littleEndian(signature.subarray(32));
  if (s >= ED25519_L) return false;
  let r: EdwardsPoint;
  try {
    r = ed25519.Point.fromBytes(signature.subarray(0, 32), false);
  } catch {
    return false;
  }
  const input = new Uint8Array(64 + data.length);
  input.set(signature.subarray(0, 32), 0);
  input.set(key.noble, 32);
  input.set(data, 64);
  const k = littleEndian(new Uint8Array(await subtle().digest('SHA-512', input))) % ED25519_L;
  return ed25519.Point.BASE.multiplyUnsafe(s).equals(r.add(key.point.multiplyUnsafe(k)));
}

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
      return { noble: raw, point: ed25519.Point.fromBytes(raw, false) } satisfies NobleKey;
    },
    async verify(alg, key, signature, data) {
      if (alg === 'ES256') {
        return subtle().verify({ name: 'ECDSA', hash: 'SHA-256' }, key as CryptoKey, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
      }
      if ((key as NobleKey).noble) return verifyCofactorless(key as NobleKey, signature, data).catch(() => false);
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
