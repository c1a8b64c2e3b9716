// Frozen trust pack vectors (test/vectors/trust-pack-v1.json, docs/protocol.md §6.1): a worked example byte by byte,
// a full pack with credentials verified against it, a delta on it, and packs a decoder must refuse.
// Regenerate with HUTONG_WRITE_VECTORS=1 npx jest test/vectors (only when the format version changes).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeTrustPack, indexTrust, newVerifierOnIndex, openTrustPack, putAnchor, putRevocation, trustStateDigest, type SnapshotRevocation,
  type TrustSnapshot,
} from '@hutong/verifier-sdk';
import { ISSUER_ID, NOW, newScenario } from '../../verifier-sdk/test/fixtures';

const FILE = join(__dirname, 'trust-pack-v1.json');
const J = 'MacauMSP';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

interface Row { offset: number; hex: string; meaning: string }
interface VectorFile {
  description: string;
  example: { state: TrustSnapshot; sequence: number; packHex: string; stateDigest: string; bytes: Row[] };
  full: { state: TrustSnapshot; sequence: number; packHex: string; stateDigest: string; verifications: Array<{ qr: string; now: string; reason: string }> };
  delta: { baseSequence: number; sequence: number; state: TrustSnapshot; changes: { anchors: string[]; revocations: string[] }; packHex: string; stateDigest: string };
  invalid: Array<{ name: string; packHex: string; onFullOfSequence?: number; check: string }>;
}

/** The bytes of a pack, field by field (the layout of docs/protocol.md §6.1), for the worked example. */
function annotate(pack: Uint8Array): Row[] {
  const rows: Row[] = [];
  let at = 0;
  const take = (n: number, meaning: string) => {
    rows.push({ offset: at, hex: hex(pack.subarray(at, at + n)), meaning });
    at += n;
  };
  const varint = (meaning: string): number => {
    let v = 0, scale = 1, n = 0;
    for (;;) {
      const b = pack[at + n++]!;
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) break;
    }
    take(n, `${meaning} = ${v}`);
    return v;
  };
  take(4, 'magic "HTPK"');
  take(1, 'version 1');
  const kind = pack[at]!;
  take(1, `kind ${kind === 0 ? 'full' : 'delta'}`);
  varint('sequence');
  if (kind === 1) varint('baseSequence');
  varint('generatedAt (ms)');
  const jsonLen = varint('JSON section length');
  take(jsonLen, `JSON section: ${Buffer.from(pack.subarray(at, at + jsonLen)).toString('utf8')}`);
  const refs = varint('key table entries');
  for (let k = 0; k < refs; k++) {
    const a = varint(`  [${k}] issuerId length`);
    take(a, `  [${k}] issuerId "${Buffer.from(pack.subarray(at, at + a)).toString('utf8')}"`);
    const b = varint(`  [${k}] kid length`);
    take(b, `  [${k}] kid "${Buffer.from(pack.subarray(at, at + b)).toString('utf8')}"`);
  }
  const anchors = varint('anchors');
  for (let k = 0; k < anchors; k++) {
    take(20, `  anchor ${k}: root prefix (first 20 bytes of the root)`);
    const flag = varint(`  anchor ${k}: keyRef·2 + hasBlock`);
    varint(`  anchor ${k}: leafCount`);
    varint(`  anchor ${k}: anchoredAt − previous anchoredAt (ms)`);
    varint(`  anchor ${k}: notAfter seconds after anchoredAt's second (0 = none)`);
    if (flag % 2 === 1) varint(`  anchor ${k}: zigzag(blockNumber − previous blockNumber)`);
  }
  const groups = varint('revocation groups');
  for (let g = 0; g < groups; g++) {
    varint(`  group ${g}: anchor position − previous position − 1`);
    const n = varint(`  group ${g}: revocations`);
    for (let k = 0; k < n; k++) {
      varint(`    (leafIndex gap)·8 + reason code`);
      varint(`    revokedAt − anchoredAt (whole minutes)`);
    }
  }
  take(32, 'stateDigest: SHA-256("hutong/trust-pack-state/v1" 0x00 ‖ body of the full pack of the state)');
  return rows;
}

const rev = (issuerId: string, root: string, leafIndex: number, reason: string, revokedAt: string, leafHash = 'ab'.repeat(32)): SnapshotRevocation =>
  ({ issuerId, leafHash, reason, revokedAt, root, leafIndex });

