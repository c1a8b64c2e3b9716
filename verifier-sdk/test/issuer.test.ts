// The issuing library through its public entry point: signing, pseudonyms, batching and anchoring.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  impliedRoot, impliedRootOfLeaf, newBatcher, newCredentialSigner, generateSigningKey, normaliseLowS, pseudonym, normaliseId, maskName, documentHint,
  leafHashOf, merkleRoot, inclusionProof, encodeQr, HutongSdkError, MAX_EXTRA_CLAIMS, MAX_PAYLOAD_BYTES, MAX_QR_CHARS, type AnchorFn, type CredentialInput,
} from '@hutong/verifier-sdk/issuer';
import { decodeQr } from '@hutong/verifier-sdk';
import { decodeFrame } from '../src/qr-decoder';
import { highS, signRaw } from './craft';

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

describe('credential signer: the protocol’s limits (§2.3, §5.5)', () => {
  const sign = (over: Partial<CredentialInput>) => () => signer.sign({ ...input, ...over });
  test('extra claims: count, names, value types and sizes; well-formed Unicode everywhere', () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, i]));
    expect(sign({ extra: many(MAX_EXTRA_CLAIMS) })).not.toThrow();
    const refused: Array<Partial<CredentialInput>> = [
      { extra: many(MAX_EXTRA_CLAIMS + 1) },
      { extra: { 'Bad-Name': 1 } }, { extra: { __proto__x: 1 } }, { extra: { ['a'.repeat(33)]: 1 } },
      { extra: { sub: 'x' } }, { extra: { doc: 'x' } },
      { extra: { lot: 'x'.repeat(257) } }, { extra: { lot: 'a\ud800' } },
      ...[{ n: 1 }, [1], null, undefined, Number.NaN, Number.POSITIVE_INFINITY, 10n].map((v) => ({ extra: { lot: v } as never })),
      { extra: 'dose=3' as never },
      { vct: '' }, { st: 'x'.repeat(257) }, { sub: '\udc00' }, { name: 'a\ud800' }, { doc: 7 as never },
      { validitySeconds: 0 }, { validitySeconds: 1.5 }, { notBefore: new Date(Number.NaN) }, { notBefore: new Date(-1000) },
    ];
    for (const over of refused) expect(sign(over)).toThrow(expect.objectContaining({ code: 'INVALID_CLAIMS' }));
  });
  test('a payload past 2,048 bytes is CREDENTIAL_TOO_LARGE, with its size', () => {
    const extra = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, 'x'.repeat(256)]));
    expect(sign({ extra })).toThrow(expect.objectContaining({ code: 'CREDENTIAL_TOO_LARGE', details: { payloadBytes: expect.any(Number), limit: MAX_PAYLOAD_BYTES } }));
  });
  test('kid: at most 64 bytes of UTF-8 and a header within 256 bytes', () => {
    expect(() => newCredentialSigner({ issuerId: 'gd-hcc', kid: 'k'.repeat(65), alg: 'ES256', privateJwk })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => newCredentialSigner({ issuerId: 'gd-hcc', kid: '\u0001'.repeat(40), alg: 'ES256', privateJwk })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => newCredentialSigner({ issuerId: 'x'.repeat(257), kid: 'k1', alg: 'ES256', privateJwk })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
  test('property: whatever the signer returns decodes in a QR of any batch of up to 65,536 leaves', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 256, unit: 'binary' }), fc.string({ maxLength: 256, unit: fc.constantFrom('\u0001', '"', '\\', '€', '😀') }),
      fc.double(), fc.integer(), fc.boolean(),
    );
    const extra = fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,31}$/), value, { maxKeys: MAX_EXTRA_CLAIMS });
    const kid = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);
    fc.assert(fc.property(kid, extra, fc.string({ maxLength: 200, unit: 'binary' }), (k, e, name) => {
      const s = newCredentialSigner({ issuerId: 'gd-health-code', kid: k, alg: 'ES256', privateJwk });
      let jws: string;
      try {
        jws = s.sign({ ...input, name: maskName(name), extra: e });
      } catch (err) {
        expect(['INVALID_CLAIMS', 'CREDENTIAL_TOO_LARGE']).toContain((err as HutongSdkError).code);
        return;
      }
      // The largest proof a batch of 65,536 leaves gives: 16 hashes, tree size and index of three varint bytes each.
      const qr = encodeQr({ jws, root: 'ab'.repeat(32), proof: { leafIndex: 65_535, treeSize: 65_536, path: Array.from({ length: 16 }, () => 'cd'.repeat(32)) } });
      expect(qr.length).toBeLessThanOrEqual(MAX_QR_CHARS);
      expect(decodeFrame(qr).treeSize).toBe(65_536);
    }), { numRuns: 300, seed: 2026 });
  });
  // Why it always fits: DEFLATE adds at most 5 bytes per stored block, so 2,048 payload bytes and a compact header
  // (3 + 64 bytes) deflate to at most 2,125 bytes; with the largest proof section (64 + 3 + 3 + 8 + 1 + 16 × 32) and
  // the frame (2-byte length, 2-byte CRC) that is 2,725 bytes, 4,092 characters with the prefix: under 4,296.
  test('a payload near the limit, of poorly compressible text, fits a QR of a 65,536-leaf batch', () => {
    const noise = (n: number) => { const r = randomBytes(2 * n); return String.fromCodePoint(...Array.from({ length: n }, (_, i) => 0x80 + (r.readUInt16BE(2 * i) % 0x780))); };
    const extra = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, noise(110)]));
    const jws = signer.sign({ ...input, extra });
    const payloadBytes = Buffer.from(jws.split('.')[1]!, 'base64url').length;
    expect(payloadBytes).toBeGreaterThan(MAX_PAYLOAD_BYTES - 100);
    const qr = encodeQr({ jws, root: 'ab'.repeat(32), proof: { leafIndex: 65_535, treeSize: 65_536, path: Array.from({ length: 16 }, () => 'cd'.repeat(32)) } });
    expect(qr.length).toBeLessThanOrEqual(MAX_QR_CHARS);
    expect(decodeFrame(qr).treeSize).toBe(65_536);
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
    // Lifetimes differ: the anchor's notAfter is the latest exp of the batch (here the second credential's).
    const jws = [1, 4, 2, 3].map((h) => signer.sign({ ...input, validitySeconds: h * 3600 }));
    const expOf = (j: string) => (JSON.parse(Buffer.from(j.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    const out = await Promise.all(jws.map((j) => b.add(j)));
    const notAfter = new Date(expOf(jws[1]!) * 1000).toISOString();
    expect(Math.max(...jws.map(expOf)) * 1000).toBe(Date.parse(notAfter));
    expect(calls).toEqual([{ root: merkleRoot(jws.map(leafHashOf)), leafCount: 4, kid: 'k1', issuerId: 'gd-hcc', notAfter }]);
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
  test('an injected QR encoder gets the batch in order, before the anchor; its texts are used when they decode to the credential', async () => {
    const events: string[] = [];
    const encode = async (items: ReadonlyArray<{ jws: string; root: string; proof: { leafIndex: number; treeSize: number; path: string[] } }>) => {
      events.push(`encode:${items.map((i) => i.jws).join(',')}`);
      return items.map((i) => `${encodeQr(i)}`);
    };
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 3, maxDelayMs: 60_000, anchor: async (a) => { events.push('anchor'); return okAnchor(a); }, encode });
    const jws = [0, 1, 2].map(() => signer.sign(input));
    const out = await Promise.all(jws.map((j) => b.add(j)));
    expect(events).toEqual([`encode:${jws.join(',')}`, 'anchor']);
    out.forEach((c, i) => expect(c.qr).toBe(encodeQr({ jws: jws[i]!, root: c.root, proof: c.proof })));
  });
  test('an encoder that fails, returns too few, garbage or another credential’s text fails no credential: the batcher encodes again', async () => {
    const swapped = async (items: ReadonlyArray<{ jws: string; root: string; proof: { leafIndex: number; treeSize: number; path: string[] } }>) => items.map((i) => encodeQr(i)).reverse();
    for (const bad of [async () => { throw new Error('worker died'); }, async () => ['only-one'], async () => ['HT1:AAAA', 42, null], swapped]) {
      const anchors: unknown[] = [];
      const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 3, maxDelayMs: 60_000, anchor: async (a) => { anchors.push(a); return okAnchor(a); }, encode: bad as never });
      const jws = [0, 1, 2].map(() => signer.sign(input));
      const out = await Promise.all(jws.map((j) => b.add(j)));
      expect(anchors).toHaveLength(1);
      for (const [i, c] of out.entries()) expect((await decodeQr(c.qr)).jws).toBe(jws[i]);
    }
  });
  test('a credential the SDK decoder would refuse is rejected alone before the anchor; the root is built without it', async () => {
    const anchors: Array<{ root: string; leafCount: number }> = [];
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 4, maxDelayMs: 60_000, anchor: async (a) => { anchors.push(a); return okAnchor(a); } });
    const header = { alg: 'ES256', kid: 'k1', typ: 'hutong-vc+jws;v=1' };
    const claims = { iss: 'gd-hcc', jti: 'AAECAwQFBgcICQoLDA0ODw', iat: 1, nbf: 1, exp: 2 ** 40, vct: 'health-code', st: 'green', sub: 'x'.repeat(22) };
    // Signed elsewhere (an HSM, say): a duplicate member name, which JSON.parse accepts and the SDK's parser refuses.
    const duplicate = signRaw(header, JSON.stringify(claims).replace('"st":"green"', '"st":"red","st":"green"'), privateJwk);
    const nested = signRaw(header, { ...claims, deep: [[[[[[[[[1]]]]]]]]] }, privateJwk);
    const good = [signer.sign(input), signer.sign(input)];
    const settled = await Promise.allSettled([good[0]!, duplicate, nested, good[1]!].map((j) => b.add(j)));
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_CLAIMS', details: { reason: 'DECODE_DUPLICATE_KEY' } });
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_CLAIMS', details: { reason: 'DECODE_JSON' } });
    expect(anchors).toEqual([expect.objectContaining({ root: merkleRoot(good.map(leafHashOf)), leafCount: 2 })]);
    for (const [i, r] of settled.filter((x) => x.status === 'fulfilled').entries()) {
      const c = (r as PromiseFulfilledResult<{ qr: string; proof: unknown }>).value;
      expect(c.proof).toEqual(inclusionProof(good.map(leafHashOf), i));
      expect((await decodeQr(c.qr)).jws).toBe(good[i]);
    }
  });
  test('a header or payload past the protocol limits is refused when added, alone', async () => {
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 2, maxDelayMs: 60_000, anchor: okAnchor });
    const header = { alg: 'ES256', kid: 'k1', typ: 'hutong-vc+jws;v=1' };
    const big = signRaw(header, { iss: 'gd-hcc', pad: 'x'.repeat(MAX_PAYLOAD_BYTES) }, privateJwk);
    const wide = signRaw({ ...header, pad: 'x'.repeat(300) }, { iss: 'gd-hcc' }, privateJwk);
    await expect(b.add(big)).rejects.toMatchObject({ code: 'CREDENTIAL_TOO_LARGE', details: { payloadBytes: expect.any(Number) } });
    await expect(b.add(wide)).rejects.toMatchObject({ code: 'CREDENTIAL_TOO_LARGE' });
    expect(b.pending).toBe(0);
    await expect(Promise.all([b.add(signer.sign(input)), b.add(signer.sign(input))])).resolves.toHaveLength(2);
  });
  test('a receipt-less anchor does not claim the batch was not anchored', async () => {
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 1, maxDelayMs: 60_000, anchor: async () => ({}) as never });
    const jws = signer.sign(input);
    const e = await b.add(jws).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ANCHOR_FAILED', details: { root: leafHashOf(jws) } });
    expect((e as Error).message).not.toMatch(/not anchored/);
  });
  test('impliedRoot recomputes the batch root from each decoded proof; a wrong shape gives undefined', async () => {
    const b = newBatcher({ issuerId: 'gd-hcc', kid: 'k1', maxLeaves: 5, maxDelayMs: 60_000, anchor: okAnchor });
    const out = await Promise.all([0, 1, 2, 3, 4].map(() => b.add(signer.sign(input))));
    for (const c of out) {
      expect(impliedRootOfLeaf(c.leafHash, c.proof)).toBe(c.root);
      expect(impliedRootOfLeaf(c.leafHash, { ...c.proof, leafIndex: (c.proof.leafIndex + 1) % 5 })).not.toBe(c.root);
      expect(impliedRootOfLeaf(c.leafHash.toUpperCase(), c.proof)).toBeUndefined();
      expect(impliedRootOfLeaf(c.leafHash, { ...c.proof, path: [...c.proof.path, 'ab'.repeat(32)] })).toBeUndefined();
      expect(impliedRootOfLeaf(c.leafHash, { ...c.proof, leafIndex: -1 })).toBeUndefined();
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
