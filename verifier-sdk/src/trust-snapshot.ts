/**
 * The trust snapshot: the ledger records an offline verifier needs, shaped exactly like the chaincode's world-state
 * records (chaincode/src/domain/model.ts) so a gateway can serialise them as they are. Times are ISO-8601 UTC.
 */
import type { CredentialAlg, PublicJwk } from './lib/crypto-backend.js';

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
  /** The name in zh-Hant, zh-Hans, pt and en, when the issuer's organisation gave them. */
  displayNames?: Readonly<Record<'en' | 'pt' | 'zh-Hans' | 'zh-Hant', string>>;
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
  /** The latest `exp` of the batch (ISO-8601): the anchor can be dropped once `notAfter` + 600 s has passed. */
  notAfter?: string;
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
  /** The anchored root the revoked leaf is in (its position, with `leafIndex`: docs/protocol.md §6.1). */
  root?: string;
  leafIndex?: number;
  /** The credential's `exp` (ISO-8601): the revocation can be dropped once `notAfter` + 600 s has passed. */
  notAfter?: string;
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
