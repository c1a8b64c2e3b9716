/**
 * `createApp(deps)`: the Express application of one gateway, built from already-constructed services so tests can
 * start it on port 0 with any ledger. `newGateway` (gateway.ts) is the composition root that builds the deps.
 */
import type { RequestListener } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import type { Authenticator } from '../auth/authenticator.js';
import { NO_CLIENT_CERTIFICATES, type ClientCertificatePolicy } from '../auth/client-certificate.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AuditService } from '../services/audit-service.js';
import type { GovernanceService } from '../services/governance-service.js';
import type { IssuanceService } from '../issuance/issuance-service.js';
import type { RevocationService } from '../services/revocation-service.js';
import type { TrustService } from '../services/trust-service.js';
import type { VerificationService } from '../services/verification-service.js';
import { consoleStatic } from './console-static.js';
import { sendEncoded } from './encoded-response.js';
import { errorMiddleware } from './error-middleware.js';
import { newFastPath } from './fast-path.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { openApiDocument } from './openapi.js';
import { newRateLimiter, type RateLimiter } from './rate-limit.js';
import type { RouteDefinition } from './route.js';
import { newRequestRecorder } from './request-recorder.js';
import { newRouteRunner, type RouteOutcome, type RouteRunner } from './route-runner.js';
import { auditRoutes } from './routes/audit-routes.js';
import { credentialRoutes } from './routes/credential-routes.js';
import { governanceRoutes } from './routes/governance-routes.js';
import { trustRoutes } from './routes/trust-routes.js';
import { verificationRoutes } from './routes/verification-routes.js';

export interface Readiness {
  ready: boolean;
  [detail: string]: unknown;
}

export interface AppDeps {
  org: Readonly<{ name: string; mspId: string; displayName: string }>;
  logger: Logger;
  metrics: GatewayMetrics;
  authenticator: Authenticator;
  verification: VerificationService;
  trust: TrustService;
  /** Absent in a verification-only gateway (`serves: "verification"`): then neither are their routes. */
  issuance?: IssuanceService;
  revocation?: RevocationService;
  outbox?: Outbox;
  governance?: GovernanceService;
  audit?: AuditService;
  readiness: () => Promise<Readiness>;
  bodyLimitBytes: number;
  /** Per-client rate limits (default: none). */
  limiter?: RateLimiter;
  /** Roles whose requests need a verified client certificate (default: none; only over HTTPS). */
  clientCertificates?: ClientCertificatePolicy;
  /** The web console's built files (default: @hutong/console's dist/, when installed). */
  consoleDir?: string;
}

export function allRoutes(deps: AppDeps): RouteDefinition[] {
  const { issuance, revocation, outbox, governance, audit } = deps;
  return [
    ...verificationRoutes(deps.verification),
    ...(issuance && revocation && outbox ? credentialRoutes({ issuance, revocation, outbox }) : []),
    ...(governance ? governanceRoutes(governance) : []),
    ...trustRoutes(deps.trust),
    ...(audit ? auditRoutes(audit) : []),
  ];
}

/**
 * The request listener the gateway's HTTP server runs: the lean path for the routes marked `fastPath` (checkpoint
 * verification), Express for everything else — including any fast-path request whose head is unusual.
 */
export function createRequestListener(deps: AppDeps): RequestListener {
  const run = routeRunnerOf(deps);
  const app = createApp(deps, run);
  const fast = newFastPath(allRoutes(deps).filter((r) => r.fastPath === true), { run, logger: deps.logger, record: newRequestRecorder(deps) });
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}

function routeRunnerOf(deps: AppDeps): RouteRunner {
  return newRouteRunner({
    authenticator: deps.authenticator,
    limiter: deps.limiter ?? newRateLimiter({ maxClients: 1, limits: {} }),
    bodyLimitBytes: deps.bodyLimitBytes,
    clientCertificates: deps.clientCertificates ?? NO_CLIENT_CERTIFICATES,
  });
}

export function createApp(deps: AppDeps, run: RouteRunner = routeRunnerOf(deps)): Express {
  const { logger, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // Metrics and one structured access-log line per request: route template, status and outcome code only.
  const record = newRequestRecorder(deps);
  app.use((req: Request, res: Response, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = (res.locals['route'] as string | undefined) ?? 'unmatched';
      const code = (res.locals['code'] as string | undefined) ?? 'OK';
      record(req.method, route, res.statusCode, code, seconds, res.locals['sub']);
    });
    next();
  });
  // No body parser here: a route reads its body itself (route-runner.ts), after authentication.

  const routes = allRoutes(deps);
  const document = openApiDocument(routes, {
    title: `hutong gateway — ${deps.org.displayName} (${deps.org.mspId})`,
    version: '1.0.0',
    description: 'Verification, issuance, revocation, governance and audit of cross-border credentials. Errors: { code, message, details? }; '
      + 'each error status of an operation lists its codes (x-error-codes), answers given before any route is chosen are in x-transport-errors, '
      + 'and operations with a per-client rate limit (x-rate-limit) answer 429 RATE_LIMITED with Retry-After.',
  }, {
    clientCertificateRoles: (deps.clientCertificates ?? NO_CLIENT_CERTIFICATES).requiredFor,
    remoteKeys: deps.authenticator.remoteKeys,
  });

  // The web console at `/` (its own module: static files only, before the API so `/` is no longer ROUTE_NOT_FOUND).
  app.use(consoleStatic(deps.consoleDir));

  app.get('/healthz', (_req, res) => {
    res.locals['route'] = '/healthz';
    res.json({ status: 'ok', org: deps.org.mspId });
  });
  app.get('/readyz', async (_req, res) => {
    res.locals['route'] = '/readyz';
    const r = await deps.readiness();
    res.locals['code'] = r.ready ? 'OK' : 'NOT_READY';
    res.status(r.ready ? 200 : 503).json(r);
  });
  app.get('/metrics', async (_req, res) => {
    res.locals['route'] = '/metrics';
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.locals['route'] = '/openapi.json';
    res.json(document);
  });

  for (const route of routes) {
    app[route.method](route.path, async (req: Request, res: Response) => {
      res.locals['route'] = route.path;
      const outcome: RouteOutcome = {};
      try {
        const result = await run(route, { req, params: req.params, query: req.query, express: { req, res } }, outcome);
        if (result.code) res.locals['code'] = result.code;
        if (result.encoded) sendEncoded(req, res, result.status ?? 200, result.encoded);
        else res.status(result.status ?? 200).json(result.body);
      } finally {
        res.locals['sub'] = outcome.sub;
      }
    });
  }

  // A known path with a method it does not serve: 405 with the methods it does (HEAD wherever GET is).
  const methodsByPath = new Map<string, Set<string>>(['/healthz', '/readyz', '/metrics', '/openapi.json'].map((p) => [p, new Set(['GET', 'HEAD'])]));
  for (const route of routes) {
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method === 'get') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    app.all(path, (_req, res) => {
      res.locals['route'] = path;
      throw new GatewayError('METHOD_NOT_ALLOWED', 'this path does not serve this method', { allow: [...methods].sort() });
    });
  }

  app.use((_req, _res, next) => next(new GatewayError('ROUTE_NOT_FOUND', 'no route for this method and path')));
  app.use(errorMiddleware(logger));
  return app;
}