async function build(): Promise<VectorFile> {
  // The worked example: no issuer records, two anchors, three revocations.
  const r1 = '11'.repeat(32), r2 = '22'.repeat(32);
  const exampleState: TrustSnapshot = {
    version: 1, jurisdiction: J, generatedAt: '2026-11-26T08:00:00.000Z', issuers: [], keys: [], policies: [],
    anchors: [
      { root: r1, issuerId: 'gd', kid: 'k1', leafCount: 4096, anchoredAt: '2026-11-26T07:00:00.000Z', txId: 'tx1', blockNumber: 1000, notAfter: '2026-11-27T07:00:00.000Z' },
      { root: r2, issuerId: 'gd', kid: 'k1', leafCount: 3, anchoredAt: '2026-11-26T07:00:02.500Z', txId: 'tx2', blockNumber: 1001 },
    ],
    revocations: [
      rev('gd', r1, 5, 'status-change', '2026-11-26T07:10:59.999Z', 'cd'.repeat(32)),
      rev('gd', r1, 300, 'fraud', '2026-11-26T07:30:00.000Z', 'ce'.repeat(32)),
      rev('gd', r2, 2, 'superseded', '2026-11-26T07:00:03.000Z', 'cf'.repeat(32)),
    ],
  };
  const examplePack = encodeTrustPack(indexTrust(exampleState), { jurisdiction: J, sequence: 1001 });

  // A full pack with real credentials: a batch of 5 (two revoked) and a single one.
  const s = newScenario();
  const batch = await s.issue('ES256', 5);
  const single = await s.issue('EdDSA', 1);
  const state = s.snapshot({ generatedAt: '2026-11-26T07:30:00.000Z' });
  (state.revocations as SnapshotRevocation[]).push(
    rev(ISSUER_ID, batch[1]!.root, batch[1]!.proof.leafIndex, 'status-change', '2026-11-26T07:10:31.250Z', batch[1]!.leafHash),
    rev(ISSUER_ID, batch[3]!.root, batch[3]!.proof.leafIndex, 'fraud', '2026-11-26T07:20:00.000Z', batch[3]!.leafHash),
  );
  const full = encodeTrustPack(indexTrust(state), { jurisdiction: J, sequence: 104 });
  const fullIndex = openTrustPack(full, { jurisdiction: J }).index;
  const verifications = [];
  for (const c of [...batch, ...single]) {
    const r = await newVerifierOnIndex(fullIndex, { jurisdiction: J }).verify(c.qr, { now: NOW });
    verifications.push({ qr: c.qr, now: NOW.toISOString(), reason: r.reason });
  }

  // A delta: one more batch of 2, one of its credentials and one of the first batch revoked.
  const later = await s.issue('ES256', 2);
  const gateway = indexTrust(state);
  const newAnchor = s.trust.anchors[s.trust.anchors.length - 1]!;
  putAnchor(gateway, newAnchor);
  const revs = [
    rev(ISSUER_ID, later[0]!.root, later[0]!.proof.leafIndex, 'superseded', '2026-11-26T07:40:00.000Z', later[0]!.leafHash),
    rev(ISSUER_ID, batch[0]!.root, batch[0]!.proof.leafIndex, 'other', '2026-11-26T07:41:00.000Z', batch[0]!.leafHash),
  ];
  for (const r of revs) putRevocation(gateway, r);
  gateway.generatedAtMs = Date.parse('2026-11-26T07:45:00.000Z');
  const delta = encodeTrustPack(gateway, { jurisdiction: J, sequence: 107, delta: { baseSequence: 104, changes: { anchors: [newAnchor], revocations: revs } } });
  const deltaState: TrustSnapshot = { ...state, generatedAt: '2026-11-26T07:45:00.000Z', anchors: [...state.anchors, newAnchor], revocations: [...state.revocations, ...revs] };

  const flip = (b: Uint8Array, at: number) => { const c = b.slice(); c[at]! ^= 1; return hex(c); };
  return {
    description: 'hutong trust pack vectors, format HTPK version 1 (docs/protocol.md §6.1). example: a pack byte by byte. full: '
      + 'openTrustPack(packHex) must give stateDigest, encodeTrustPack(indexTrust(state), { jurisdiction: "MacauMSP", sequence }) must give packHex, '
      + 'and each QR verified at `now` against the opened index must give `reason`. delta: applied to the full pack (sequence = baseSequence) it '
      + 'must reach stateDigest, which is also the digest of the full pack of `state`. invalid: each must be refused with SNAPSHOT_INVALID and details.check.',
    example: { state: exampleState, sequence: 1001, packHex: hex(examplePack), stateDigest: hex(examplePack.subarray(examplePack.length - 32)), bytes: annotate(examplePack) },
    full: { state, sequence: 104, packHex: hex(full), stateDigest: hex(full.subarray(full.length - 32)), verifications },
    delta: {
      baseSequence: 104, sequence: 107, state: deltaState, changes: { anchors: [newAnchor.root], revocations: revs.map((r) => r.leafHash) },
      packHex: hex(delta), stateDigest: hex(delta.subarray(delta.length - 32)),
    },
    invalid: [
      { name: 'a changed anchor byte (the state digest no longer matches)', packHex: flip(full, full.length - 60), check: 'DIGEST_MISMATCH' },
      { name: 'a changed digest byte', packHex: flip(full, full.length - 1), check: 'DIGEST_MISMATCH' },
      { name: 'another magic', packHex: flip(full, 0), check: 'FORMAT' },
      { name: 'version 2', packHex: hex(Uint8Array.from([...full.subarray(0, 4), 2, ...full.subarray(5)])), check: 'FORMAT' },
      { name: 'a trailing byte', packHex: hex(Uint8Array.from([...full, 0])), check: 'FORMAT' },
      { name: 'the delta without its base', packHex: hex(delta), check: 'BASE_MISMATCH' },
      { name: 'the delta on another sequence', packHex: hex(delta), onFullOfSequence: 103, check: 'BASE_MISMATCH' },
      { name: 'JSON section length above 4 MiB', packHex: hex(Uint8Array.from([...full.subarray(0, 13), 0x81, 0x80, 0x80, 0x02, ...new Array(32).fill(0)])), check: 'BOUND' },
    ],
  };
}

