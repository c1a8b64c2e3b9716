/**
 * Checkpoint verification: the SDK's verification core over a verifier compiled from the trust cache. Nothing here
 * waits on the orderer: the compiled verifier is rebuilt only when the cache changed, and a cache miss (a root,
 * issuer or key the events have not delivered yet) costs one evaluate on the org's own peer, then a re-check.
 */
import type { EventCheckpoint } from '@hutong/ledger';
import { newVerifier, type Verifier, type VerificationResult } from '@hutong/verifier-sdk';
import type { TrustCache } from '../cache/trust-cache.js';
import type { GatewayMetrics } from '../http/metrics.js';
import type { CryptoPool, TrustState } from '../workers/crypto-pool.js';
import { impliedRoot } from '@hutong/verifier-sdk/issuer';

export interface GatewayVerification extends VerificationResult {
  verifiedAt: string;
  /** Ledger position of the trust state used: the last event applied to the cache. */
  trustCheckpoint: EventCheckpoint | null;
}

export interface VerificationService {
  verify(qr: string): Promise<GatewayVerification>;
  verifyMany(qrs: readonly string[]): Promise<GatewayVerification[]>;
}

const MISS_REASONS = new Set(['ISSUER_UNKNOWN', 'ISSUER_INACTIVE', 'KEY_UNKNOWN', 'ROOT_NOT_ANCHORED']);
/** Batches at least this large go to the crypto pool (if there is one); smaller ones cost less than the hop. */
const POOL_MIN_BATCH = 64;
/** A live cache is re-stamped this often, so the compiled snapshot's age reflects the cache's real freshness. */
const RESTAMP_MS = 10_000;

export function newVerificationService(
  options: Readonly<{ cache: TrustCache; mspId: string; maxSnapshotAgeSeconds: number; metrics?: GatewayMetrics; pool?: CryptoPool | undefined; poolMinBatch?: number }>,
): VerificationService {
  const { cache, mspId, metrics, pool } = options;
  const poolMinBatch = options.poolMinBatch ?? POOL_MIN_BATCH;
  let compiled: { version: number; syncedAt: string | undefined; verifier: Verifier; trust: TrustState; at: number; costMs: number } | undefined;
  let compiles = 0;

  /**
   * The verifier for the current trust state. Compiling is O(state); while it is cheap (< 5 ms) every change is
   * compiled at once. For a large state under a stream of changes, recompiles are spaced by 20× their cost (at most
   * 1 s of staleness, far inside the 3 s revocation budget) so they never take more than ~5 % of a core.
   */
  function verifier(force = false): Verifier {
    const syncedAt = cache.status().syncedAt;
    const sameVersion = compiled !== undefined && compiled.version === cache.version;
    const sameStamp = compiled !== undefined
      && (compiled.syncedAt === syncedAt || (syncedAt !== undefined && compiled.syncedAt !== undefined && Date.parse(syncedAt) - Date.parse(compiled.syncedAt) < RESTAMP_MS));
    const coalescing = compiled !== undefined && !force && compiled.costMs >= 5 && Date.now() - compiled.at < Math.min(compiled.costMs * 20, 1000);
    if (!compiled || !sameStamp || (!sameVersion && !coalescing)) {
      const started = performance.now();
      const snapshot = cache.snapshot(mspId);
      const v = newVerifier({ trust: snapshot, jurisdiction: mspId, maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds });
      // The pool's workers compile the very same snapshot, once each, when they first get a chunk under this key.
      const trust: TrustState = { key: ++compiles, snapshot, jurisdiction: mspId, maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds };
      compiled = { version: cache.version, syncedAt, verifier: v, trust, at: Date.now(), costMs: performance.now() - started };
    }
    return compiled.verifier;
  }

  /** One evaluate for what the cache lacks; true if something new was learned. */
  async function fillMiss(v: Verifier, qr: string, reason: string): Promise<boolean> {
    let cred;
    try {
      cred = await v.decode(qr);
    } catch {
      return false;
    }
    const iss = cred.claims['iss'];
    if (typeof iss !== 'string') return false;
    if (reason === 'ROOT_NOT_ANCHORED') {
      const root = impliedRoot(cred.jws, cred.proof);
      return root !== undefined && (await cache.fetchAnchor(root));
    }
    return cache.fetchIssuer(iss);
  }

  /** A cache miss: fill it from the peer and verify again in-process, exactly as a single verification would. */
  async function settle(v: Verifier, qr: string, result: VerificationResult): Promise<VerificationResult> {
    if (MISS_REASONS.has(result.reason) && (await fillMiss(v, qr, result.reason))) return verifier(true).verify(qr);
    return result;
  }

  function finish(result: VerificationResult): GatewayVerification {
    metrics?.verifications.inc({ reason: result.reason });
    const cp = cache.status().checkpoint;
    return { ...result, verifiedAt: new Date().toISOString(), trustCheckpoint: cp ? { ...cp } : null };
  }

  async function verifyOne(qr: string): Promise<GatewayVerification> {
    const v = verifier();
    return finish(await settle(v, qr, await v.verify(qr)));
  }

  return {
    verify: verifyOne,
    async verifyMany(qrs) {
      const out: GatewayVerification[] = [];
      if (pool === undefined || qrs.length < poolMinBatch) {
        for (const qr of qrs) out.push(await verifyOne(qr));
        return out;
      }
      // Signatures, proofs and policy checks of the batch on every core; misses are settled here, one by one.
      const v = verifier();
      const results = await pool.verify((compiled as { trust: TrustState }).trust, qrs);
      for (let i = 0; i < qrs.length; i++) out.push(finish(await settle(v, qrs[i] as string, results[i] as VerificationResult)));
      return out;
    },
  };
}
