/**
 * Trust distribution: the signed trust snapshot (the SDK's offline input, a compact JWS signed with this
 * organisation's snapshot key) and each issuer's public keys as a JWKS (RFC 7517).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import {
  encodeTrustPack, prepareTrustState, SNAPSHOT_JWS_TYP, TRUST_PACK_JWS_TYP, type SnapshotAnchor, type SnapshotIssuer, type SnapshotKey, type SnapshotPolicy,
  type PreparedTrustState, type SnapshotRevocation, type TrustChanges,
} from '@hutong/verifier-sdk';
import type { TrustCache } from '../cache/trust-cache.js';
import type { StoredRecord } from '../cache/trust-records.js';

const gzipAsync = promisify(gzip);

/** Why a request for a delta was answered with a full pack. */
export type FullPackReason = 'BASE_UNAVAILABLE' | 'BASE_AHEAD';

/** A signed trust pack (docs/protocol.md §6.5) as the gateway answers it. */
export interface SignedTrustPack {
  jws: string;
  kind: 'full' | 'delta';
  sequence: number;
  baseSequence?: number;
  /** With a full pack answering `?since=`: the base asked for, and why it could not be served. */
  requestedSince?: number;
  fullReason?: FullPackReason;
  generatedAt: string;
  stateDigest: string;
  kid: string;
}

/** The answer's JSON, and its gzip, made once per pack. */
export interface EncodedPack {
  pack: SignedTrustPack;
  json: Buffer;
  gzip: Buffer;
}

export interface IssuerJwks {
  issuerId: string;
  displayName: string;
  ownerMsp: string;
  jurisdiction: string;
  state: string;
  credentialTypes: string[];
  jwks: { keys: Array<Record<string, unknown>> };
}

export interface TrustService {
  /** Public JWKS of this organisation's snapshot-signing key, to pin in offline verifiers. */
  readonly snapshotJwks: { keys: Array<Record<string, unknown>> };
  signedSnapshot(): Promise<{ jws: string; generatedAt: string; kid: string }>;
  /** The full trust pack, or with `since` a delta on the state of that sequence (a full pack if it cannot be served). */
  signedPack(since?: number): Promise<EncodedPack>;
  issuers(): IssuerJwks[];
}

/** The identities a delta must carry, from the records the cache applied since its base. */
function changesOf(records: readonly StoredRecord[], cache: TrustCache): TrustChanges {
  const issuers: Array<Pick<SnapshotIssuer, 'id'>> = [], keys: SnapshotKey[] = [], policies: SnapshotPolicy[] = [];
  const anchors: SnapshotAnchor[] = [], revocations: SnapshotRevocation[] = [];
  for (const r of records) {
    // Records the cache applied (trust-records.ts): each has its type's identity members.
    const v = r.value as SnapshotIssuer & SnapshotKey & SnapshotPolicy & SnapshotAnchor & SnapshotRevocation;
    switch (r.type) {
      // A membership change changes every issuer's recognisedUntil.
      case 'consortium': for (const i of cache.issuers()) issuers.push({ id: i.id }); break;
      case 'issuer': issuers.push(v); break;
      case 'issuerKey': keys.push(v); break;
      case 'recognition': policies.push(v); break;
      case 'anchor': anchors.push(v); break;
      case 'revocation': revocations.push(v); break;
      default: break;
    }
  }
  return { issuers, keys, policies, anchors, revocations };
}

/**
 * Packs signed from one prepared state, by what was asked (full, or the base of a delta): at the seed's scale a full
 * pack is ≈ 2 MB of JSON and 1.4 MB gzipped, so at most ≈ 28 MB held.
 */
const PACK_MEMO_ENTRIES = 8;
/**
 * A prepared state serves packs this long even when the cache has moved on: preparing costs a pass over every live
 * record (≈ 0.4 s at the seed's scale), so a stream of events does not make every request pay for one.
 */
const PACK_STATE_REUSE_MS = 5_000;

