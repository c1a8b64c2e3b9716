/**
 * The one error handler: every failure becomes `{ code, message, details? }` with the status from ERROR_STATUS.
 * Messages and details never echo request content (no QR, JWS or holder data), and logs never do either.
 */
import type { ErrorRequestHandler } from 'express';
import { HutongSdkError } from '@hutong/verifier-sdk';
import { GatewayError, type ErrorCode } from '../errors/gateway-error.js';
import { LedgerError } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';
import { ERROR_STATUS } from './error-status.js';
import { bodyAbandoned } from './json-body.js';

export interface ErrorBodyShape {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Error class names and library or node error codes (`ERR_…`, `Z_DATA_ERROR`) are logged only if they look like identifiers. */
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SAFE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Stack frames logged with an internal error: where it happened, without its message (which may quote input). */
const STACK_FRAMES = 8;

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
  // The router decodes path parameters with decodeURIComponent and marks its failure 400: the client's encoding.
  if (err instanceof URIError && (err as URIError & { status?: unknown }).status === 400) return { code: 'REQUEST_MALFORMED_PATH', message: 'a path segment is not valid percent-encoding' };
  // Anything else an HTTP library classifies as the client's fault (http-errors: a 4xx status, exposable).
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: unknown }).expose === true) {
    return { code: 'REQUEST_MALFORMED', message: 'the request is malformed' };
  }
  return { code: 'INTERNAL_ERROR', message: 'internal error' };
}

/** Response headers an error answer carries besides its body (RFC 9110 §10.2.3, §15.5.6; RFC 6585 §4). */
function errorHeaders(body: ErrorBodyShape): Record<string, string> {
  const retry = body.details?.['retryAfterSeconds'];
  if (body.code === 'RATE_LIMITED' && typeof retry === 'number') return { 'Retry-After': String(retry) };
  const allow = body.details?.['allow'];
  if (body.code === 'METHOD_NOT_ALLOWED' && Array.isArray(allow)) return { Allow: allow.join(', ') };
  return {};
}

/**
 * The status, body and headers of a failure. Client faults (4xx) are left to the access log (route template, status
 * and code); only server faults are logged here, at error level, with their code, class and stack frames — never a
 * message, which may quote the request.
 */
export function renderError(err: unknown, logger: Logger): { status: number; body: ErrorBodyShape; headers: Record<string, string> } {
  const body = toErrorBody(err);
  const status = ERROR_STATUS[body.code];
  if (status >= 500) {
    const e = err as { name?: unknown; code?: unknown; stack?: unknown } | undefined;
    logger.error({
      event: 'http.error',
      code: body.code,
      error: typeof e?.name === 'string' && SAFE_NAME.test(e.name) ? e.name : typeof err,
      ...(typeof e?.code === 'string' && SAFE_CODE.test(e.code) ? { errorCode: e.code } : {}),
      ...(typeof e?.stack === 'string' ? { at: e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, STACK_FRAMES).map((l) => l.trim()) } : {}),
    }, 'request failed');
  }
  return { status, body, headers: errorHeaders(body) };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body, headers } = renderError(err, logger);
    res.locals['code'] = body.code;
    if (bodyAbandoned(req)) res.setHeader('Connection', 'close');
    res.status(status).set(headers).json(body);
  };
}
