// Signature strictness vectors (docs/protocol.md §2.2), in the style of Wycheproof's ed25519 and ecdsa P-256 tests:
// every Ed25519 and ES256 edge the rules name, each a credential anchored in its snapshot so that only the key or
// the signature decides. Several are accepted by one common implementation or another (noted per case): the SDK
// decides them itself, so every backend answers the same.
import { createHash } from 'node:crypto';
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import type { ReasonCode, TrustSnapshot } from '@hutong/verifier-sdk';
import type { Scenario } from './fixtures';
import { anchorBatchAndEncode, b64u, baseClaims, signRaw } from './craft';

type AddCase = (name: string, qr: string, reason: ReasonCode, o?: { trust?: (t: TrustSnapshot) => void }) => void;

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;

const le = (v: bigint): Buffer => {
  const b = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, v >>= 8n) b[i] = Number(v & 0xffn);
  return b;
};
const fromLe = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).reverse().toString('hex') || '0'}`);
const be = (v: bigint): Buffer => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const sha512 = (...parts: Uint8Array[]): bigint => fromLe(createHash('sha512').update(Buffer.concat(parts)).digest()) % L;
const torsion = (i: number): Buffer => Buffer.from(ED25519_TORSION_SUBGROUP[i]!, 'hex');
/** The identity (0, 1): order 1. Index 1 of the torsion list has order 8 (RFC 8032 has no name for it). */
const IDENTITY = torsion(0), ORDER_8 = torsion(1);

/** The secret scalar of an RFC 8032 private key (§5.1.5: SHA-512 of the seed, clamped). */
function secretScalar(seed: Uint8Array): bigint {
  const h = createHash('sha512').update(seed).digest().subarray(0, 32);
  h[0]! &= 248;
  h[31]! &= 127;
  h[31]! |= 64;
  return fromLe(h) % L;
}

export async function signatureCases(s: Scenario, add: AddCase): Promise<void> {
  const ed = s.keys.EdDSA, es = s.keys.ES256;
  const edHeader = { alg: 'EdDSA', kid: ed.kid, typ: 'hutong-vc+jws;v=1' };
  const esHeader = { alg: 'ES256', kid: es.kid, typ: 'hutong-vc+jws;v=1' };
  const a = secretScalar(Buffer.from(ed.privateJwk.d, 'base64url'));
  const A = Point.BASE.multiply(a);

  // Cases are collected, then each kid's credentials are anchored as one batch: one anchor per kid, not per case
  // (every snapshot copy in the vector file carries every anchor).
  const pending: Array<{ name: string; jws: string; reason: ReasonCode; kid: string; trust?: (t: TrustSnapshot, root: string) => void }> = [];
  const push = (kid: string, name: string, jws: string, reason: ReasonCode, trust?: (t: TrustSnapshot, root: string) => void): void => {
    pending.push({ name, jws, reason, kid, ...(trust ? { trust } : {}) });
  };
  /** A snapshot with one more key record (a copy of the EdDSA key's, another kid and JWK) and only this batch's anchor. */
  const withKey = (kid: string, jwk: object) => (t: TrustSnapshot, root: string): void => {
    (t.keys as unknown[]).push({ ...t.keys.find((k) => k.kid === ed.kid)!, kid, jwk });
    keepOnly(t, root);
  };

  const input = (header: object): string => `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(baseClaims()))}`;
  /** An Ed25519 signature R ‖ S over `header` with R given as bytes, for the key with bytes `pub` and scalar `x`. */
  const edSign = (header: object, rBytes: Uint8Array, nonce: bigint, pub: Uint8Array, x: bigint): { jws: string; k: bigint; S: bigint } => {
    const m = input(header);
    const k = sha512(rBytes, pub, Buffer.from(m));
    const S = (nonce + k * x) % L;
    return { jws: `${m}.${b64u(Buffer.concat([rBytes, le(S)]))}`, k, S };
  };
  const withSig = (jws: string, sig: Uint8Array): string => `${jws.slice(0, jws.lastIndexOf('.'))}.${b64u(sig)}`;
  const sigOf = (jws: string): Buffer => Buffer.from(jws.slice(jws.lastIndexOf('.') + 1), 'base64url');
  const signBit = (b: Uint8Array): Buffer => { const c = Buffer.from(b); c[31]! |= 0x80; return c; };
  const Ab = Buffer.from(A.toBytes());

  // Ed25519 signatures under the registered key. k = SHA-512(R ‖ A ‖ M) mod L throughout (RFC 8032 §5.1.7).
  const r = 0x1234567n, R = Point.BASE.multiply(r);
  const honest = edSign(edHeader, R.toBytes(), r, Ab, a);
  const edCase = (name: string, jws: string, reason: ReasonCode): void => push(ed.kid, `Ed25519: ${name}`, jws, reason);
  edCase('the reference signature of the cases below (nonce chosen by the test)', honest.jws, 'ACCEPTED');
  const withS = (S: bigint): string => withSig(honest.jws, Buffer.concat([sigOf(honest.jws).subarray(0, 32), le(S)]));
  edCase('S + L (the reference signature, S not reduced; accepted where S is reduced mod L)', withS(honest.S + L), 'SIGNATURE_INVALID');
  edCase('S = L', withS(L), 'SIGNATURE_INVALID');
  edCase('S = L + 1', withS(L + 1n), 'SIGNATURE_INVALID');
  edCase('S = 2^256 − 1', withS(2n ** 256n - 1n), 'SIGNATURE_INVALID');
  // R = identity satisfies [S]B = R + [k]A with S = k·a: the equation holds, only the small-order rule rejects it.
  edCase('R of small order (the identity) with S = k·a, the cofactorless equation holds (OpenSSL accepts)', edSign(edHeader, IDENTITY, 0n, Ab, a).jws, 'SIGNATURE_INVALID');
  edCase('R of order 8 with S = k·a, the cofactored equation holds (@noble/curves accepts)', edSign(edHeader, ORDER_8, 0n, Ab, a).jws, 'SIGNATURE_INVALID');
  // Non-canonical encodings of R = identity: a decoder that reduces y mod p or ignores the sign of x = 0, then
  // compares points rather than encodings, accepts them.
  edCase('R non-canonical, y = p + 1 (the identity), S = k·a', edSign(edHeader, le(P + 1n), 0n, Ab, a).jws, 'SIGNATURE_INVALID');
  edCase('R non-canonical, x = 0 with the sign bit set (the identity), S = k·a', edSign(edHeader, signBit(IDENTITY), 0n, Ab, a).jws, 'SIGNATURE_INVALID');
  edCase('mixed-order R (R + a point of order 8): the cofactored equation holds, the cofactorless one does not (@noble/curves accepts)',
    edSign(edHeader, R.add(Point.fromBytes(ORDER_8)).toBytes(), r, Ab, a).jws, 'SIGNATURE_INVALID');

  // A mixed-order key A' = A + T (T of order 8) is not of small order: the cofactorless equation decides. With k ≢ 0
  // (mod 8) the signature S = r + k·a satisfies only the cofactored one; with k ≡ 0 (mod 8), [k]T = 0 and it holds.
  const mixedKid = 'gd-hc-ed-mixed', mixed = Buffer.from(A.add(Point.fromBytes(ORDER_8)).toBytes());
  const mixedHeader = { ...edHeader, kid: mixedKid };
  const grind = (want: (k: bigint) => boolean): string => {
    for (let n = 1n; ; n++) {
      const sig = edSign(mixedHeader, Point.BASE.multiply(n).toBytes(), n, mixed, a);
      if (want(sig.k)) return sig.jws;
    }
  };
  const mixedKey = withKey(mixedKid, { kty: 'OKP', crv: 'Ed25519', x: b64u(mixed) });
  push(mixedKid, 'Ed25519: mixed-order key, signature satisfying only the cofactored equation (k mod 8 ≠ 0; @noble/curves accepts)',
    grind((k) => k % 8n !== 0n), 'SIGNATURE_INVALID', mixedKey);
  push(mixedKid, 'Ed25519: mixed-order key, signature satisfying the cofactorless equation (k mod 8 = 0)', grind((k) => k % 8n === 0n), 'ACCEPTED', mixedKey);

  // Unusable keys, all tried with one credential: R = identity, S = 0 satisfies the equation for the identity key
  // and every message (OpenSSL accepts), and the cofactored one for every small-order key.
  const weakKid = 'gd-hc-ed-weak';
  const forgery = `${input({ ...edHeader, kid: weakKid })}.${b64u(Buffer.concat([IDENTITY, le(0n)]))}`;
  const weakKey = (name: string, x: Uint8Array): void => push(weakKid, `Ed25519: ${name}, R = identity, S = 0`, forgery, 'KEY_ALG_MISMATCH', withKey(weakKid, { kty: 'OKP', crv: 'Ed25519', x: b64u(x) }));
  ED25519_TORSION_SUBGROUP.forEach((hex, i) => {
    const t = Point.fromBytes(torsion(i));
    let n = 1;
    for (let q = t; !q.is0(); q = q.add(t)) n++;
    weakKey(`key of small order ${n} (${hex})`, torsion(i));
  });
  weakKey('key non-canonical and of small order: the identity, y = p + 1', le(P + 1n));
  weakKey('key non-canonical and of small order: the identity, x = 0 with the sign bit set', signBit(IDENTITY));
  weakKey('key non-canonical and of small order: (0, −1), x = 0 with the sign bit set', signBit(torsion(4)));
  weakKey('key non-canonical and of small order: y = p (a point of order 4)', le(P));
  // y = 3 is on the curve and of large order; y = 3 + p < 2^255 encodes the same point.
  weakKey('key non-canonical, y = p + 3 (y = 3 is a point of large order)', le(P + 3n));
  weakKey('key not on the curve (y = 2)', le(2n));

  // ES256: r and s must lie in 1…n−1 (s also ≤ n/2, the high-S case of cases.ts).
  const esJws = signRaw(esHeader, baseClaims(), es.privateJwk);
  const esSig = sigOf(esJws);
  const esCase = (name: string, rr: Uint8Array, ss: Uint8Array): void => push(es.kid, `ES256: ${name}`, withSig(esJws, Buffer.concat([rr, ss])), 'SIGNATURE_INVALID');
  push(es.kid, 'ES256: the reference signature of the cases below', esJws, 'ACCEPTED');
  esCase('r = 0', Buffer.alloc(32), esSig.subarray(32));
  esCase('s = 0', esSig.subarray(0, 32), Buffer.alloc(32));
  esCase('r = n', be(P256_N), esSig.subarray(32));
  esCase('s = n', esSig.subarray(0, 32), be(P256_N));
  // (0, y) is on P-256; x = p names it again, out of range (a reduction mod p would accept it).
  const esKey = (jwk: object) => (t: TrustSnapshot, root: string): void => {
    Object.assign(t.keys.find((k) => k.kid === es.kid)!, { jwk });
    keepOnly(t, root);
  };
  const y0 = b64u(be(p256Y(0n)));
  push(es.kid, 'ES256: key with x = p (x ≡ 0 is on the curve)', esJws, 'KEY_ALG_MISMATCH', esKey({ kty: 'EC', crv: 'P-256', x: b64u(be(P256_P)), y: y0 }));
  push(es.kid, 'ES256: key (0, y), on the curve, not the signer’s (the control of x = p)', esJws, 'SIGNATURE_INVALID', esKey({ kty: 'EC', crv: 'P-256', x: b64u(be(0n)), y: y0 }));

  const batches = new Map<string, { qr: Map<string, string>; root: string }>();
  for (const kid of new Set(pending.map((c) => c.kid))) {
    const jwss = [...new Set(pending.filter((c) => c.kid === kid).map((c) => c.jws))];
    const { qrs, root } = anchorBatchAndEncode(s.trust, jwss, kid);
    batches.set(kid, { qr: new Map(jwss.map((j, i) => [j, qrs[i]!])), root });
  }
  for (const c of pending) {
    const b = batches.get(c.kid)!;
    add(c.name, b.qr.get(c.jws)!, c.reason, c.trust ? { trust: (t) => c.trust!(t, b.root) } : {});
  }
}

/** Drops every anchor but `root`'s: the case needs no other, and the vector file stays small. */
function keepOnly(t: TrustSnapshot, root: string): void {
  Object.assign(t, { anchors: t.anchors.filter((x) => x.root === root) });
}

/** The y with (x, y) on P-256 (y² = x³ − 3x + b; p ≡ 3 mod 4, so y = rhs^((p+1)/4)). */
function p256Y(x: bigint): bigint {
  const p = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
  const b = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
  const rhs = (((x ** 3n - 3n * x + b) % p) + p) % p;
  let y = 1n;
  for (let base = rhs, e = (p + 1n) / 4n; e > 0n; e >>= 1n, base = (base * base) % p) if (e & 1n) y = (y * base) % p;
  if ((y * y) % p !== rhs) throw new Error('x is not on P-256');
  return y;
}
