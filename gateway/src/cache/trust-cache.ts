/**
 * The gateway's view of trust state (consortium, issuers, keys, recognition policies, anchors, revocations), kept
 * current from the chaincode events every write emits (each event carries the full records written). The records
 * live in one SDK trust index (trust-records.ts), which the verifier reads directly: an event changes what the next
 * verification sees, with nothing rebuilt. The event checkpoint and the records are persisted together, so a
 * restarted gateway resumes after the last applied event instead of replaying the chain. A miss (a root or issuer
 * the events have not delivered yet) can be filled by an evaluate on the org's own peer; verification decides which
 * misses are worth a look-up (verification-service.ts, through the lookup gate).
 *
 * The index mirrors what is live on the ledger: it grows with what authenticated issuers and admins write, never
 * with what a verification asks for (a fill adds only records the ledger holds), and anchors and revocations leave it
 * once they can no longer change a decision (docs/protocol.md §6 "Live records": `notAfter` + 600 s ≤ now). "Now"
 * is the ledger's time — the timestamp of the latest event applied — so pruning is a function of the ledger alone,
 * the same on every gateway, and follows a simulation's compressed time. A pass runs at most every
 * PRUNE_EVERY_EVENTS events or PRUNE_EVERY_MS, and before a snapshot is exported; it costs O(log n) per record
 * pruned (expiry-queue.ts). Pruned records leave the store (one index range) and reach the crypto pool's workers as
 * removal records through the change log; a record already dead when it arrives (a replay, a miss look-up of an old
 * root) is never put.
 */
import type { Anchor, Consortium, Issuer, IssuerKey, LedgerEventPayload, Revocation } from '@hutong/chaincode/domain';
import { dropDeadAnchors, dropDeadRevocation, newTrustIndex, snapshotOfIndex, type TrustIndex, type TrustSnapshot } from '@hutong/verifier-sdk';
import type { EventCheckpoint, Ledger, LedgerEvent } from '@hutong/ledger';
import { LedgerError } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { TrustCacheStore } from './trust-cache-store.js';
import { newTrustBlockLog, type TrustBlockLog } from './trust-block-log.js';
import { newTrustChangeLog } from './trust-change-log.js';
import { putRecord, recordDeadFromMs, recordKey, removalRecord, type StoredRecord, type TrustRecordsTarget } from './trust-records.js';
import { newLedgerFollower } from './ledger-follower.js';
import { newExpiryQueue } from './expiry-queue.js';

export type CachedAnchor = Anchor & { blockNumber?: number };

export interface TrustCacheStatus {
  /** Last event applied. */
  checkpoint: EventCheckpoint | undefined;
  ledgerHeight: number | undefined;
  /** Blocks on the ledger after the checkpoint's block (0 when caught up). */
  lagBlocks: number | undefined;
  ledgerReachable: boolean;
  /** Whether the event stream is connected. */
  following: boolean;
  /** Last time the cache was known to be current (an event applied or the height matched), ISO-8601. */
  syncedAt: string | undefined;
  lastErrorCode: string | undefined;
  /** The pruning clock: the ledger time of the latest event applied (or of the stored checkpoint), ISO-8601. */
  ledgerTime: string | undefined;
}

/** The state a reader holding cache version `version` lacks: the records since, or (too far behind) a whole snapshot. */
export type TrustDelta =
  | { version: number; records: StoredRecord[] }
  /** The consortium record goes with a snapshot: later issuer records are put with their owner's membership. */
  | { version: number; snapshot: TrustSnapshot; consortium: Consortium | undefined };

