/**
 * Offline-first verification for one checkpoint: the gateway's signed trust snapshot, opened with the snapshot keys
 * pinned at sign-in, compiled into the SDK's verifier (browser build: WebCrypto + @noble/curves), kept in
 * localStorage so the page decides while the gateway is away, refreshed in the background. The snapshot holds no
 * personal data (issuers, keys, roots, revoked leaf hashes, policies).
 */
import { newVerifier, openSignedSnapshot, type VerificationResult, type Verifier } from '@hutong/verifier-sdk';
import { ApiError, type Api } from '../api/gateway-api';

type Jwks = Parameters<typeof openSignedSnapshot>[1]['jwks'];

interface Stored { jws: string; fetchedAt: number; generatedAt: string; jurisdiction: string; jwks: Jwks }

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

const STORE_KEY = 'hutong.trust.snapshot';
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
  let stored: Stored | undefined = load();
  let verifier: Verifier | undefined;
  const s: TrustState = { online: true, ...(stored ? { generatedAt: stored.generatedAt, fetchedAt: stored.fetchedAt } : {}) };
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());

  async function compile(entry: Stored): Promise<void> {
    const trust = await openSignedSnapshot(entry.jws, { jwks: entry.jwks, jurisdiction: entry.jurisdiction });
    verifier = newVerifier({ trust, jurisdiction: entry.jurisdiction, maxSnapshotAgeSeconds: MAX_AGE_SECONDS });
    stored = entry;
    s.generatedAt = entry.generatedAt;
    s.fetchedAt = entry.fetchedAt;
  }
  const ready = stored ? compile(stored).catch(() => { stored = undefined; }) : Promise.resolve();

  const store: TrustStore = {
    state: () => ({ ...s }),
    async pin() {
      await ready;
      if (stored) return fetchSnapshot(stored.jurisdiction, stored.jwks);
      // Nothing pinned since sign-in: take this gateway's jurisdiction and snapshot keys now, and keep them.
      const [health, jwks] = await Promise.all([api<{ org: string }>('GET', '/healthz'), api<Jwks>('GET', '/v1/trust/snapshot-keys')]);
      await fetchSnapshot(health.org, jwks);
    },
    async refresh() {
      await ready;
      if (!stored) return store.pin();
      await fetchSnapshot(stored.jurisdiction, stored.jwks);
    },
    async verify(qr) {
      await ready;
      const local = verifier ? await verifier.verify(qr) : undefined;
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

  async function fetchSnapshot(jurisdiction: string, jwks: Jwks): Promise<void> {
    try {
      const { jws, generatedAt } = await api<{ jws: string; generatedAt: string }>('GET', '/v1/trust/snapshot');
      const entry: Stored = { jws, generatedAt, fetchedAt: Date.now(), jurisdiction, jwks };
      await compile(entry);
      localStorage.setItem(STORE_KEY, JSON.stringify(entry));
      s.online = true;
      delete s.lastError;
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'SNAPSHOT_INVALID';
      // A snapshot the pinned keys refuse is not a network failure: the gateway answered, and is not believed.
      s.online = code !== 'NETWORK_UNREACHABLE' && !(e instanceof ApiError && e.status >= 500);
      s.lastError = code;
    }
    changed();
  }
  return store;
}

/** Sign-in and sign-out drop the snapshot and its pinned keys: the next checkpoint screen pins afresh. */
export function forgetTrust(): void {
  localStorage.removeItem(STORE_KEY);
}

function load(): Stored | undefined {
  try {
    const raw = localStorage.getItem(STORE_KEY);
    return raw ? (JSON.parse(raw) as Stored) : undefined;
  } catch {
    return undefined;
  }
}
