/**
 * The gateway's view of trust state (consortium, issuers, keys, recognition policies, anchors, revocations), kept
 * current from the chaincode events every write emits (each event carries the full records written). The event
 * checkpoint and the records are persisted together, so a restarted gateway resumes after the last applied event
 * instead of replaying the chain. A miss (a root or issuer the events have not delivered yet) can be filled by an
 * evaluate on the org's own peer; verification itself only ever reads memory, and decides which misses are worth a
 * look-up (verification-service.ts, through the lookup gate).
 *
 * The record maps mirror the ledger: they grow with what authenticated issuers and admins write, never with what a
 * verification asks for (a fill adds only records the ledger holds).
 */
import type { Anchor, Consortium, Issuer, IssuerKey, LedgerEventPayload, RecognitionPolicy, Revocation } from '@hutong/chaincode/domain';
import type { TrustSnapshot } from '@hutong/verifier-sdk';
import type { EventCheckpoint, Ledger, LedgerEvent } from '@hutong/ledger';
import { LedgerError } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';
import type { GatewayMetrics } from '../http/metrics.js';
import type { StoredRecord, TrustCacheStore } from './trust-cache-store.js';

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
}

export interface TrustCache {
  start(): Promise<void>;
  close(): Promise<void>;
  /** Increments on every change. */
  readonly version: number;
  /** Increments when issuers, keys, policies or the consortium change; anchors and revocations leave it alone. */
  readonly coreVersion: number;
  /** The SDK's trust snapshot of the current state, generated at the last known-current time. */
  snapshot(jurisdiction: string): TrustSnapshot;
  status(): TrustCacheStatus;
  consortium(): Consortium | undefined;
  issuer(issuerId: string): Issuer | undefined;
  /** Every issuer; one whose organisation is suspended or removed carries `recognisedUntil` (see withMembership). */
  issuers(): Array<Issuer & { recognisedUntil?: string }>;
  keysOf(issuerId: string): IssuerKey[];
  keys(): IssuerKey[];
  policies(): RecognitionPolicy[];
  anchor(root: string): CachedAnchor | undefined;
  /** How many roots the cache holds; they are numbered in arrival order from 0. */
  anchorCount(): number;
  /** The anchors that arrived at position `from` and later. */
  anchorsFrom(from: number): CachedAnchor[];
  revocation(issuerId: string, leafHash: string): Revocation | undefined;
  /** Cache miss path: evaluates GetAnchor; true if the root was not cached and now is. */
  fetchAnchor(root: string): Promise<boolean>;
  /** Cache miss path: evaluates GetIssuer (issuer with its keys); true if that changed the cache. */
  fetchIssuer(issuerId: string): Promise<boolean>;
  /** Resolves once `predicate` holds (checked after every change), or rejects after `timeoutMs`. */
  waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void>;
}

/**
 * Issuers as a verifier must see them: an issuer whose organisation is suspended or removed carries the membership
 * change's effective time as `recognisedUntil` (the ledger keeps the issuer record itself unchanged).
 */
function withMembership(list: Issuer[], consortium: Consortium | undefined): Array<Issuer & { recognisedUntil?: string }> {
  const until = new Map<string, string>();
  for (const m of consortium?.members ?? []) {
    const at = m.removedAt ?? m.suspendedAt;
    if (at !== undefined) until.set(m.mspId, at);
  }
  if (until.size === 0) return list;
  return list.map((i) => {
    const at = until.get(i.ownerMsp);
    return at === undefined ? i : { ...i, recognisedUntil: at };
  });
}

