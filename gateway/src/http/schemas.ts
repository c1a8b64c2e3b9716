/**
 * HTTP request and response schemas (zod). Ledger inputs are reused from the chaincode's own schemas
 * (`inputs`), so the gateway refuses exactly what the chaincode would, before any ledger round trip.
 */
import { z } from 'zod';
import { inputs, REVOCATION_REASONS } from '@hutong/chaincode/domain';
import { DECISIONS, REASON_CODES } from '@hutong/verifier-sdk';
import { LOCALES } from '@hutong/verifier-sdk/messages';
import { EXTRA_CLAIM_NAME, MAX_CLAIM_CHARS, MAX_EXTRA_CLAIMS } from '@hutong/verifier-sdk/issuer';

/**
 * A QR text named in a write or an audit question, as a scanner sends it: the QR alphanumeric alphabet in either case,
 * with whitespace around. Cheap syntactic bounds only; the SDK's decoder normalises it (normaliseScan, docs/protocol.md
 * §5.6) and judges the rest.
 */
export const QrText = z.string().min(1).max(4296 + 64)
  .regex(/^[\t\n\v\f\r ]*[0-9A-Za-z $%*+\-./:]+[\t\n\v\f\r ]*$/, 'a QR text uses the QR alphanumeric alphabet only');

/**
 * A scanned text to verify: any string, judged by the SDK's verifier (which normalises it the same way), so that the
 * gateway and an offline verifier give the same decision and reason for every input — a text that is no QR at all is
 * `RESCAN` with a `DECODE_*` reason, not a 400. The bound only keeps a request's size reasonable.
 */
export const ScannedText = z.string().max(65_536);

export const ErrorBody = z.object({
  code: z.string().meta({ description: 'Stable machine-readable code (SCREAMING_SNAKE)' }),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
}).meta({ id: 'ErrorBody' });

export const VerificationResultSchema = z.looseObject({
  decision: z.enum(DECISIONS as [string, ...string[]]).meta({ description: 'ACCEPT; RESCAN for every DECODE_* reason (scan again); REJECT otherwise' }),
  reason: z.enum(REASON_CODES).meta({ description: 'SDK reason code: ACCEPTED or the first failed check (docs/protocol.md §8)' }),
  message: z.object(Object.fromEntries(LOCALES.map((l) => [l, z.string()]))).meta({ description: 'The reason in words, per locale (@hutong/verifier-sdk/messages)' }),
  claimedStatus: z.string().optional().meta({ description: 'The status the credential claims (issuer vocabulary); only with ACCEPT, STATUS_UNMAPPED, STATUS_NOT_ACCEPTED' }),
  mappedStatus: z.string().optional().meta({ description: 'That status in this jurisdiction; only with ACCEPT and STATUS_NOT_ACCEPTED' }),
  display: z.looseObject({ issuerId: z.string(), issuerName: z.string(), credentialType: z.string(), maskedName: z.string().optional(), documentHint: z.string().optional() }).optional(),
  validity: z.object({ issuedAt: z.string(), notBefore: z.string(), expiresAt: z.string() }).optional(),
  revocation: z.object({ revokedAt: z.string(), reason: z.string() }).optional().meta({ description: 'With CREDENTIAL_REVOKED' }),
  policy: z.object({
    recognisingMsp: z.string(), issuerId: z.string(), credentialType: z.string(), version: z.number(), acceptedStatuses: z.array(z.string()), maxAgeSeconds: z.number(),
  }).optional().meta({ description: 'The recognition policy applied' }),
  evidence: z.looseObject({ root: z.string(), issuerId: z.string(), kid: z.string(), leafHash: z.string(), anchorTxId: z.string(), blockNumber: z.number().optional(), anchoredAt: z.string() }).optional(),
  snapshotAgeSeconds: z.number(),
  verifiedAt: z.string(),
  trustCheckpoint: z.object({ blockNumber: z.number(), transactionId: z.string().optional() }).nullable(),
}).meta({ id: 'VerificationResult' });

