/**
 * Every verification outcome has exactly one stable reason code; the table in docs/protocol.md §8 is the normative
 * list (same order as the checks).
 *
 * @example
 * ```ts
 * import { REASON_CODES, type ReasonCode } from '@hutong/verifier-sdk';
 * const counts = Object.fromEntries(REASON_CODES.map((c) => [c, 0])) as Record<ReasonCode, number>;
 * ```
 */
export const REASON_CODES = [
  'ACCEPTED',
  'SNAPSHOT_INVALID',
  'SNAPSHOT_STALE',
  'DECODE_PREFIX',
  'DECODE_TOO_LARGE',
  'DECODE_BASE45',
  'DECODE_CHECKSUM',
  'DECODE_INFLATE',
  'DECODE_ENVELOPE',
  'DECODE_JSON',
  'DECODE_DUPLICATE_KEY',
  'ALG_NOT_ALLOWED',
  'HEADER_FORBIDDEN',
  'TYP_UNSUPPORTED',
  'CLAIMS_INVALID',
  'ISSUER_UNKNOWN',
  'ISSUER_INACTIVE',
  'KEY_UNKNOWN',
  'KEY_ALG_MISMATCH',
  'KEY_REVOKED',
  'KEY_NOT_VALID_AT_ANCHOR',
  'SIGNATURE_INVALID',
  'NOT_YET_VALID',
  'EXPIRED',
  'PROOF_INVALID',
  'ROOT_NOT_ANCHORED',
  'ANCHOR_KID_MISMATCH',
  'EXPIRY_BEYOND_ANCHOR',
  'CREDENTIAL_REVOKED',
  'POLICY_NOT_FOUND',
  'POLICY_INACTIVE',
  'TYPE_NOT_RECOGNISED',
  'STATUS_UNMAPPED',
  'STATUS_NOT_ACCEPTED',
  'CREDENTIAL_TOO_OLD',
] as const;

/**
 * A verification outcome code. `ACCEPTED` is the only code with decision `ACCEPT`.
 *
 * @example
 * ```ts
 * const label: Record<ReasonCode, string> = { ACCEPTED: '通过', CREDENTIAL_TOO_OLD: '超过6小时', ... };
 * ```
 */
export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * Codes that `decodeQr` may throw (a subset of {@link ReasonCode}).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof HutongSdkError && e.code === 'DECODE_CHECKSUM') askToRescan(); }
 * ```
 */
export type DecodeReasonCode =
  | 'DECODE_PREFIX'
  | 'DECODE_TOO_LARGE'
  | 'DECODE_BASE45'
  | 'DECODE_CHECKSUM'
  | 'DECODE_INFLATE'
  | 'DECODE_ENVELOPE'
  | 'DECODE_JSON'
  | 'DECODE_DUPLICATE_KEY';

/**
 * What the desk does: `ACCEPT` (reason `ACCEPTED`), `RESCAN` (every `DECODE_*` reason: the text read is not a
 * readable credential — a damaged or misread code, scan it again) or `REJECT` (any other reason: the credential
 * was read and is not acceptable here).
 *
 * @example
 * ```ts
 * const d: Decision = decisionOf('DECODE_CHECKSUM'); // 'RESCAN'
 * ```
 */
export type Decision = 'ACCEPT' | 'REJECT' | 'RESCAN';

/** Every decision, in the order a desk weighs them. */
export const DECISIONS: readonly Decision[] = ['ACCEPT', 'REJECT', 'RESCAN'];

/**
 * The decision a reason code leads to (docs/protocol.md §8).
 *
 * @example
 * ```ts
 * if (decisionOf(r.reason) === 'RESCAN') beep();
 * ```
 */
export function decisionOf(reason: ReasonCode): Decision {
  return reason === 'ACCEPTED' ? 'ACCEPT' : reason.startsWith('DECODE_') ? 'RESCAN' : 'REJECT';
}
