/**
 * The embedded dev ledger through its public API (`newEmbeddedLedger` → `LedgerBackend`), with real bootstrap data
 * run through the domain core: hash-chained blocks, block cutting, history, composite-key pagination, the
 * evaluate/submit boundary, atomicity of failed transactions, identities, tamper detection and a rate print.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { compositeKey, partialKeyRange } from '@hutong/chaincode/domain';
import type { Anchor, Consortium, HistoryEntry, Issuer, Page } from '@hutong/chaincode/domain';
import { LedgerError } from '../src/index';
import type { Ledger, LedgerIdentity } from '../src/index';
import { newEmbeddedLedger } from '../src/embedded/index';
import type { EmbeddedLedgerBackend } from '../src/embedded/index';
import { toLedgerError } from '../src/embedded/embedded-ledger';
import { ChainStore } from '../src/embedded/chain-store';
import type { StoredBlock } from '../src/embedded/chain-store';
import { BlockOverlay, TxSimulation } from '../src/embedded/simulation';

const GD = 'GuangdongMSP';
const MO = 'MacauMSP';
const MEMBERS = [
  { mspId: GD, jurisdiction: 'guangdong' },
  { mspId: MO, jurisdiction: 'macau' },
];
const HOUR = 3600_000;
const hex = (): string => randomBytes(32).toString('hex');
const iso = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString();
const ecJwk = (): Record<string, unknown> =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hutong-embedded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dbFile = (name: string): string => join(dir, `${name}-${randomBytes(3).toString('hex')}.sqlite`);

async function expectLedgerError(call: Promise<unknown>, code: string): Promise<LedgerError> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LedgerError);
  expect((error as LedgerError).code).toBe(code);
  return error as LedgerError;
}

interface Bootstrapped {
  backend: EmbeddedLedgerBackend;
  as: (mspId: string, role: LedgerIdentity['role']) => Promise<Ledger>;
  issuerId: string;
  kid: string;
}

/** InitLedger as a Guangdong admin, then an active Guangdong issuer with an active key. */
async function bootstrap(options: { path?: string; blockCutMs?: number; maxBatch?: number } = {}): Promise<Bootstrapped> {
  const backend = newEmbeddedLedger({ path: options.path ?? ':memory:', ...options });
  const as = (mspId: string, role: LedgerIdentity['role']) => backend.connect({ mspId, role });
  const gd = await as(GD, 'admin');
  const mo = await as(MO, 'admin');
  await gd.submit('InitLedger', { members: MEMBERS });
  const issuerId = 'gd-health';
  const kid = 'k1';
  await gd.submit('ProposeIssuer', { issuerId, displayName: 'Guangdong health-code centre', credentialTypes: ['health-code'] });
  await mo.submit('ApproveIssuer', { issuerId });
  await gd.submit('ProposeIssuerKey', { issuerId, kid, jwk: ecJwk(), validFrom: iso(-HOUR), validUntil: iso(24 * HOUR) });
  await mo.submit('ApproveIssuerKey', { issuerId, kid });
  return { backend, as, issuerId, kid };
}

/** Header hash as specified in block-hash.ts, recomputed independently with node:crypto. */
function oracleHeaderHash(number: number, previousHash: string, dataHash: string): string {
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(number));
  return createHash('sha256').update(n).update(Buffer.from(previousHash, 'hex')).update(Buffer.from(dataHash, 'hex')).digest('hex');
}

