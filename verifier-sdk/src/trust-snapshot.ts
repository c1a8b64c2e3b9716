/**
 * The trust snapshot: the ledger records an offline verifier needs, shaped exactly like the chaincode's world-state
 * records (chaincode/src/domain/model.ts) so a gateway can serialise them as they are. Times are ISO-8601 UTC.
 */
import type { CredentialAlg, PublicJwk } from './lib/crypto-backend.js';
import { HutongSdkError } from './errors.js';

export type { CredentialAlg, PublicJwk };

/**
 * A credential issuer (ledger record `issuer`). Only `state: 'active'` issuers are trusted.
 *
 * @example
 * ```ts
 * const issuer: SnapshotIssuer = { id: 'gd-health-code', ownerMsp: 'GuangdongMSP', jurisdiction: 'guangdong',
 *   displayName: '广东省健康码中心', credentialTypes: ['health-code'], state: 'active' };
 * ```
 */
export interface SnapshotIssuer {
  id: string;
  ownerMsp: string;
  jurisdiction: string;
  displayName: string;
  credentialTypes: readonly string[];
  state: 'proposed' | 'active' | 'suspended' | 'retired';
  /**
   * Set when the issuer's organisation was suspended or removed from the consortium (the membership change's
   * effective time): from this instant the issuer is not recognised; verifications before it stay as they were.
   */
  recognisedUntil?: string;
}

/**
 * An issuer's public key (ledger record `issuerKey`). Keys in state `proposed` are ignored.
 *
 * @example
 * ```ts
 * const key: SnapshotKey = { issuerId: 'gd-health-code', kid: 'gd-hc-2026-01', alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x },
 *   validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', state: 'active' };
 * ```
 */
export interface SnapshotKey {
  issuerId: string;
  kid: string;
  jwk: PublicJwk;
  alg: CredentialAlg;
  validFrom: string;
  validUntil: string;
  state: 'proposed' | 'active' | 'revoked';
  /** Credentials anchored at or after this instant are not trusted under this key. */
  revokedAt?: string;
}

/**
 * What one recognising MSP accepts from one issuer for one credential type (ledger record `recognition`).
 *
 * @example
 * ```ts
 * const macau: SnapshotPolicy = { recognisingMsp: 'MacauMSP', issuerId: 'gd-health-code', credentialType: 'health-code',
 *   statusMapping: { green: 'green' }, acceptedStatuses: ['green'], maxAgeSeconds: 21600,
 *   validFrom: '2026-01-01T00:00:00.000Z', version: 3, withdrawn: false };
 * ```
 */
export interface SnapshotPolicy {
  recognisingMsp: string;
  issuerId: string;
  credentialType: string;
  statusMapping: Readonly<Record<string, string>>;
  acceptedStatuses: readonly string[];
  maxAgeSeconds: number;
  validFrom: string;
  validUntil?: string;
  version: number;
  withdrawn: boolean;
}

/**
 * A Merkle root anchored on the ledger (ledger record `anchor`, plus the block that committed it).
 *
 * @example
 * ```ts
 * const anchor: SnapshotAnchor = { root, issuerId: 'gd-health-code', kid: 'gd-hc-2026-01', leafCount: 4096,
 *   anchoredAt: '2026-11-26T07:00:02.000Z', txId, blockNumber: 1234 };
 * ```
 */
export interface SnapshotAnchor {
  root: string;
  issuerId: string;
  kid: string;
  leafCount: number;
  anchoredAt: string;
  txId: string;
  anchoredBy?: string;
  blockNumber?: number;
}

/**
 * A revoked credential (ledger record `revocation`), identified by its lower-case hex leaf hash.
 *
 * @example
 * ```ts
 * const rev: SnapshotRevocation = { issuerId: 'gd-health-code', leafHash, reason: 'status-change', revokedAt: '2026-11-26T09:00:00.000Z' };
 * ```
 */
export interface SnapshotRevocation {
  issuerId: string;
  leafHash: string;
  reason: string;
  revokedAt: string;
}

/**
 * Everything an offline verifier trusts, exported by a gateway from its ledger view.
 *
 * @example
 * ```ts
 * const trust: TrustSnapshot = await (await fetch('https://gw.example.mo/v1/trust-snapshot')).json();
 * const verifier = newVerifier({ trust, jurisdiction: 'MacauMSP' });
 * ```
 */
export interface TrustSnapshot {
  version: 1;
  /** MSP id of the organisation whose gateway produced the snapshot (informational). */
  jurisdiction: string;
  generatedAt: string;
  issuers: readonly SnapshotIssuer[];
  keys: readonly SnapshotKey[];
  policies: readonly SnapshotPolicy[];
  anchors: readonly SnapshotAnchor[];
  revocations: readonly SnapshotRevocation[];
}

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

