/**
 * Ledger records as the trust cache holds them: each record's identity (the key a later record of the same thing
 * replaces it under) and how it goes into the SDK's trust index — the one in-memory shape of trust state, read by
 * the gateway's verifier on the main thread and, record for record the same, by the crypto pool's workers.
 */
import type { Consortium } from '@hutong/chaincode/domain';
import {
  deadFromMs, dropDeadAnchors, dropDeadRevocation, putAnchor, putIssuer, putKey, putPolicy, putRevocation, type SnapshotAnchor,
  type SnapshotIssuer, type SnapshotKey, type SnapshotPolicy, type SnapshotRevocation, type TrustIndex,
} from '@hutong/verifier-sdk';

/**
 * One ledger record: `type` as the chaincode's events name it, `key` its identity, `value` the record. A removal
 * (the cache pruned an anchor or revocation that can no longer matter) has `prunedAt`, the ledger time of the
 * pruning, and no value: a reader drops the records of that identity that are no longer live at that time.
 */
export interface StoredRecord {
  type: string;
  key: string;
  value: unknown;
  prunedAt?: number;
}

/**
 * From when (ms) the record can no longer matter (docs/protocol.md §6 "Live records"): an anchor's or a
 * revocation's `notAfter` + 600 s. Undefined for every other record and for those without `notAfter`: never.
 */
export function recordDeadFromMs(record: StoredRecord): number | undefined {
  if (record.type !== 'anchor' && record.type !== 'revocation') return undefined;
  const v = record.value as { notAfter?: unknown } | null;
  return typeof v?.notAfter === 'string' ? deadFromMs({ notAfter: v.notAfter }) : undefined;
}

/** The removal of the `type`/`key` record at ledger time `atMs`. */
export function removalRecord(type: string, key: string, atMs: number): StoredRecord {
  return { type, key, value: null, prunedAt: atMs };
}

/** Applies a removal; how many records of the index it removed. */
function applyRemoval(index: TrustIndex, record: StoredRecord & { prunedAt: number }): number {
  if (record.type === 'anchor') return dropDeadAnchors(index, record.key, record.prunedAt);
  if (record.type !== 'revocation') return 0;
  // Issuer ids and leaf hashes never contain '/': the key is `<issuerId>/<leafHash>`.
  const at = record.key.indexOf('/');
  return dropDeadRevocation(index, record.key.slice(0, at), record.key.slice(at + 1), record.prunedAt) ? 1 : 0;
}

/** The identity of a record of `type`, or undefined for a type the cache does not hold. */
export function recordKey(type: string, v: Readonly<Record<string, unknown>>): string | undefined {
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

/** Where the records go: the index, and the consortium record (membership, not read by verification). */
export interface TrustRecordsTarget {
  index: TrustIndex;
  consortium?: Consortium | undefined;
}

/**
 * The issuer as a verifier must see it: one whose organisation is suspended or removed carries the membership
 * change's effective time as `recognisedUntil` (the ledger keeps the issuer record itself unchanged).
 */
function withMembership(issuer: SnapshotIssuer, consortium: Consortium | undefined): SnapshotIssuer {
  const { recognisedUntil: _asBefore, ...own } = issuer;
  const member = consortium?.members.find((m) => m.mspId === issuer.ownerMsp);
  const at = member?.removedAt ?? member?.suspendedAt;
  return at === undefined ? own : { ...own, recognisedUntil: at };
}

/**
 * Puts one record (or applies a removal); true if it changes what governance decides (issuer, key, policy, consortium) rather than what
 * writes accumulate (anchors, revocations). Throws the SDK's SNAPSHOT_INVALID for a record it cannot index.
 */
export function putRecord(target: TrustRecordsTarget, record: StoredRecord): boolean {
  if (record.prunedAt !== undefined) {
    applyRemoval(target.index, record as StoredRecord & { prunedAt: number });
    return false;
  }
  const v = record.value;
  switch (record.type) {
    case 'consortium':
      target.consortium = v as Consortium;
      // A membership change changes whether the members' issuers are recognised.
      for (const issuer of [...target.index.issuers.values()]) putIssuer(target.index, withMembership(issuer, target.consortium));
      return true;
    case 'issuer': putIssuer(target.index, withMembership(v as SnapshotIssuer, target.consortium)); return true;
    case 'issuerKey': putKey(target.index, v as SnapshotKey); return true;
    // Records arrive in ledger order: the latest policy record is the one in force, whatever its version says.
    case 'recognition': putPolicy(target.index, v as SnapshotPolicy, true); return true;
    case 'anchor': putAnchor(target.index, v as SnapshotAnchor); return false;
    case 'revocation': putRevocation(target.index, v as SnapshotRevocation); return false;
    default: return false;
  }
}
