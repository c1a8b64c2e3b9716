/**
 * The trust cache holds live records only (docs/protocol.md §6 "Live records"): anchors and revocations leave the
 * index, the store and the workers' copies once their notAfter + 600 s has passed in *ledger* time — the timestamp
 * of the latest event applied. Here a scripted ledger delivers events hours apart in ledger time within milliseconds
 * of wall time (a simulation's compressed time), so only the ledger's clock can be what prunes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { EventCheckpoint, Ledger, LedgerEvent } from '@hutong/ledger';
import { newTrustIndex } from '@hutong/verifier-sdk';
import { newTrustCache, type TrustCache } from '../src/cache/trust-cache';
import { newTrustCacheStore } from '../src/cache/trust-cache-store';
import { putRecord, type StoredRecord, type TrustRecordsTarget } from '../src/cache/trust-records';
import { newGatewayMetrics, type GatewayMetrics } from '../src/metrics/gateway-metrics';

// In the past: the pruning clock never runs ahead of the time the cache was last known current (wall time).
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const H = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const root = (c: string): string => c.repeat(64);

/** A ledger whose events the test writes, each in a block of its own, at the ledger time it chooses. */
function scriptedLedger() {
  const events: LedgerEvent[] = [];
  const wake = new Set<() => void>();
  const ledger = {
    identity: { mspId: 'MacauMSP', role: 'client' },
    async height() { return events.length + 1; },
    async evaluate() { throw new Error('no look-ups in this test'); },
    events(after: EventCheckpoint | undefined, signal: AbortSignal) {
      return {
        async *[Symbol.asyncIterator]() {
          let next = after === undefined ? 1 : after.blockNumber + (after.transactionId ? 1 : 0);
          while (!signal.aborted) {
            while (next <= events.length) yield events[(next++) - 1]!;
            await new Promise<void>((r) => { wake.add(r); signal.addEventListener('abort', () => r(), { once: true }); });
          }
        },
      };
    },
  } as unknown as Ledger;
  return {
    ledger,
    /** Commits one transaction at ledger time `atMs` writing `records`; resolves with its block number. */
    write(atMs: number, records: Array<{ type: string; value: unknown }>): number {
      const blockNumber = events.length + 1;
      const txId = `${blockNumber}`.padStart(64, '0');
      events.push({ blockNumber, txId, name: 'Write', payload: { tx: 'Write', txId, timestamp: iso(atMs), records } });
      for (const w of [...wake]) w();
      wake.clear();
      return blockNumber;
    },
  };
}

const anchor = (r: string, anchoredAt: number, notAfter?: number) => ({
  type: 'anchor',
  value: { root: r, issuerId: 'gd-hc', kid: 'k1', leafCount: 4, anchoredAt: iso(anchoredAt), txId: `tx-${r.slice(0, 4)}`, anchoredBy: 'GuangdongMSP', ...(notAfter !== undefined ? { notAfter: iso(notAfter) } : {}) },
});
const revocation = (leaf: string, at: number, notAfter?: number) => ({
  type: 'revocation',
  value: { issuerId: 'gd-hc', leafHash: leaf, reason: 'status-change', revokedAt: iso(at), txId: `tx-r-${leaf.slice(0, 4)}`, root: root('a'), leafIndex: 1, ...(notAfter !== undefined ? { notAfter: iso(notAfter) } : {}) },
});

