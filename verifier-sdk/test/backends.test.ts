// Crypto oracle: the Node backend (with and without the native fold), the WebCrypto backend and the @noble/curves
// fallback must agree with node:crypto on the same inputs (signatures, tampered signatures, non-canonical encodings,
// proof folds). DEFLATE is not a backend's: inflate.test.ts checks the one decoder against zlib.
import { createPublicKey, generateKeyPairSync, sign, verify as oracleVerify, createHash, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { nativeFoldStatus, newNodeBackend } from '../src/lib/node-backend';
import { newWebBackend } from '../src/lib/web-backend';
import type { CryptoBackend, PublicJwk } from '../src/lib/crypto-backend';

const backends: CryptoBackend[] = [newNodeBackend(), newNodeBackend({ nativeFold: false }), newWebBackend(), newWebBackend({ ed25519: 'noble' })];
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

interface TestKey { alg: 'ES256' | 'EdDSA'; pub: KeyObject; priv: KeyObject; jwk: PublicJwk }
function key(alg: 'ES256' | 'EdDSA'): TestKey {
  const { publicKey, privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { alg, pub: publicKey, priv: privateKey, jwk: publicKey.export({ format: 'jwk' }) as unknown as PublicJwk };
}
const keys = [key('ES256'), key('ES256'), key('EdDSA'), key('EdDSA')];

function oracle(k: TestKey, sig: Uint8Array, msg: Uint8Array): boolean {
  return k.alg === 'ES256'
    ? oracleVerify('sha256', msg, { key: k.pub, dsaEncoding: 'ieee-p1363' }, sig)
    : oracleVerify(null, msg, k.pub, sig);
}

async function results(k: TestKey, sig: Uint8Array, msg: Uint8Array): Promise<boolean[]> {
  return Promise.all(backends.map(async (b) => b.verify(k.alg, await b.importKey(k.alg, k.jwk), sig, msg)));
}

test('signature verification agrees with node:crypto: valid, tampered, wrong key, wrong message', async () => {
  await fc.assert(fc.asyncProperty(fc.nat(3), fc.nat(3), fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.constantFrom('none', 'bit', 'msg'), async (ki, vi, msg, bit, tamper) => {
    const signer = keys[ki]!, verifier = keys[vi]!;
    fc.pre(signer.alg === verifier.alg);
    let sig: Uint8Array = signer.alg === 'ES256' ? sign('sha256', msg, { key: signer.priv, dsaEncoding: 'ieee-p1363' }) : sign(null, msg, signer.priv);
    let m = msg;
    if (tamper === 'bit') { sig = Buffer.from(sig); sig[bit % 64]! ^= 1 << (bit % 8); }
    if (tamper === 'msg') m = Buffer.concat([msg, Buffer.from([bit & 0xff])]);
    const expected = oracle(verifier, sig, m);
    expect(await results(verifier, sig, m)).toEqual(backends.map(() => expected));
    if (tamper === 'none' && ki === vi) expect(expected).toBe(true);
  }), { numRuns: 120 });
});

test('Ed25519: a non-canonical S (S + L) is rejected by every backend, as by OpenSSL (RFC 8032 §5.1.7)', async () => {
  const k = keys[2]!;
  const msg = Buffer.from('hutong');
  const sig = Buffer.from(sign(null, msg, k.priv));
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + ED25519_L;
  const twin = Buffer.concat([sig.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse()]);
  expect(oracle(k, twin, msg)).toBe(false);
  expect(await results(k, twin, msg)).toEqual(backends.map(() => false));
  expect(await results(k, sig, msg)).toEqual(backends.map(() => true));
});

test('ES256: all-zero and out-of-range r/s are rejected everywhere', async () => {
  const k = keys[0]!;
  const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
  for (const sig of [Buffer.alloc(64), Buffer.concat([n, n]), Buffer.alloc(64, 0xff)]) {
    expect(oracle(k, sig, Buffer.from('x'))).toBe(false);
    expect(await results(k, sig, Buffer.from('x'))).toEqual(backends.map(() => false));
  }
});

test('SHA-256 agrees with node:crypto', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 500 }), async (d) => {
    const want = createHash('sha256').update(d).digest('hex');
    for (const b of backends) expect(Buffer.from(await b.sha256(d)).toString('hex')).toBe(want);
  }), { numRuns: 100 });
});

test('base64url agrees with Buffer', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (d) => {
    for (const b of backends) expect(b.base64url(d)).toBe(Buffer.from(d).toString('base64url'));
  }));
});