export interface TrustCache {
  start(): Promise<void>;
  close(): Promise<void>;
  /** Increments on every change. */
  readonly version: number;
  /**
   * The trust index the verifier reads (read only: the cache alone writes it). Its `generatedAtMs` is the last
   * time the cache was known current (epoch until then).
   */
  readonly index: TrustIndex;
  /** What a copy of the index at `version` (undefined: none) needs to become the current one. */
  deltaSince(version: number | undefined, jurisdiction: string): TrustDelta;
  /** The SDK's trust snapshot of the current state, generated at the last known-current time. */
  snapshot(jurisdiction: string): TrustSnapshot;
  /** The ledger block the state is current to (the checkpoint's block; 0 before any): a trust pack's sequence. */
  readonly sequence: number;
  /** The records written in block `since` and later (for a trust-pack delta); undefined beyond what the log holds. */
  recordsSinceBlock(since: number): StoredRecord[] | undefined;
  status(): TrustCacheStatus;
  consortium(): Consortium | undefined;
  issuer(issuerId: string): Issuer | undefined;
  /** Every issuer; one whose organisation is suspended or removed carries `recognisedUntil` (trust-records.ts). */
  issuers(): Array<Issuer & { recognisedUntil?: string }>;
  /** Every key of the issuer, proposed ones included. */
  keysOf(issuerId: string): IssuerKey[];
  anchor(root: string): CachedAnchor | undefined;
  revocation(issuerId: string, leafHash: string): Revocation | undefined;
  /** Cache miss path: evaluates GetAnchor; true if the root was not cached and now is. */
  fetchAnchor(root: string): Promise<boolean>;
  /** Cache miss path: evaluates GetIssuer (issuer with its keys); true if that changed the cache. */
  fetchIssuer(issuerId: string): Promise<boolean>;
  /** Resolves once `predicate` holds (checked after every change), or rejects after `timeoutMs`. */
  waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void>;
}

/** Records kept for readers catching up (the crypto pool's workers); further behind, they take a snapshot. */
const CHANGE_LOG_RECORDS = 50_000;
/** A pruning pass runs after this many events or this long (wall time) since the last one, whichever comes first. */
const PRUNE_EVERY_EVENTS = 1024;
const PRUNE_EVERY_MS = 2000;
/**
 * Records kept by block for trust-pack deltas: at the seed's rate (36,600 anchors and 150,000 revocations a day)
 * about 32 hours; a partner further behind gets a full pack.
 */
const BLOCK_LOG_RECORDS = 250_000;

