/**
 * Input schemas of every transaction (zod). Written once: the chaincode validates with them, the gateway derives
 * its request types from them. Strict objects: an unknown member is an error, not silently dropped.
 */
import { z } from 'zod';
import { REVOCATION_REASONS } from './model';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** ISO-8601 UTC timestamp, normalised to millisecond precision (`2026-11-26T05:00:00.000Z`). */
export const isoTime = z
  .string()
  .max(30)
  .regex(ISO_UTC, 'must be an ISO-8601 UTC timestamp such as 2026-11-26T05:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid date')
  .transform((s) => new Date(s).toISOString());

export const mspId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/, 'invalid MSP id');
export const issuerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'issuer ids are 2–64 of a-z, 0-9, -');
export const kid = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'kid is 1–64 of A-Z a-z 0-9 . _ -');
export const credentialType = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'credential types are 1–64 of a-z, 0-9, -');
export const statusCode = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'statuses are 1–32 of a-z, 0-9, -');
export const hex256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)');
const jurisdiction = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'jurisdictions are 2–32 of a-z, 0-9, -');
const displayName = z.string().min(1).max(200);
const reasonText = z.string().min(1).max(200);
const pageSize = z.number().int().min(1).max(1000).default(100);
const bookmark = z.string().max(1024).default('');

export const InitLedgerInput = z.strictObject({
  members: z
    .array(z.strictObject({ mspId, jurisdiction }))
    .min(2)
    .max(16)
    .refine((m) => new Set(m.map((x) => x.mspId)).size === m.length, 'duplicate MSP id')
    .refine((m) => new Set(m.map((x) => x.jurisdiction)).size === m.length, 'duplicate jurisdiction'),
});

export const ProposeIssuerInput = z.strictObject({
  issuerId,
  displayName,
  credentialTypes: z.array(credentialType).min(1).max(32),
});

export const IssuerRefInput = z.strictObject({ issuerId });
export const SuspendIssuerInput = z.strictObject({ issuerId, reason: reasonText });

/** Public JWK members are checked in `jwk.ts`; here only the outer shape and sizes. */
export const ProposeIssuerKeyInput = z.strictObject({
  issuerId,
  kid,
  jwk: z.record(z.string().max(16), z.unknown()),
  validFrom: isoTime,
  validUntil: isoTime,
});

export const KeyRefInput = z.strictObject({ issuerId, kid });
export const RevokeIssuerKeyInput = z.strictObject({
  issuerId,
  kid,
  reason: reasonText,
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
});

export const RevokeCredentialInput = z.strictObject({
  issuerId,
  leafHash: hex256,
  reason: z.enum(REVOCATION_REASONS),
});

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

export const HISTORY_RECORDS = ['consortium', 'issuer', 'issuerKey', 'recognition', 'anchor', 'revocation'] as const;
export const GetHistoryInput = z.discriminatedUnion('record', [
  z.strictObject({ record: z.literal('consortium') }),
  z.strictObject({ record: z.literal('issuer'), issuerId }),
  z.strictObject({ record: z.literal('issuerKey'), issuerId, kid }),
  z.strictObject({ record: z.literal('recognition'), mspId, issuerId, credentialType }),
  z.strictObject({ record: z.literal('anchor'), root: hex256 }),
  z.strictObject({ record: z.literal('revocation'), issuerId, leafHash: hex256 }),
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
