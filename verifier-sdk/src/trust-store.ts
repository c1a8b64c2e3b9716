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
import type { openSignedTrustPack } from './signed-trust-pack.js';
import type { TrustIndex } from './trust-index.js';
import type { OpenedTrustPack } from './trust-pack.js';
import type { TrustSnapshot } from './trust-snapshot.js';
import type { VerificationResult, Verifier, VerifierOptions, VerifierSettings } from './verifier.js';

/**
 * Where a trust store keeps the signed snapshot between runs: one compact JWS string (with trust packs: the full
 * pack's JWS and the deltas' after it, one a line).
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
  /**
   * The gateway's `GET /v1/trust/pack` (docs/protocol.md §6.5): the store then holds trust packs instead of the JSON
   * snapshot — a full pack first, then `?since=<sequence>` deltas, falling back to a full pack on any error in the
   * chain. The storage keeps the signed full pack and the deltas applied since (a fresh full pack replaces them
   * after {@link MAX_STORED_DELTAS}).
   */
  packUrl?: string;
  /** Returns the compact JWS of a signed trust pack, a delta on `since` if it can (instead of `packUrl`). */
  fetchPack?: (since: number | undefined) => Promise<string>;
  /**
   * Opens signed packs: `openSignedTrustPack` from `@hutong/verifier-sdk/trust-pack` (a subpath, so apps on JSON
   * snapshots do not carry the pack decoder). Needed with packs in a browser; the Node entry point gives its own.
   */
  openPack?: TrustPackOpener;
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
  /** The snapshot held, if any (JSON snapshots only). */
  readonly snapshot: TrustSnapshot | undefined;
  /** The trust pack state held, if any (with `packUrl` or `fetchPack`). */
  readonly pack: Readonly<{ sequence: number; generatedAt: string; stateDigest: string; deltasApplied: number }> | undefined;
  /** The last background refresh failure, cleared by a success. */
  readonly lastError: unknown;
  /** Stops the background refresh. */
  close(): void;
}

/** What opens a signed trust pack (`openSignedTrustPack`). */
export type TrustPackOpener = typeof openSignedTrustPack;

/** Deltas kept in storage on top of the full pack before the store asks for a full pack again. */
export const MAX_STORED_DELTAS = 32;

/** The verifier factories of the entry point's backend (index.ts / index.node.ts). */
export interface TrustStoreVerifiers {
  newVerifier(options: VerifierOptions): Verifier;
  newVerifierOnIndex(index: TrustIndex, options: VerifierSettings): Verifier;
  /** The entry point's pack opener, if it has one (Node). */
  openPack?: TrustPackOpener;
}

/** What the store holds: a verifier, how new it is, and how to persist and extend it. */
interface Held {
  generatedAtMs: number;
  verifier: Verifier;
  snapshot?: TrustSnapshot;
  /** Pack mode: the opened state and the signed packs that lead to it (full first). */
  pack?: OpenedTrustPack;
  chain?: string[];
}

