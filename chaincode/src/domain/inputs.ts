/**
 * Input schemas of every transaction (zod). Written once: the chaincode validates with them, the gateway derives
 * its request types from them. Strict objects: an unknown member is an error, not silently dropped.
 */
import { z } from 'zod';
import { ISSUER_SUSPENSION_REASONS, KEY_REVOCATION_REASONS, REVOCATION_REASONS } from './model';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Whether the date and time as written name an instant that exists. Date.parse accepts any day 01–31 in any month
 * and the hour 24 and rolls them over (2026-02-30 → 2 March, 24:00 → the next day); the instant it found must be
 * written with the same fields. Deterministic: no clock, no locale.
 */
function existingInstant(s: string): boolean {
  const ms = Date.parse(s);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === s.slice(0, 19);
}

/**
 * ISO-8601 UTC timestamp, normalised to millisecond precision (`2026-11-26T05:00:00.000Z`): the one time validator of
 * the chaincode's inputs and the gateway's requests.
 */
export const isoTime = z
  .string()
  .max(30)
  .regex(ISO_UTC, 'must be an ISO-8601 UTC timestamp such as 2026-11-26T05:00:00Z')
  .refine(existingInstant, 'not a date and time that exists (e.g. 30 February, 24:00)')
  .transform((s) => new Date(s).toISOString());

export const mspId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/, 'invalid MSP id');
export const issuerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'issuer ids are 2–64 of a-z, 0-9, -');
export const kid = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'kid is 1–64 of A-Z a-z 0-9 . _ -');
export const credentialType = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'credential types are 1–64 of a-z, 0-9, -');
export const statusCode = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'statuses are 1–32 of a-z, 0-9, -');
export const hex256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)');
const jurisdiction = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'jurisdictions are 2–32 of a-z, 0-9, -');

// Latin letters with the accents of Latin-1 and Latin Extended-A and the ordinals ª º (Portuguese: Nº), CJK
// ideographs (BMP and Extension A), ASCII digits, the space and a few punctuation marks of organisation names.
// Fixed ranges rather than Unicode properties, so every peer accepts the same names whatever its Node's Unicode
// version.
const DISPLAY_NAME_CHARS = /^[A-Za-z0-9\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u3400-\u4dbf\u4e00-\u9fff .,'&()\-/\u00b7\uff08\uff09]+$/;

/**
 * An organisation's name, shown to officers as the issuer's name and stored by every peer for ever: 1–100
 * characters from DISPLAY_NAME_CHARS, single spaces between words, no run of more than four digits. So no control,
 * format (bidirectional) or combining character, no Cyrillic or Greek look-alikes of Latin letters, no `@` or `:` (no
 * e-mail address or URL), no phone, document or case number. What it cannot stop — a person's name spelt as an
 * organisation's — is what every other member's admin reviews before approving the issuer (docs/ledger.md).
 */
export const displayName = z
  .string()
  .min(1)
  .max(100)
  .regex(DISPLAY_NAME_CHARS, 'letters (Latin, CJK), digits, spaces and . , \' & ( ) - / · （ ） only')
  .refine((s) => s.trim() === s && !s.includes('  '), 'single spaces between words only')
  .refine((s) => !/[0-9]{5}/.test(s), 'no run of more than four digits')
  .meta({ description: "An organisation's name: the pattern, single spaces between words, no run of more than four digits" });

const pageSize = z.number().int().min(1).max(1000).default(100);
const bookmark = z.string().max(1024).default('');

/** A member's or an issuer's name in each of the four languages (every one required: officers on every side read them). */
export const localisedNames = z.strictObject({ en: displayName, pt: displayName, 'zh-Hans': displayName, 'zh-Hant': displayName });

export const InitLedgerInput = z.strictObject({
  members: z
    .array(z.strictObject({ mspId, jurisdiction, displayNames: localisedNames.optional() }))
    .min(2)
    .max(16)
    .refine((m) => new Set(m.map((x) => x.mspId)).size === m.length, 'duplicate MSP id')
    .refine((m) => new Set(m.map((x) => x.jurisdiction)).size === m.length, 'duplicate jurisdiction'),
});

export const ProposeIssuerInput = z.strictObject({
  issuerId,
  displayName,
  displayNames: localisedNames.optional(),
  credentialTypes: z.array(credentialType).min(1).max(32),
});

export const IssuerRefInput = z.strictObject({ issuerId });
export const SuspendIssuerInput = z.strictObject({ issuerId, reason: z.enum(ISSUER_SUSPENSION_REASONS) });

/**
 * Public JWK members are checked in `jwk.ts`; here the outer shape and sizes, and the two optional members that
 * jwk.ts drops from the stored key but that would stay in the block's copy of the arguments: `kid` must be a kid,
 * `key_ops` the one operation of a public signing key.
 */
const keyOps = z.array(z.literal('verify')).max(1);
const jwkInput = z
  .record(z.string().max(16), z.unknown())
  .refine((j) => j['kid'] === undefined || kid.safeParse(j['kid']).success, { error: 'must be a kid (1–64 of A-Z a-z 0-9 . _ -)', path: ['kid'] })
  .refine((j) => j['key_ops'] === undefined || keyOps.safeParse(j['key_ops']).success, { error: "may only be ['verify']", path: ['key_ops'] });

export const ProposeIssuerKeyInput = z.strictObject({
  issuerId,
  kid,
  jwk: jwkInput,
  validFrom: isoTime,
  validUntil: isoTime,
});

export const KeyRefInput = z.strictObject({ issuerId, kid });
export const RevokeIssuerKeyInput = z.strictObject({
  issuerId,
  kid,
  reason: z.enum(KEY_REVOCATION_REASONS),
  /** When the key stopped being trustworthy; defaults to the transaction time. */
  effectiveAt: isoTime.optional(),
});

export const PutRecognitionPolicyInput = z.strictObject({
  issuerId,
  credentialType,
  statusMapping: z.record(statusCode, statusCode).refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 32, '1–32 mappings'),
  acceptedStatuses: z.array(statusCode).min(1).max(32),
  maxAgeSeconds: z.number().int().min(1).max(366 * 24 * 3600),
  validFrom: isoTime,
  validUntil: isoTime.optional(),
});

