/**
 * Live records (docs/protocol.md §6 "Live records"): which anchors and revocations can still change a decision.
 * An anchor carries `notAfter`, the latest `exp` of its batch, and a verifier rejects a credential that expires later
 * (`EXPIRY_BEYOND_ANCHOR`); a revocation carries its anchor's `notAfter`. So from `notAfter` + 600 s (the largest
 * clock skew a verifier may allow) every credential of the batch is `EXPIRED` at step 8 at any allowed skew, and the
 * record may be dropped from a snapshot or an index without changing any decision. Records without `notAfter`
 * (written before anchors had a lifetime) stay for ever; issuers, keys and policies are never dropped.
 */
import type { TrustIndex } from './trust-index.js';
import type { SnapshotAnchor, SnapshotRevocation, TrustSnapshot } from './trust-snapshot.js';

/** The largest clock skew a verifier may be configured with (`clockSkewSeconds` ≤ 600), in ms. */
export const MAX_CLOCK_SKEW_MS = 600_000;

/**
 * The instant (ms) from which a record with `notAfter` can no longer matter: `notAfter` + 600 s. Undefined for a
 * record without `notAfter` (never) or with one that is not a time (the index refuses those anyway).
 */
export function deadFromMs(record: Readonly<{ notAfter?: string | undefined }>): number | undefined {
  if (record.notAfter === undefined) return undefined;
  const ms = Date.parse(record.notAfter);
  return Number.isFinite(ms) ? ms + MAX_CLOCK_SKEW_MS : undefined;
}

/** Whether an anchor or revocation can still matter at `nowMs` (the ledger's time, for a cache that follows it). */
export function isLiveRecord(record: Readonly<{ notAfter?: string | undefined }>, nowMs: number): boolean {
  const dead = deadFromMs(record);
  return dead === undefined || nowMs < dead;
}

/** The snapshot without the anchors and revocations that can no longer matter at `nowMs`; the same object if none. */
export function liveSnapshot(snapshot: TrustSnapshot, nowMs: number): TrustSnapshot {
  const anchors = snapshot.anchors.filter((a: SnapshotAnchor) => isLiveRecord(a, nowMs));
  const revocations = snapshot.revocations.filter((r: SnapshotRevocation) => isLiveRecord(r, nowMs));
  if (anchors.length === snapshot.anchors.length && revocations.length === snapshot.revocations.length) return snapshot;
  return { ...snapshot, anchors, revocations };
}

/** Removes from `index` the anchor of `root` if it can no longer matter at `nowMs`; returns how many it removed (0 or 1). */
export function dropDeadAnchors(index: TrustIndex, root: string, nowMs: number): number {
  const anchor = index.anchors.get(root);
  if (anchor === undefined || isLiveRecord(anchor.record, nowMs)) return 0;
  index.anchors.delete(root);
  return 1;
}

/** Removes the revocation of `(issuerId, leafHash)` if it can no longer matter at `nowMs`; true if it did. */
export function dropDeadRevocation(index: TrustIndex, issuerId: string, leafHash: string, nowMs: number): boolean {
  const byLeaf = index.revokedByIssuer.get(issuerId);
  const r = byLeaf?.get(leafHash);
  if (byLeaf === undefined || r === undefined || isLiveRecord(r, nowMs)) return false;
  byLeaf.delete(leafHash);
  if (byLeaf.size === 0) index.revokedByIssuer.delete(issuerId);
  return true;
}