export function newTrustCache(
  options: Readonly<{ ledger: Ledger; store: TrustCacheStore; logger: Logger; metrics?: GatewayMetrics; heightPollMs: number; maxLagBlocks: number }>,
): TrustCache {
  const { ledger, store, logger, metrics } = options;
  let consortium: Consortium | undefined;
  const issuers = new Map<string, Issuer>();
  const keys = new Map<string, IssuerKey>();
  const policies = new Map<string, RecognitionPolicy>();
  const anchors = new Map<string, CachedAnchor>();
  /** Roots in arrival order, so a reader can take only the anchors that came after the ones it has. */
  const anchorOrder: string[] = [];
  const revocations = new Map<string, Revocation>();
  let checkpoint: EventCheckpoint | undefined;
  let version = 0;
  let coreVersion = 0;
  let height: number | undefined;
  let reachable = false;
  let following = false;
  let syncedAtMs: number | undefined;
  let lastErrorCode: string | undefined;
  const waiters = new Set<() => void>();
  const abort = new AbortController();
  let followLoop: Promise<void> | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let memo: { version: number; syncedAtMs: number | undefined; jurisdiction: string; snapshot: TrustSnapshot } | undefined;

  function keyOf(type: string, v: Record<string, unknown>): string | undefined {
    switch (type) {
      case 'consortium': return 'current';
      case 'issuer': return String(v['id']);
      case 'issuerKey': return `${String(v['issuerId'])}/${String(v['kid'])}`;
      case 'recognition': return `${String(v['recognisingMsp'])}/${String(v['issuerId'])}/${String(v['credentialType'])}`;
      case 'anchor': return String(v['root']);
      case 'revocation': return `${String(v['issuerId'])}/${String(v['leafHash'])}`;
      default: return undefined;
    }
  }

  /** Stores one record in memory; true if it is an issuer, key, policy or consortium record. */
  function put(record: StoredRecord): boolean {
    const v = record.value as never;
    switch (record.type) {
      case 'consortium': consortium = v; return true;
      case 'issuer': issuers.set(record.key, v); return true;
      case 'issuerKey': keys.set(record.key, v); return true;
      case 'recognition': policies.set(record.key, v); return true;
      case 'anchor':
        if (!anchors.has(record.key)) anchorOrder.push(record.key);
        anchors.set(record.key, v);
        return false;
      case 'revocation': revocations.set(record.key, v); return false;
      default: return false;
    }
  }

  function countRecords(): void {
    if (!metrics) return;
    for (const [type, n] of [['issuer', issuers.size], ['issuerKey', keys.size], ['recognition', policies.size], ['anchor', anchors.size], ['revocation', revocations.size]] as const) {
      metrics.trustCacheRecords.set({ type }, n);
    }
  }

  function changed(): void {
    version++;
    for (const w of [...waiters]) w();
  }

  function applyRecords(records: StoredRecord[], cp: EventCheckpoint | undefined): void {
    if (records.length === 0 && cp === undefined) return;
    // Memory is the cache; the store only spares a restart the replay. A lost save is replayed from the ledger.
    store.save(records, cp).catch(() => logger.error({ event: 'cache.store_failed' }, 'trust cache store write failed'));
    let core = false;
    for (const r of records) core = put(r) || core;
    if (core) coreVersion++;
    if (cp) checkpoint = cp;
    countRecords();
    changed();
  }

  function apply(event: LedgerEvent): void {
    const payload = event.payload as LedgerEventPayload;
    const records: StoredRecord[] = [];
    for (const r of Array.isArray(payload?.records) ? payload.records : []) {
      const value = r.value as Record<string, unknown>;
      const key = keyOf(r.type, value);
      if (key === undefined) continue;
      records.push({ type: r.type, key, value: r.type === 'anchor' ? { ...value, blockNumber: event.blockNumber } : value });
    }
    applyRecords(records, { blockNumber: event.blockNumber, transactionId: event.txId });
    syncedAtMs = Date.now();
    metrics?.cacheCheckpointBlock.set(event.blockNumber);
    if (height !== undefined && event.blockNumber + 1 > height) height = event.blockNumber + 1;
    updateLag();
  }

  function lag(): number | undefined {
    if (height === undefined) return undefined;
    return Math.max(0, height - 1 - (checkpoint?.blockNumber ?? 0));
  }

  function updateLag(): void {
    const l = lag();
    if (l !== undefined) metrics?.cacheLagBlocks.set(l);
  }

  async function follow(): Promise<void> {
    let backoff = 100;
    while (!abort.signal.aborted) {
      try {
        following = true;
        for await (const event of ledger.events(checkpoint, abort.signal)) {
          apply(event);
          backoff = 100;
        }
      } catch (e) {
        if (abort.signal.aborted) break;
        lastErrorCode = e instanceof LedgerError ? e.code : 'INTERNAL_ERROR';
        logger.warn({ event: 'cache.follow_failed', code: lastErrorCode }, 'event stream failed; resuming from checkpoint');
      }
      following = false;
      if (abort.signal.aborted) break;
      await new Promise((r) => setTimeout(r, backoff).unref());
      backoff = Math.min(backoff * 2, 5000);
    }
    following = false;
  }

  async function pollHeight(): Promise<void> {
    try {
      height = await ledger.height();
      reachable = true;
      metrics?.ledgerHeight.set(height);
      const l = lag();
      if (l !== undefined && l <= options.maxLagBlocks && following) syncedAtMs = Date.now();
      updateLag();
    } catch (e) {
      reachable = false;
      lastErrorCode = e instanceof LedgerError ? e.code : 'INTERNAL_ERROR';
    }
  }

  function toSnapshot(jurisdiction: string): TrustSnapshot {
    return {
      version: 1,
      jurisdiction,
      generatedAt: new Date(syncedAtMs ?? 0).toISOString(),
      issuers: withMembership([...issuers.values()], consortium),
      keys: [...keys.values()],
      policies: [...policies.values()],
      anchors: [...anchors.values()],
      revocations: [...revocations.values()],
    };
  }

  return {
    async start() {
      const loaded = store.load();
      for (const r of loaded.records) put(r);
      checkpoint = loaded.checkpoint;
      version++;
      coreVersion++;
      countRecords();
      logger.info({ event: 'cache.loaded', records: loaded.records.length, checkpointBlock: checkpoint?.blockNumber ?? null }, 'trust cache loaded');
      // Follow first: the first height poll then finds the cache following and, if the stored records are within
      // maxLagBlocks of the ledger, confirms them current — a restarted gateway is fresh when start() returns
      // instead of one poll interval later.
      followLoop = follow();
      await pollHeight();
      pollTimer = setInterval(() => void pollHeight(), options.heightPollMs);
      pollTimer.unref();
    },
    async close() {
      abort.abort();
      if (pollTimer) clearInterval(pollTimer);
      await followLoop;
      await store.close();
    },
    get version() {
      return version;
    },
    get coreVersion() {
      return coreVersion;
    },
    snapshot(jurisdiction) {
      if (memo && memo.version === version && memo.syncedAtMs === syncedAtMs && memo.jurisdiction === jurisdiction) return memo.snapshot;
      const snapshot = toSnapshot(jurisdiction);
      memo = { version, syncedAtMs, jurisdiction, snapshot };
      return snapshot;
    },
    status() {
      return {
        checkpoint,
        ledgerHeight: height,
        lagBlocks: lag(),
        ledgerReachable: reachable,
        following,
        syncedAt: syncedAtMs === undefined ? undefined : new Date(syncedAtMs).toISOString(),
        lastErrorCode,
      };
    },
    consortium: () => consortium,
    issuer: (id) => issuers.get(id),
    issuers: () => withMembership([...issuers.values()], consortium),
    keysOf: (id) => [...keys.values()].filter((k) => k.issuerId === id),
    keys: () => [...keys.values()],
    policies: () => [...policies.values()],
    anchor: (root) => anchors.get(root),
    anchorCount: () => anchorOrder.length,
    anchorsFrom: (from) => anchorOrder.slice(from).map((root) => anchors.get(root) as CachedAnchor),
    revocation: (issuerId, leafHash) => revocations.get(`${issuerId}/${leafHash}`),
    async fetchAnchor(root) {
      if (anchors.has(root)) return false;
      try {
        const anchor = await ledger.evaluate<Anchor>('GetAnchor', { root }, { deadlineMs: 2000 });
        let blockNumber: number | undefined;
        try {
          blockNumber = (await ledger.getTransaction(anchor.txId)).blockNumber;
        } catch {
          blockNumber = undefined;
        }
        // An event may have delivered the root while the evaluate was in flight.
        if (anchors.has(root)) return true;
        applyRecords([{ type: 'anchor', key: root, value: { ...anchor, ...(blockNumber !== undefined ? { blockNumber } : {}) } }], undefined);
        return true;
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
        const records = [
          ...(newer(issuers.get(issuerId), found.issuer) ? [{ type: 'issuer', key: issuerId, value: found.issuer }] : []),
          ...found.keys.filter((k) => newer(keys.get(`${k.issuerId}/${k.kid}`), k)).map((k) => ({ type: 'issuerKey', key: `${k.issuerId}/${k.kid}`, value: k })),
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
