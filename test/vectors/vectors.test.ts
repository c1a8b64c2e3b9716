// Frozen verification vectors (test/vectors/verification-v1.json): every reason code, on both backends.
// Regenerate with HUTONG_WRITE_VECTORS=1 npx jest test/vectors (only when the format version changes).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { verify, REASON_CODES, type TrustSnapshot } from '@hutong/verifier-sdk';
import { createVerifierApi } from '../../verifier-sdk/src/verifier';
import { newNodeBackend } from '../../verifier-sdk/src/lib/node-backend';
import { newWebBackend } from '../../verifier-sdk/src/lib/web-backend';
import { buildCases, type VectorCase } from '../../verifier-sdk/test/cases';

const FILE = join(__dirname, 'verification-v1.json');
interface VectorFile { description: string; base: TrustSnapshot; cases: VectorCase[] }

beforeAll(async () => {
  if (process.env.HUTONG_WRITE_VECTORS === '1' || !existsSync(FILE)) {
    const { base, cases } = await buildCases();
    const file: VectorFile = {
      description: 'hutong credential QR verification vectors, format HT1 / hutong-vc+jws;v=1. Each case: verify(qr, { trust: case.trust ?? base, jurisdiction, now }) must give expected.',
      base, cases,
    };
    writeFileSync(FILE, `${JSON.stringify(file, null, 1)}\n`);
  }
});

const load = (): VectorFile => JSON.parse(readFileSync(FILE, 'utf8')) as VectorFile;

test('vectors cover every reason code', () => {
  const covered = new Set(load().cases.map((c) => c.expected.reason));
  expect(REASON_CODES.filter((r) => !covered.has(r))).toEqual([]);
});

const node = createVerifierApi(newNodeBackend());
// '@hutong/verifier-sdk' resolves to the Node build here; the browser build's backend is tested by name, once with
// WebCrypto's Ed25519 and once with the @noble/curves path of a browser whose WebCrypto lacks it.
const web = createVerifierApi(newWebBackend());
const webNoble = createVerifierApi(newWebBackend({ ed25519: 'noble' }));
test.each([
  ['package (Node build)', verify], ['node backend', node.verify], ['web backend (WebCrypto Ed25519)', web.verify],
  ['web backend (@noble/curves Ed25519)', webNoble.verify],
])('%s gives the expected result for every vector', async (_, fn) => {
  for (const c of load().cases) {
    const r = await fn(c.qr, { trust: c.trust ?? load().base, jurisdiction: c.jurisdiction, now: new Date(c.now) });
    expect({ name: c.name, decision: r.decision, reason: r.reason }).toEqual({ name: c.name, ...c.expected });
  }
});

test('the worked example of docs/protocol.md decodes to its parts and verifies', async () => {
  const ex = JSON.parse(readFileSync(join(__dirname, 'worked-example.json'), 'utf8'));
  const { decodeQr } = await import('@hutong/verifier-sdk');
  const { leafHashOf, merkleRoot } = await import('@hutong/verifier-sdk/issuer');
  const d = await decodeQr(ex.qr);
  expect(d.jws).toBe(ex.jws);
  expect(d.signingInput).toBe(ex.signingInput);
  expect(d.proof).toEqual({ leafIndex: 2, treeSize: 3, path: ex.proof.path.map((h: string) => Buffer.from(h, 'hex')) });
  expect(d.rootTag).toBe(ex.root.slice(0, 16));
  expect(leafHashOf(ex.jws)).toBe(ex.leafHash);
  expect(merkleRoot([...ex.otherLeaves, ex.leafHash])).toBe(ex.root);
  for (const fn of [verify, node.verify]) {
    expect(await fn(ex.qr, { trust: ex.trust, jurisdiction: 'MacauMSP', now: new Date(ex.now) })).toEqual(ex.result);
  }
});

test('the preset dictionary printed in docs/protocol.md §5.2.1 is the one the SDK uses, with the SHA-256 given there', async () => {
  const { QR_DICTIONARY, QR_DICTIONARY_TEXT } = await import('../../verifier-sdk/src/lib/qr-dictionary');
  const { createHash } = await import('node:crypto');
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'protocol.md'), 'utf8');
  const section = doc.slice(doc.indexOf('#### 5.2.1 Preset dictionary'));
  const block = /```\n([\s\S]*?)\n```/.exec(section)![1]!;
  expect(block.replace(/\n/g, '')).toBe(QR_DICTIONARY_TEXT);
  expect(QR_DICTIONARY.length).toBe(291);
  expect(section).toContain(`SHA-256 \`${createHash('sha256').update(QR_DICTIONARY).digest('hex')}\``);
});