export const VerifyRequest = z.strictObject({ qr: ScannedText });
export const VerifyBatchRequest = z.strictObject({ qrs: z.array(ScannedText).min(1).max(1000) });

const holder = z.strictObject({
  name: z.string().min(1).max(200),
  documentType: z.string().regex(/^[A-Za-z]{2,8}$/, 'a document type such as HRP, MOP, ID'),
  documentNumber: z.string().min(4).max(40),
}).meta({ description: 'Used to derive the pseudonym, masked name and document hint; never stored, logged or anchored' });

export const CredentialRequest = z.strictObject({
  issuerId: inputs.issuerId,
  credentialType: inputs.credentialType,
  status: inputs.statusCode,
  holder,
  validitySeconds: z.number().int().min(60).max(400 * 24 * 3600),
  kid: inputs.kid.optional(),
  /** The SDK's own limits (protocol §2.3); the exact payload size (≤ 2,048 bytes) is the signer's check (422). */
  claims: z
    .record(z.string().regex(EXTRA_CLAIM_NAME), z.union([z.string().max(MAX_CLAIM_CHARS), z.number(), z.boolean()]))
    .refine((c) => Object.keys(c).length <= MAX_EXTRA_CLAIMS, `at most ${MAX_EXTRA_CLAIMS} extra claims`)
    .meta({ maxProperties: MAX_EXTRA_CLAIMS, description: 'Type-specific claims; registered claim names are refused (422 CLAIMS_INVALID), and so is a payload over 2,048 bytes (422 CREDENTIAL_TOO_LARGE)' })
    .optional(),
});
export const CredentialBulkRequest = z.strictObject({ credentials: z.array(CredentialRequest).min(1).max(10_000) });

const Evidence = z.object({ txId: z.string(), blockNumber: z.number(), timestamp: z.string(), endorsedBy: z.array(z.string()) });

export const IssuedCredential = z.object({
  jws: z.string(),
  qr: z.string(),
  leafHash: z.string(),
  root: z.string(),
  proof: z.object({ leafIndex: z.number(), treeSize: z.number(), path: z.array(z.string()) }),
  anchor: Evidence.extend({ outboxId: z.string() }),
}).meta({ id: 'IssuedCredential' });

export const RevocationRequest = z
  .strictObject({
    issuerId: inputs.issuerId,
    reason: z.enum(REVOCATION_REASONS),
    leafHash: inputs.hex256.optional(),
    jws: z.string().max(4096).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).optional(),
    qr: QrText.optional(),
    proof: inputs.inclusionProof.optional().meta({
      description: 'With leafHash or jws: the `proof` of the issuance response, which shows the leaf is in a batch this issuer anchored (a QR carries its own)',
    }),
  })
  .refine((r) => [r.leafHash, r.jws, r.qr].filter((x) => x !== undefined).length === 1, 'give exactly one of leafHash, jws, qr')
  .refine((r) => (r.qr === undefined) === (r.proof !== undefined), { message: 'give proof with leafHash or jws, and none with qr (it carries its own)', path: ['proof'] });

export const RevocationOutcome = z.object({
  leafHash: z.string(),
  root: z.string().meta({ description: 'The anchored batch root the proof leads to' }),
  outboxId: z.string(),
  state: z.enum(['committed', 'pending']),
  revocation: z.record(z.string(), z.unknown()).optional(),
  evidence: Evidence.optional(),
  lastErrorCode: z.string().optional(),
});

export const OutboxEntrySchema = z.object({
  id: z.string(), kind: z.enum(['anchor', 'revocation']), issuerId: z.string(), tx: z.string(),
  state: z.enum(['pending', 'committed', 'failed']), attempts: z.number(), createdAt: z.string(), updatedAt: z.string(),
  nextAttemptAt: z.string().optional(), lastErrorCode: z.string().optional(), evidence: Evidence.optional(),
});

export const LedgerWrite = z.object({ record: z.unknown(), evidence: Evidence });