/** The store, with the verifier factories of the entry point's backend. */
export function newTrustStoreWith(verifiers: TrustStoreVerifiers, options: Readonly<TrustStoreOptions>): TrustStore {
  const packMode = options?.packUrl !== undefined || options?.fetchPack !== undefined;
  if (!options || typeof options.jurisdiction !== 'string' || !options.jwks || (!packMode && options.url === undefined && options.fetchSnapshot === undefined)) {
    throw new HutongSdkError('INVALID_OPTIONS', 'a trust store needs jwks, jurisdiction and url, fetchSnapshot, packUrl or fetchPack');
  }
  const { jwks, jurisdiction, storage } = options;
  const openPack = options.openPack ?? verifiers.openPack;
  if (packMode && !openPack) {
    throw new HutongSdkError('INVALID_OPTIONS', "trust packs need openPack: openSignedTrustPack from '@hutong/verifier-sdk/trust-pack'");
  }
  const intervalMs = (options.refreshIntervalSeconds ?? 300) * 1000;
  const settings: VerifierSettings = {
    jurisdiction,
    ...(options.maxSnapshotAgeSeconds !== undefined ? { maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds } : {}),
    ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
  };
  let held: Held | undefined;
  let lastError: unknown;
  let timer: ReturnType<typeof setInterval> | undefined;

  const getJws = async (url: string): Promise<string> => {
    const res = await fetch(url, { headers: { accept: 'application/json', ...options.headers } });
    if (!res.ok) throw new HutongSdkError('SNAPSHOT_UNAVAILABLE', `the gateway answered ${res.status}`);
    const body = (await res.json()) as { jws?: unknown };
    if (typeof body?.jws !== 'string') throw new HutongSdkError('SNAPSHOT_UNAVAILABLE', 'the answer carries no jws');
    return body.jws;
  };
  const fetchJws = options.fetchSnapshot ?? (() => getJws(options.url as string));
  const fetchPack = options.fetchPack ?? ((since: number | undefined) => {
    const url = options.packUrl as string; // may be relative in a browser: no URL parsing
    return getJws(since === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}since=${since}`);
  });

  /** Opens a snapshot and holds it if it is newer than what is held; true if taken. */
  async function takeSnapshot(jws: string): Promise<boolean> {
    const snapshot = await openSignedSnapshot(jws, { jwks, jurisdiction });
    const generatedAtMs = Date.parse(snapshot.generatedAt);
    if (held && !(generatedAtMs > held.generatedAtMs)) return false;
    held = { snapshot, generatedAtMs, verifier: verifiers.newVerifier({ trust: snapshot, ...settings }) };
    return true;
  }

  /**
   * Opens a signed pack — a delta on the held pack, or a full one — and holds the result if newer; true if taken.
   * Never changes what is held unless the whole pack checks out (signature, base, state digest).
   */
  async function takePack(jws: string, base: Held | undefined): Promise<boolean> {
    const opened = await (openPack as TrustPackOpener)(jws, { jwks, jurisdiction, ...(base?.pack ? { base: { index: base.pack.index, sequence: base.pack.sequence } } : {}) });
    if (held && !(opened.generatedAtMs > held.generatedAtMs)) return false;
    const chain = opened.kind === 'full' ? [jws] : [...(base?.chain ?? []), jws];
    held = { generatedAtMs: opened.generatedAtMs, pack: opened, chain, verifier: verifiers.newVerifierOnIndex(opened.index, settings) };
    return true;
  }

  async function refreshPack(): Promise<boolean> {
    const base = held?.pack && (held.chain?.length ?? 0) <= MAX_STORED_DELTAS ? held : undefined;
    let taken: boolean;
    try {
      taken = await takePack(await fetchPack(base?.pack?.sequence), base);
    } catch (e) {
      if (!base) throw e;
      // Any error in the chain (wrong base, a state that does not match, a damaged delta): start again from a full pack.
      taken = await takePack(await fetchPack(undefined), undefined);
    }
    if (taken && storage) await storage.save((held?.chain ?? []).join('\n'));
    return taken;
  }

  async function refresh(): Promise<boolean> {
    let taken: boolean;
    if (packMode) taken = await refreshPack();
    else {
      const jws = await fetchJws();
      taken = await takeSnapshot(jws);
      if (taken && storage) await storage.save(jws);
    }
    lastError = undefined;
    return taken;
  }

  async function load(stored: string): Promise<void> {
    if (!packMode) {
      await takeSnapshot(stored);
      return;
    }
    // The full pack and its deltas, each checked again; a chain that breaks anywhere is dropped whole.
    let state: Held | undefined;
    for (const jws of stored.split('\n')) {
      const before = held;
      held = undefined;
      try {
        await takePack(jws, state);
      } finally {
        state = held;
        held = before;
      }
    }
    held = state;
  }

  return {
    async ready() {
      const stored = storage ? await storage.load() : undefined;
      if (stored !== undefined) {
        try {
          await load(stored);
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
    get pack() {
      const p = held?.pack;
      return p && { sequence: p.sequence, generatedAt: new Date(p.generatedAtMs).toISOString(), stateDigest: p.stateDigest, deltasApplied: (held?.chain?.length ?? 1) - 1 };
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