describe('embedded ledger: blocks and the hash chain', () => {
  it('starts with a transaction-free genesis block and chains every block by header hash', async () => {
    const { backend, as } = await bootstrap();
    const l = await as(GD, 'client');
    const height = await l.height();
    expect(height).toBe(6); // genesis + InitLedger + 4 governance transactions, one block each when submitted in sequence
    const genesis = await l.getBlock(0);
    expect(genesis).toMatchObject({ number: 0, previousHash: '0'.repeat(64), transactions: [] });
    for (let n = 0; n < height; n++) {
      const block = await l.getBlock(n);
      expect(block.hash).toBe(oracleHeaderHash(n, block.previousHash, block.dataHash));
      if (n > 0) {
        expect(block.previousHash).toBe((await l.getBlock(n - 1)).hash);
        expect(block.transactions.length).toBeGreaterThan(0);
      }
    }
    expect(backend.verifyChain()).toMatchObject({ height, transactions: 5 });
    await expectLedgerError(l.getBlock(height), 'LEDGER_BLOCK_NOT_FOUND');
    await expectLedgerError(l.getBlock(-1), 'LEDGER_BLOCK_NOT_FOUND');
    await backend.close();
  });

  it('records txName, creator, endorsers and VALID for each transaction, findable by id', async () => {
    const { backend, as, issuerId } = await bootstrap();
    const mo = await as(MO, 'admin');
    const { evidence } = await mo.submit<Issuer>('ProposeIssuer', { issuerId: 'mo-ssm', displayName: 'Macau Health Bureau', credentialTypes: ['vaccination'] });
    expect(evidence.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.endorsedBy).toEqual([GD, MO]);
    const tx = await mo.getTransaction(evidence.txId);
    expect(tx).toEqual({
      txId: evidence.txId,
      txIndex: 0,
      blockNumber: evidence.blockNumber,
      txName: 'ProposeIssuer',
      creatorMsp: MO,
      endorsedBy: [GD, MO],
      timestamp: evidence.timestamp,
      validationCode: 'VALID',
    });
    const block = await mo.getBlock(evidence.blockNumber);
    expect(block.transactions).toEqual([{ ...tx, blockNumber: undefined }].map(({ blockNumber: _b, ...t }) => t));
    await expectLedgerError(mo.getTransaction('f'.repeat(64)), 'LEDGER_TX_NOT_FOUND');
    expect(issuerId).toBe('gd-health');
    await backend.close();
  });

  it('reports every consortium member as endorser, including a third organisation (endorsedBy = who would have had to endorse)', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:' });
    const hk = await backend.connect({ mspId: 'HongKongMSP', role: 'admin' });
    const { evidence } = await hk.submit('InitLedger', { members: [...MEMBERS, { mspId: 'HongKongMSP', jurisdiction: 'hong-kong' }] });
    expect(evidence.endorsedBy).toEqual([GD, 'HongKongMSP', MO]);
    const proposed = await hk.submit('ProposeIssuer', { issuerId: 'hk-dh', displayName: 'HK Department of Health', credentialTypes: ['vaccination'] });
    expect(proposed.evidence.endorsedBy).toEqual([GD, 'HongKongMSP', MO]);
    await backend.close();
  });

  it('cuts concurrent submissions into shared blocks, in submission order, at most maxBatch per block', async () => {
    const { backend, as, issuerId, kid } = await bootstrap({ blockCutMs: 20, maxBatch: 4 });
    const gd = await as(GD, 'client');
    const before = await gd.height();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => gd.submit<Anchor>('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 1 })),
    );
    const blocks = results.map((r) => r.evidence.blockNumber);
    expect(blocks).toEqual([before, before, before, before, before + 1, before + 1, before + 1, before + 1, before + 2, before + 2]);
    for (const [i, r] of results.entries()) expect((await gd.getTransaction(r.evidence.txId)).txIndex).toBe(i % 4);
    expect(await gd.height()).toBe(before + 3);
    expect(backend.verifyChain().height).toBe(before + 3);
    await backend.close();
  });

  it('keeps timestamps non-decreasing along the chain even when the wall clock steps back', async () => {
    const { backend, as, issuerId, kid } = await bootstrap();
    const gd = await as(GD, 'client');
    const first = await gd.submit<Anchor>('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 1 });
    const realNow = Date.now.bind(Date);
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - 10 * 60_000);
    try {
      const second = await gd.submit<Anchor>('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 1 });
      expect(second.evidence.timestamp >= first.evidence.timestamp).toBe(true);
      expect(second.result.anchoredAt).toBe(second.evidence.timestamp);
    } finally {
      spy.mockRestore();
    }
    const stamps: string[] = [];
    for (let n = 1; n < (await gd.height()); n++) for (const t of (await gd.getBlock(n)).transactions) stamps.push(t.timestamp);
    expect([...stamps].sort()).toEqual(stamps);
    await backend.close();
  });

  it('detects a tampered block or transaction on open, and tampered state by replay', async () => {
    const path = dbFile('tamper');
    const { backend, as, issuerId, kid } = await bootstrap({ path });
    await (await as(GD, 'client')).submit('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 3 });
    expect((await backend.verifyReplay()).height).toBe(7);
    await backend.close();

    const tamper = (sql: string): void => {
      const db = new Database(path);
      db.exec(sql);
      db.close();
    };
    // Rewrite what an earlier transaction did: its envelope no longer matches the block's dataHash.
    tamper("UPDATE transactions SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'health-code', 'health-kode') AS BLOB) WHERE block_number = 2");
    expect(() => newEmbeddedLedger({ path })).toThrow(expect.objectContaining({ code: 'LEDGER_UNAVAILABLE', message: expect.stringMatching(/block 2: dataHash/) }));
    tamper("UPDATE transactions SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'health-kode', 'health-code') AS BLOB) WHERE block_number = 2");
    expect(newEmbeddedLedger({ path }).verifyChain().height).toBe(7);
    // That open checked blocks 0-6 and recorded block 6: a later open checks block 6 and what follows it (a restart
    // costs what was written since), and verifyChain() — the auditor's check — still finds an older block changed.
    tamper("UPDATE transactions SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'health-code', 'health-kode') AS BLOB) WHERE block_number = 2");
    expect(() => newEmbeddedLedger({ path }).verifyChain()).toThrow(/block 2: dataHash/);
    tamper("UPDATE transactions SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'health-kode', 'health-code') AS BLOB) WHERE block_number = 2");

    // A world-state value changed behind the chain's back: the hash chain is intact, the replay is not.
    tamper("UPDATE state SET value = CAST(REPLACE(CAST(value AS TEXT), '\"leafCount\":3', '\"leafCount\":4') AS BLOB)");
    const reopened = newEmbeddedLedger({ path });
    expect(reopened.verifyChain().height).toBe(7);
    await expect(reopened.verifyReplay()).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE', message: expect.stringMatching(/world state/) });
    await reopened.close();

    tamper('DELETE FROM blocks WHERE number = 3');
    expect(() => newEmbeddedLedger({ path })).toThrow(expect.objectContaining({ code: 'LEDGER_UNAVAILABLE' }));
  });
});

describe('embedded ledger: transactions', () => {
  it('evaluate runs on committed state and cannot write', async () => {
    const { backend, as } = await bootstrap();
    const gd = await as(GD, 'admin');
    const digest = backend.stateDigest();
    const height = await gd.height();
    const error = await expectLedgerError(
      gd.evaluate('ProposeIssuer', { issuerId: 'gd-sneaky', displayName: 'x', credentialTypes: ['health-code'] }),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(/evaluate is read-only/);
    expect(backend.stateDigest()).toBe(digest);
    expect(await gd.height()).toBe(height);
    await expectLedgerError(gd.evaluate('GetIssuer', { issuerId: 'gd-sneaky' }), 'ISSUER_NOT_FOUND');
    // A domain rejection inside evaluate still surfaces as the domain's code.
    await expectLedgerError(gd.evaluate('ProposeIssuer', { issuerId: 'gd-health', displayName: 'x', credentialTypes: ['health-code'] }), 'ISSUER_EXISTS');
    await backend.close();
  });

  it('a failed transaction writes nothing, enters no block, and does not disturb its block neighbours', async () => {
    const { backend, as, issuerId, kid } = await bootstrap({ blockCutMs: 20 });
    const gd = await as(GD, 'client');
    const digest = backend.stateDigest();
    const height = await gd.height();
    const failed = await expectLedgerError(gd.submit('AnchorBatch', { issuerId, kid: 'no-such-key', root: hex(), leafCount: 1 }), 'KEY_NOT_FOUND');
    expect(failed.message).toMatch(/^\[KEY_NOT_FOUND\] /);
    expect(failed.details?.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(backend.stateDigest()).toBe(digest);
    expect(await gd.height()).toBe(height);
    await expectLedgerError(gd.getTransaction(failed.details!.txId!), 'LEDGER_TX_NOT_FOUND');

    const root = hex();
    const [ok1, bad, ok2] = await Promise.allSettled([
      gd.submit<Anchor>('AnchorBatch', { issuerId, kid, root, leafCount: 1 }),
      gd.submit<Anchor>('AnchorBatch', { issuerId, kid, root, leafCount: 2 }), // same root: ANCHOR_EXISTS against the first, same block
      gd.submit<Anchor>('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 3 }),
    ]);
    expect(ok1.status).toBe('fulfilled');
    expect(ok2.status).toBe('fulfilled');
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'ANCHOR_EXISTS' } });
    const block = await gd.getBlock(height);
    expect(block.transactions.map((t) => t.txIndex)).toEqual([0, 1]);
    expect((await gd.evaluate<Anchor>('GetAnchor', { root })).leafCount).toBe(1);
    await backend.verifyReplay();
    await backend.close();
  });

  it('never leaks a raw error: unserialisable input, unknown transactions, closed ledgers and internal failures are LedgerErrors', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:' });
    const gd = await backend.connect({ mspId: GD, role: 'admin' });
    await expectLedgerError(gd.submit('InitLedger', { members: [{ mspId: GD, jurisdiction: 10n }] }), 'INVALID_ARGUMENT');
    await expectLedgerError(gd.submit('NoSuchTx' as never, {}), 'UNKNOWN_TRANSACTION');
    await expectLedgerError(gd.evaluate('NoSuchTx' as never, {}), 'UNKNOWN_TRANSACTION');
    expect(toLedgerError(new RangeError('boom'))).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^\[INTERNAL\] .*boom/) });
    expect(toLedgerError(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }))).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    await expect(backend.connect({ mspId: GD, role: 'peer' as never })).rejects.toBeInstanceOf(LedgerError);
    await gd.close();
    await expectLedgerError(gd.evaluate('GetConsortium', {}), 'LEDGER_UNAVAILABLE');
    await backend.close();
    await expectLedgerError(backend.connect({ mspId: GD, role: 'admin' }), 'LEDGER_UNAVAILABLE');
  });

  it('passes the connection identity to the domain as ctx.client', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:' });
    const conn = (mspId: string, role: LedgerIdentity['role']) => backend.connect({ mspId, role });
    await expectLedgerError((await conn(GD, 'client')).submit('InitLedger', { members: MEMBERS }), 'ADMIN_REQUIRED');
    await expectLedgerError((await conn('OutsiderMSP', 'admin')).submit('InitLedger', { members: MEMBERS }), 'NOT_A_MEMBER');
    const mo = await conn(MO, 'admin');
    expect(mo.identity).toEqual({ mspId: MO, role: 'admin' });
    const init = await mo.submit<Consortium>('InitLedger', { members: MEMBERS });
    expect((await mo.getTransaction(init.evidence.txId)).creatorMsp).toBe(MO);
    const issuer = await mo.submit<Issuer>('ProposeIssuer', { issuerId: 'mo-ssm', displayName: 'Macau Health Bureau', credentialTypes: ['health-code'] });
    expect(issuer.result).toMatchObject({ ownerMsp: MO, jurisdiction: 'macau', approvals: { [MO]: issuer.evidence.timestamp } });
    await expectLedgerError((await conn(MO, 'client')).submit('ApproveIssuer', { issuerId: 'mo-ssm' }), 'ADMIN_REQUIRED');
    await expectLedgerError((await conn('OutsiderMSP', 'client')).evaluate('GetConsortium', {}), 'NOT_A_MEMBER');
    expect((await (await conn(GD, 'admin')).submit<Issuer>('ApproveIssuer', { issuerId: 'mo-ssm' })).result.state).toBe('active');
    await backend.close();
  });

  it('fails a submission with LEDGER_DEADLINE_EXCEEDED while it waits for its block, and never commits it', async () => {
    const { backend, as, issuerId, kid } = await bootstrap({ blockCutMs: 150 });
    const gd = await as(GD, 'client');
    const height = await gd.height();
    const root = hex();
    const late = gd.submit('AnchorBatch', { issuerId, kid, root, leafCount: 1 }, { deadlineMs: 5 });
    await expectLedgerError(late, 'LEDGER_DEADLINE_EXCEEDED');
    await new Promise((r) => setTimeout(r, 250));
    expect(await gd.height()).toBe(height);
    await expectLedgerError(gd.evaluate('GetAnchor', { root }), 'ANCHOR_NOT_FOUND');
    await backend.close();
  });

  it('close() commits what is queued, and the file reopens with it', async () => {
    const path = dbFile('close');
    const { backend: first, issuerId, kid } = await bootstrap({ path });
    await first.close();
    const backend = newEmbeddedLedger({ path, blockCutMs: 60_000 });
    const root = hex();
    const pending = (await backend.connect({ mspId: GD, role: 'client' })).submit('AnchorBatch', { issuerId, kid, root, leafCount: 9 });
    await backend.close();
    const { evidence } = await pending;
    const reopened = newEmbeddedLedger({ path });
    const gd = await reopened.connect({ mspId: GD, role: 'client' });
    expect((await gd.getTransaction(evidence.txId)).txName).toBe('AnchorBatch');
    expect((await gd.evaluate<Anchor>('GetAnchor', { root })).leafCount).toBe(9);
    await reopened.close();
  });
});

