/**
 * The trust index: the lookup maps a verifier reads (every verification step is a constant-time lookup), built
 * record by record. It is the one shape trust state takes in memory: `indexTrust` builds it from a whole snapshot
 * (an offline verifier), and a server that follows the ledger (the gateway's trust cache) keeps one index current by
 * putting each record its events deliver — a verifier built on the index (`newVerifierOnIndex`) sees every change
 * at once, with no snapshot to rebuild and nothing to compile again. `snapshotOfIndex` turns it back into the
 * snapshot a gateway signs for offline verifiers.
 *
 * A put replaces the record of the same identity (issuer id; issuer and kid; recognising MSP, issuer and credential
 * type; issuer and leaf hash; an anchor's root), so records may arrive more than once and in any order of
 * delivery. Every put validates its record exactly as a snapshot's is validated and throws SNAPSHOT_INVALID.
 */
import { HutongSdkError } from './errors.js';
import { MAX_TREE_SIZE } from './lib/limits.js';
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
  /** The anchor's `notAfter` in ms; absent for an anchor without one (it never expires). */
  notAfterMs?: number;
  /**
   * A trust pack's anchor (docs/protocol.md §6.5): its revoked leaves by leaf index. A pack names revoked leaves
   * by position in the anchored tree, not by leaf hash.
   */
  revoked?: Map<number, SnapshotRevocation>;
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
  /** root (hex) → the anchor of that root. */
  anchors: Map<string, IndexedAnchor>;
  /** The first 20 bytes of a root (40 hex) → a trust pack's anchor with that commitment (docs/protocol.md §6.5). */
  anchorsByPrefix: Map<string, IndexedAnchor>;
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
 * The instant of a ledger time in ms, NaN for anything else. A ledger time is exactly the form the ledger writes
 * (`2026-11-26T07:00:02.000Z`, what toISOString gives): the round trip also refuses what Date.parse would accept and
 * roll over — 30 February, 24:00 — or read in some other form ("Nov 26 2026", a local time without Z, an offset, no
 * milliseconds, a lower-case z).
 */
function ledgerTimeMs(v: unknown): number {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) && new Date(ms).toISOString() === v ? ms : NaN;
}

