/**
 * Offline-first verification for one checkpoint, on the SDK's trust store (`newTrustStore`: the gateway's signed
 * snapshot opened with pinned keys, kept as the JWS in localStorage and checked again when loaded, never replaced by
 * an older one; the SDK's browser build verifies against it). What the console adds: the snapshot keys and
 * jurisdiction are pinned at sign-in (the first checkpoint screen after it takes this gateway's), the gateway is asked
 * when the local answer may only mean the snapshot is older than the ledger, and the trust bar is told what changed.
 * The snapshot holds no personal data (issuers, keys, roots, revoked leaf hashes, policies).
 */
import { localStorageTrustStorage, newTrustStore as newSdkTrustStore, type TrustStore as SdkTrustStore, type VerificationResult } from '@hutong/verifier-sdk';
import { ApiError, type Api } from '../api/gateway-api';

type Jwks = Parameters<typeof newSdkTrustStore>[0]['jwks'];

/** What sign-in pinned: the gateway's jurisdiction and snapshot keys. */
interface Pin { jurisdiction: string; jwks: Jwks }

export interface TrustState {
  /** When the snapshot was made by the gateway (its age is what the verifier judges). */
  generatedAt?: string;
  /** When this page last fetched one. */
  fetchedAt?: number;
  online: boolean;
  /** Code of the last refresh failure, if the last one failed. */
  lastError?: string;
}

export interface Decision {
  result: VerificationResult;
  /** Where the decision was made: this page, or the gateway (fallback). */
  source: 'offline' | 'gateway';
}

const PIN_KEY = 'hutong.trust.pin';
const SNAPSHOT_KEY = 'hutong.trust.snapshot';
/** Outcomes the local snapshot may give only because it is older than the ledger: ask the gateway when it answers. */
const ASK_GATEWAY = new Set(['SNAPSHOT_STALE', 'SNAPSHOT_INVALID', 'ISSUER_UNKNOWN', 'KEY_UNKNOWN', 'ROOT_NOT_ANCHORED', 'POLICY_NOT_FOUND']);
/** The verifier refuses (SNAPSHOT_STALE) with an older snapshot; the trust bar warns past it. */
export const MAX_AGE_SECONDS = 3600;

export interface TrustStore {
  state(): TrustState;
  /**
   * Fetches a snapshot, opened with the snapshot keys pinned at sign-in; when none are pinned yet (the first
   * checkpoint screen after sign-in) pins the gateway's keys and jurisdiction first. A snapshot signed with another
   * key is refused (SNAPSHOT_SIGNATURE_INVALID) until the officer signs in again.
   */
  pin(): Promise<void>;
  refresh(): Promise<void>;
  verify(qr: string): Promise<Decision>;
  onChange(listener: () => void): () => void;
}

export function newTrustStore(api: Api): TrustStore {
  const s: TrustState = { online: true };
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  let sdk: SdkTrustStore | undefined;
  let ready: Promise<void> = Promise.resolve();

  /** The SDK's store for `pin`; its first load takes the stored snapshot (and tries a fetch). */
  function open(pin: Pin): void {
    sdk = newSdkTrustStore({
      fetchSnapshot: async () => (await api<{ jws: string }>('GET', '/v1/trust/snapshot')).jws,
      jwks: pin.jwks, jurisdiction: pin.jurisdiction, storage: localStorageTrustStorage(SNAPSHOT_KEY),
      maxSnapshotAgeSeconds: MAX_AGE_SECONDS, refreshIntervalSeconds: 0, // the screen refreshes on its own timer
    });
    const store = sdk;
    ready = store.ready().then(() => noteFetch(store), () => noteFailure(store.lastError)).then(() => {
      if (store.snapshot) s.generatedAt = store.snapshot.generatedAt;
      changed();
    });
  }

  function noteFetch(store: SdkTrustStore): void {
    if (store.lastError === undefined) {
      s.fetchedAt = Date.now();
      s.online = true;
      delete s.lastError;
    } else noteFailure(store.lastError);
  }

  function noteFailure(e: unknown): void {
    // The store's first load wraps what failed it (nothing stored, and the fetch failed) in SNAPSHOT_UNAVAILABLE.
    const wrapped = (e as { code?: string; cause?: unknown })?.code === 'SNAPSHOT_UNAVAILABLE' && (e as { cause?: unknown }).cause !== undefined;
    const cause = wrapped ? (e as { cause: unknown }).cause : e;
    const code = (cause as { code?: string })?.code ?? 'SNAPSHOT_INVALID';
    // A snapshot the pinned keys refuse is not a network failure: the gateway answered, and is not believed.
    s.online = code !== 'NETWORK_UNREACHABLE' && !(cause instanceof ApiError && cause.status >= 500);
    s.lastError = code;
  }

  async function fetchNow(): Promise<void> {
    await ready;
    const store = sdk as SdkTrustStore;
    try {
      await store.refresh();
      noteFetch(store);
    } catch (e) {
      noteFailure(e);
    }
    if (store.snapshot) s.generatedAt = store.snapshot.generatedAt;
    changed();
  }

  async function pin(): Promise<void> {
    await ready;
    if (sdk) return fetchNow();
    // Nothing pinned since sign-in: take this gateway's jurisdiction and snapshot keys now, and keep them.
    const [health, jwks] = await Promise.all([api<{ org: string }>('GET', '/healthz'), api<Jwks>('GET', '/v1/trust/snapshot-keys')]);
    const chosen: Pin = { jurisdiction: health.org, jwks };
    localStorage.setItem(PIN_KEY, JSON.stringify(chosen));
    open(chosen);
    await ready;
  }

  const pinned = loadPin();
  if (pinned) open(pinned);

  return {
    state: () => ({ ...s }),
    pin,
    async refresh() {
      await ready;
      return sdk ? fetchNow() : pin();
    },
    async verify(qr) {
      await ready;
      const local = sdk?.snapshot ? await sdk.verify(qr) : undefined;
      if (local && !ASK_GATEWAY.has(local.reason)) return { result: local, source: 'offline' };
      try {
        const remote = await api<VerificationResult>('POST', '/v1/verifications', { qr });
        s.online = true;
        return { result: remote, source: 'gateway' };
      } catch (e) {
        s.online = false;
        changed();
        if (local) return { result: local, source: 'offline' };
        throw e;
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Sign-in and sign-out drop the snapshot and its pinned keys: the next checkpoint screen pins afresh. */
export function forgetTrust(): void {
  localStorage.removeItem(PIN_KEY);
  localStorage.removeItem(SNAPSHOT_KEY);
}

function loadPin(): Pin | undefined {
  try {
    const raw = localStorage.getItem(PIN_KEY);
    return raw ? (JSON.parse(raw) as Pin) : undefined;
  } catch {
    return undefined;
  }
}
