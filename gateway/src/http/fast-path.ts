/**
 * The lean request path for the hottest routes (checkpoint verification, marked `fastPath` in their definitions).
 * Express costs ~0.3 ms of CPU per request (router walk, `res.json`/`send`), more than the SDK's verification
 * itself; this path serves the same route definitions on plain node:http (or node:https) through the same route
 * runner (route-runner.ts: token → role → client certificate → rate limit → body → schema → handler; json-body.ts for
 * the body) and the same error renderer, so codes, statuses, headers and bodies are those of Express. It claims a POST
 * to the exact path; anything else (a trailing slash, another method) goes to Express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.js';
import type { RequestRecorder } from './request-recorder.js';
import { renderError } from './error-middleware.js';
import { bodyAbandoned } from './json-body.js';
import type { RouteDefinition } from './route.js';
import type { RouteOutcome, RouteRunner } from './route-runner.js';

const JSON_HEADERS = 'application/json; charset=utf-8';

export interface FastPathDeps {
  run: RouteRunner;
  logger: Logger;
  record: RequestRecorder;
}

/** Returns a function that serves `req` and returns true, or returns false (untouched) to leave it to Express. */
export function newFastPath(routes: readonly RouteDefinition[], deps: Readonly<FastPathDeps>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const byPath = new Map<string, RouteDefinition>();
  for (const r of routes) {
    if (r.method !== 'post' || r.path.includes(':') || r.params || r.query) throw new Error(`route ${r.path} cannot take the fast path`);
    byPath.set(r.path, r);
  }
  const { run, logger, record } = deps;

  function send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
    const json = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'Content-Type': JSON_HEADERS, 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  }

  async function serve(route: RouteDefinition, req: IncomingMessage, res: ServerResponse, start: bigint): Promise<void> {
    let status: number;
    let code = 'OK';
    const outcome: RouteOutcome = {};
    try {
      const result = await run(route, { req }, outcome);
      if (result.code) code = result.code;
      status = result.status ?? 200;
      send(res, status, result.body);
    } catch (e) {
      const failure = renderError(e, logger);
      status = failure.status;
      code = failure.body.code;
      if (res.headersSent) res.destroy();
      else send(res, status, failure.body, bodyAbandoned(req) ? { ...failure.headers, Connection: 'close' } : failure.headers);
    }
    record('POST', route.path, status, code, Number(process.hrtime.bigint() - start) / 1e9, outcome.sub);
  }

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const route = byPath.get(req.url ?? '');
    if (route === undefined) return false;
    void serve(route, req, res, process.hrtime.bigint());
    return true;
  };
}
