/**
 * The trust index: the lookup maps a verifier reads (every verification step is a constant-time lookup), built
 * record by record. It is the one shape trust state takes in memory: `indexTrust` builds it from a whole snapshot
 * (an offline verifier), and a server that follows the ledger (the gateway's trust cache) keeps one index current by
 * putting each record its events deliver — a verifier built on the index (`newVerifierOnIndex`) sees every change
 * at once, with no snapshot to rebuild and nothing to compile again. `snapshotOfIndex` turns it back into the
 * snapshot a gateway signs for offline verifiers.
 *
 * A put replaces the record of the same identity (issuer id; issuer and kid; recognising MSP, issuer and credential
 * type; issuer and leaf hash; an anchor's transaction), so records may arrive more than once and in any order of
 * delivery. Every put validates its record exactly as a snapshot's is validated and throws SNAPSHOT_INVALID.
 */
import { HutongSdkError } from './errors.js';
import type { SnapshotAnchor, SnapshotIssuer, SnapshotKey, SnapshotPolicy, SnapshotRevocation, TrustSnapshot } from './trust-snapshot.js';

export interface IndexedKey {
  record: SnapshotKey;
  validFromMs: number;
  validUntilMs: number;
  /** -Infinity for a revoked key without a revocation time: nothing is trusted under it. */
  revokedAtMs?: number;
  imported?: Promise<unknown>;
  /** The imported key once `imported` has resolved. */
  importedKey?: unknown;
}

export interface IndexedAnchor {
  record: SnapshotAnchor;
  anchoredAtMs: number;
}

export interface IndexedPolicy {
  record: SnapshotPolicy;
  validFromMs: number;
  validUntilMs: number;
}

/** The maps a verifier reads. */
export interface TrustIndex {
  /** When the state was last known to be the ledger's (the snapshot's `generatedAt`); a follower moves it forward. */
  generatedAtMs: number;
  issuers: Map<string, SnapshotIssuer>;
  /** issuerId → `recognisedUntil` in ms, for issuers whose organisation left the consortium or was suspended. */
  recognisedUntilMs: Map<string, number>;
  /** root (hex) → anchors with that root, earliest first. */
  anchors: Map<string, IndexedAnchor[]>;
  /** issuerId → kid → key, every state (a verifier trusts only `active` and `revoked` ones). */
  keysByIssuer: Map<string, Map<string, IndexedKey>>;
  /** issuerId → leaf hash → revocation. */
  revokedByIssuer: Map<string, Map<string, SnapshotRevocation>>;
  /** recognisingMsp → issuerId → credentialType → policy (a snapshot's highest version; a follower's latest). */
  policiesByMsp: Map<string, Map<string, Map<string, IndexedPolicy>>>;
}

/** `m.get(k)`, created with `make()` first if absent. */
function entry<V>(m: Map<string, V>, k: string, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}
const newMap = <V>(): Map<string, V> => new Map();

const HEX64 = /^[0-9a-f]{64}$/;

function invalid(what: string): never {
  throw new HutongSdkError('SNAPSHOT_INVALID', what);
}

/**
 * A ledger time: exactly the form the ledger writes (`2026-11-26T07:00:02.000Z`, what toISOString gives). The
 * round trip also refuses what Date.parse would accept and roll over — 30 February, 24:00 — or read in some other
 * format ("Nov 26 2026", a local time without Z).
 */
export function ledgerTime(v: unknown, what: string): number {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== v) invalid(`${what}: not an ISO-8601 UTC time of the ledger's form`);
  return ms;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0) invalid(`${what}: not a string`);
  return v;
}

function list<T>(v: unknown, what: string): readonly T[] {
  if (!Array.isArray(v)) invalid(`${what}: not an array`);
  return v as readonly T[];
}

/** An empty index whose state is known current at `generatedAtMs`. */
export function newTrustIndex(generatedAtMs: number): TrustIndex {
  return { generatedAtMs, issuers: new Map(), recognisedUntilMs: new Map(), anchors: new Map(), keysByIssuer: new Map(), revokedByIssuer: new Map(), policiesByMsp: new Map() };
}

export function putIssuer(index: TrustIndex, i: SnapshotIssuer): void {
  const id = str(i?.id, 'issuer.id');
  list(i.credentialTypes, 'issuer.credentialTypes');
  const until = i.recognisedUntil === undefined ? undefined : ledgerTime(i.recognisedUntil, 'issuer.recognisedUntil');
  index.issuers.set(id, i);
  if (until === undefined) index.recognisedUntilMs.delete(id);
  else index.recognisedUntilMs.set(id, until);
}

export function putKey(index: TrustIndex, k: SnapshotKey): void {
  if (k?.state !== 'active' && k?.state !== 'revoked' && k?.state !== 'proposed') invalid('key.state');
  if (k.alg !== 'ES256' && k.alg !== 'EdDSA') invalid('key.alg');
  if (typeof k.jwk !== 'object' || k.jwk === null) invalid('key.jwk');
  const key: IndexedKey = { record: k, validFromMs: ledgerTime(k.validFrom, 'key.validFrom'), validUntilMs: ledgerTime(k.validUntil, 'key.validUntil') };
  if (k.revokedAt !== undefined) key.revokedAtMs = ledgerTime(k.revokedAt, 'key.revokedAt');
  else if (k.state === 'revoked') key.revokedAtMs = -Infinity;
  const byKid = entry(index.keysByIssuer, str(k.issuerId, 'key.issuerId'), newMap<IndexedKey>);
  const kid = str(k.kid, 'key.kid');
  const prev = byKid.get(kid);
  // The same public key under a new state keeps its imported form: a key is imported once per kid.
  if (prev !== undefined && JSON.stringify(prev.record.jwk) === JSON.stringify(k.jwk) && prev.record.alg === k.alg) {
    if (prev.imported !== undefined) key.imported = prev.imported;
    if (prev.importedKey !== undefined) key.importedKey = prev.importedKey;
  }
  byKid.set(kid, key);
}

