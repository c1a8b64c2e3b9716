// fast-check properties: issue → verify accepts; any single-bit change → REJECT with a stable code; the decoder
// throws nothing but HutongSdkError; every size is capped before work is done.
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { decodeQr, verify, newVerifier, HutongSdkError, REASON_CODES, decisionOf, normaliseScan } from '@hutong/verifier-sdk';
import { encodeQr, newCredentialSigner, newBatcher, type IssuedCredential } from '@hutong/verifier-sdk/issuer';
import { createVerifierApi } from '../src/verifier';
import { newNodeBackend } from '../src/lib/node-backend';
import { newScenario, NOW, ISSUER_ID, type Scenario } from './fixtures';
import { frame, MINIMAL_PROOF } from './cases';
import { anchorAndEncode, baseClaims, signRaw } from './craft';

const RUNS = 60;
const nodeApi = createVerifierApi(newNodeBackend());
let s: Scenario;
let batch: IssuedCredential[];
let edBatch: IssuedCredential[];

beforeAll(async () => {
  s = newScenario();
  batch = await s.issue('ES256', 37);
  edBatch = await s.issue('EdDSA', 9);
});

const opts = () => ({ trust: s.trust, jurisdiction: 'MacauMSP', now: NOW });
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

async function expectDecodeOnlySdkErrors(qr: string): Promise<void> {
  try {
    await decodeQr(qr);
  } catch (e) {
    if (!(e instanceof HutongSdkError)) throw e;
    expect(e.code).toMatch(/^DECODE_/);
  }
}

test('issue → verify accepts, for any status the policy accepts and any batch position', async () => {
  await fc.assert(fc.asyncProperty(
    fc.constantFrom('ES256' as const, 'EdDSA' as const), fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 12 }), fc.integer({ min: 60, max: 5 * 86_400 }),
    async (alg, name, doc, validitySeconds) => {
      const k = s.keys[alg];
      const signer = newCredentialSigner({ issuerId: ISSUER_ID, kid: k.kid, alg, privateJwk: k.privateJwk });
      let anchorCalls = 0;
      const batcher = newBatcher({ issuerId: ISSUER_ID, kid: k.kid, maxLeaves: 3, maxDelayMs: 5, anchor: async (a) => {
        anchorCalls++;
        (s.trust.anchors as unknown[]).push({ ...a, anchoredAt: new Date(NOW.getTime() - 60_000).toISOString(), txId: 'tx-p', anchoredBy: 'GuangdongMSP' });
        return { txId: 'tx-p', blockNumber: 1, anchoredAt: new Date(NOW.getTime() - 60_000).toISOString() };
      } });
      const issued = await Promise.all([0, 1].map(() => batcher.add(signer.sign({ vct: 'health-code', st: 'green', sub: 'p'.repeat(22), name, doc: doc || undefined, validitySeconds }, new Date(NOW.getTime() - 30_000)))));
      expect(anchorCalls).toBe(1); // two credentials, maxLeaves 3: one batch flushed by the timer
      const trust = { ...s.trust, anchors: [...s.trust.anchors] };
      for (const c of issued) {
        const r = await verify(c.qr, { trust, jurisdiction: 'MacauMSP', now: NOW });
        expect(r.reason).toBe('ACCEPTED');
        expect(r.display?.maskedName).toBe(name);
      }
    }), { numRuns: 15 });
});

