/**
 * The gateway's node:http server, with bounds on what one client can hold — headers within `headersTimeoutMs`, the
 * whole request within `requestTimeoutMs`, at most `maxConnections` sockets, node's 16 KiB request head — and with
 * the answers node would give by itself (unparseable HTTP, header overflow, timeouts, an `Expect` it does not
 * support, an HTTP/1.1 request without Host) as `{ code, message }` bodies like every other answer. These faults are the
 * client's: logged at debug level with their code only (the raw bytes node reports with them are never logged).
 */
import { createServer, STATUS_CODES, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { ERROR_STATUS } from './error-status.js';

export interface HttpServerOptions {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  maxConnections: number;
  logger: Logger;
}

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

export function newHttpServer(listener: RequestListener, options: Readonly<HttpServerOptions>): Server {
  const { logger } = options;
  const server = createServer({
    requestTimeout: options.requestTimeoutMs,
    headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
    // How often node looks for requests past their deadlines (its default, 30 s, would let a deadline slip by that much).
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs),
    // Checked below instead, so that the refusal has a body like any other (RFC 9112 §3.2: 400 without Host).
    requireHostHeader: false,
  }, (req, res) => {
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) jsonError(res, 'REQUEST_MALFORMED', 'an HTTP/1.1 request needs a Host header');
    else listener(req, res);
  });
  server.maxConnections = options.maxConnections;

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const [code, message] = CLIENT_ERRORS[err.code ?? ''] ?? ['REQUEST_MALFORMED', 'the request is not valid HTTP/1.1'];
    if (logger.isLevelEnabled('debug')) logger.debug({ event: 'http.client_error', code }, 'client error');
    // As node's own handler: answer only if no response on this socket has started (its head may be queued, unwritten).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code !== 'ECONNRESET' && socket.writable && inFlight?.headersSent !== true) socket.end(rawResponse(code, message), () => socket.destroy());
    else socket.destroy();
  });

  server.on('checkExpectation', (_req, res: ServerResponse) => jsonError(res, 'REQUEST_EXPECTATION_UNSUPPORTED', 'the only expectation supported is 100-continue'));
  return server;
}