/** Loads the organisation's ES256 snapshot key from `keyFile`, creating it on first start. */
export async function loadSnapshotKey(keyFile: string, orgName: string): Promise<JWK> {
  if (existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: `${orgName}-snapshot-${Date.now().toString(36)}`, alg: 'ES256' };
  writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

export async function newTrustService(options: Readonly<{ cache: TrustCache; mspId: string; snapshotKey: JWK }>): Promise<TrustService> {
  const { cache, mspId, snapshotKey } = options;
  const key = await importJWK(snapshotKey, 'ES256');
  const { d: _d, ...publicJwk } = snapshotKey;
  const kid = snapshotKey.kid as string;
  let memo: { version: number; generatedAt: string; jws: string } | undefined;
  let packs: { prepared: PreparedTrustState; sequence: number; version: number; preparedAt: number; bySince: Map<string, Promise<EncodedPack>> } | undefined;

  /** The prepared state packs are encoded from: the cache's current one, or one prepared under 5 s ago. */
  function packState(): NonNullable<typeof packs> {
    const unchanged = packs && packs.version === cache.version && packs.prepared.generatedAtMs === cache.index.generatedAtMs;
    if (packs && (unchanged || Date.now() - packs.preparedAt < PACK_STATE_REUSE_MS)) return packs;
    packs = {
      prepared: prepareTrustState(cache.index, { jurisdiction: mspId }), sequence: cache.sequence, version: cache.version, preparedAt: Date.now(),
      bySince: new Map(),
    };
    return packs;
  }

  async function makePack(state: NonNullable<typeof packs>, since: number | undefined): Promise<EncodedPack> {
    const { prepared, sequence } = state;
    let fullReason: FullPackReason | undefined;
    let records: StoredRecord[] | undefined;
    if (since !== undefined) {
      if (since > sequence) fullReason = 'BASE_AHEAD';
      else if ((records = cache.recordsSinceBlock(since)) === undefined) fullReason = 'BASE_UNAVAILABLE';
    }
    // Records logged after the state was prepared are not in it: the encoder writes only what the state holds.
    const delta = since !== undefined && records !== undefined ? { baseSequence: since, changes: changesOf(records, cache) } : undefined;
    const bytes = encodeTrustPack(prepared, { sequence, ...(delta ? { delta } : {}) });
    const jws = await new CompactSign(bytes).setProtectedHeader({ alg: 'ES256', kid, typ: TRUST_PACK_JWS_TYP }).sign(key);
    const pack: SignedTrustPack = {
      jws, kind: delta ? 'delta' : 'full', sequence, ...(delta ? { baseSequence: since } : {}),
      ...(fullReason ? { requestedSince: since, fullReason } : {}),
      generatedAt: new Date(prepared.generatedAtMs).toISOString(), stateDigest: prepared.stateDigest, kid,
    };
    const json = Buffer.from(JSON.stringify(pack));
    return { pack, json, gzip: await gzipAsync(json) };
  }

  return {
    snapshotJwks: { keys: [{ ...publicJwk, use: 'sig' }] },
    async signedSnapshot() {
      const snapshot = cache.snapshot(mspId);
      if (memo && memo.version === cache.version && memo.generatedAt === snapshot.generatedAt) return { jws: memo.jws, generatedAt: memo.generatedAt, kid };
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(snapshot)))
        .setProtectedHeader({ alg: 'ES256', kid, typ: SNAPSHOT_JWS_TYP })
        .sign(key);
      memo = { version: cache.version, generatedAt: snapshot.generatedAt, jws };
      return { jws, generatedAt: snapshot.generatedAt, kid };
    },
    signedPack(since) {
      const state = packState();
      const memoKey = since === undefined ? 'full' : String(since);
      let p = state.bySince.get(memoKey);
      if (!p) {
        if (state.bySince.size >= PACK_MEMO_ENTRIES) state.bySince.clear();
        p = makePack(state, since);
        state.bySince.set(memoKey, p);
        p.catch(() => state.bySince.delete(memoKey));
      }
      return p;
    },
    issuers() {
      return cache.issuers().map((i) => ({
        issuerId: i.id,
        displayName: i.displayName,
        ...(i.displayNames ? { displayNames: i.displayNames } : {}),
        ownerMsp: i.ownerMsp,
        jurisdiction: i.jurisdiction,
        state: i.state,
        credentialTypes: i.credentialTypes,
        jwks: {
          keys: cache
            .keysOf(i.id)
            .filter((k) => k.state !== 'proposed')
            .map((k) => ({
              ...k.jwk, kid: k.kid, alg: k.alg, use: 'sig',
              // Not JWK members, but what a verifier needs to judge the key (RFC 7517 §4 allows extra members).
              state: k.state, validFrom: k.validFrom, validUntil: k.validUntil, ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
            })),
        },
      }));
    },
  };
}
