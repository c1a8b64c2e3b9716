// The issuing library through its public entry point: signing, pseudonyms, batching and anchoring.
import {
  impliedRoot, newBatcher, newCredentialSigner, generateSigningKey, normaliseLowS, pseudonym, normaliseId, maskName, documentHint,
  leafHashOf, merkleRoot, inclusionProof, encodeQr, HutongSdkError, type AnchorFn,
} from '@hutong/verifier-sdk/issuer';
import { decodeQr } from '@hutong/verifier-sdk';
import { highS } from './craft';

const { privateJwk } = generateSigningKey('ES256');
const signer = newCredentialSigner({ issuerId: 'gd-hcc', kid: 'k1', alg: 'ES256', privateJwk });
const input = { vct: 'health-code', st: 'green', sub: 'x'.repeat(22), name: '陈*明', doc: 'HRP-1234', validitySeconds: 3600 };
const okAnchor: AnchorFn = async () => ({ txId: 'tx1', blockNumber: 5, anchoredAt: '2026-11-26T07:00:00.000Z' });

describe('credential signer', () => {
  test('claims: iss, 128-bit jti, iat = nbf, exp = iat + validity, typ and kid in the header', () => {
    const jws = signer.sign(input, new Date('2026-11-26T07:00:00Z'));
    const [h, p] = jws.split('.').slice(0, 2).map((x) => JSON.parse(Buffer.from(x, 'base64url').toString())) as [Record<string, unknown>, Record<string, unknown>];
    expect(h).toEqual({ alg: 'ES256', kid: 'k1', typ: 'hutong-vc+jws;v=1' });
    expect(p).toMatchObject({ iss: 'gd-hcc', iat: 1795676400, nbf: 1795676400, exp: 1795680000, vct: 'health-code', st: 'green' });
    expect(Buffer.from(p.jti as string, 'base64url')).toHaveLength(16);
  });
  test('ES256 signatures are always low-S', () => {
    const half = 0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n;
    for (let i = 0; i < 40; i++) {
      const sig = Buffer.from(signer.sign(input).split('.')[2]!, 'base64url');
      expect(BigInt(`0x${sig.subarray(32).toString('hex')}`) <= half).toBe(true);
      expect(Buffer.from(normaliseLowS(highS(sig))).equals(sig)).toBe(true);
    }
  });
  test('refuses registered names in extra claims and mismatched keys', () => {
    expect(() => signer.sign({ ...input, extra: { iss: 'x' } })).toThrow(HutongSdkError);
    expect(() => newCredentialSigner({ issuerId: 'a', kid: 'k', alg: 'EdDSA', privateJwk })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});

describe('pseudonyms and display helpers', () => {
  const k1 = new Uint8Array(32).fill(1), k2 = new Uint8Array(32).fill(2);
  test('same person, same period key → same pseudonym; another period key → unlinkable', () => {
    const a = pseudonym(k1, normaliseId('hrp', 'h1234-5678'));
    expect(pseudonym(k1, normaliseId('HRP', 'Ｈ1234 5678'))).toBe(a);
    expect(pseudonym(k2, normaliseId('HRP', 'H12345678'))).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toContain('12345678');
  });
  test('short keys are refused', () => expect(() => pseudonym(new Uint8Array(8), 'HRP:1')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' })));
  test('masking', () => {
    expect(maskName('陈大明')).toBe('陈*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(documentHint('HRP', 'H12345678')).toBe('HRP-5678');
  });
});

describe('batcher', () => {
  test('flushes at maxLeaves with one anchor call; every credential gets its proof and QR', async () => {
    const calls: unknown[] = [];
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 4, maxDelayMs: 60_000, anchor: async (a) => { calls.push(a); return okAnchor(a); } });
    const jws = [0, 1, 2, 3].map(() => signer.sign(input));
    const out = await Promise.all(jws.map((j) => b.add(j)));
    expect(calls).toEqual([{ root: merkleRoot(jws.map(leafHashOf)), leafCount: 4, kid: 'k1', issuerId: 'gd-hcc' }]);
    out.forEach((c, i) => {
      expect(c.proof).toEqual(inclusionProof(jws.map(leafHashOf), i));
      expect(c.anchor).toEqual({ txId: 'tx1', blockNumber: 5, anchoredAt: '2026-11-26T07:00:00.000Z' });
    });
    expect((await decodeQr(out[2]!.qr)).jws).toBe(jws[2]);
  });
  test('flushes after maxDelayMs', async () => {
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 100, maxDelayMs: 20, anchor: okAnchor });
    const t0 = Date.now();
    const c = await b.add(signer.sign(input));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect(c.proof).toEqual({ leafIndex: 0, treeSize: 1, path: [] });
    expect(c.root).toBe(c.leafHash);
  });
  test('a failed anchor rejects every credential of the batch, and only that batch', async () => {
    let fail = true;
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 3, maxDelayMs: 60_000, anchor: async (a) => { if (fail) throw new Error('peer down'); return okAnchor(a); } });
    const first = [0, 1, 2].map(() => b.add(signer.sign(input)));
    const settled = await Promise.allSettled(first);
    expect(settled.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((settled[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ANCHOR_FAILED', cause: expect.objectContaining({ message: 'peer down' }) });
    fail = false;
    const second = await Promise.all([0, 1, 2].map(() => b.add(signer.sign(input))));
    expect(second).toHaveLength(3);
  });
  test('refuses foreign credentials; close() flushes and then refuses', async () => {
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 10, maxDelayMs: 60_000, anchor: okAnchor });
    const other = newCredentialSigner({ issuerId: 'gd-hcc', kid: 'k2', alg: 'ES256', privateJwk });
    await expect(b.add(other.sign(input))).rejects.toMatchObject({ code: 'INVALID_CLAIMS' });
    await expect(b.add('not.a.jws')).rejects.toMatchObject({ code: 'INVALID_CLAIMS' });
    const pending = b.add(signer.sign(input));
    expect(b.pending).toBe(1);
    await b.close();
    await expect(pending).resolves.toMatchObject({ proof: { treeSize: 1 } });
    await expect(b.add(signer.sign(input))).rejects.toMatchObject({ code: 'BATCHER_CLOSED' });
  });
  test('an injected QR encoder gets the batch in order; a failing or short encoder fails the whole batch', async () => {
    const seen: string[][] = [];
    const encode = async (items: ReadonlyArray<{ jws: string }>) => { seen.push(items.map((i) => i.jws)); return items.map((i) => `QR:${i.jws.length}`); };
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 3, maxDelayMs: 60_000, anchor: okAnchor, encode });
    const jws = [0, 1, 2].map(() => signer.sign(input));
    const out = await Promise.all(jws.map((j) => b.add(j)));
    expect(seen).toEqual([jws]);
    expect(out.map((c) => c.qr)).toEqual(jws.map((j) => `QR:${j.length}`));
    for (const bad of [async () => { throw new Error('worker died'); }, async () => ['only-one']]) {
      const failing = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 2, maxDelayMs: 60_000, anchor: okAnchor, encode: bad });
      const settled = await Promise.allSettled([0, 1].map(() => failing.add(signer.sign(input))));
      expect(settled.map((x) => x.status)).toEqual(['rejected', 'rejected']);
      expect((settled[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ANCHOR_FAILED' });
    }
  });
  test('impliedRoot recomputes the batch root from each decoded proof; a wrong shape gives undefined', async () => {
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 5, maxDelayMs: 60_000, anchor: okAnchor });
    const out = await Promise.all([0, 1, 2, 3, 4].map(() => b.add(signer.sign(input))));
    for (const c of out) {
      const { jws, proof } = await decodeQr(c.qr);
      expect(impliedRoot(jws, proof)).toBe(c.root);
      expect(impliedRoot(jws, { ...proof, leafIndex: proof.treeSize })).toBeUndefined();
      expect(impliedRoot(jws, { ...proof, path: proof.path.slice(1) })).toBeUndefined();
    }
  });
  test('options are validated', () => {
    expect(() => newBatcher({ issuerId: 'a', kid: 'k', maxLeaves: 0, maxDelayMs: 1, anchor: okAnchor })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => newBatcher({ issuerId: 'a', kid: 'k', maxLeaves: 1 << 20, maxDelayMs: 1, anchor: okAnchor })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

test('QR budget: a health code with a 4,096-leaf proof fits in 1,000 characters; each doubling of the batch adds 48', () => {
  for (const alg of ['ES256', 'EdDSA'] as const) {
    const signer = newCredentialSigner({ issuerId: 'gd-health-code', kid: 'gd-hc-2026-1', alg, privateJwk: generateSigningKey(alg).privateJwk });
    const lengths = new Set<number>();
    for (let k = 0; k < 20; k++) {
      const doc = `H${10_000_000 + k}`;
      const jws = signer.sign({ vct: 'health-code', st: 'green', sub: pseudonym(new Uint8Array(32).fill(k), normaliseId('HRP', doc)), name: maskName('陈大明'), doc: documentHint('HRP', doc), validitySeconds: 86_400 });
      const qrFor = (treeSize: number): string => encodeQr({ jws, root: 'ab'.repeat(32), proof: { leafIndex: treeSize - 1, treeSize, path: Array.from({ length: Math.log2(treeSize) }, (_, i) => (i % 256).toString(16).padStart(2, '0').repeat(32)) } });
      const at4096 = qrFor(4096).length;
      expect(at4096).toBeLessThanOrEqual(1000);
      expect(qrFor(8192).length - at4096).toBe(48);
      const to65536 = qrFor(65_536).length - at4096; // plus 2 bytes: tree size and leaf index need a third varint byte
      expect(to65536).toBeGreaterThanOrEqual(4 * 48);
      expect(to65536).toBeLessThanOrEqual(4 * 48 + 3);
      lengths.add(at4096);
    }
    // Fixed-Huffman output (the preset dictionary makes zlib choose it) gives every base64url character 8 bits.
    expect(lengths.size).toBeLessThanOrEqual(2);
  }
});
