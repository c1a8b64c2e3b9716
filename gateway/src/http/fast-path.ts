/**
 * The lean request path for the hottest routes (checkpoint verification, marked `fastPath` in their definitions).
 * Express costs ~0.3 ms of CPU per request (router walk, body-parser streams, `res.json`/`send`), more than the
 * SDK's verification itself; this path serves the same route definitions on plain node:http with the same order of
 * checks and the same answers: JSON body (strict: object or array, UTF-8) → bearer token → role → body schema →
 * handler → `{...}` with `application/json; charset=utf-8`; failures through the shared `renderError`, so codes,
 * statuses and bodies are those of the error middleware. It claims a request only if its head is ordinary — POST to
 * the exact path, `Content-Type: application/json` (optionally `charset=utf-8`), a `Content-Length` within the
 * body limit, no `Content-Encoding`/`Transfer-Encoding` — and leaves everything else to Express, which then
 * answers exactly as before (413, 415, trailing slashes, …).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireRole, type Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { validate, type RequestRecorder } from './app.js';
import { renderError } from './error-middleware.js';
import type { RouteContext, RouteDefinition } from './route.js';

const JSON_TYPE = /^application\/json(?:\s*;\s*charset="?utf-8"?)?$/i;
/** body-parser's strict mode: the first non-blank character opens an object or an array. */
const FIRST_CHAR = /^[ \t\n\r]*(.)/;
const JSON_HEADERS = 'application/json; charset=utf-8';
const PUBLIC: Principal = { subject: 'anonymous', roles: new Set(), issuers: new Set() };

export interface FastPathDeps {
  authenticator: Authenticator;
  logger: Logger;
  bodyLimitBytes: number;
  record: RequestRecorder;
}

/** Returns a function that serves `req` and returns true, or returns false (untouched) to leave it to Express. */
export function newFastPath(routes: readonly RouteDefinition[], deps: Readonly<FastPathDeps>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const byPath = new Map<string, RouteDefinition>();
  for (const r of routes) {
    if (r.method !== 'post' || r.path.includes(':') || r.params || r.query) throw new Error(`route ${r.path} cannot take the fast path`);
    byPath.set(r.path, r);
  }
  const { authenticator, logger, bodyLimitBytes, record } = deps;

  function send(res: ServerResponse, status: number, body: unknown): void {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': JSON_HEADERS, 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  }

  async function serve(route: RouteDefinition, req: IncomingMessage, res: ServerResponse, raw: Buffer, start: bigint): Promise<void> {
    let status: number;
    let code = 'OK';
    let sub: string | undefined;
    try {
      let parsed: unknown;
      try {
        let text = raw.toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        const first = FIRST_CHAR.exec(text)?.[1];
        if (first !== '{' && first !== '[') throw new SyntaxError('strict JSON: an object or an array');
        parsed = JSON.parse(text);
      } catch {
        throw new GatewayError('REQUEST_MALFORMED_JSON', 'the request body is not valid JSON');
      }
      let principal = PUBLIC;
      if (route.roles !== 'public') {
        principal = await authenticator.authenticate(req.headers.authorization);
        sub = principal.subject;
        requireRole(principal, route.roles);
      }
      const body = validate(route.body, parsed, 'body');
      const result = await route.handler({ body, query: undefined, params: undefined, principal } as RouteContext<unknown, unknown, unknown>);
      if (result.code) code = result.code;
      status = result.status ?? 200;
      send(res, status, result.body);
    } catch (e) {
      const failure = renderError(e, logger);
      status = failure.status;
      code = failure.body.code;
      if (!res.headersSent) send(res, status, failure.body);
      else res.destroy();
    }
    record('POST', route.path, status, code, Number(process.hrtime.bigint() - start) / 1e9, sub);
  }

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const route = byPath.get(req.url ?? '');
    if (route === undefined) return false;
    const h = req.headers;
    const type = h['content-type'];
    if (type === undefined || !JSON_TYPE.test(type) || h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined) return false;
    const length = Number(h['content-length']);
    if (!(Number.isSafeInteger(length) && length > 0 && length <= bodyLimitBytes)) return false;
    const start = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void serve(route, req, res, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), start));
    req.on('error', () => res.destroy());
    return true;
  };
}