describe('embedded ledger: history', () => {
  it('returns every committed modification of a key, oldest first, with txId and timestamp — also within one block', async () => {
    const { backend, as, issuerId, kid } = await bootstrap({ blockCutMs: 20 });
    const gd = await as(GD, 'admin');
    const mo = await as(MO, 'client');
    // Suspend and resume submitted together: two versions of the issuer inside one block.
    const [suspended, resumed] = await Promise.all([
      gd.submit<Issuer>('SuspendIssuer', { issuerId, reason: 'compliance-review' }),
      gd.submit<Issuer>('ResumeIssuer', { issuerId }),
    ]);
    expect(suspended.evidence.blockNumber).toBe(resumed.evidence.blockNumber);
    const history = await mo.evaluate<HistoryEntry[]>('GetHistory', { record: 'issuer', issuerId });
    expect(history.map((h) => (h.value as Issuer).state)).toEqual(['proposed', 'active', 'suspended', 'proposed']);
    expect(history.slice(2).map((h) => [h.txId, h.timestamp])).toEqual([
      [suspended.evidence.txId, suspended.evidence.timestamp],
      [resumed.evidence.txId, resumed.evidence.timestamp],
    ]);
    for (const h of history) expect((await mo.getTransaction(h.txId)).timestamp).toBe(h.timestamp);
    expect(history.every((h) => !h.isDelete)).toBe(true);
    const keyHistory = await mo.evaluate<HistoryEntry[]>('GetHistory', { record: 'issuerKey', issuerId, kid });
    expect(keyHistory).toHaveLength(2);
    await expectLedgerError(mo.evaluate('GetHistory', { record: 'anchor', root: hex() }), 'RECORD_NOT_FOUND');
    await backend.close();
  });
});

