/**
 * The one error handler: every failure becomes `{ code, message, details? }` with the status from ERROR_STATUS.
 * Messages and details never echo request content (no QR, JWS or holder data).
 */
import type { ErrorRequestHandler } from 'express';
import { HutongSdkError } from '@hutong/verifier-sdk';
import { GatewayError, type ErrorCode } from '../errors/gateway-error.js';
import { LedgerError } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';
import { ERROR_STATUS } from './error-status.js';

export interface ErrorBodyShape {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const BODY_PARSER: Record<string, ErrorCode> = {
  'entity.parse.failed': 'REQUEST_MALFORMED_JSON',
  'entity.too.large': 'REQUEST_TOO_LARGE',
  'encoding.unsupported': 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'REQUEST_UNSUPPORTED_MEDIA_TYPE',
};

export function toErrorBody(err: unknown): ErrorBodyShape {
  if (err instanceof GatewayError) return { code: err.code, message: err.message, ...(err.details ? { details: { ...err.details } } : {}) };
  if (err instanceof LedgerError) {
    const message = err.message.replace(/^\s*\[[A-Z_]+\]\s*/, '');
    return { code: err.code, message, ...(err.details ? { details: { ...err.details } } : {}) };
  }
  if (err instanceof HutongSdkError) {
    if (err.code.startsWith('DECODE_')) return { code: 'QR_UNDECODABLE', message: 'the QR cannot be decoded', details: { reason: err.code } };
    if (err.code === 'INVALID_CLAIMS') return { code: 'CLAIMS_INVALID', message: 'the credential claims are invalid' };
  }
  const type = (err as { type?: unknown })?.type;
  if (typeof type === 'string' && BODY_PARSER[type]) {
    const code = BODY_PARSER[type] as ErrorCode;
    return { code, message: code === 'REQUEST_MALFORMED_JSON' ? 'the request body is not valid JSON' : code === 'REQUEST_TOO_LARGE' ? 'the request body is too large' : 'unsupported content encoding' };
  }
  return { code: 'INTERNAL_ERROR', message: 'internal error' };
}

/** The status and body of a failure; 5xx failures are logged (name and code, never request content). */
export function renderError(err: unknown, logger: Logger): { status: number; body: ErrorBodyShape } {
  const body = toErrorBody(err);
  const status = ERROR_STATUS[body.code];
  if (status >= 500) {
    logger.error({ event: 'http.error', code: body.code, error: (err as Error)?.name, cause: (err as Error)?.message?.slice(0, 200) }, 'request failed');
  }
  return { status, body };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const { status, body } = renderError(err, logger);
    res.locals['code'] = body.code;
    res.status(status).json(body);
  };
}