/** Maps built once per snapshot; every verification step is a constant-time lookup. */
export interface IndexedTrust {
  generatedAtMs: number;
  issuers: Map<string, SnapshotIssuer>;
  /** issuerId → `recognisedUntil` in ms, for issuers whose organisation left or was suspended. */
  recognisedUntilMs: Map<string, number>;
  /** root (hex) → anchors with that root, earliest first. */
  anchors: Map<string, IndexedAnchor[]>;
  /** issuerId → kid → key (nested, so no key string is built per verification). */
  keysByIssuer: Map<string, Map<string, IndexedKey>>;
  /** issuerId → revoked leaf hashes. */
  revokedByIssuer: Map<string, Set<string>>;
  /** recognisingMsp → issuerId → credentialType → highest-version policy. */
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
function time(v: unknown, what: string): number {
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

/** Validates a snapshot and builds its lookup maps; throws {@link HutongSdkError} `SNAPSHOT_INVALID`. */
export function indexTrust(trust: TrustSnapshot): IndexedTrust {
  if (typeof trust !== 'object' || trust === null || trust.version !== 1) invalid('version must be 1');
  const out: IndexedTrust = {
    generatedAtMs: time(trust.generatedAt, 'generatedAt'),
    issuers: new Map(), recognisedUntilMs: new Map(), anchors: new Map(), keysByIssuer: new Map(), revokedByIssuer: new Map(), policiesByMsp: new Map(),
  };
  for (const i of list<SnapshotIssuer>(trust.issuers, 'issuers')) {
    out.issuers.set(str(i?.id, 'issuer.id'), i);
    if (i.recognisedUntil !== undefined) out.recognisedUntilMs.set(i.id, time(i.recognisedUntil, 'issuer.recognisedUntil'));
    list(i.credentialTypes, 'issuer.credentialTypes');
  }
  for (const k of list<SnapshotKey>(trust.keys, 'keys')) {
    if (k?.state !== 'active' && k?.state !== 'revoked') continue;
    if (k.alg !== 'ES256' && k.alg !== 'EdDSA') invalid('key.alg');
    if (typeof k.jwk !== 'object' || k.jwk === null) invalid('key.jwk');
    const key: IndexedKey = {
      record: k,
      validFromMs: time(k.validFrom, 'key.validFrom'),
      validUntilMs: time(k.validUntil, 'key.validUntil'),
    };
    if (k.revokedAt !== undefined) key.revokedAtMs = time(k.revokedAt, 'key.revokedAt');
    else if (k.state === 'revoked') key.revokedAtMs = -Infinity;
    entry(out.keysByIssuer, str(k.issuerId, 'key.issuerId'), newMap<IndexedKey>).set(str(k.kid, 'key.kid'), key);
  }
  for (const a of list<SnapshotAnchor>(trust.anchors, 'anchors')) {
    if (!HEX64.test(a?.root)) invalid('anchor.root: not 64 lower-case hex');
    if (!Number.isSafeInteger(a.leafCount) || a.leafCount < 1) invalid('anchor.leafCount');
    const anchor: IndexedAnchor = { record: a, anchoredAtMs: time(a.anchoredAt, 'anchor.anchoredAt') };
    const same = out.anchors.get(a.root);
    if (same) { same.push(anchor); same.sort((x, y) => x.anchoredAtMs - y.anchoredAtMs); }
    else out.anchors.set(a.root, [anchor]);
  }
  for (const r of list<SnapshotRevocation>(trust.revocations, 'revocations')) {
    if (!HEX64.test(r?.leafHash)) invalid('revocation.leafHash: not 64 lower-case hex');
    entry(out.revokedByIssuer, str(r.issuerId, 'revocation.issuerId'), () => new Set<string>()).add(r.leafHash);
  }
  for (const p of list<SnapshotPolicy>(trust.policies, 'policies')) {
    const msp = str(p?.recognisingMsp, 'policy.recognisingMsp'), issuerId = str(p.issuerId, 'policy.issuerId');
    const credentialType = str(p.credentialType, 'policy.credentialType');
    if (typeof p.statusMapping !== 'object' || p.statusMapping === null) invalid('policy.statusMapping');
    list(p.acceptedStatuses, 'policy.acceptedStatuses');
    if (typeof p.maxAgeSeconds !== 'number' || !(p.maxAgeSeconds >= 0)) invalid('policy.maxAgeSeconds');
    const policy: IndexedPolicy = {
      record: p,
      validFromMs: time(p.validFrom, 'policy.validFrom'),
      validUntilMs: p.validUntil === undefined ? Infinity : time(p.validUntil, 'policy.validUntil'),
    };
    const byType = entry(entry(out.policiesByMsp, msp, newMap<Map<string, IndexedPolicy>>), issuerId, newMap<IndexedPolicy>);
    const prev = byType.get(credentialType);
    if (!prev || prev.record.version < p.version) byType.set(credentialType, policy);
  }
  return out;
}