beforeAll(async () => {
  if (process.env.HUTONG_WRITE_VECTORS === '1' || !existsSync(FILE)) writeFileSync(FILE, `${JSON.stringify(await build(), null, 1)}\n`);
});
const load = (): VectorFile => JSON.parse(readFileSync(FILE, 'utf8')) as VectorFile;

test('the worked example: encoding its state gives its bytes, and they open to its digest', () => {
  const { example } = load();
  expect(hex(encodeTrustPack(indexTrust(example.state), { jurisdiction: J, sequence: example.sequence }))).toBe(example.packHex);
  expect(example.bytes.map((r) => r.hex).join('')).toBe(example.packHex);
  const opened = openTrustPack(bytes(example.packHex), { jurisdiction: J });
  expect(opened.stateDigest).toBe(example.stateDigest);
  expect(trustStateDigest(indexTrust(example.state), J)).toBe(example.stateDigest);
  // The revocation of leaf 5 at 07:10:59.999 is carried as 10 whole minutes after the anchoring time.
  const revoked = opened.index.anchorsByPrefix.get('11'.repeat(20))!.revoked!;
  expect([...revoked.keys()]).toEqual([5, 300]);
  expect(revoked.get(5)).toMatchObject({ reason: 'status-change', revokedAt: '2026-11-26T07:10:00.000Z' });
});

test('the full pack: its bytes from its state, its digest, and the decisions of its credentials', async () => {
  const { full } = load();
  expect(hex(encodeTrustPack(indexTrust(full.state), { jurisdiction: J, sequence: full.sequence }))).toBe(full.packHex);
  const opened = openTrustPack(bytes(full.packHex), { jurisdiction: J });
  expect(opened.stateDigest).toBe(full.stateDigest);
  for (const v of full.verifications) {
    const r = await newVerifierOnIndex(opened.index, { jurisdiction: J }).verify(v.qr, { now: new Date(v.now) });
    expect(r.reason).toBe(v.reason);
  }
  expect(full.verifications.map((v) => v.reason).sort()).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'CREDENTIAL_REVOKED', 'CREDENTIAL_REVOKED']);
});

test('the delta on the full pack reaches the digest of its state', () => {
  const { full, delta } = load();
  const base = openTrustPack(bytes(full.packHex), { jurisdiction: J });
  const next = openTrustPack(bytes(delta.packHex), { jurisdiction: J, base: { index: base.index, sequence: delta.baseSequence } });
  expect(next.stateDigest).toBe(delta.stateDigest);
  expect(trustStateDigest(indexTrust(delta.state), J)).toBe(delta.stateDigest);
});

test('every invalid pack is refused with its check', () => {
  const { full, invalid } = load();
  const base = openTrustPack(bytes(full.packHex), { jurisdiction: J });
  for (const c of invalid) {
    let got: unknown = 'opened';
    try {
      openTrustPack(bytes(c.packHex), { jurisdiction: J, ...(c.onFullOfSequence !== undefined ? { base: { index: base.index, sequence: c.onFullOfSequence } } : {}) });
    } catch (e) {
      got = { code: (e as { code?: string }).code, check: (e as { details?: { check?: string } }).details?.check };
    }
    expect({ name: c.name, got }).toEqual({ name: c.name, got: { code: 'SNAPSHOT_INVALID', check: c.check } });
  }
});
