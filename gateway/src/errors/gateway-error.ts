/**
 * The gateway's own error codes (SCREAMING_SNAKE, one union) and its one error class. Ledger failures keep their
 * `LedgerErrorCode`; everything reaching an HTTP client is `{ code, message, details? }` (see http/error-status.ts).
 */
import type { LedgerErrorCode } from '@hutong/ledger';

export const GATEWAY_ERROR_CODES = [
  'REQUEST_INVALID',
  'REQUEST_MALFORMED_JSON',
  'REQUEST_TOO_LARGE',
  'REQUEST_UNSUPPORTED_MEDIA_TYPE',
  'REQUEST_MALFORMED',
  'REQUEST_MALFORMED_PATH',
  'REQUEST_DUPLICATE_MEMBER',
  'REQUEST_ENCODING_UNSUPPORTED',
  'REQUEST_ENCODING_INVALID',
  'REQUEST_INCOMPLETE',
  'REQUEST_TIMEOUT',
  'REQUEST_HEADERS_TOO_LARGE',
  'REQUEST_EXPECTATION_UNSUPPORTED',
  'HTTPS_REQUIRED',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'RATE_LIMITED',
  'AUTH_TOKEN_MISSING',
  'AUTH_TOKEN_INVALID',
  'AUTH_TOKEN_EXPIRED',
  'AUTH_PROVIDER_UNAVAILABLE',
  'CLIENT_CERTIFICATE_REQUIRED',
  'CLIENT_CERTIFICATE_INVALID',
  'ROLE_FORBIDDEN',
  'ISSUER_FORBIDDEN',
  'SIGNING_KEY_UNAVAILABLE',
  'CLAIMS_INVALID',
  'CREDENTIAL_TOO_LARGE',
  'QR_UNDECODABLE',
  'OUTBOX_ENTRY_NOT_FOUND',
  'OUTBOX_ENTRY_FAILED',
  'NOT_READY',
  'CONSOLE_NOT_BUILT',
  'CONFIG_INVALID',
  'INTERNAL_ERROR',
] as const;

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/** Every code an HTTP error body may carry. */
export type ErrorCode = GatewayErrorCode | LedgerErrorCode;

/** A gateway failure: stable code, human message (never personal data), optional structured details, cause. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
