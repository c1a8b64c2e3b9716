/**
 * The SDK's one error class. Every failure the SDK throws carries a literal `code` so callers branch on data,
 * never on English messages (see docs/protocol.md §Reason codes).
 */
import type { DecodeReasonCode } from './reason-codes.js';

/**
 * Codes carried by {@link HutongSdkError}: decode failures plus argument / issuing failures.
 *
 * @example
 * ```ts
 * const httpStatus: Record<HutongSdkErrorCode, number> = { ANCHOR_FAILED: 503, INVALID_CLAIMS: 400, ... };
 * ```
 */
export type HutongSdkErrorCode =
  | DecodeReasonCode
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_SIGNATURE_INVALID'
  | 'SNAPSHOT_UNAVAILABLE'
  | 'INVALID_OPTIONS'
  | 'INVALID_CLAIMS'
  | 'CREDENTIAL_TOO_LARGE'
  | 'INVALID_KEY'
  | 'ANCHOR_FAILED'
  | 'BATCHER_CLOSED';

/**
 * Thrown by `decodeQr`, `newVerifier` (bad snapshot or options) and the issuing library.
 *
 * @example
 * ```ts
 * try { await decodeQr(text); }
 * catch (e) { if (e instanceof HutongSdkError && e.code === 'DECODE_BASE45') showRescanHint(); }
 * ```
 */
export class HutongSdkError extends Error {
  /** Machine-readable code (SCREAMING_SNAKE). */
  readonly code: HutongSdkErrorCode;
  /** Optional structured details (never personal data). */
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: HutongSdkErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(`${code}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HutongSdkError';
    this.code = code;
    if (options?.details) this.details = options.details;
  }
}
