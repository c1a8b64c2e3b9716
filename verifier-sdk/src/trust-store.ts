/**
 * A trust store for an offline verifier (an app at a partner's desk): it fetches the gateway's signed snapshot,
 * opens it with the organisation's pinned snapshot keys, keeps the signed form in a storage of the app's choice
 * (memory, a file on Node, IndexedDB or localStorage in a browser), refreshes it in the background, and verifies
 * against the newest snapshot it holds — offline too, until that snapshot is older than `maxSnapshotAgeSeconds`
 * (then every verification answers `SNAPSHOT_STALE`). The stored form is the JWS itself, checked against the pinned
 * keys again when loaded, so a tampered cache is refused, never trusted. A snapshot older than the one held is
 * never taken (no rollback by a replayed response).
 */
import type { JSONWebKeySet } from 'jose';
import { HutongSdkError } from './errors.js';
import { reasonMessage } from './messages/index.js';
import { openSignedSnapshot } from './signed-snapshot.js';
import type { TrustSnapshot } from './trust-snapshot.js';
import type { VerificationResult, Verifier, VerifierOptions } from './verifier.js';

/**
 * Where a trust store keeps the signed snapshot between runs: one compact JWS string.
 *
 * @example
 * ```ts
 * const storage: TrustStorage = { load: async () => sessionStorage.getItem('t') ?? undefined, save: async (jws) => sessionStorage.setItem('t', jws) };
 * ```
 */
export interface TrustStorage {
  load(): Promise<string | undefined>;
  save(jws: string): Promise<void>;
}

/**
 * Options of {@link TrustStore}. Give `url` (the gateway's `GET /v1/trust/snapshot`, with the partner token in
 * `headers`) or your own `fetchSnapshot`.
 *
 * @example
 * ```ts
 * const options: TrustStoreOptions = { url: 'https://gw.example.mo/v1/trust/snapshot', headers: { authorization: `Bearer ${token}` },
 *   jwks: pinnedJwks, jurisdiction: 'MacauMSP', storage: fileTrustStorage('trust.jws') };
 * ```
 */
export interface TrustStoreOptions {
  url?: string;
  headers?: Record<string, string>;
  /** Returns the compact JWS of a signed snapshot (instead of `url`). */
  fetchSnapshot?: () => Promise<string>;
  /** The publishing organisation's snapshot JWKS, pinned in the app (never fetched at run time). */
  jwks: JSONWebKeySet;
  /** The verifier's MSP id; the snapshot must be this organisation's. */
  jurisdiction: string;
  /** Default: memory only. */
  storage?: TrustStorage;
  /** How old a snapshot may be and still be used; default 86,400 s (the verifier's rule). */
  maxSnapshotAgeSeconds?: number;
  clockSkewSeconds?: number;
  /** Background refresh period; default 300 s; 0 turns it off (call `refresh()` yourself). */
  refreshIntervalSeconds?: number;
}

/**
 * The trust state of an offline verifier, kept current.
 *
 * @example
 * ```ts
 * const store = newTrustStore({ url, headers, jwks: pinnedJwks, jurisdiction: 'MacauMSP', storage: fileTrustStorage('.trust.jws') });
 * await store.ready();                     // the cached snapshot, or the first fetch
 * const r = await store.verify(scannedText); // offline as long as the snapshot is young enough
 * store.close();
 * ```
 */
export interface TrustStore {
  /** Loads the stored snapshot and fetches a fresh one; resolves when one is held (fetch failures then tolerated). */
  ready(): Promise<void>;
  /** Fetches now; resolves true when a newer snapshot was taken. Throws when the fetch or its signature fails. */
  refresh(): Promise<boolean>;
  /** Verifies against the newest snapshot held (`SNAPSHOT_INVALID` if none). */
  verify(qr: string, options?: Readonly<{ now?: Date }>): Promise<VerificationResult>;
  /** The snapshot held, if any. */
  readonly snapshot: TrustSnapshot | undefined;
  /** The last background refresh failure, cleared by a success. */
  readonly lastError: unknown;
  /** Stops the background refresh. */
  close(): void;
}

type NewVerifier = (options: VerifierOptions) => Verifier;