export const IssuerIdParams = z.strictObject({ issuerId: inputs.issuerId });
export const KeyParams = z.strictObject({ issuerId: inputs.issuerId, kid: inputs.kid });
export const PolicyParams = z.strictObject({ issuerId: inputs.issuerId, credentialType: inputs.credentialType });
export const OutboxParams = z.strictObject({ id: z.uuid() });

export const AnchorsQuery = z.strictObject({
  from: inputs.isoTime.optional(),
  to: inputs.isoTime.optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  bookmark: z.string().max(1024).default(''),
});
export const LeafStatusRequest = z.strictObject({ qr: QrText });
/** A trust pack: full, or a delta on the state of sequence `since` (docs/protocol.md §6.5). */
export const TrustPackQuery = z.strictObject({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export const TrustPackSchema = z.strictObject({
  jws: z.string(),
  kind: z.enum(['full', 'delta']),
  sequence: z.number().int(),
  baseSequence: z.number().int().optional(),
  requestedSince: z.number().int().optional(),
  fullReason: z.enum(['BASE_UNAVAILABLE', 'BASE_AHEAD']).optional(),
  generatedAt: z.string(),
  stateDigest: z.string(),
  kid: z.string(),
});
export const BlocksQuery = z.strictObject({
  from: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** A range of the chain to check: blocks from ≤ n < from+limit, at most 1,000 a call (on Fabric each block is one query to the peer). */
export const ChainVerificationQuery = z.strictObject({
  from: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});
export const ChainVerificationSchema = z.strictObject({
  height: z.number().int(),
  from: z.number().int(),
  to: z.number().int().meta({ description: 'One past the last block checked; ask again from here while to < height' }),
  valid: z.boolean(),
  tipHash: z.string().meta({ description: 'Header hash of the last block checked (of block from-1 when the range is empty)' }),
  firstBreak: z.strictObject({ blockNumber: z.number().int(), expectedPreviousHash: z.string(), previousHash: z.string() }).optional(),
}).meta({ description: 'Each block’s number follows the one before and its previousHash is that block’s header hash' });
export const BlockParams = z.strictObject({ number: z.coerce.number().int().min(0) });
export const TxParams = z.strictObject({ txId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/) });

// Audit answers: ledger records are open objects (the chaincode may add members); the gateway's own shapes are closed.
const AnchorRecord = z.looseObject({
  root: z.string(), issuerId: z.string(), kid: z.string(), leafCount: z.number(), anchoredAt: z.string(), txId: z.string(), anchoredBy: z.string(),
});
const RevocationRecord = z.looseObject({ issuerId: z.string(), leafHash: z.string(), reason: z.string(), revokedAt: z.string(), txId: z.string() });
const BlockTransactionSchema = z.object({
  txId: z.string(), txIndex: z.number(), txName: z.string(), creatorMsp: z.string(), endorsedBy: z.array(z.string()), timestamp: z.string(),
  validationCode: z.string(),
});
export const BlockSummarySchema = z.object({ number: z.number(), hash: z.string(), previousHash: z.string(), dataHash: z.string(), transactions: z.array(BlockTransactionSchema) });
export const BlocksSchema = z.object({ height: z.number(), blocks: z.array(BlockSummarySchema) });
export const TransactionSchema = BlockTransactionSchema.extend({ blockNumber: z.number() });
export const AnchorPageSchema = z.object({ items: z.array(AnchorRecord), bookmark: z.string() });
export const HistorySchema = z.object({ history: z.array(z.object({ txId: z.string(), timestamp: z.string(), isDelete: z.boolean(), value: z.unknown().optional() })) });
export const LeafStatusSchema = z.object({
  leafHash: z.string(), issuerId: z.string(), root: z.string().nullable(), proofValid: z.boolean(), anchored: z.boolean(), anchor: AnchorRecord.optional(),
  anchoring: z.object({ txId: z.string(), blockNumber: z.number(), endorsedBy: z.array(z.string()), timestamp: z.string(), creatorMsp: z.string(), validationCode: z.string() }).optional(),
  revoked: z.boolean(), revocation: RevocationRecord.optional(),
});