export const PolicyRefInput = z.strictObject({ issuerId, credentialType });

export const AnchorBatchInput = z.strictObject({
  issuerId,
  kid,
  root: hex256,
  leafCount: z.number().int().min(1).max(2 ** 24),
  /** The latest `exp` of the batch's credentials; checked against the transaction time in anchoring.ts. */
  notAfter: isoTime.optional(),
});

/**
 * RFC 9162 inclusion proof of a leaf in an anchored batch: position, batch size (an anchor's `leafCount`, ≤ 2^24)
 * and audit path, leaf to root (at most 24 hashes for 2^24 leaves).
 */
export const inclusionProof = z.strictObject({
  leafIndex: z.number().int().min(0).max(2 ** 24 - 1),
  treeSize: z.number().int().min(1).max(2 ** 24),
  path: z.array(hex256).max(24),
});

/** `proof` shows the leaf is in a batch this issuer anchored: an issuer revokes only its own credentials. */
export const RevokeCredentialInput = z.strictObject({
  issuerId,
  leafHash: hex256,
  reason: z.enum(REVOCATION_REASONS),
  proof: inclusionProof,
});

/** A membership change: admitting a new member, or suspending, resuming or removing one. */
export const ProposeMembershipChangeInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add'), mspId, jurisdiction, displayNames: localisedNames }),
  z.strictObject({ action: z.enum(['suspend', 'resume', 'remove']), mspId }),
]);
export const MembershipRefInput = z.strictObject({ mspId });

export const EmptyInput = z.strictObject({});
export const ListIssuersInput = z.strictObject({ pageSize, bookmark });
export const GetRecognitionPoliciesInput = z.strictObject({ mspId, pageSize, bookmark, includeWithdrawn: z.boolean().default(false) });
export const GetAnchorInput = z.strictObject({ root: hex256 });
export const ListAnchorsInput = z.strictObject({
  issuerId,
  from: isoTime.optional(),
  to: isoTime.optional(),
  pageSize,
  bookmark,
});
export const GetRevocationInput = z.strictObject({ issuerId, leafHash: hex256 });
export const ListRevocationsInput = z.strictObject({ issuerId, pageSize, bookmark });

export const HISTORY_RECORDS = ['consortium', 'issuer', 'issuerKey', 'recognition', 'anchor', 'revocation', 'membership'] as const;
export const GetHistoryInput = z.discriminatedUnion('record', [
  z.strictObject({ record: z.literal('consortium') }),
  z.strictObject({ record: z.literal('issuer'), issuerId }),
  z.strictObject({ record: z.literal('issuerKey'), issuerId, kid }),
  z.strictObject({ record: z.literal('recognition'), mspId, issuerId, credentialType }),
  z.strictObject({ record: z.literal('anchor'), root: hex256 }),
  z.strictObject({ record: z.literal('revocation'), issuerId, leafHash: hex256 }),
  z.strictObject({ record: z.literal('membership'), mspId }),
]);

export type InitLedgerInput = z.input<typeof InitLedgerInput>;
export type ProposeIssuerInput = z.input<typeof ProposeIssuerInput>;
export type ProposeIssuerKeyInput = z.input<typeof ProposeIssuerKeyInput>;
export type RevokeIssuerKeyInput = z.input<typeof RevokeIssuerKeyInput>;
export type PutRecognitionPolicyInput = z.input<typeof PutRecognitionPolicyInput>;
export type AnchorBatchInput = z.input<typeof AnchorBatchInput>;
export type RevokeCredentialInput = z.input<typeof RevokeCredentialInput>;
export type ListAnchorsInput = z.input<typeof ListAnchorsInput>;
export type GetHistoryInput = z.input<typeof GetHistoryInput>;
export type ProposeMembershipChangeInput = z.input<typeof ProposeMembershipChangeInput>;