test('a malformed public key fails to import (and the verifier maps it to a reason code)', async () => {
  for (const b of backends) {
    await expect(b.importKey('ES256', { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' })).rejects.toBeDefined();
  }
  expect(createPublicKey).toBeDefined();
});

test('foldProof fast paths (node:crypto, and plain-TypeScript SHA-256 in the web backend) = generic RFC 9162 fold (leaf hash and root)', async () => {
  const { proofSteps, proofSidesInto, treeLevels, auditPath, nodeInput } = await import('../src/lib/merkle');
  const { leafInput } = await import('../src/lib/leaf-input');
  const folders = backends.filter((b) => b.foldProof);
  expect(folders.map((b) => b.name)).toEqual([nativeFoldStatus().loaded ? 'node+native-fold' : 'node', 'node', 'web', 'web+noble']); // native-fold.test.ts asserts when it must load
  const sha = (d: Uint8Array): Uint8Array => createHash('sha256').update(d).digest();
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.string({ maxLength: 80 }), async (n, i, text) => {
    const input = leafInput(text.replace(/[^ -~]/g, 'x'));
    const leaf = sha(input);
    const m = i % n;
    const leaves = Array.from({ length: n }, (_, k) => (k === m ? leaf : sha(Buffer.from([k, n]))));
    const levels = treeLevels(leaves, (l, r) => sha(nodeInput(l, r)));
    const path = auditPath(levels, m);
    const steps = proofSteps(m, n, path)!;
    const sides = new Uint8Array(64);
    expect(proofSidesInto(m, n, path.length, sides)).toBe(true);
    expect([...sides.subarray(0, path.length)]).toEqual(steps.map((st) => (st.siblingOnLeft ? 1 : 0)));
    // The path as it sits in a frame: 32-byte hashes back to back at some offset.
    const at = i % 7;
    const frame = Buffer.concat([Buffer.alloc(at, 0xee), ...path, Buffer.alloc(3, 0xee)]);
    for (const b of folders) {
      expect(b.foldProof!(input, frame, at, sides, path.length)).toEqual({
        leafHash: Buffer.from(leaf).toString('hex'), root: Buffer.from(levels.at(-1)![0]!).toString('hex'),
      });
    }
  }), { numRuns: 100 });
});

test('plain-TypeScript SHA-256 = node:crypto (every length across the block and padding boundaries, random data)', async () => {
  const { sha256, sha256Into } = await import('../src/lib/sha256');
  for (let n = 0; n <= 200; n++) {
    const d = Buffer.alloc(n, n & 0xff);
    expect(Buffer.from(sha256(d)).toString('hex')).toBe(createHash('sha256').update(d).digest('hex'));
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(40), (d, at) => {
    const buf = new Uint8Array(at + d.length + 40);
    buf.set(d, at);
    sha256Into(buf, at, d.length, buf, at); // in place: output overlaps the input
    expect(Buffer.from(buf.subarray(at, at + 32)).toString('hex')).toBe(createHash('sha256').update(d).digest('hex').slice(0, 64));
  }), { numRuns: 300 });
});

test('Ed25519 backends check the cofactorless equation, as OpenSSL does: R or the key with a small-order component', async () => {
  // @noble/curves' own verify is cofactored and accepts all of these; the web backend's noble path must not.
  const { ed25519, ED25519_TORSION_SUBGROUP } = await import('@noble/curves/ed25519.js');
  const P = ed25519.Point, L = P.Fn.ORDER;
  const le = (v: bigint): Buffer => Buffer.from(v.toString(16).padStart(64, '0'), 'hex').reverse();
  const k = (...parts: Uint8Array[]): bigint => BigInt(`0x${createHash('sha512').update(Buffer.concat(parts)).digest().reverse().toString('hex')}`) % L;
  let accepted = 0;
  await fc.assert(fc.asyncProperty(fc.bigInt({ min: 1n, max: L - 1n }), fc.bigInt({ min: 1n, max: L - 1n }), fc.integer({ min: 1, max: 7 }), fc.boolean(), fc.uint8Array({ maxLength: 40 }),
    async (a, r, t, onKey, msg) => {
      const T = P.fromHex(ED25519_TORSION_SUBGROUP[t]!);
      const A = Buffer.from((onKey ? P.BASE.multiply(a).add(T) : P.BASE.multiply(a)).toBytes());
      const R = Buffer.from((onKey ? P.BASE.multiply(r) : P.BASE.multiply(r).add(T)).toBytes());
      const sig = Buffer.concat([R, le((r + k(R, A, msg) * a) % L)]);
      const jwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: A.toString('base64url') };
      const expected = oracleVerify(null, msg, createPublicKey({ key: jwk, format: 'jwk' }), sig);
      if (expected) accepted++; // a key's torsion vanishes when k is a multiple of its order
      const got = await Promise.all(backends.map(async (b) => b.verify('EdDSA', await b.importKey('EdDSA', jwk), sig, msg)));
      expect(got).toEqual(backends.map(() => expected));
      expect(ed25519.verify(sig, msg, A, { zip215: false })).toBe(true); // noble's own (cofactored) verify accepts every one
    }), { numRuns: 60 });
  expect(accepted).toBeLessThan(60); // most are rejected: the property is not vacuous
});
