// The signature strictness of docs/protocol.md §2.2, decided here and not by a backend: OpenSSL accepts an Ed25519
// key of small order (the identity key verifies R = identity, S = 0 for every message) and a small-order R;
// @noble/curves rejects a small-order key but checks the cofactored equation. Every backend sees only keys and
// signatures that pass these rules, and then checks the cofactorless equation [S]B = R + [k]A.
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { base64urlDecode } from './base64url.js';
import { fromHex } from './hex.js';
import type { CredentialAlg, PublicJwk } from './crypto-backend.js';

/** A JWK coordinate's bytes; null when it is not base64url text (snapshot records come from JSON). */
const coordinate = (v: unknown): Uint8Array | null => (typeof v === 'string' ? base64urlDecode(v) : null);
const bigEndian = (b: Uint8Array, at: number, n: number): bigint => {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[at + i]!);
  return v;
};
const bytesOf = (v: bigint, n: number, littleEndian: boolean): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++, v >>= 8n) out[littleEndian ? i : n - 1 - i] = Number(v & 0xffn);
  return out;
};

// P-256 (SEC 2 §2.4.2): field prime p, curve constant b (a = −3), group order n.
const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const P256_N = bytesOf(0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, 32, false);
// n/2: an ES256 signature with s above it is the malleable twin (r, n − s) of a low-S one.
const P256_HALF_N = bytesOf(0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n, 32, false);

// Ed25519 (RFC 8032 §5.1): field prime p = 2^255 − 19 and group order L, little-endian as encoded.
const ED25519_P = bytesOf(2n ** 255n - 19n, 32, true);
const ED25519_P_MINUS_1 = bytesOf(2n ** 255n - 20n, 32, true);
const ED25519_ONE = bytesOf(1n, 32, true);
const ED25519_L = bytesOf(2n ** 252n + 27742317777372353535851937790883648493n, 32, true);
/** The canonical encodings of the 8 points of order dividing 8; non-canonical ones fail `canonicalPoint` first. */
const SMALL_ORDER = ED25519_TORSION_SUBGROUP.map((h) => fromHex(h)!);

/** Compares the 32 bytes of `a` at `at` with `b`, both read in the given byte order: −1, 0 or 1. */
function compare32(a: Uint8Array, at: number, b: Uint8Array, littleEndian: boolean, topMask = 0xff): number {
  for (let k = 0; k < 32; k++) {
    const i = littleEndian ? 31 - k : k;
    const x = i === 31 && littleEndian ? a[at + i]! & topMask : a[at + i]!, y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const isZero32 = (a: Uint8Array, at: number): boolean => {
  for (let i = 0; i < 32; i++) if (a[at + i] !== 0) return false;
  return true;
};

/**
 * An Ed25519 point encoding (RFC 8032 §5.1.2) that is the only one of its point: y < p, and the sign bit clear
 * when x = 0 (x = 0 exactly when y = 1 or y = p − 1). Says nothing of whether y is on the curve.
 */
function canonicalPoint(b: Uint8Array, at: number): boolean {
  if (compare32(b, at, ED25519_P, true, 0x7f) >= 0) return false;
  if ((b[at + 31]! & 0x80) === 0) return true;
  return compare32(b, at, ED25519_ONE, true, 0x7f) !== 0 && compare32(b, at, ED25519_P_MINUS_1, true, 0x7f) !== 0;
}

function smallOrder(b: Uint8Array, at: number): boolean {
  return SMALL_ORDER.some((t) => compare32(b, at, t, true) === 0);
}

/**
 * Whether a signature's encoding is admissible before any curve arithmetic (§2.2). ES256 (r ‖ s): 0 < r < n and
 * 0 < s ≤ n/2. EdDSA (R ‖ S): S < L, R canonical and not of small order.
 */
export function signatureEncodingAllowed(alg: CredentialAlg, sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  if (alg === 'ES256') {
    return !isZero32(sig, 0) && compare32(sig, 0, P256_N, false) < 0
      && !isZero32(sig, 32) && compare32(sig, 32, P256_HALF_N, false) <= 0;
  }
  return compare32(sig, 32, ED25519_L, true) < 0 && canonicalPoint(sig, 0) && !smallOrder(sig, 0);
}

/**
 * Whether a registered public key is usable (§2.2; otherwise `KEY_ALG_MISMATCH`). ES256: x and y of 32 bytes,
 * both < p, on the curve (a JWK cannot name the point at infinity). EdDSA: 32 bytes, a canonical encoding of a
 * curve point that is not of small order. Run once per key, so BigInt arithmetic is fine here.
 */
export function publicKeyAllowed(alg: CredentialAlg, jwk: PublicJwk): boolean {
  if (alg === 'ES256') {
    if (jwk.kty !== 'EC') return false;
    const x = coordinate(jwk.x), y = coordinate(jwk.y);
    if (!x || !y || x.length !== 32 || y.length !== 32) return false;
    const X = bigEndian(x, 0, 32), Y = bigEndian(y, 0, 32);
    if (X >= P256_P || Y >= P256_P) return false;
    return (Y * Y - (X * X * X - 3n * X + P256_B)) % P256_P === 0n;
  }
  if (jwk.kty !== 'OKP') return false;
  const a = coordinate(jwk.x);
  if (!a || a.length !== 32 || !canonicalPoint(a, 0) || smallOrder(a, 0)) return false;
  try {
    ed25519.Point.fromBytes(a, false); // y must be on the curve
    return true;
  } catch {
    return false;
  }
}