test('any single-bit flip in the QR text → not ACCEPT, with a known code and its decision, on both backends (a letter\'s case excepted)', async () => {
  const vWeb = newVerifier(opts()), vNode = nodeApi.newVerifier(opts());
  await fc.assert(fc.asyncProperty(fc.constantFrom(...batch, ...edBatch), fc.nat(), fc.integer({ min: 0, max: 7 }), async (c, pos, bit) => {
    const i = pos % c.qr.length;
    const flipped = c.qr.slice(0, i) + String.fromCharCode(c.qr.charCodeAt(i) ^ (1 << bit)) + c.qr.slice(i + 1);
    const [a, b] = [await vWeb.verify(flipped, { now: NOW }), await vNode.verify(flipped, { now: NOW })];
    // Bit 5 of a letter is its case, which scanners get wrong and normaliseScan restores (protocol §5.6).
    if (normaliseScan(flipped) === c.qr) expect(a.decision).toBe('ACCEPT');
    else expect(a.decision).not.toBe('ACCEPT');
    expect(a.decision).toBe(decisionOf(a.reason));
    expect(REASON_CODES).toContain(a.reason);
    expect(b.reason).toBe(a.reason);
    await expectDecodeOnlySdkErrors(flipped);
  }), { numRuns: RUNS * 4 });
});

function flipBit(b64: string, bit: number): string {
  const bytes = Buffer.from(b64, 'base64url');
  const i = Math.floor(bit / 8) % bytes.length;
  bytes[i]! ^= 1 << (bit % 8);
  return bytes.toString('base64url');
}

test('any single-bit flip in header, payload, signature or proof → REJECT', async () => {
  const v = newVerifier(opts());
  await fc.assert(fc.asyncProperty(fc.constantFrom(...batch.slice(0, 8), ...edBatch), fc.constantFrom('header', 'payload', 'signature', 'path', 'root', 'index'), fc.nat(), async (c, part, bit) => {
    const [h, p, sig] = c.jws.split('.') as [string, string, string];
    let jws = c.jws, root = c.root, proof = c.proof;
    if (part === 'header') jws = `${flipBit(h, bit)}.${p}.${sig}`;
    if (part === 'payload') jws = `${h}.${flipBit(p, bit)}.${sig}`;
    if (part === 'signature') jws = `${h}.${p}.${flipBit(sig, bit)}`;
    if (part === 'root') root = Buffer.from(flipBit(Buffer.from(root, 'hex').toString('base64url'), bit % 64), 'base64url').toString('hex');
    if (part === 'index') proof = { ...proof, leafIndex: proof.leafIndex ^ (1 << (bit % 6)) };
    if (part === 'path') {
      fc.pre(proof.path.length > 0);
      const k = bit % proof.path.length;
      proof = { ...proof, path: proof.path.map((x, j) => (j === k ? Buffer.from(flipBit(Buffer.from(x, 'hex').toString('base64url'), bit), 'base64url').toString('hex') : x)) };
    }
    let qr: string;
    try {
      qr = encodeQr({ jws, root, proof });
    } catch (e) {
      expect(e).toBeInstanceOf(HutongSdkError);
      return;
    }
    const r = await v.verify(qr, { now: NOW });
    expect(r.decision).not.toBe('ACCEPT');
    expect(r.decision).toBe(decisionOf(r.reason));
    expect(REASON_CODES).toContain(r.reason);
  }), { numRuns: RUNS * 3 });
});

test('decodeQr throws only HutongSdkError for arbitrary text, Base45 and framed bytes', async () => {
  await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), async (t) => {
    await expectDecodeOnlySdkErrors(t);
    await expectDecodeOnlySdkErrors(`HT1:${t}`);
  }), { numRuns: RUNS * 3 });
  await fc.assert(fc.asyncProperty(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 600 }), async (t) => {
    await expectDecodeOnlySdkErrors(`HT1:${t}`);
    const r = await verify(`HT1:${t}`, opts());
    expect(r.decision).not.toBe('ACCEPT');
  }), { numRuns: RUNS * 3 });
  // Past the checksum: random DEFLATE bodies and random proof sections with a correct CRC.
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 120 }), fc.boolean(), async (body, rest, realDeflate) => {
    const qr = frame(realDeflate ? deflateRawSync(body) : body, rest.length % 2 ? rest : MINIMAL_PROOF);
    await expectDecodeOnlySdkErrors(qr);
    for (const api of [nodeApi]) expect((await api.verify(qr, opts())).decision).not.toBe('ACCEPT');
  }), { numRuns: RUNS * 3 });
});