export function putAnchor(index: TrustIndex, a: SnapshotAnchor): void {
  if (!HEX64.test(a?.root)) invalid('anchor.root: not 64 lower-case hex');
  if (!Number.isSafeInteger(a.leafCount) || a.leafCount < 1) invalid('anchor.leafCount');
  const anchor: IndexedAnchor = { record: a, anchoredAtMs: ledgerTime(a.anchoredAt, 'anchor.anchoredAt') };
  const same = index.anchors.get(a.root);
  if (!same) {
    index.anchors.set(a.root, [anchor]);
    return;
  }
  const at = same.findIndex((x) => x.record.txId === a.txId && x.record.issuerId === a.issuerId);
  if (at >= 0) same[at] = anchor;
  else same.push(anchor);
  same.sort((x, y) => x.anchoredAtMs - y.anchoredAtMs);
}

export function putRevocation(index: TrustIndex, r: SnapshotRevocation): void {
  if (!HEX64.test(r?.leafHash)) invalid('revocation.leafHash: not 64 lower-case hex');
  entry(index.revokedByIssuer, str(r.issuerId, 'revocation.issuerId'), newMap<SnapshotRevocation>).set(r.leafHash, r);
}

/** With `latest`, the record replaces its predecessor whatever its version (a follower applies records in ledger order). */
export function putPolicy(index: TrustIndex, p: SnapshotPolicy, latest = false): void {
  const msp = str(p?.recognisingMsp, 'policy.recognisingMsp'), issuerId = str(p.issuerId, 'policy.issuerId');
  const credentialType = str(p.credentialType, 'policy.credentialType');
  if (typeof p.statusMapping !== 'object' || p.statusMapping === null) invalid('policy.statusMapping');
  list(p.acceptedStatuses, 'policy.acceptedStatuses');
  if (typeof p.maxAgeSeconds !== 'number' || !(p.maxAgeSeconds >= 0)) invalid('policy.maxAgeSeconds');
  const policy: IndexedPolicy = {
    record: p,
    validFromMs: ledgerTime(p.validFrom, 'policy.validFrom'),
    validUntilMs: p.validUntil === undefined ? Infinity : ledgerTime(p.validUntil, 'policy.validUntil'),
  };
  const byType = entry(entry(index.policiesByMsp, msp, newMap<Map<string, IndexedPolicy>>), issuerId, newMap<IndexedPolicy>);
  const prev = byType.get(credentialType);
  if (latest || !prev || prev.record.version < p.version) byType.set(credentialType, policy);
}

/** Validates a snapshot and builds its index; throws {@link HutongSdkError} `SNAPSHOT_INVALID`. */
export function indexTrust(trust: TrustSnapshot): TrustIndex {
  if (typeof trust !== 'object' || trust === null || trust.version !== 1) invalid('version must be 1');
  const index = newTrustIndex(ledgerTime(trust.generatedAt, 'generatedAt'));
  for (const i of list<SnapshotIssuer>(trust.issuers, 'issuers')) putIssuer(index, i);
  for (const k of list<SnapshotKey>(trust.keys, 'keys')) {
    // A proposed key is not trusted; a snapshot may leave it out or carry it.
    if (k?.state === 'active' || k?.state === 'revoked') putKey(index, k);
  }
  for (const a of list<SnapshotAnchor>(trust.anchors, 'anchors')) putAnchor(index, a);
  for (const r of list<SnapshotRevocation>(trust.revocations, 'revocations')) putRevocation(index, r);
  for (const p of list<SnapshotPolicy>(trust.policies, 'policies')) putPolicy(index, p);
  return index;
}

/**
 * The snapshot of an index (what a gateway signs for offline verifiers): every record as it is, proposed issuers and
 * keys included (a verifier trusts neither; a console shows what waits for approval).
 */
export function snapshotOfIndex(index: TrustIndex, jurisdiction: string): TrustSnapshot {
  const keys: SnapshotKey[] = [];
  for (const byKid of index.keysByIssuer.values()) for (const k of byKid.values()) keys.push(k.record);
  const anchors: SnapshotAnchor[] = [];
  for (const same of index.anchors.values()) for (const a of same) anchors.push(a.record);
  const revocations: SnapshotRevocation[] = [];
  for (const byLeaf of index.revokedByIssuer.values()) for (const r of byLeaf.values()) revocations.push(r); // no spread: an issuer's revocations are unbounded
  const policies: SnapshotPolicy[] = [];
  for (const byIssuer of index.policiesByMsp.values()) for (const byType of byIssuer.values()) for (const p of byType.values()) policies.push(p.record);
  return {
    version: 1, jurisdiction, generatedAt: new Date(index.generatedAtMs).toISOString(),
    issuers: [...index.issuers.values()], keys, policies, anchors, revocations,
  };
}
