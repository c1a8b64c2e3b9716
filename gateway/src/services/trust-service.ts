/**
 * Trust distribution: the signed trust snapshot (the SDK's offline input, a compact JWS signed with this
 * organisation's snapshot key) and each issuer's public keys as a JWKS (RFC 7517).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { SNAPSHOT_JWS_TYP } from '@hutong/verifier-sdk';
import type { TrustCache } from '../cache/trust-cache.js';

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
  issuers(): IssuerJwks[];
}

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