/** The member types of docs/protocol.md §6.1, one predicate each. */
const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInteger = (min: number, max = Number.MAX_SAFE_INTEGER) => (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
const oneOf = (...values: string[]) => (v: unknown): boolean => typeof v === 'string' && values.includes(v);
const MEMBER_TYPES = {
  /** An identity: a non-empty string. */
  id: (v: unknown) => isString(v) && v.length > 0,
  string: isString,
  strings: (v: unknown) => Array.isArray(v) && v.every(isString),
  time: (v: unknown) => !Number.isNaN(ledgerTimeMs(v)),
  hex64: (v: unknown) => isString(v) && HEX64.test(v),
  object: isObject,
  stringMap: (v: unknown) => isObject(v) && Object.values(v).every(isString),
  names: (v: unknown) => isObject(v) && ['en', 'pt', 'zh-Hans', 'zh-Hant'].every((l) => isString(v[l])),
  boolean: (v: unknown) => typeof v === 'boolean',
  version1: (v: unknown) => v === 1,
  keyAlg: oneOf('ES256', 'EdDSA'),
  keyState: oneOf('proposed', 'active', 'revoked'),
  issuerState: oneOf('proposed', 'active', 'suspended', 'retired'),
  maxAge: isInteger(0),
  policyVersion: isInteger(1),
  leafCount: isInteger(1, MAX_TREE_SIZE),
  leafIndex: isInteger(0, MAX_TREE_SIZE - 1),
  blockNumber: isInteger(0),
} satisfies Record<string, (v: unknown) => boolean>;

/** Member name → type; a `?` after the name makes the member optional (absent; `null` is a value, not absence). */
type RecordTable = Readonly<Record<string, keyof typeof MEMBER_TYPES>>;

/** The snapshot validity table (docs/protocol.md §6.1): required and optional members and their types. */
export const SNAPSHOT_TABLE = {
  document: { version: 'version1', jurisdiction: 'id', generatedAt: 'time' },
  issuer: { id: 'id', ownerMsp: 'id', jurisdiction: 'string', displayName: 'string', 'displayNames?': 'names', credentialTypes: 'strings', state: 'issuerState', 'recognisedUntil?': 'time' },
  key: { issuerId: 'id', kid: 'id', jwk: 'object', alg: 'keyAlg', validFrom: 'time', validUntil: 'time', state: 'keyState', 'revokedAt?': 'time' },
  policy: {
    recognisingMsp: 'id', issuerId: 'id', credentialType: 'id', statusMapping: 'stringMap', acceptedStatuses: 'strings', maxAgeSeconds: 'maxAge',
    validFrom: 'time', 'validUntil?': 'time', version: 'policyVersion', withdrawn: 'boolean',
  },
  anchor: { root: 'hex64', issuerId: 'id', kid: 'id', leafCount: 'leafCount', anchoredAt: 'time', txId: 'id', 'anchoredBy?': 'string', 'blockNumber?': 'blockNumber', 'notAfter?': 'time' },
  revocation: { issuerId: 'id', leafHash: 'hex64', reason: 'string', revokedAt: 'time', 'root?': 'hex64', 'leafIndex?': 'leafIndex', 'notAfter?': 'time' },
} as const satisfies Record<string, RecordTable>;

/** Checks one record against its table (members not in the table are ignored); throws SNAPSHOT_INVALID. */
function checkRecord(v: unknown, table: RecordTable, what: string): void {
  if (!isObject(v)) invalid(`${what}: not an object`);
  for (const [member, type] of Object.entries(table)) {
    const optional = member.endsWith('?');
    const name = optional ? member.slice(0, -1) : member;
    // Own members only (no `constructor` from the prototype); a JavaScript caller's `undefined` is absence, as in JSON.
    const value = Object.prototype.hasOwnProperty.call(v, name) ? v[name] : undefined;
    if (value === undefined) {
      if (optional) continue;
      invalid(`${what}.${name}: missing`);
    }
    if (!MEMBER_TYPES[type](value)) invalid(`${what}.${name}: not ${type}`);
  }
}

function list(v: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(v)) invalid(`${what}: not an array`);
  return v;
}

/** An empty index whose state is known current at `generatedAtMs`. */
export function newTrustIndex(generatedAtMs: number): TrustIndex {
  return { generatedAtMs, issuers: new Map(), recognisedUntilMs: new Map(), anchors: new Map(), anchorsByPrefix: new Map(), keysByIssuer: new Map(), revokedByIssuer: new Map(), policiesByMsp: new Map() };
}

export function putIssuer(index: TrustIndex, i: SnapshotIssuer): void {
  checkRecord(i, SNAPSHOT_TABLE.issuer, 'issuer');
  index.issuers.set(i.id, i);
  if (i.recognisedUntil === undefined) index.recognisedUntilMs.delete(i.id);
  else index.recognisedUntilMs.set(i.id, ledgerTimeMs(i.recognisedUntil));
}

export function putKey(index: TrustIndex, k: SnapshotKey): void {
  checkRecord(k, SNAPSHOT_TABLE.key, 'key');
  const key: IndexedKey = { record: k, validFromMs: ledgerTimeMs(k.validFrom), validUntilMs: ledgerTimeMs(k.validUntil) };
  // The revocation time is `revokedAt` whatever the state says; a `revoked` key without one was never trustworthy.
  if (k.revokedAt !== undefined) key.revokedAtMs = ledgerTimeMs(k.revokedAt);
  else if (k.state === 'revoked') key.revokedAtMs = -Infinity;
  const byKid = entry(index.keysByIssuer, k.issuerId, newMap<IndexedKey>);
  const prev = byKid.get(k.kid);
  // The same public key under a new state keeps its imported form: a key is imported once per kid.
  if (prev !== undefined && JSON.stringify(prev.record.jwk) === JSON.stringify(k.jwk) && prev.record.alg === k.alg) {
    if (prev.imported !== undefined) key.imported = prev.imported;
    if (prev.importedKey !== undefined) key.importedKey = prev.importedKey;
  }
  byKid.set(k.kid, key);
}