describe('caps', () => {
  test('a decompression bomb is refused quickly, with DECODE_TOO_LARGE, on both backends', async () => {
    const qr = frame(deflateRawSync(new Uint8Array(4 << 20), { level: 9 }));
    expect(qr.length).toBeLessThan(10_000);
    for (const api of [nodeApi, createVerifierApi((await import('../src/lib/web-backend')).newWebBackend())]) {
      const t0 = performance.now();
      await expect(api.decodeQr(qr)).rejects.toMatchObject({ code: 'DECODE_TOO_LARGE' });
      expect(performance.now() - t0).toBeLessThan(200);
    }
  });
  test('oversized text is refused before decoding', async () => {
    const huge = `HT1:${'0'.repeat(50_000_000)}`;
    // Read one character first: V8 builds this text as a rope and flattens it (tens of ms for 50 MB) on the first
    // character read — which the prefix check, coming before the size check (protocol §5.7), is; a scanned text is flat.
    expect(huge.charCodeAt(0)).toBe(0x48);
    const t0 = performance.now();
    await expect(decodeQr(huge)).rejects.toMatchObject({ code: 'DECODE_TOO_LARGE' });
    expect(performance.now() - t0).toBeLessThan(50);
  });
  test('a proof longer than 64 hashes or a tree beyond 2^40 is refused', async () => {
    const tooLong = Uint8Array.from([...MINIMAL_PROOF.subarray(0, 64), 1, 0, ...new Array(8).fill(0), 65, ...new Array(65 * 32).fill(0)]);
    await expect(decodeQr(frame(deflateRawSync(Buffer.from('\u0000\u0002{}{}')), tooLong))).rejects.toMatchObject({ code: expect.stringMatching(/DECODE_(ENVELOPE|TOO_LARGE)/) });
    const big = Uint8Array.from([...MINIMAL_PROOF.subarray(0, 64), 0x81, 0x80, 0x80, 0x80, 0x80, 0x40, 0, ...new Array(8).fill(0), 0]);
    await expect(decodeQr(frame(deflateRawSync(Buffer.from('\u0000\u0002{}{}')), big))).rejects.toMatchObject({ code: 'DECODE_ENVELOPE' });
  });
  test('non-string input is rejected as DECODE_PREFIX, never thrown from verify', async () => {
    expect((await verify(42 as unknown as string, opts())).reason).toBe('DECODE_PREFIX');
  });
});

test('extra claims: any strings, numbers and booleans verify ACCEPT; one object, array or null makes CLAIMS_INVALID (protocol §2.3)', async () => {
  const k = s.keys.ES256;
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
  const nonScalar = fc.oneof(fc.constant(null), fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }));
  const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/).filter((n) => !['iss', 'jti', 'iat', 'nbf', 'exp', 'vct', 'st', 'sub', 'name', 'doc'].includes(n));
  await fc.assert(fc.asyncProperty(fc.dictionary(name, scalar, { maxKeys: 5 }), fc.option(fc.tuple(name, nonScalar), { nil: undefined }), async (extra, bad) => {
    const claims = { ...baseClaims(), ...extra, ...(bad ? { [bad[0]]: bad[1] } : {}) };
    const trust = s.snapshot();
    const { qr } = anchorAndEncode(trust, signRaw({ alg: 'ES256', kid: k.kid, typ: 'hutong-vc+jws;v=1' }, claims, k.privateJwk), k.kid);
    const [web, node] = [await verify(qr, { trust, jurisdiction: 'MacauMSP', now: NOW }), await nodeApi.verify(qr, { trust, jurisdiction: 'MacauMSP', now: NOW })];
    expect(web.reason).toBe(bad ? 'CLAIMS_INVALID' : 'ACCEPTED');
    expect(node.reason).toBe(web.reason);
  }), { numRuns: RUNS });
});