/** The store, with the verifier factory of the entry point's backend (index.ts / index.node.ts). */
export function newTrustStoreWith(newVerifier: NewVerifier, options: Readonly<TrustStoreOptions>): TrustStore {
  if (!options || typeof options.jurisdiction !== 'string' || !options.jwks || (options.url === undefined && options.fetchSnapshot === undefined)) {
    throw new HutongSdkError('INVALID_OPTIONS', 'a trust store needs jwks, jurisdiction and url or fetchSnapshot');
  }
  const { jwks, jurisdiction, storage } = options;
  const intervalMs = (options.refreshIntervalSeconds ?? 300) * 1000;
  let held: { snapshot: TrustSnapshot; generatedAtMs: number; verifier: Verifier } | undefined;
  let lastError: unknown;
  let timer: ReturnType<typeof setInterval> | undefined;

  const fetchJws = options.fetchSnapshot ?? (async () => {
    const res = await fetch(options.url as string, { headers: { accept: 'application/json', ...options.headers } });
    if (!res.ok) throw new HutongSdkError('SNAPSHOT_UNAVAILABLE', `the gateway answered ${res.status}`);
    const body = (await res.json()) as { jws?: unknown };
    if (typeof body?.jws !== 'string') throw new HutongSdkError('SNAPSHOT_UNAVAILABLE', 'the answer carries no jws');
    return body.jws;
  });

  /** Opens `jws` and holds it if it is newer than what is held; true if taken. */
  async function take(jws: string): Promise<boolean> {
    const snapshot = await openSignedSnapshot(jws, { jwks, jurisdiction });
    const generatedAtMs = Date.parse(snapshot.generatedAt);
    if (held && !(generatedAtMs > held.generatedAtMs)) return false;
    const verifier = newVerifier({
      trust: snapshot, jurisdiction,
      ...(options.maxSnapshotAgeSeconds !== undefined ? { maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds } : {}),
      ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
    });
    held = { snapshot, generatedAtMs, verifier };
    return true;
  }

  async function refresh(): Promise<boolean> {
    const jws = await fetchJws();
    const taken = await take(jws);
    if (taken && storage) await storage.save(jws);
    lastError = undefined;
    return taken;
  }

  return {
    async ready() {
      const stored = storage ? await storage.load() : undefined;
      if (stored !== undefined) {
        try {
          await take(stored);
        } catch (e) {
          lastError = e; // a damaged or foreign cache is ignored; the fetch below replaces it
        }
      }
      try {
        await refresh();
      } catch (e) {
        lastError = e;
        if (!held) throw new HutongSdkError('SNAPSHOT_UNAVAILABLE', 'no snapshot stored and none could be fetched', { cause: e });
      }
      if (intervalMs > 0 && timer === undefined) {
        timer = setInterval(() => void refresh().catch((e: unknown) => { lastError = e; }), intervalMs);
        (timer as { unref?: () => void }).unref?.(); // never keeps a Node process alive
      }
    },
    refresh,
    verify(qr, verifyOptions) {
      if (!held) return Promise.resolve({ decision: 'REJECT', reason: 'SNAPSHOT_INVALID', message: reasonMessage('SNAPSHOT_INVALID'), snapshotAgeSeconds: -1 });
      return held.verifier.verify(qr, verifyOptions);
    },
    get snapshot() {
      return held?.snapshot;
    },
    get lastError() {
      return lastError;
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * Keeps the signed snapshot in memory only (the default).
 *
 * @example
 * ```ts
 * const storage = memoryTrustStorage();
 * ```
 */
export function memoryTrustStorage(): TrustStorage {
  let jws: string | undefined;
  return { load: async () => jws, save: async (s) => void (jws = s) };
}

/**
 * Keeps the signed snapshot in the browser's localStorage under `key` (a few MB at most: large consortia should
 * use {@link indexedDbTrustStorage}).
 *
 * @example
 * ```ts
 * const storage = localStorageTrustStorage('hutong-trust');
 * ```
 */
export function localStorageTrustStorage(key: string): TrustStorage {
  return {
    load: async () => globalThis.localStorage.getItem(key) ?? undefined,
    save: async (jws) => globalThis.localStorage.setItem(key, jws),
  };
}

/**
 * Keeps the signed snapshot in IndexedDB (database `dbName`, one object store `trust`, one key `snapshot`).
 *
 * @example
 * ```ts
 * const storage = indexedDbTrustStorage('hutong');
 * ```
 */
export function indexedDbTrustStorage(dbName: string): TrustStorage {
  const open = (): Promise<IDBDatabase> => new Promise((resolve, reject) => {
    const req = globalThis.indexedDB.open(dbName, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('trust');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const run = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> => {
    const db = await open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const req = op(db.transaction('trust', mode).objectStore('trust'));
        req.onsuccess = () => resolve(req.result as T);
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  };
  return {
    load: async () => (await run<unknown>('readonly', (s) => s.get('snapshot'))) as string | undefined,
    save: async (jws) => void (await run('readwrite', (s) => s.put(jws, 'snapshot'))),
  };
}