describe('embedded ledger: composite keys and pagination', () => {
  it('lists issuers in byte order of their composite keys, page by page', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:' });
    const gd = await backend.connect({ mspId: GD, role: 'admin' });
    await gd.submit('InitLedger', { members: MEMBERS });
    // 'ab' < 'ab-x' because the U+0000 terminator of 'ab' sorts before '-'; '0' < 'a'.
    const ids = ['ab-x', 'b0', 'ab', 'a0', 'ab0', 'zz'];
    for (const issuerId of ids) await gd.submit('ProposeIssuer', { issuerId, displayName: issuerId, credentialTypes: ['health-code'] });
    const seen: string[] = [];
    const bookmarks: string[] = [];
    let bookmark = '';
    do {
      const page = await gd.evaluate<Page<Issuer>>('ListIssuers', { pageSize: 4, bookmark });
      seen.push(...page.items.map((i) => i.id));
      bookmark = page.bookmark;
      bookmarks.push(bookmark);
    } while (bookmark !== '');
    expect(seen).toEqual(['a0', 'ab', 'ab-x', 'ab0', 'b0', 'zz']);
    expect(bookmarks).toEqual([compositeKey('issuer', ['b0']), '']);
    const exact = await gd.evaluate<Page<Issuer>>('ListIssuers', { pageSize: 6 });
    expect(exact.bookmark).toBe('');
    await backend.close();
  });

  // Property: for any committed keys, pending writes and deletes of earlier transactions in the block and the
  // transaction's own writes, paging through a prefix returns exactly the live keys under it, in UTF-8 byte order.
  it('pages merge committed, block-pending and own writes in UTF-8 byte order (property)', async () => {
    const alphabet = ['a', 'b', '-', 'é', '\ue000', '\uffff', '😀', '\u{10000}', 'z'];
    const attr = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
    const keyArb = fc.tuple(fc.constantFrom('t', 'u'), fc.array(attr, { minLength: 1, maxLength: 3 }));
    const op = fc.record({ key: keyArb, layer: fc.constantFrom('committed', 'block', 'tx'), del: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), fc.option(attr, { nil: '' }), async (ops, pageSize, prefixAttr) => {
        const store = new ChainStore(':memory:');
        try {
          const model = new Map<string, string | null>();
          // A write set holds each key once (as TxSimulation builds it), so committed keys are deduplicated here.
          const committedKeys = [...new Set(ops.filter((o) => o.layer === 'committed' && !o.del).map((o) => compositeKey(o.key[0], o.key[1])))];
          store.commit({
            number: 1,
            previousHash: store.tipHash,
            dataHash: '0'.repeat(64),
            hash: '1'.repeat(64),
            transactions: [
              {
                txIndex: 0, txId: 't', txName: 'X', creatorMsp: GD, creatorRole: 'admin', endorsedBy: [], timestamp: iso(0),
                envelope: Buffer.from('{}'), event: null, keyEndorsements: [],
                writes: committedKeys.map((k) => ({ key: Buffer.from(k), value: Buffer.from('c') })),
              },
            ],
          });
          for (const k of committedKeys) model.set(k, 'c');
          const overlay = new BlockOverlay();
          const earlier = new TxSimulation(store, overlay);
          for (const o of ops.filter((x) => x.layer === 'block')) {
            const k = compositeKey(o.key[0], o.key[1]);
            if (o.del) await earlier.delete(k);
            else await earlier.put(k, Buffer.from('b'));
            model.set(k, o.del ? null : 'b');
          }
          overlay.apply(earlier, 'earlier', iso(0));
          const sim = new TxSimulation(store, overlay);
          for (const o of ops.filter((x) => x.layer === 'tx')) {
            const k = compositeKey(o.key[0], o.key[1]);
            if (o.del) await sim.delete(k);
            else await sim.put(k, Buffer.from('x'));
            model.set(k, o.del ? null : 'x');
          }
          const { start, end } = partialKeyRange('t', [prefixAttr].filter((a) => a !== ''));
          const inRange = (k: string) => Buffer.compare(Buffer.from(k), Buffer.from(start)) >= 0 && Buffer.compare(Buffer.from(k), Buffer.from(end)) < 0;
          const expected = [...model]
            .filter(([k, v]) => v !== null && inRange(k))
            .sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
          const got: Array<[string, string]> = [];
          let bookmark = '';
          let pages = 0;
          do {
            const page = await sim.getByPartialCompositeKey('t', [prefixAttr].filter((a) => a !== ''), pageSize, bookmark);
            expect(page.entries.length).toBeLessThanOrEqual(pageSize);
            if (page.bookmark !== '') expect(page.entries.length).toBe(pageSize);
            got.push(...page.entries.map((e): [string, string] => [e.key, Buffer.from(e.value).toString()]));
            bookmark = page.bookmark;
          } while (bookmark !== '' && ++pages < 100);
          expect(got).toEqual(expected);
        } finally {
          store.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a bookmark outside the queried prefix', async () => {
    const store = new ChainStore(':memory:');
    const sim = new TxSimulation(store, undefined);
    await expect(sim.getByPartialCompositeKey('issuer', [], 10, compositeKey('anchor', ['x']))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(sim.getByPartialCompositeKey('issuer', [], 0, '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    store.close();
  });

  it('refuses a block whose transaction writes one key twice, and writes nothing of it', () => {
    const store = new ChainStore(':memory:');
    const tip = store.tipHash;
    const key = Buffer.from(compositeKey('t', ['a']));
    const block = (writes: Array<{ key: Buffer; value: Buffer }>): StoredBlock => ({
      number: 1, previousHash: tip, dataHash: '0'.repeat(64), hash: '1'.repeat(64),
      transactions: [{
        txIndex: 0, txId: 'dup', txName: 'X', creatorMsp: GD, creatorRole: 'admin', endorsedBy: [], timestamp: iso(0),
        envelope: Buffer.from('{}'), event: null, keyEndorsements: [], writes,
      }],
    });
    expect(() => store.commit(block([{ key, value: Buffer.from('1') }, { key, value: Buffer.from('2') }]))).toThrow(/writes the same key twice/);
    expect(store.tipHash).toBe(tip);
    store.commit(block([{ key, value: Buffer.from('1') }]));
    expect(store.tipHash).toBe('1'.repeat(64));
    store.close();
  });
});

describe('embedded ledger: throughput (printed, not asserted)', () => {
  it('measures submits/s (concurrent and sequential, file-backed, synchronous=FULL) and evaluates/s', async () => {
    const path = dbFile('rate');
    const { backend, as, issuerId, kid } = await bootstrap({ path });
    const gd = await as(GD, 'client');
    const concurrent = 2000;
    let t0 = performance.now();
    const roots: string[] = [];
    for (let wave = 0; wave < concurrent / 500; wave++) {
      const batch = Array.from({ length: 500 }, () => hex());
      roots.push(...batch);
      await Promise.all(batch.map((root) => gd.submit('AnchorBatch', { issuerId, kid, root, leafCount: 4096 })));
    }
    const concurrentRate = concurrent / ((performance.now() - t0) / 1000);
    const sequential = 100;
    t0 = performance.now();
    for (let i = 0; i < sequential; i++) await gd.submit('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 1 });
    const sequentialRate = sequential / ((performance.now() - t0) / 1000);
    const cutNow = newEmbeddedLedger({ path: dbFile('rate0'), blockCutMs: 0 });
    const gdNow = await cutNow.connect({ mspId: GD, role: 'admin' });
    await gdNow.submit('InitLedger', { members: MEMBERS });
    t0 = performance.now();
    for (let i = 0; i < sequential; i++) await gdNow.submit('ProposeIssuer', { issuerId: `gd-${i}`, displayName: 'x', credentialTypes: ['health-code'] });
    const sequentialRateCutNow = sequential / ((performance.now() - t0) / 1000);
    await cutNow.close();
    const evaluates = 5000;
    t0 = performance.now();
    for (let i = 0; i < evaluates; i++) await gd.evaluate('GetAnchor', { root: roots[i % roots.length] });
    const evaluateRate = evaluates / ((performance.now() - t0) / 1000);
    const height = await gd.height();
    console.log(
      `embedded ledger: ${concurrentRate.toFixed(0)} submits/s (500 in flight), ${sequentialRate.toFixed(0)} submits/s (one at a time, blockCutMs 5), ` +
        `${sequentialRateCutNow.toFixed(0)} submits/s (one at a time, blockCutMs 0), ` +
        `${evaluateRate.toFixed(0)} evaluates/s; ${height} blocks`,
    );
    expect(height).toBeGreaterThan(6);
    await backend.close();
  }, 120_000);
});
