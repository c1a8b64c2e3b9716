/**
 * An HTTP client that sends exactly what it is given: `sendRequest` through node:http (any method, headers and
 * body bytes, no keep-alive, no retry), `sendBytes` straight onto a TCP socket for requests node:http would refuse
 * to write (broken request lines, conflicting lengths, bad chunking, truncated bodies). Both resolve with the
 * answer, or `undefined` when the server closed the connection without one.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Answer } from './api-contract';

export interface RawRequest {
  method: string;
  /** Path and query, sent as is. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export function sendRequest(port: number, r: RawRequest, timeoutMs = 15_000): Promise<Answer | undefined> {
  return new Promise((resolve, reject) => {
    // A body goes with its length (node would send a GET's body with neither length nor chunking: invalid HTTP).
    const headers = r.body !== undefined && !Object.keys(r.headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k))
      ? { ...r.headers, 'content-length': String(r.body.length) }
      : r.headers;
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.target, headers, agent: false, setHost: true }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve(undefined));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      reject(new Error(`no answer to ${r.method} ${r.target.slice(0, 100)} within ${timeoutMs} ms`));
    });
    // The server may answer (and close) before the whole body is written: a write error is not the answer.
    req.on('error', () => resolve(undefined));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

export interface SendBytesOptions {
  /** Half-close after writing (the client sends nothing more but still reads). */
  halfClose?: boolean;
  timeoutMs?: number;
}

/** Writes `bytes` on a fresh connection and parses the first answer (or returns undefined when there is none). */
export function sendBytes(port: number, bytes: Buffer | string, options: SendBytesOptions = {}): Promise<Answer | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 15_000} ms`));
    }, options.timeoutMs ?? 15_000);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks)));
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const answer = parseAnswer(Buffer.concat(chunks));
      if (answer && answer.complete) done();
    });
    socket.on('end', done);
    socket.on('error', done);
    socket.on('connect', () => {
      socket.write(bytes);
      if (options.halfClose) socket.end();
    });
  });
}

/** The first HTTP/1.1 response in `data`, with `complete` once its Content-Length bytes are there. */
function parseAnswer(data: Buffer): (Answer & { complete: boolean }) | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = data.subarray(end + 4);
  const length = Number(headers['content-length'] ?? 0);
  return { status, headers, text: body.subarray(0, length).toString('utf8'), complete: body.length >= length };
}
