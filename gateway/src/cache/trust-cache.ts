/**
 * The gateway's view of trust state (consortium, issuers, keys, recognition policies, anchors, revocations), kept
 * current from the chaincode events every write emits (each event carries the full records written). The event
 * checkpoint and the records are persisted together, so a restarted gateway resumes after the last applied event
 * instead of replaying the chain. A miss (a root or issuer the events have not delivered yet) falls back to an
 * evaluate on the org's own peer; verification itself only ever reads memory.
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
  /** Increments on every change; a compiled verifier is stale when its version differs. */
  readonly version: number;
  /** The SDK's trust snapshot of the current state, generated at the last known-current time. */
  snapshot(jurisdiction: string): TrustSnapshot;
  status(): TrustCacheStatus;
  consortium(): Consortium | undefined;
  issuer(issuerId: string): Issuer | undefined;
  issuers(): Issuer[];
  keysOf(issuerId: string): IssuerKey[];
  anchor(root: string): CachedAnchor | undefined;
  revocation(issuerId: string, leafHash: string): Revocation | undefined;
  /** Cache miss path: evaluates GetAnchor; true if the root is (now) cached. Negative answers are remembered briefly. */
  fetchAnchor(root: string): Promise<boolean>;
  /** Cache miss path: evaluates GetIssuer (issuer with its keys); true if found. */
  fetchIssuer(issuerId: string): Promise<boolean>;
  /** Resolves once `predicate` holds (checked after every change), or rejects after `timeoutMs`. */
  waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void>;
}

const NEGATIVE_TTL_MS = 2000;

export function newTrustCache(
  options: Readonly<{ ledger: Ledger; store: TrustCacheStore; logger: Logger; metrics?: GatewayMetrics; heightPollMs: number; maxLagBlocks: number }>,
): TrustCache {
  const { ledger, store, logger, metrics } = options;
  let consortium: Consortium | undefined;
  const issuers = new Map<string, Issuer>();
  const keys = new Map<string, IssuerKey>();
  const policies = new Map<string, RecognitionPolicy>();
  const anchors = new Map<string, CachedAnchor>();
  const revocations = new Map<string, Revocation>();
  const negative = new Map<string, number>();
  let checkpoint: EventCheckpoint | undefined;
  let version = 0;
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

  function put(record: StoredRecord): void {
    const v = record.value as never;
    switch (record.type) {
      case 'consortium': consortium = v; break;
      case 'issuer': issuers.set(record.key, v); break;
      case 'issuerKey': keys.set(record.key, v); break;
      case 'recognition': policies.set(record.key, v); break;
      case 'anchor': anchors.set(record.key, v); break;
      case 'revocation': revocations.set(record.key, v); break;
    }
  }

  function changed(): void {
    version++;
    for (const w of [...waiters]) w();
  }

  function applyRecords(records: StoredRecord[], cp: EventCheckpoint | undefined): void {
    store.save(records, cp);
    for (const r of records) put(r);
    if (cp) checkpoint = cp;
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
      issuers: [...issuers.values()],
      keys: [...keys.values()],
      policies: [...policies.values()],
      anchors: [...anchors.values()],
      revocations: [...revocations.values()],
    };
  }

  function notRecentlyMissing(what: string): boolean {
    const until = negative.get(what);
    return until === undefined || until < Date.now();
  }

  return {
    async start() {
      const loaded = store.load();
      for (const r of loaded.records) put(r);
      checkpoint = loaded.checkpoint;
      version++;
      logger.info({ event: 'cache.loaded', records: loaded.records.length, checkpointBlock: checkpoint?.blockNumber ?? null }, 'trust cache loaded');
      await pollHeight();
      followLoop = follow();
      pollTimer = setInterval(() => void pollHeight(), options.heightPollMs);
      pollTimer.unref();
    },
    async close() {
      abort.abort();
      if (pollTimer) clearInterval(pollTimer);
      await followLoop;
      store.close();
    },
    get version() {
      return version;
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
    issuers: () => [...issuers.values()],
    keysOf: (id) => [...keys.values()].filter((k) => k.issuerId === id),
    anchor: (root) => anchors.get(root),
    revocation: (issuerId, leafHash) => revocations.get(`${issuerId}/${leafHash}`),
    async fetchAnchor(root) {
      if (anchors.has(root)) return true;
      if (!notRecentlyMissing(`anchor/${root}`)) return false;
      try {
        const anchor = await ledger.evaluate<Anchor>('GetAnchor', { root }, { deadlineMs: 2000 });
        let blockNumber: number | undefined;
        try {
          blockNumber = (await ledger.getTransaction(anchor.txId)).blockNumber;
        } catch {
          blockNumber = undefined;
        }
        applyRecords([{ type: 'anchor', key: root, value: { ...anchor, ...(blockNumber !== undefined ? { blockNumber } : {}) } }], undefined);
        return true;
      } catch (e) {
        negative.set(`anchor/${root}`, Date.now() + NEGATIVE_TTL_MS);
        if (negative.size > 10_000) negative.clear();
        if (!(e instanceof LedgerError && e.code === 'ANCHOR_NOT_FOUND')) logger.warn({ event: 'cache.fallback_failed', code: e instanceof LedgerError ? e.code : 'INTERNAL_ERROR' }, 'anchor lookup failed');
        return false;
      }
    },
    async fetchIssuer(issuerId) {
      if (!notRecentlyMissing(`issuer/${issuerId}`)) return issuers.has(issuerId);
      try {
        const found = await ledger.evaluate<{ issuer: Issuer; keys: IssuerKey[] }>('GetIssuer', { issuerId }, { deadlineMs: 2000 });
        // An event applied while the evaluate was in flight may be newer than what it read: keep the newer record.
        const newer = (existing: { updatedAt: string } | undefined, read: { updatedAt: string }) => existing === undefined || existing.updatedAt <= read.updatedAt;
        applyRecords(
          [
            ...(newer(issuers.get(issuerId), found.issuer) ? [{ type: 'issuer', key: issuerId, value: found.issuer }] : []),
            ...found.keys.filter((k) => newer(keys.get(`${k.issuerId}/${k.kid}`), k)).map((k) => ({ type: 'issuerKey', key: `${k.issuerId}/${k.kid}`, value: k })),
          ],
          undefined,
        );
        negative.set(`issuer/${issuerId}`, Date.now() + NEGATIVE_TTL_MS);
        return true;
      } catch {
        negative.set(`issuer/${issuerId}`, Date.now() + NEGATIVE_TTL_MS);
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
