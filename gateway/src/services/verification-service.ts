/**
 * Checkpoint verification: the SDK's verification core over verifiers compiled from the trust cache. Nothing here
 * waits on the orderer, and the gateway's other traffic — issuance, revocations and the events they cause — adds
 * no compile to the verification path, only constant-time look-ups:
 *
 * - Compiling a verifier is O(trust state), and anchors and revocations grow with every write. The *settled*
 *   verifier holds the issuers, keys, policies and the anchors the cache had when it was compiled. It is compiled
 *   again when issuers, keys or policies change (governance: rare), every RESTAMP_MS (its freshness), and once
 *   RECENT_ANCHORS_MAX anchors have arrived since.
 * - Anchors that arrived since are compiled into a small *recent* verifier (the same issuers, keys and policies, and
 *   only those anchors), consulted only for a credential whose root is one of them.
 * - Revocations are never compiled. The SDK's checks run in a normative order (docs/protocol.md): a result carries
 *   `evidence` exactly when it got as far as the revocation check, so such a result is checked against the cache's
 *   live revocations and, if revoked, answered as the SDK would have: CREDENTIAL_REVOKED, without a mapped status.
 * - A miss (a root, issuer or key the cache lacks) may cost one evaluate on the org's own peer, through the lookup
 *   gate (answers remembered, look-ups coalesced and rate-limited: lookup-gate.ts), then a re-check.
 */
import type { EventCheckpoint } from '@hutong/ledger';
import { newVerifier, type TrustSnapshot, type Verifier, type VerificationResult } from '@hutong/verifier-sdk';
import { impliedRoot } from '@hutong/verifier-sdk/issuer';
import type { CachedAnchor, TrustCache } from '../cache/trust-cache.js';
import { newLookupGate, type LookupGateOptions } from '../cache/lookup-gate.js';
import type { GatewayMetrics } from '../http/metrics.js';
import type { CryptoPool, TrustState } from '../workers/crypto-pool.js';

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
/** What the SDK answers for a credential whose anchor it lacks: the key checks use the anchoring time, if any. */
const ANCHOR_DEPENDENT = new Set(['KEY_REVOKED', 'KEY_NOT_VALID_AT_ANCHOR', 'ROOT_NOT_ANCHORED']);
/** Batches at least this large go to the crypto pool (if there is one); smaller ones cost less than the hop. */
const POOL_MIN_BATCH = 64;
/** A live cache is re-stamped this often, so the compiled snapshot's age reflects the cache's real freshness. */
const RESTAMP_MS = 10_000;
/** The recent verifier holds at most about this many anchors before they are compiled into the settled one. */
const RECENT_ANCHORS_MAX = 1024;

interface Settled {
  coreVersion: number;
  syncedAt: string | undefined;
  /** Anchors of the cache (in arrival order) it holds: positions 0 … anchors − 1. */
  anchors: number;
  verifier: Verifier;
  trust: TrustState;
  at: number;
  costMs: number;
}

interface Recent {
  settledKey: number;
  coreVersion: number;
  anchors: number;
  roots: ReadonlySet<string>;
  verifier: Verifier;
}

