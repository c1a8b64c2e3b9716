/**
 * The ledger model: every record hutong keeps in world state. Only public keys, hashes, policies and counts —
 * never personal data. Times are ISO-8601 UTC strings with millisecond precision taken from the transaction
 * timestamp (never the clock). Hashes and Merkle roots are lower-case hex SHA-256 (64 characters).
 */

export type MemberState = 'active' | 'suspended' | 'removed';

/** A member's or an issuer's name in the four languages of the Greater Bay Area's officers. */
export interface LocalisedNames {
  en: string;
  pt: string;
  'zh-Hans': string;
  'zh-Hant': string;
}

/**
 * A member organisation of the channel (one jurisdiction). Members set by `InitLedger` carry only `mspId` and
 * `jurisdiction` (and optionally names): an absent `state` means active since `Consortium.initialisedAt`.
 */
export interface Member {
  mspId: string;
  /** Short lower-case jurisdiction name, e.g. `guangdong`, `macau`. */
  jurisdiction: string;
  displayNames?: LocalisedNames;
  state?: MemberState;
  /** When a membership proposal admitted it (the enacting transaction's time). */
  joinedAt?: string;
  /** From this instant its issuers are not recognised, until it is resumed. */
  suspendedAt?: string;
  /** From this instant its issuers are not recognised; the member's records stay on the ledger. */
  removedAt?: string;
}

/**
 * The consortium: the organisations whose admins govern trust. Set by `InitLedger`, then changed only by membership
 * proposals approved by a majority of the active members. Removed members stay listed, so that what was trusted
 * before their removal stays explainable.
 */
export interface Consortium {
  members: Member[];
  initialisedAt: string;
  txId: string;
  /** Time of the last membership change (absent until the first). */
  updatedAt?: string;
}

export type MembershipAction = 'add' | 'suspend' | 'resume' | 'remove';

/**
 * A proposed change of membership, one open at a time per MSP id (key `membership/<mspId>`). Enacted by the approval
 * that makes a majority of the members active at that moment; the record then stays, `enacted`, and the next
 * proposal for the same MSP id overwrites it (GetHistory keeps every round).
 */
export interface MembershipProposal {
  mspId: string;
  action: MembershipAction;
  /** For `add`: the new member's jurisdiction and names. */
  jurisdiction?: string;
  displayNames?: LocalisedNames;
  proposedBy: string;
  /** MSP id → time of approval. The proposer approves by proposing. */
  approvals: Record<string, string>;
  state: 'open' | 'enacted';
  createdAt: string;
  updatedAt: string;
  txId: string;
  /** The enacting transaction's time: the change's effective time. */
  enactedAt?: string;
}

export type IssuerState = 'proposed' | 'active' | 'suspended' | 'retired';

/** A credential issuer (a health-code centre, a licence authority), owned by one member organisation. */
export interface Issuer {
  id: string;
  ownerMsp: string;
  jurisdiction: string;
  displayName: string;
  /** The name in each of the four languages, when the owner gave them (what a checkpoint shows its officer). */
  displayNames?: LocalisedNames;
  /** Credential types (`vct`) this issuer may issue, e.g. `health-code`. Sorted, unique. */
  credentialTypes: string[];
  state: IssuerState;
  /** MSP id → time of approval, for the current proposal round. The owner approves by proposing. */
  approvals: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** Why the issuer was last suspended: a code, never free text (free text stays in the owner's own records). */
  reason?: IssuerSuspensionReason;
}

/**
 * Why an issuer is suspended. Codes only: Fabric keeps every transaction's arguments in its blocks for ever, so the
 * explanation, the people involved and the case number stay in the owner's own systems (linked by the txId).
 */
export const ISSUER_SUSPENSION_REASONS = [
  /** The issuer's systems are, or may be, compromised. */
  'security-incident',
  /** A signing key is, or may be, compromised (revoke the key too, with `effectiveAt`). */
  'key-compromise',
  /** Credentials were issued wrongly (wrong status, type or holder) and issuance stops until fixed. */
  'mis-issuance',
  /** An audit, accreditation or regulatory review is under way. */
  'compliance-review',
  /** A court, regulator or government authority ordered it. */
  'legal-order',
  /** Planned maintenance or an outage of the issuing service. */
  'maintenance',
  'other',
] as const;
export type IssuerSuspensionReason = (typeof ISSUER_SUSPENSION_REASONS)[number];

export type KeyState = 'proposed' | 'active' | 'revoked';

/** A public signing key of an issuer. */
export interface IssuerKey {
  issuerId: string;
  kid: string;
  /** Public JWK only: `{kty:'EC',crv:'P-256',x,y}` (ES256) or `{kty:'OKP',crv:'Ed25519',x}` (EdDSA). */
  jwk: PublicJwk;
  alg: 'ES256' | 'EdDSA';
  validFrom: string;
  validUntil: string;
  state: KeyState;
  approvals: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** When the last approval made the key active (absent while only proposed). */
  activatedAt?: string;
  /** Credentials anchored at or after this time are not trusted under this key. */
  revokedAt?: string;
  revocationReason?: KeyRevocationReason;
}

/** Why an issuer key is revoked (after RFC 5280 §5.3.1 CRLReason). Codes only, as for suspensions. */
export const KEY_REVOCATION_REASONS = [
  /** The private key is, or may be, known to someone else: set `effectiveAt` to the earliest suspected moment. */
  'key-compromise',
  /** Rotated out: a newer key of the same issuer replaces it. */
  'superseded',
  /** The issuer stops issuing under this key (service closed, issuer retired). */
  'cessation-of-operation',
  /** The organisation's authority to issue with this key was withdrawn. */
  'privilege-withdrawn',
  /** The key was proposed or approved by mistake (wrong key, wrong issuer). */
  'registered-in-error',
  'other',
] as const;
export type KeyRevocationReason = (typeof KEY_REVOCATION_REASONS)[number];

export type PublicJwk =
  | { kty: 'EC'; crv: 'P-256'; x: string; y: string }
  | { kty: 'OKP'; crv: 'Ed25519'; x: string };

/** What one recognising organisation accepts from one issuer for one credential type. */
export interface RecognitionPolicy {
  recognisingMsp: string;
  issuerId: string;
  credentialType: string;
  /** Issuer's status (`st`) → the recognising jurisdiction's own status. Unmapped statuses are refused. */
  statusMapping: Record<string, string>;
  /** Own statuses (after mapping) that are accepted. */
  acceptedStatuses: string[];
  /** Maximum age of the credential (now − iat), seconds. */
  maxAgeSeconds: number;
  validFrom: string;
  validUntil?: string;
  /** Incremented on every write of the same (recognisingMsp, issuerId, credentialType). */
  version: number;
  withdrawn: boolean;
  updatedAt: string;
  txId: string;
}

/** A Merkle root of a batch of credentials (a single credential is a batch of one). */
export interface Anchor {
  root: string;
  issuerId: string;
  kid: string;
  leafCount: number;
  anchoredAt: string;
  txId: string;
  anchoredBy: string;
}

/** Why a credential is revoked. Codes only, as for suspensions. */
export const REVOCATION_REASONS = ['superseded', 'status-change', 'issued-in-error', 'fraud', 'key-compromise', 'other'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** A revoked credential, identified by its leaf hash. */
export interface Revocation {
  issuerId: string;
  leafHash: string;
  reason: RevocationReason;
  revokedAt: string;
  txId: string;
  /** The leaf's position: the anchored root and its index in that tree (what a trust pack names it by). */
  root?: string;
  leafIndex?: number;
}