/** An anchor's identity is its root (the ledger keys anchors by root and refuses a second one). */
export function putAnchor(index: TrustIndex, a: SnapshotAnchor): void {
  checkRecord(a, SNAPSHOT_TABLE.anchor, 'anchor');
  const anchor: IndexedAnchor = { record: a, anchoredAtMs: ledgerTimeMs(a.anchoredAt) };
  if (a.notAfter !== undefined) anchor.notAfterMs = ledgerTimeMs(a.notAfter);
  index.anchors.set(a.root, anchor);
}

export function putRevocation(index: TrustIndex, r: SnapshotRevocation): void {
  checkRecord(r, SNAPSHOT_TABLE.revocation, 'revocation');
  entry(index.revokedByIssuer, r.issuerId, newMap<SnapshotRevocation>).set(r.leafHash, r);
}

/** With `latest`, the record replaces its predecessor whatever its version (a follower applies records in ledger order). */
export function putPolicy(index: TrustIndex, p: SnapshotPolicy, latest = false): void {
  checkRecord(p, SNAPSHOT_TABLE.policy, 'policy');
  const policy: IndexedPolicy = {
    record: p,
    validFromMs: ledgerTimeMs(p.validFrom),
    validUntilMs: p.validUntil === undefined ? Infinity : ledgerTimeMs(p.validUntil),
  };
  const byType = entry(entry(index.policiesByMsp, p.recognisingMsp, newMap<Map<string, IndexedPolicy>>), p.issuerId, newMap<IndexedPolicy>);
  const prev = byType.get(p.credentialType);
  if (latest || !prev || prev.record.version <= p.version) byType.set(p.credentialType, policy);
}

/**
 * Validates a snapshot and builds its index; throws {@link HutongSdkError} `SNAPSHOT_INVALID`. Besides the table,
 * a snapshot holds no two records of one identity (the ledger keys its records by them, so an export never has
 * two): unlike the puts of a follower, which replace, a second record of an identity makes the document invalid.
 */
export function indexTrust(trust: TrustSnapshot): TrustIndex {
  checkRecord(trust, SNAPSHOT_TABLE.document, 'snapshot');
  const index = newTrustIndex(ledgerTimeMs(trust.generatedAt));
  const seen = new Set<string>();
  const once = (kind: string, ...identity: unknown[]): void => {
    const id = JSON.stringify([kind, ...identity]);
    if (seen.has(id)) invalid(`two ${kind} records of one identity ${JSON.stringify(identity)}`);
    seen.add(id);
  };
  for (const i of list(trust.issuers, 'issuers') as SnapshotIssuer[]) {
    putIssuer(index, i);
    once('issuer', i.id);
  }
  for (const k of list(trust.keys, 'keys') as SnapshotKey[]) {
    putKey(index, k);
    once('key', k.issuerId, k.kid);
  }
  for (const a of list(trust.anchors, 'anchors') as SnapshotAnchor[]) {
    putAnchor(index, a);
    once('anchor', a.root);
  }
  for (const r of list(trust.revocations, 'revocations') as SnapshotRevocation[]) {
    putRevocation(index, r);
    once('revocation', r.issuerId, r.leafHash);
  }
  for (const p of list(trust.policies, 'policies') as SnapshotPolicy[]) {
    putPolicy(index, p);
    once('policy', p.recognisingMsp, p.issuerId, p.credentialType, p.version);
  }
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
  for (const a of index.anchors.values()) anchors.push(a.record);
  const revocations: SnapshotRevocation[] = [];
  for (const byLeaf of index.revokedByIssuer.values()) for (const r of byLeaf.values()) revocations.push(r); // no spread: an issuer's revocations are unbounded
  const policies: SnapshotPolicy[] = [];
  for (const byIssuer of index.policiesByMsp.values()) for (const byType of byIssuer.values()) for (const p of byType.values()) policies.push(p.record);
  return {
    version: 1, jurisdiction, generatedAt: new Date(index.generatedAtMs).toISOString(),
    issuers: [...index.issuers.values()], keys, policies, anchors, revocations,
  };
}
