/**
 * The gateway's HTTP server — node:http, or node:https when TLS is configured — with bounds on what one client can
 * hold — the TLS handshake and the request head within `headersTimeoutMs`, the whole request within
 * `requestTimeoutMs`, at most `maxConnections` sockets, node's 16 KiB request head — and with the answers node would
 * give by itself (unparseable HTTP, header overflow, timeouts, an `Expect` it does not support, an HTTP/1.1 request
 * without Host) as `{ code, message }` bodies like every other answer. These faults are the client's: logged at debug
 * level with their code only (the raw bytes node reports with them are never logged). Over HTTPS the server asks
 * for a client certificate when a client CA bundle is configured but never refuses a handshake for it: whether a
 * request needs one is decided per request (auth/client-certificate.ts).
 */
import { createServer, STATUS_CODES, type RequestListener, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsCredentials } from '../config/config.js';
import type { ErrorCode } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { ERROR_STATUS } from './error-status.js';

export interface HttpServerOptions {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  maxConnections: number;
  logger: Logger;
  /** Serve HTTPS with these (config.ts `resolveTlsCredentials`); absent: plain HTTP. */
  tls?: TlsCredentials;
}

export type GatewayServer = HttpServer | HttpsServer;

/** Node's parser and timeout errors, by `code`, as the gateway's error codes. */
const CLIENT_ERRORS: Readonly<Record<string, [ErrorCode, string]>> = {
  HPE_HEADER_OVERFLOW: ['REQUEST_HEADERS_TOO_LARGE', 'the request head is too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ['REQUEST_TOO_LARGE', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: ['REQUEST_TIMEOUT', 'the request was not received in time'],
  // The client closed its side before sending the whole body its head announced.
  HPE_INVALID_EOF_STATE: ['REQUEST_INCOMPLETE', 'the request body was cut off'],
};

function jsonError(res: ServerResponse, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ code, message });
  res.writeHead(ERROR_STATUS[code], { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

function rawResponse(code: ErrorCode, message: string): string {
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ code, message });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Library error codes (ERR_SSL_…, ECONNRESET) are logged only if they look like identifiers. */
const SAFE_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** node:https options beside the shared ones: the certificate, and client certificates asked for but not enforced. */
function tlsOptions(tls: TlsCredentials, handshakeTimeoutMs: number): Record<string, unknown> {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: tls.minVersion,
    // A client that connects and never completes its handshake is cut off like one that never sends its head.
    handshakeTimeout: handshakeTimeoutMs,
    ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
  };
}

export function newHttpServer(listener: RequestListener, options: Readonly<HttpServerOptions>): GatewayServer {
  const { logger } = options;
  const shared = {
    requestTimeout: options.requestTimeoutMs,
    headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
    // How often node looks for requests past their deadlines (its default, 30 s, would let a deadline slip by that much).
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs),
    // Checked below instead, so that the refusal has a body like any other (RFC 9112 §3.2: 400 without Host).
    requireHostHeader: false,
  };
  const handle: RequestListener = (req, res) => {
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) jsonError(res, 'REQUEST_MALFORMED', 'an HTTP/1.1 request needs a Host header');
    else listener(req, res);
  };
  const server: GatewayServer = options.tls
    ? createHttpsServer({ ...shared, ...tlsOptions(options.tls, options.headersTimeoutMs) }, handle)
    : createServer(shared, handle);
  server.maxConnections = options.maxConnections;

  // A failed handshake (a scanner, plain HTTP, an old protocol, a slow client) is the client's fault and ends here.
  // node:https passes it on as a `clientError` too, whose answer would wait for a handshake that never completes:
  // it runs first (prepended) and marks the error so that the clientError handler leaves it alone.
  const handshakeFailures = new WeakSet<Error>();
  server.prependListener('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
    handshakeFailures.add(err);
    const code = SAFE_CODE.test(err.code ?? '') ? err.code : 'TLS_ERROR';
    if (logger.isLevelEnabled('debug')) logger.debug({ event: 'https.handshake_failed', code }, 'TLS handshake failed');
    // Plain HTTP to this port: answered in plain HTTP, on the socket under the TLS layer, so the client learns why.
    const plain = (socket as TLSSocket & { _parent?: Socket })._parent;
    if (err.code === 'ERR_SSL_HTTP_REQUEST' && plain?.writable === true) {
      plain.end(rawResponse('HTTPS_REQUIRED', 'this port serves HTTPS only'), () => {
        plain.destroy();
        socket.destroy();
      });
    } else {
      socket.destroy();
    }
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (handshakeFailures.has(err)) return;
    const [code, message] = CLIENT_ERRORS[err.code ?? ''] ?? ['REQUEST_MALFORMED', 'the request is not valid HTTP/1.1'];
    if (logger.isLevelEnabled('debug')) logger.debug({ event: 'http.client_error', code }, 'client error');
    // As node's own handler: answer only if no response on this socket has started (its head may be queued, unwritten).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code !== 'ECONNRESET' && socket.writable && inFlight?.headersSent !== true) socket.end(rawResponse(code, message), () => socket.destroy());
    else socket.destroy();
  });

  server.on('checkExpectation', (_req: unknown, res: ServerResponse) => jsonError(res, 'REQUEST_EXPECTATION_UNSUPPORTED', 'the only expectation supported is 100-continue'));
  return server;
}
