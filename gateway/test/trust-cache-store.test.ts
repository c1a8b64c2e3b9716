/**
 * The trust cache's SQLite store keeps the ledger's checkpoint shape (block number, optional transaction id), and
 * drops a checkpoint of the earlier (block number, transaction index) shape, after which the cache replays the
 * chain from block 0 and ends with every record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import { newTrustCache } from '../src/cache/trust-cache';
import { newTrustCacheStore } from '../src/cache/trust-cache-store';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hutong-cache-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An issuer record as the ledger writes it (a trust index refuses one missing a member of docs/protocol.md §6.1). */
const OLD_ISSUER = { id: 'gd-old', ownerMsp: 'GuangdongMSP', jurisdiction: 'guangdong', displayName: 'GD old', credentialTypes: ['health-code'], state: 'retired' };

/** A store file as gateways wrote it before checkpoints named transactions. */
function legacyStore(path: string, checkpoint: { blockNumber: number; txIndex: number }): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE record (type TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (type, key));
    CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL);
  `);
  db.prepare("INSERT INTO record (type, key, value) VALUES ('issuer', 'gd-old', ?)").run(JSON.stringify(OLD_ISSUER));
  db.prepare('INSERT INTO checkpoint (id, block_number, tx_index) VALUES (1, ?, ?)').run(checkpoint.blockNumber, checkpoint.txIndex);
  db.close();
}

test('stores a checkpoint with and without a transaction id, across reopen', async () => {
  const path = join(dir, 'roundtrip.sqlite');
  let store = newTrustCacheStore({ path });
  expect(store.load().checkpoint).toBeUndefined();
  await store.save([{ type: 'issuer', key: 'a', value: { id: 'a' } }], { blockNumber: 7, transactionId: 'ab'.repeat(32) });
  await store.close();
  store = newTrustCacheStore({ path });
  expect(store.load()).toEqual({ records: [{ type: 'issuer', key: 'a', value: { id: 'a' } }], checkpoint: { blockNumber: 7, transactionId: 'ab'.repeat(32) } });
  await store.save([], { blockNumber: 9 });
  expect(store.load().checkpoint).toEqual({ blockNumber: 9 });
  await store.save([], undefined); // records only (a cache-miss fill): the checkpoint stays
  expect(store.load().checkpoint).toEqual({ blockNumber: 9 });
  await store.close();
});

test('drops a checkpoint of the old (block, transaction index) shape and keeps the records', async () => {
  const path = join(dir, 'legacy.sqlite');
  legacyStore(path, { blockNumber: 3, txIndex: 0 });
  let store = newTrustCacheStore({ path });
  expect(store.load()).toEqual({ records: [{ type: 'issuer', key: 'gd-old', value: OLD_ISSUER }], checkpoint: undefined });
  await store.save([], { blockNumber: 4, transactionId: 'cd'.repeat(32) });
  await store.close();
  store = newTrustCacheStore({ path }); // migrated once: the new checkpoint survives the next open
  expect(store.load().checkpoint).toEqual({ blockNumber: 4, transactionId: 'cd'.repeat(32) });
  await store.close();
});

test('a trust cache over a migrated store replays from block 0 and catches up on every record', async () => {
  const backend = newEmbeddedLedger({ path: ':memory:' });
  const gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'admin' });
  const members = [{ mspId: 'GuangdongMSP', jurisdiction: 'guangdong' }, { mspId: 'MacauMSP', jurisdiction: 'macau' }];
  await gd.submit('InitLedger', { members }); // block 1
  await gd.submit('ProposeIssuer', { issuerId: 'gd-health', displayName: 'GD health', credentialTypes: ['health-code'] }); // block 2
  const last = await gd.submit('ProposeIssuer', { issuerId: 'gd-transport', displayName: 'GD transport', credentialTypes: ['health-code'] }); // block 3
  const path = join(dir, 'legacy-cache.sqlite');
  // Had the old checkpoint been kept as "from block 3", the consortium and gd-health would never arrive.
  legacyStore(path, { blockNumber: 3, txIndex: 0 });
  const cache = newTrustCache({ ledger: await backend.connect({ mspId: 'MacauMSP', role: 'client' }), store: newTrustCacheStore({ path }), logger: pino({ level: 'silent' }), heightPollMs: 1000, maxLagBlocks: 5 });
  await cache.start();
  try {
    await cache.waitUntil(() => cache.status().checkpoint?.transactionId === last.evidence.txId, 3000);
    expect(cache.status().checkpoint).toEqual({ blockNumber: last.evidence.blockNumber, transactionId: last.evidence.txId });
    expect(cache.consortium()?.members.map((m) => m.mspId)).toEqual(['GuangdongMSP', 'MacauMSP']);
    expect(cache.issuers().map((i) => i.id).sort()).toEqual(['gd-health', 'gd-old', 'gd-transport']);
  } finally {
    await cache.close();
    await backend.close();
  }
});

const anchorRecord = (root: string, notAfter?: string) => ({
  type: 'anchor', key: root,
  value: { root, issuerId: 'gd-hc', kid: 'k1', leafCount: 1, anchoredAt: '2026-11-30T00:00:00.000Z', txId: 't', ...(notAfter ? { notAfter } : {}) },
});

test('loads only the anchors and revocations live at the checkpoint’s ledger time, and deletes the others', async () => {
  const path = join(dir, 'live.sqlite');
  let store = newTrustCacheStore({ path });
  const dead = anchorRecord('d'.repeat(64), '2026-11-30T01:00:00.000Z'); // cut-off 01:10:00
  const live = anchorRecord('e'.repeat(64), '2026-11-30T01:00:00.001Z');
  const forever = anchorRecord('f'.repeat(64));
  await store.save([dead, live, forever, { type: 'issuer', key: 'gd-hc', value: { id: 'gd-hc' } }], { blockNumber: 5, transactionId: 'ab'.repeat(32) }, Date.parse('2026-11-30T01:10:00.000Z'));
  await store.close();
  store = newTrustCacheStore({ path });
  const loaded = store.load();
  expect(loaded.ledgerTimeMs).toBe(Date.parse('2026-11-30T01:10:00.000Z'));
  expect(loaded.records.map((r) => r.key).sort()).toEqual(['e'.repeat(64), 'f'.repeat(64), 'gd-hc']);
  // A checkpoint saved without a ledger time (a look-up's records) keeps the stored one.
  await store.save([], undefined);
  await store.save([], { blockNumber: 6 });
  await store.close();
  const db = new Database(path, { readonly: true });
  expect((db.prepare('SELECT key FROM record ORDER BY key').all() as Array<{ key: string }>).map((r) => r.key)).toEqual(['e'.repeat(64), 'f'.repeat(64), 'gd-hc']);
  expect(db.prepare('SELECT ledger_time_ms FROM checkpoint').get()).toEqual({ ledger_time_ms: Date.parse('2026-11-30T01:10:00.000Z') });
  db.close();
});

test('a file of an earlier version gains not_after (filled from stored records) and a checkpoint ledger time', async () => {
  const path = join(dir, 'pre-prune.sqlite');
  const db = new Database(path);
  db.exec(`
    CREATE TABLE record (type TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (type, key));
    CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_number INTEGER NOT NULL, transaction_id TEXT);
  `);
  const insert = db.prepare('INSERT INTO record (type, key, value) VALUES (?, ?, ?)');
  for (const r of [anchorRecord('a'.repeat(64), '2026-11-30T01:00:00.123Z'), anchorRecord('b'.repeat(64))]) insert.run(r.type, r.key, JSON.stringify(r.value));
  db.prepare('INSERT INTO checkpoint (id, block_number, transaction_id) VALUES (1, 3, NULL)').run();
  db.close();
  const store = newTrustCacheStore({ path });
  const loaded = store.load();
  expect(loaded).toMatchObject({ checkpoint: { blockNumber: 3 }, ledgerTimeMs: undefined });
  expect(loaded.records).toHaveLength(2); // no ledger time yet: nothing can be judged dead
  await store.deleteDead(Date.parse('2026-11-30T01:10:00.123Z'));
  await store.close();
  const after = new Database(path, { readonly: true });
  expect(after.prepare('SELECT key, not_after FROM record').all()).toEqual([{ key: 'b'.repeat(64), not_after: null }]);
  after.close();
});