async function metric(metrics: GatewayMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const m = (await metrics.registry.getMetricsAsJSON()).find((x) => x.name === name);
  return m?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

async function open(path: string, ledger: Ledger, metrics: GatewayMetrics): Promise<TrustCache> {
  const cache = newTrustCache({ ledger, store: newTrustCacheStore({ path }), logger: pino({ level: 'silent' }), metrics, heightPollMs: 60_000, maxLagBlocks: 5 });
  await cache.start();
  return cache;
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'hutong-prune-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('anchors and revocations leave the index, the store and the workers at notAfter + 600 s of ledger time', async () => {
  const path = join(dir, 'cache.sqlite');
  const l = scriptedLedger();
  const metrics = newGatewayMetrics({ org: 'MacauMSP' });
  const cache = await open(path, l.ledger, metrics);
  const at = (block: number) => cache.waitUntil(() => (cache.status().checkpoint?.blockNumber ?? 0) >= block, 3000);
  try {
    l.write(T0, [anchor(root('a'), T0, T0 + H)]);
    l.write(T0, [anchor(root('b'), T0, T0 + 2 * H)]);
    l.write(T0, [anchor(root('c'), T0)]); // no notAfter: an older record, never pruned
    await at(l.write(T0, [revocation(root('1'), T0, T0 + H), revocation(root('2'), T0)]));
    expect(await metric(metrics, 'hutong_trust_cache_records', { type: 'anchor' })).toBe(3);
    expect(await metric(metrics, 'hutong_trust_cache_records', { type: 'revocation' })).toBe(2);
    const held = cache.version;

    // One millisecond before root a's cut-off (notAfter + 600 s) nothing goes.
    await at(l.write(T0 + H + 600_000 - 1, [anchor(root('d'), T0 + H, T0 + 5 * H)]));
    expect(cache.snapshot('MacauMSP').anchors.map((a) => a.root).sort()).toEqual([root('a'), root('b'), root('c'), root('d')]);
    expect(cache.status().ledgerTime).toBe(iso(T0 + H + 600_000 - 1));

    // At the cut-off: root a and revocation 1 go; b (an hour later), c and revocation 2 (no notAfter) stay.
    await at(l.write(T0 + H + 600_000, []));
    const snapshot = cache.snapshot('MacauMSP');
    expect(snapshot.anchors.map((a) => a.root).sort()).toEqual([root('b'), root('c'), root('d')]);
    expect(snapshot.revocations.map((r) => r.leafHash)).toEqual([root('2')]);
    expect(cache.anchor(root('a'))).toBeUndefined();
    expect(cache.revocation('gd-hc', root('1'))).toBeUndefined();
    expect(await metric(metrics, 'hutong_trust_cache_pruned_total', { type: 'anchor' })).toBe(1);
    expect(await metric(metrics, 'hutong_trust_cache_pruned_total', { type: 'revocation' })).toBe(1);
    expect(await metric(metrics, 'hutong_trust_cache_records', { type: 'anchor' })).toBe(3);
    expect(await metric(metrics, 'hutong_trust_cache_ledger_time_seconds')).toBe((T0 + H + 600_000) / 1000);

    // A worker that held the earlier version gets removal records and ends with the same index.
    const delta = cache.deltaSince(held, 'MacauMSP');
    if (!('records' in delta)) throw new Error('expected records');
    expect(delta.records.filter((r) => r.prunedAt !== undefined).map((r) => [r.type, r.key])).toEqual([['anchor', root('a')], ['revocation', `gd-hc/${root('1')}`]]);
    const worker: TrustRecordsTarget = { index: newTrustIndex(0) };
    const whole = cache.deltaSince(undefined, 'MacauMSP');
    if (!('snapshot' in whole)) throw new Error('expected a snapshot');
    const before: StoredRecord[] = [anchor(root('a'), T0, T0 + H), anchor(root('b'), T0, T0 + 2 * H), anchor(root('c'), T0), revocation(root('1'), T0, T0 + H), revocation(root('2'), T0)]
      .map((r) => ({ ...r, key: r.type === 'anchor' ? (r.value as { root: string }).root : `gd-hc/${(r.value as { leafHash: string }).leafHash}` }));
    for (const r of [...before, ...delta.records]) putRecord(worker, r);
    expect([...worker.index.anchors.keys()].sort()).toEqual([...cache.index.anchors.keys()].sort());
    expect([...worker.index.revokedByIssuer.get('gd-hc')!.keys()]).toEqual([root('2')]);

    // A record already dead when it arrives (a replay, an old root) is neither held nor stored.
    await at(l.write(T0 + 3 * H, [anchor(root('e'), T0 + 2 * H, T0 + 2 * H)]));
    expect(cache.anchor(root('e'))).toBeUndefined();
  } finally {
    await cache.close();
  }
  // The store deleted what was pruned; not_after is the record's notAfter in ms.
  const db = new Database(path, { readonly: true });
  const rows = db.prepare("SELECT key, not_after FROM record WHERE type IN ('anchor', 'revocation') ORDER BY key").all() as Array<{ key: string; not_after: number | null }>;
  const cp = db.prepare('SELECT ledger_time_ms FROM checkpoint').get() as { ledger_time_ms: number };
  db.close();
  expect(rows.map((r) => r.key)).toEqual([root('b'), root('c'), root('d'), `gd-hc/${root('2')}`]);
  expect(rows.find((r) => r.key === root('b'))?.not_after).toBe(T0 + 2 * H);
  expect(rows.find((r) => r.key === root('c'))?.not_after).toBeNull();
  expect(cp.ledger_time_ms).toBe(T0 + 3 * H);
});

test('a restart loads only what is live at the checkpoint’s ledger time, and resumes after it', async () => {
  const path = join(dir, 'restart.sqlite');
  const l = scriptedLedger();
  let cache = await open(path, l.ledger, newGatewayMetrics({ org: 'MacauMSP' }));
  const at = (c: TrustCache, block: number) => c.waitUntil(() => (c.status().checkpoint?.blockNumber ?? 0) >= block, 3000);
  // 200 batches anchored an hour apart, each live for two hours; the last event at hour 200.
  for (let i = 0; i < 200; i++) l.write(T0 + i * H, [anchor(i.toString(16).padStart(64, '0'), T0 + i * H, T0 + (i + 2) * H)]);
  await at(cache, 200);
  cache.snapshot('MacauMSP'); // a pass: what is still in the store now is what was live at its last event
  const last = l.write(T0 + 200 * H, []); // block 201, at hour 200: batches 199 and 198 (and 197 until its pass) remain
  await at(cache, last);
  await cache.close();

  const metrics = newGatewayMetrics({ org: 'MacauMSP' });
  cache = await open(path, l.ledger, metrics);
  try {
    expect(cache.status().checkpoint?.blockNumber).toBe(last);
    expect(cache.status().ledgerTime).toBe(iso(T0 + 200 * H));
    // Live at hour 200: notAfter + 600 s > hour 200, i.e. batches 198 (notAfter hour 200) and 199.
    expect([...cache.index.anchors.keys()].map((k) => parseInt(k, 16)).sort((a, b) => a - b)).toEqual([198, 199]);
    expect(await metric(metrics, 'hutong_trust_cache_records', { type: 'anchor' })).toBe(2);
    // Resumes after the checkpoint: a new event is applied, none is replayed.
    const next = l.write(T0 + 201 * H, [anchor(root('f'), T0 + 201 * H, T0 + 203 * H)]);
    await at(cache, next);
    // At hour 201 batch 198 is past its cut-off too.
    expect(cache.snapshot('MacauMSP').anchors.map((a) => a.root).sort()).toEqual([(199).toString(16).padStart(64, '0'), root('f')]);
  } finally {
    await cache.close();
  }
});