export function newTrustCache(
  options: Readonly<{ ledger: Ledger; store: TrustCacheStore; logger: Logger; metrics?: GatewayMetrics; heightPollMs: number; maxLagBlocks: number }>,
): TrustCache {
  const { ledger, store, logger, metrics } = options;
  const state: TrustRecordsTarget = { index: newTrustIndex(0) };
  const { index } = state;
  const changes = newTrustChangeLog(CHANGE_LOG_RECORDS);
  let blocks: TrustBlockLog = newTrustBlockLog(BLOCK_LOG_RECORDS, 0);
  let checkpoint: EventCheckpoint | undefined;
  let version = 0;
  let height: number | undefined;
  let reachable = false;
  let syncedAtMs: number | undefined;
  let lastErrorCode: string | undefined;
  const waiters = new Set<() => void>();
  const expiries = newExpiryQueue();
  /** The pruning clock (ms): the ledger time of the latest event applied; undefined until one is known. */
  let ledgerTimeMs: number | undefined;
  let eventsSincePrune = 0;
  let lastPruneAt = 0;
  let memo: { version: number; syncedAtMs: number | undefined; jurisdiction: string; snapshot: TrustSnapshot } | undefined;

  function countRecords(): void {
    if (!metrics) return;
    // Per issuer, per MSP: a handful of entries each. Anchors are counted by root (one Map.size): this runs on every
    // event, and walking every root would make each event cost O(anchors).
    let keys = 0, revocations = 0, policies = 0;
    for (const byKid of index.keysByIssuer.values()) keys += byKid.size;
    for (const byLeaf of index.revokedByIssuer.values()) revocations += byLeaf.size;
    for (const byIssuer of index.policiesByMsp.values()) for (const byType of byIssuer.values()) policies += byType.size;
    for (const [type, n] of [['issuer', index.issuers.size], ['issuerKey', keys], ['recognition', policies], ['anchor', index.anchors.size], ['revocation', revocations]] as const) {
      metrics.trustCacheRecords.set({ type }, n);
    }
  }

  /**
   * The pruning clock: the latest ledger time, but never past the time the cache was last known current. A ledger
   * time is a submitting client's clock (up to the peers' window ahead of real time), and what the cache exports as
   * of `generatedAt` — snapshots, trust packs — must still hold every record live at that time.
   */
  function pruneNowMs(): number | undefined {
    return ledgerTimeMs === undefined ? undefined : Math.min(ledgerTimeMs, index.generatedAtMs);
  }

  /** Whether the record can no longer matter at the pruning clock (it is then neither put nor stored). */
  function dead(r: StoredRecord): boolean {
    const from = recordDeadFromMs(r);
    const now = pruneNowMs();
    return from !== undefined && now !== undefined && from <= now;
  }

  /** Puts records into the index; one the SDK cannot index (it could never verify anything) is logged and left out. */
  function put(records: readonly StoredRecord[]): StoredRecord[] {
    const kept: StoredRecord[] = [];
    for (const r of records) {
      try {
        putRecord(state, r);
        kept.push(r);
        const deadFromMs = recordDeadFromMs(r);
        if (deadFromMs !== undefined) expiries.push({ deadFromMs, type: r.type, key: r.key });
      } catch {
        logger.warn({ event: 'cache.record_refused', type: r.type, key: r.key }, 'ledger record not usable for verification');
      }
    }
    return kept;
  }

  /** Puts records into the index as one change: a new version, its records logged for readers catching up. */
  function change(records: readonly StoredRecord[]): void {
    const kept = put(records);
    version++;
    changes.append(version, kept);
    countRecords();
  }

  function applyRecords(all: StoredRecord[], cp: EventCheckpoint | undefined): void {
    const records = all.filter((r) => !dead(r));
    if (records.length === 0 && cp === undefined) return;
    // Memory is the cache; the store only spares a restart the replay. A lost save is replayed from the ledger.
    store.save(records, cp, cp ? pruneNowMs() : undefined).catch(() => logger.error({ event: 'cache.store_failed' }, 'trust cache store write failed'));
    if (cp) checkpoint = cp;
    blocks.append(checkpoint?.blockNumber ?? 0, records);
    change(records);
    for (const w of [...waiters]) w();
  }

  /**
   * Drops the anchors and revocations that can no longer matter at the pruning clock: from the index, from the
   * store, and (as removal records in the change log) from the workers' copies.
   */
  function prune(): void {
    eventsSincePrune = 0;
    lastPruneAt = Date.now();
    const now = pruneNowMs();
    if (now === undefined || expiries.nextDueMs === undefined || expiries.nextDueMs > now) return;
    const removals: StoredRecord[] = [];
    let anchors = 0, revocations = 0;
    for (const due of expiries.popDue(now)) {
      // The entry may be stale (the record was replaced or already removed): the SDK checks the record itself.
      if (due.type === 'anchor') {
        const n = dropDeadAnchors(index, due.key, now);
        if (n === 0) continue;
        anchors += n;
      } else {
        const at = due.key.indexOf('/');
        if (!dropDeadRevocation(index, due.key.slice(0, at), due.key.slice(at + 1), now)) continue;
        revocations++;
      }
      removals.push(removalRecord(due.type, due.key, now));
    }
    if (removals.length === 0) return;
    blocks.dropDead(dead);
    store.deleteDead(now).catch(() => logger.error({ event: 'cache.store_failed' }, 'trust cache store delete failed'));
    version++;
    changes.append(version, removals);
    countRecords();
    metrics?.trustCachePruned.inc({ type: 'anchor' }, anchors);
    metrics?.trustCachePruned.inc({ type: 'revocation' }, revocations);
    logger.debug({ event: 'cache.pruned', anchors, revocations, ledgerTime: new Date(now).toISOString() }, 'trust cache pruned');
  }

  /** Moves the pruning clock forward to ledger time `ms` (never back: the ledger's timestamps only grow). */
  function advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || (ledgerTimeMs !== undefined && ms <= ledgerTimeMs)) return;
    ledgerTimeMs = ms;
    metrics?.trustCacheLedgerTime.set(ms / 1000);
  }

  function markSynced(): void {
    syncedAtMs = Date.now();
    index.generatedAtMs = syncedAtMs;
  }

  function lag(): number | undefined {
    if (height === undefined) return undefined;
    return Math.max(0, height - 1 - (checkpoint?.blockNumber ?? 0));
  }

  function updateLag(): void {
    const l = lag();
    if (l !== undefined) metrics?.cacheLagBlocks.set(l);
  }

  function apply(event: LedgerEvent): void {
    const payload = event.payload as LedgerEventPayload;
    // Every chaincode event carries its transaction's timestamp: the ledger's clock, whatever the wall clock says.
    if (typeof payload?.timestamp === 'string') advanceClock(Date.parse(payload.timestamp));
    const records: StoredRecord[] = [];
    for (const r of Array.isArray(payload?.records) ? payload.records : []) {
      const value = r.value as Record<string, unknown>;
      const key = recordKey(r.type, value);
      if (key === undefined) continue;
      records.push({ type: r.type, key, value: r.type === 'anchor' ? { ...value, blockNumber: event.blockNumber } : value });
    }
    applyRecords(records, { blockNumber: event.blockNumber, transactionId: event.txId });
    markSynced(); // before pruning: the pruning clock never passes the time the cache was known current
    if (++eventsSincePrune >= PRUNE_EVERY_EVENTS || Date.now() - lastPruneAt >= PRUNE_EVERY_MS) prune();
    metrics?.cacheCheckpointBlock.set(event.blockNumber);
    if (height !== undefined && event.blockNumber + 1 > height) height = event.blockNumber + 1;
    updateLag();
  }

  const follower = newLedgerFollower({
    ledger, logger, heightPollMs: options.heightPollMs,
    checkpoint: () => checkpoint,
    onEvent: apply,
    onHeight(h) {
      height = h;
      reachable = true;
      metrics?.ledgerHeight.set(h);
      const l = lag();
      if (l !== undefined && l <= options.maxLagBlocks && follower.following) {
        markSynced();
        // A quiet ledger still lets the pass catch up with the last events' ledger time.
        if (Date.now() - lastPruneAt >= PRUNE_EVERY_MS) prune();
      }
      updateLag();
    },
    onError(code, stillReachable) {
      lastErrorCode = code;
      if (!stillReachable) reachable = false;
    },
  });

  const anchorOf = (root: string): CachedAnchor | undefined => index.anchors.get(root)?.record as CachedAnchor | undefined;
  const keysOf = (issuerId: string): IssuerKey[] => [...(index.keysByIssuer.get(issuerId)?.values() ?? [])].map((k) => k.record as IssuerKey);

  function snapshot(jurisdiction: string): TrustSnapshot {
    prune(); // an exported snapshot holds live records only
    if (memo && memo.version === version && memo.syncedAtMs === syncedAtMs && memo.jurisdiction === jurisdiction) return memo.snapshot;
    const s = snapshotOfIndex(index, jurisdiction);
    memo = { version, syncedAtMs, jurisdiction, snapshot: s };
    return s;
  }

  return {
    async start() {
      const loaded = store.load();
      checkpoint = loaded.checkpoint;
      if (loaded.ledgerTimeMs !== undefined) advanceClock(loaded.ledgerTimeMs);
      // The store read only records live at the checkpoint's ledger time; the filter repeats that for older files.
      // What was applied before this start is not in the log: deltas are served from the loaded checkpoint on.
      blocks = newTrustBlockLog(BLOCK_LOG_RECORDS, checkpoint?.blockNumber ?? 0);
      change(loaded.records.filter((r) => !dead(r))); // as one change: a reader at version 0 gets them from the change log
      logger.info({ event: 'cache.loaded', records: loaded.records.length, checkpointBlock: checkpoint?.blockNumber ?? null }, 'trust cache loaded');
      // Follow first: the first height poll then finds the cache following and, if the stored records are within
      // maxLagBlocks of the ledger, confirms them current — a restarted gateway is fresh when start() returns
      // instead of one poll interval later.
      await follower.start();
    },
    async close() {
      await follower.close();
      await store.close();
    },
    get version() {
      return version;
    },
    index,
    deltaSince(held, jurisdiction) {
      const records = held === undefined ? undefined : changes.since(held);
      return records === undefined ? { version, snapshot: snapshot(jurisdiction), consortium: state.consortium } : { version, records };
    },
    snapshot,
    get sequence() {
      return checkpoint?.blockNumber ?? 0;
    },
    recordsSinceBlock: (since) => blocks.since(since),
    status() {
      return {
        checkpoint,
        ledgerHeight: height,
        lagBlocks: lag(),
        ledgerReachable: reachable,
        following: follower.following,
        syncedAt: syncedAtMs === undefined ? undefined : new Date(syncedAtMs).toISOString(),
        lastErrorCode,
        ledgerTime: ledgerTimeMs === undefined ? undefined : new Date(ledgerTimeMs).toISOString(),
      };
    },
    consortium: () => state.consortium,
    issuer: (id) => index.issuers.get(id) as Issuer | undefined,
    issuers: () => [...index.issuers.values()] as Issuer[],
    keysOf,
    anchor: anchorOf,
    revocation: (issuerId, leafHash) => index.revokedByIssuer.get(issuerId)?.get(leafHash) as Revocation | undefined,
    async fetchAnchor(root) {
      if (index.anchors.has(root)) return false;
      try {
        const anchor = await ledger.evaluate<Anchor>('GetAnchor', { root }, { deadlineMs: 2000 });
        let blockNumber: number | undefined;
        try {
          blockNumber = (await ledger.getTransaction(anchor.txId)).blockNumber;
        } catch {
          blockNumber = undefined;
        }
        // An event may have delivered the root while the evaluate was in flight.
        if (index.anchors.has(root)) return true;
        // An anchor that can no longer matter is not put back (applyRecords leaves it out): the miss stays a miss.
        applyRecords([{ type: 'anchor', key: root, value: { ...anchor, ...(blockNumber !== undefined ? { blockNumber } : {}) } }], undefined);
        return index.anchors.has(root);
      } catch (e) {
        if (!(e instanceof LedgerError && e.code === 'ANCHOR_NOT_FOUND')) logger.warn({ event: 'cache.fallback_failed', code: e instanceof LedgerError ? e.code : 'INTERNAL_ERROR' }, 'anchor lookup failed');
        return false;
      }
    },
    async fetchIssuer(issuerId) {
      try {
        const found = await ledger.evaluate<{ issuer: Issuer; keys: IssuerKey[] }>('GetIssuer', { issuerId }, { deadlineMs: 2000 });
        // An event applied while the evaluate was in flight may be newer than what it read: keep the newer record.
        // A record the cache already holds as read is not written again: a look-up that learns nothing changes nothing.
        const newer = (existing: { updatedAt: string } | undefined, read: { updatedAt: string }) =>
          existing === undefined || existing.updatedAt < read.updatedAt || (existing.updatedAt === read.updatedAt && JSON.stringify(existing) !== JSON.stringify(read));
        const held = new Map(keysOf(issuerId).map((k) => [k.kid, k]));
        const records = [
          ...(newer(index.issuers.get(issuerId) as Issuer | undefined, found.issuer) ? [{ type: 'issuer', key: issuerId, value: found.issuer }] : []),
          ...found.keys.filter((k) => newer(held.get(k.kid), k)).map((k) => ({ type: 'issuerKey', key: `${k.issuerId}/${k.kid}`, value: k })),
        ];
        applyRecords(records, undefined);
        return records.length > 0;
      } catch {
        return false;
      }
    },
    waitUntil(predicate, timeoutMs) {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('timed out waiting for the trust cache'));
        }, timeoutMs);
        waiters.add(check);
      });
    },
  };
}
