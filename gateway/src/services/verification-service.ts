/**
 * Checkpoint verification: the SDK's verification core over the trust cache's own index (cache/trust-records.ts),
 * read live — an event applied to the cache is seen by the next verification, and the gateway's other traffic
 * (issuance, revocations and the events they cause) adds no compile or copy to the verification path. Nothing here
 * waits on the orderer. Batches large enough go to the crypto pool, whose workers keep their own copy of the same
 * index, brought up to date with the records applied since (or a snapshot when too far behind) with each task.
 *
 * A miss (a root, issuer or key the cache lacks) may cost one evaluate on the org's own peer, through the lookup
 * gate (answers remembered, look-ups coalesced and rate-limited: lookup-gate.ts), then a re-check.
 */
import type { EventCheckpoint } from '@hutong/ledger';
import { newVerifierOnIndex, type VerificationResult } from '@hutong/verifier-sdk';
import { impliedRoot } from '@hutong/verifier-sdk/issuer';
import type { TrustCache } from '../cache/trust-cache.js';
import { newLookupGate, type LookupGateOptions } from '../cache/lookup-gate.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { CryptoPool, TrustSource } from '../workers/crypto-pool.js';

export interface GatewayVerification extends VerificationResult {
  verifiedAt: string;
  /** Ledger position of the trust state used: the last event applied to the cache. */
  trustCheckpoint: EventCheckpoint | null;
}

export interface TrustUsability {
  /** False when every verification would be refused for the trust state's age (SNAPSHOT_STALE) or time. */
  usable: boolean;
  snapshotAgeSeconds: number;
}

export interface VerificationService {
  verify(qr: string): Promise<GatewayVerification>;
  verifyMany(qrs: readonly string[]): Promise<GatewayVerification[]>;
  /** Whether the trust state would let a valid credential be accepted now (readiness). */
  trustUsability(): Promise<TrustUsability>;
}

const MISS_REASONS = new Set(['ISSUER_UNKNOWN', 'ISSUER_INACTIVE', 'KEY_UNKNOWN', 'ROOT_NOT_ANCHORED']);
/** Batches at least this large go to the crypto pool (if there is one); smaller ones cost less than the hop. */
const POOL_MIN_BATCH = 64;

export function newVerificationService(
  options: Readonly<{
    cache: TrustCache; mspId: string; maxSnapshotAgeSeconds: number; missLookups: Omit<LookupGateOptions, 'metrics' | 'now'>;
    metrics?: GatewayMetrics; pool?: CryptoPool | undefined; poolMinBatch?: number;
  }>,
): VerificationService {
  const { cache, mspId, metrics, pool } = options;
  const poolMinBatch = options.poolMinBatch ?? POOL_MIN_BATCH;
  const gate = newLookupGate({ ...options.missLookups, metrics });
  const settings = { jurisdiction: mspId, maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds };
  const verifier = newVerifierOnIndex(cache.index, settings);
  const source: TrustSource = {
    ...settings,
    version: () => cache.version,
    generatedAtMs: () => cache.index.generatedAtMs,
    deltaSince: (held) => cache.deltaSince(held, mspId),
  };

  /** The claims a miss is about: the issuer and the root the proof implies; undefined if the QR does not decode. */
  async function subject(qr: string): Promise<{ iss: string; root: string | undefined } | undefined> {
    try {
      const cred = await verifier.decode(qr);
      const iss = cred.claims['iss'];
      return typeof iss === 'string' ? { iss, root: impliedRoot(cred.jws, cred.proof) } : undefined;
    } catch {
      return undefined;
    }
  }

  /** One look-up, through the gate, for what the cache lacks; true if the cache learned something. */
  async function fillMiss(qr: string, reason: string): Promise<boolean> {
    const about = await subject(qr);
    if (about === undefined) return false;
    if (reason === 'ROOT_NOT_ANCHORED') {
      const { root } = about;
      return root !== undefined && gate.lookup('anchor', root, () => cache.fetchAnchor(root));
    }
    return gate.lookup('issuer', about.iss, () => cache.fetchIssuer(about.iss));
  }

  /** A result, checked again once if it is a miss the peer may fill. */
  async function complete(qr: string, result: VerificationResult): Promise<VerificationResult> {
    return MISS_REASONS.has(result.reason) && (await fillMiss(qr, result.reason)) ? verifier.verify(qr) : result;
  }

  function finish(result: VerificationResult): GatewayVerification {
    metrics?.verifications.inc({ reason: result.reason });
    const cp = cache.status().checkpoint;
    return { ...result, verifiedAt: new Date().toISOString(), trustCheckpoint: cp ? { ...cp } : null };
  }

  async function verifyOne(qr: string): Promise<GatewayVerification> {
    return finish(await complete(qr, await verifier.verify(qr)));
  }

  return {
    verify: verifyOne,
    async verifyMany(qrs) {
      const out: GatewayVerification[] = [];
      if (pool === undefined || qrs.length < poolMinBatch) {
        for (const qr of qrs) out.push(await verifyOne(qr));
        return out;
      }
      // Signatures, proofs and policy checks of the batch on every core; misses are completed here, one by one.
      const results = await pool.verify(source, qrs);
      for (let i = 0; i < qrs.length; i++) out.push(finish(await complete(qrs[i] as string, results[i] as VerificationResult)));
      return out;
    },
    async trustUsability() {
      // The SDK judges the snapshot's time before it decodes anything, so an empty QR asks exactly that question.
      const probe = await verifier.verify('');
      return { usable: probe.reason !== 'SNAPSHOT_STALE' && probe.reason !== 'SNAPSHOT_INVALID', snapshotAgeSeconds: probe.snapshotAgeSeconds };
    },
  };
}