export function newVerificationService(
  options: Readonly<{
    cache: TrustCache; mspId: string; maxSnapshotAgeSeconds: number; missLookups: Omit<LookupGateOptions, 'metrics' | 'now'>;
    metrics?: GatewayMetrics; pool?: CryptoPool | undefined; poolMinBatch?: number;
  }>,
): VerificationService {
  const { cache, mspId, metrics, pool } = options;
  const poolMinBatch = options.poolMinBatch ?? POOL_MIN_BATCH;
  const gate = newLookupGate({ ...options.missLookups, metrics });
  let settled: Settled | undefined;
  let recent: Recent | undefined;
  let compiles = 0;

  function snapshotOf(anchors: CachedAnchor[], syncedAt: string | undefined): TrustSnapshot {
    return {
      version: 1, jurisdiction: mspId, generatedAt: syncedAt ?? new Date(0).toISOString(),
      issuers: cache.issuers(), keys: cache.keys(), policies: cache.policies(), anchors, revocations: [],
    };
  }

  function compile(snapshot: TrustSnapshot): Verifier {
    return newVerifier({ trust: snapshot, jurisdiction: mspId, maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds });
  }

  /**
   * The settled verifier. While compiling is cheap (< 5 ms) an issuer, key or policy change is compiled at once; for
   * a large state under a stream of such changes, compiles are spaced by 20× their cost (at most 1 s of staleness,
   * far inside the 3 s revocation budget) so they never take more than ~5 % of a core. `force` skips the spacing.
   */
  function settledVerifier(force = false): Settled {
    const syncedAt = cache.status().syncedAt;
    const c = settled;
    const sameStamp = c !== undefined
      && (c.syncedAt === syncedAt || (syncedAt !== undefined && c.syncedAt !== undefined && Date.parse(syncedAt) - Date.parse(c.syncedAt) < RESTAMP_MS));
    const outdated = c !== undefined && (c.coreVersion !== cache.coreVersion || cache.anchorCount() - c.anchors > RECENT_ANCHORS_MAX);
    const coalescing = c !== undefined && !force && c.costMs >= 5 && Date.now() - c.at < Math.min(c.costMs * 20, 1000);
    if (c !== undefined && sameStamp && !(outdated && !coalescing)) return c;
    const started = performance.now();
    const coreVersion = cache.coreVersion;
    const anchors = cache.anchorCount();
    const snapshot = snapshotOf(cache.anchorsFrom(0), syncedAt);
    const verifier = compile(snapshot);
    // The pool's workers compile the very same snapshot, once each, when they first get a chunk under this key.
    const trust: TrustState = { key: ++compiles, snapshot, jurisdiction: mspId, maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds };
    settled = { coreVersion, syncedAt, anchors, verifier, trust, at: Date.now(), costMs: performance.now() - started };
    return settled;
  }

  /** The verifier of the anchors that arrived after `s` was compiled; undefined when none did. */
  function recentVerifier(s: Settled): Recent | undefined {
    const anchors = cache.anchorCount();
    if (anchors === s.anchors) return undefined;
    if (recent?.settledKey !== s.trust.key || recent.coreVersion !== cache.coreVersion || recent.anchors !== anchors) {
      const arrived = cache.anchorsFrom(s.anchors);
      recent = {
        settledKey: s.trust.key, coreVersion: cache.coreVersion, anchors,
        roots: new Set(arrived.map((a) => a.root)), verifier: compile(snapshotOf(arrived, s.syncedAt)),
      };
    }
    return recent;
  }

  /** The claims a miss is about: the issuer and the root the proof implies; undefined if the QR does not decode. */
  async function subject(v: Verifier, qr: string): Promise<{ iss: string; root: string | undefined } | undefined> {
    try {
      const cred = await v.decode(qr);
      const iss = cred.claims['iss'];
      return typeof iss === 'string' ? { iss, root: impliedRoot(cred.jws, cred.proof) } : undefined;
    } catch {
      return undefined;
    }
  }

  /** A result of the settled verifier `s`, or of the recent one when the credential's root arrived after `s`. */
  async function withRecentAnchors(s: Settled, qr: string, result: VerificationResult): Promise<VerificationResult> {
    if (!ANCHOR_DEPENDENT.has(result.reason)) return result;
    const r = recentVerifier(s);
    if (r === undefined) return result;
    const root = (await subject(s.verifier, qr))?.root;
    return root !== undefined && r.roots.has(root) ? r.verifier.verify(qr) : result;
  }

  /** One look-up, through the gate, for what the cache lacks; true if the cache learned something. */
  async function fillMiss(s: Settled, qr: string, reason: string): Promise<boolean> {
    const about = await subject(s.verifier, qr);
    if (about === undefined) return false;
    if (reason === 'ROOT_NOT_ANCHORED') {
      const { root } = about;
      return root !== undefined && gate.lookup('anchor', root, () => cache.fetchAnchor(root));
    }
    return gate.lookup('issuer', about.iss, () => cache.fetchIssuer(about.iss));
  }

  /** What the SDK would have answered with the cache's revocations compiled in. */
  function withLiveRevocations(result: VerificationResult): VerificationResult {
    const e = result.evidence;
    if (e === undefined || result.reason === 'CREDENTIAL_REVOKED' || cache.revocation(e.issuerId, e.leafHash) === undefined) return result;
    const { mappedStatus: _decidedAfterRevocation, ...revoked } = result;
    return { ...revoked, decision: 'REJECT', reason: 'CREDENTIAL_REVOKED' };
  }

  /** Completes a result of the settled verifier `s`: recent anchors, a cache miss filled from the peer, revocations. */
  async function complete(s: Settled, qr: string, result: VerificationResult): Promise<VerificationResult> {
    let r = await withRecentAnchors(s, qr, result);
    if (MISS_REASONS.has(r.reason) && (await fillMiss(s, qr, r.reason))) {
      const again = settledVerifier(true);
      r = await withRecentAnchors(again, qr, await again.verifier.verify(qr));
    }
    return withLiveRevocations(r);
  }

  function finish(result: VerificationResult): GatewayVerification {
    metrics?.verifications.inc({ reason: result.reason });
    const cp = cache.status().checkpoint;
    return { ...result, verifiedAt: new Date().toISOString(), trustCheckpoint: cp ? { ...cp } : null };
  }

  async function verifyOne(qr: string): Promise<GatewayVerification> {
    const s = settledVerifier();
    return finish(await complete(s, qr, await s.verifier.verify(qr)));
  }

  return {
    verify: verifyOne,
    async verifyMany(qrs) {
      const out: GatewayVerification[] = [];
      if (pool === undefined || qrs.length < poolMinBatch) {
        for (const qr of qrs) out.push(await verifyOne(qr));
        return out;
      }
      // Signatures, proofs and policy checks of the batch on every core; the rest is completed here, one by one.
      const s = settledVerifier();
      const results = await pool.verify(s.trust, qrs);
      for (let i = 0; i < qrs.length; i++) out.push(finish(await complete(s, qrs[i] as string, results[i] as VerificationResult)));
      return out;
    },
    async trustUsability() {
      // The SDK judges the snapshot's time before it decodes anything, so an empty QR asks exactly that question.
      const probe = await settledVerifier().verifier.verify('');
      return { usable: probe.reason !== 'SNAPSHOT_STALE' && probe.reason !== 'SNAPSHOT_INVALID', snapshotAgeSeconds: probe.snapshotAgeSeconds };
    },
  };
}
