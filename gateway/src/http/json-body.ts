/**
 * The one way a request body is read, for Express and the fast path alike: `application/json` (charset UTF-8 or
 * none) → at most one `Content-Encoding` of identity, gzip, deflate or br → at most `limitBytes` on the wire *and*
 * after decoding → valid UTF-8 (no byte-order mark) → the SDK's strict JSON parser (RFC 8259 with I-JSON's rules:
 * a duplicate member name is refused, not "last one wins"; depth and number length bounded). Every failure is a
 * client fault with its own code (4xx); nothing read from the body reaches an error message or a log line.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { JsonError, parseStrictJson } from '@hutong/verifier-sdk';
import { GatewayError } from '../errors/gateway-error.js';

/** `application/json`, optionally with `charset=utf-8` (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-?8|"utf-?8")[ \t]*)?$/i;

const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The body was refused without being read to its end: the answer must close the connection. */
const ABANDONED = new WeakSet<IncomingMessage>();

/** True when the body was given up on unread (see readJsonBody, refuseBody): answer with `Connection: close`. */
export function bodyAbandoned(req: IncomingMessage): boolean {
  return ABANDONED.has(req);
}

/**
 * Refuses a body sent to an operation that takes none (400 `REQUEST_INVALID`); a request without one passes. The
 * body is not read: node drains a short one after the answer, a long or chunked one closes the connection.
 */
export function refuseBody(req: IncomingMessage, limitBytes: number): void {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '0')) return;
  if (chunked || Number(length) > limitBytes) ABANDONED.add(req);
  throw new GatewayError('REQUEST_INVALID', 'this operation takes no request body', {
    issues: [{ in: 'body', path: '', code: 'unexpected_body', message: 'send no body (no Content-Length above 0, no Transfer-Encoding)' }],
  });
}

/** Throws unless the request's media type is JSON in UTF-8 (415 `REQUEST_UNSUPPORTED_MEDIA_TYPE`). */
export function requireJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_CONTENT_TYPE.test(type)) {
    throw new GatewayError('REQUEST_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json (UTF-8)');
  }
}

/** Parses a complete body with the strict JSON policy (400 `REQUEST_MALFORMED_JSON` / `REQUEST_DUPLICATE_MEMBER`). */
function parseJsonBody(raw: Buffer): unknown {
  if (!isUtf8(raw)) throw new GatewayError('REQUEST_MALFORMED_JSON', 'the request body is not UTF-8 JSON');
  try {
    // A byte-order mark is kept, and refused as not JSON text (RFC 8259 §8.1 lets a parser refuse it).
    return parseStrictJson(raw.toString('utf8'));
  } catch (e) {
    if (e instanceof JsonError && e.duplicateKey) {
      throw new GatewayError('REQUEST_DUPLICATE_MEMBER', 'the request body names a member twice in one object');
    }
    throw new GatewayError('REQUEST_MALFORMED_JSON', 'the request body is not valid JSON');
  }
}

/**
 * Reads, decodes and parses the JSON body of `req`. The caller has already checked the content type
 * ({@link requireJsonContentType}); `limitBytes` bounds both the bytes received and the bytes decoded.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  return parseJsonBody(await readBody(req, limitBytes));
}

/**
 * Collects the body. A refused body is drained (at most `limitBytes` more) before the promise rejects, so a client
 * still sending reads its 4xx on a connection that stays usable; beyond that budget the rest is abandoned.
 */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const identity = coding === 'identity' || coding === '';
  // Unknown codings and stacked ones ("gzip, br") alike are refused: one decoding pass at most.
  const newDecoder = identity ? undefined : DECODERS[coding];
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let drained = 0;
    let failure: GatewayError | undefined;
    let settled = false;
    const decoder: Transform | undefined = newDecoder?.();

    function settle(error: GatewayError | undefined): void {
      if (settled) return;
      settled = true;
      req.off('data', onWire);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, decoded));
    }
    function fail(error: GatewayError): void {
      if (failure || settled) return;
      failure = error;
      chunks.length = 0;
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      if (req.complete || req.destroyed) settle(error);
      else req.resume();
    }
    function onWire(chunk: Buffer): void {
      if (failure) {
        drained += chunk.length;
        if (drained > limitBytes) {
          ABANDONED.add(req);
          settle(failure);
        }
        return;
      }
      received += chunk.length;
      if (received > limitBytes) fail(tooLarge(limitBytes));
      else if (!decoder) onDecoded(chunk);
    }
    function onDecoded(chunk: Buffer): void {
      if (failure) return;
      decoded += chunk.length;
      if (decoded > limitBytes) fail(tooLarge(limitBytes));
      else chunks.push(chunk);
    }

    if (decoder) {
      decoder.on('data', onDecoded);
      // A destroyed decoder may still report its error: the listener stays, the first failure wins.
      decoder.on('error', () => fail(new GatewayError('REQUEST_ENCODING_INVALID', `the request body is not valid ${coding} data`)));
      decoder.on('end', () => (failure ? undefined : settle(undefined)));
    }
    req.on('data', onWire);
    req.on('end', () => (failure || !decoder ? settle(failure) : undefined));
    req.on('error', () => settle(failure ?? incomplete()));
    req.on('close', () => (req.complete ? undefined : settle(failure ?? incomplete())));

    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limitBytes) {
      if (Number(declared) > 3 * limitBytes) ABANDONED.add(req);
      fail(tooLarge(limitBytes));
      if (ABANDONED.has(req)) settle(failure);
      return;
    }
    if (!identity && decoder === undefined) {
      fail(new GatewayError('REQUEST_ENCODING_UNSUPPORTED', 'supported content encodings: identity, gzip, deflate, br'));
      return;
    }
    if (decoder) req.pipe(decoder);
  });
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError('REQUEST_TOO_LARGE', 'the request body is too large', { limitBytes });
}

function incomplete(): GatewayError {
  return new GatewayError('REQUEST_INCOMPLETE', 'the request body was cut off');
}
