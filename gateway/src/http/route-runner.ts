/**
 * One request through one route definition, the same for Express and the fast path: bearer token → role → client
 * certificate (mutual TLS, for the roles configured to need one) → rate limit → path and query schemas → content type → body (read, decoded and parsed by json-body.ts) → body schema →
 * the batch's rate-limit charge → handler. Authentication comes before the body is read, so an unauthenticated
 * client never gets the gateway to decompress or parse anything; every failure is a GatewayError for the one error
 * renderer (error-middleware.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { requireRole, type Authenticator } from '../auth/authenticator.js';
import { NO_CLIENT_CERTIFICATES, requireClientCertificate, type ClientCertificatePolicy } from '../auth/client-certificate.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../errors/gateway-error.js';
import { readJsonBody, refuseBody, requireJsonContentType } from './json-body.js';
import type { RateLimiter } from './rate-limit.js';
import type { RouteContext, RouteDefinition, RouteResult } from './route.js';

const PUBLIC: Principal = { subject: 'anonymous', roles: new Set(), issuers: new Set() };
/** Validation issues reported per request, and characters per issue path or message: an answer never grows with the input. */
const MAX_ISSUES = 20;
const MAX_ISSUE_CHARS = 200;

export interface RouteRunnerDeps {
  authenticator: Authenticator;
  limiter: RateLimiter;
  bodyLimitBytes: number;
  /** Roles whose requests need a verified client certificate (default: none). */
  clientCertificates?: ClientCertificatePolicy;
}

export interface RouteCall {
  req: IncomingMessage;
  /** Path parameters as the router decoded them, and the parsed query (neither on the fast path). */
  params?: unknown;
  query?: unknown;
  /** Express's request and response; the fast path serves only routes whose handlers use neither. */
  express?: { req: Request; res: Response };
}

/** What the runner learnt about the caller, kept for the access log even when the request fails. */
export interface RouteOutcome {
  sub?: string;
}

export type RouteRunner = (route: RouteDefinition, call: RouteCall, outcome: RouteOutcome) => Promise<RouteResult>;

/** Parses `value` with `schema`, or throws REQUEST_INVALID with the issues (bounded in number and size). */
export function validate<T>(schema: ZodType | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as T;
  const clip = (s: string): string => (s.length > MAX_ISSUE_CHARS ? `${s.slice(0, MAX_ISSUE_CHARS)}…` : s);
  throw new GatewayError('REQUEST_INVALID', `the request ${where} is invalid`, {
    issues: parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({ in: where, path: clip(i.path.join('.')), code: i.code, message: clip(i.message) })),
  });
}

/** The key of an unauthenticated client: its address as the socket sees it (no forwarding header is trusted). */
function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function newRouteRunner(deps: Readonly<RouteRunnerDeps>): RouteRunner {
  const { authenticator, limiter, bodyLimitBytes } = deps;
  const certificates = deps.clientCertificates ?? NO_CLIENT_CERTIFICATES;
  return async (route, call, outcome) => {
    const { req } = call;
    const limitClass = route.rateLimit?.class;
    // Failed authentications (token or client certificate) count against the address: a stream of them is limited
    // like any other. The identity provider's outage is not the client's doing and costs it nothing.
    const unauthenticated = (e: unknown): unknown => {
      const providerFault = e instanceof GatewayError && e.code === 'AUTH_PROVIDER_UNAVAILABLE';
      if (limitClass && !providerFault) limiter.admit('unauthenticated', remoteAddress(req));
      return e;
    };
    let principal = PUBLIC;
    if (route.roles !== 'public') {
      try {
        principal = await authenticator.authenticate(req.headers.authorization);
      } catch (e) {
        throw unauthenticated(e);
      }
      outcome.sub = principal.subject;
      requireRole(principal, route.roles);
      try {
        requireClientCertificate(certificates, principal, route.roles, req.socket);
      } catch (e) {
        throw unauthenticated(e);
      }
    }
    const client = route.roles === 'public' ? remoteAddress(req) : principal.subject;
    if (limitClass) limiter.admit(limitClass, client);

    const params = validate(route.params, call.params, 'path');
    const query = validate(route.query, call.query, 'query');
    let raw: unknown;
    if (route.body) {
      requireJsonContentType(req);
      raw = await readJsonBody(req, bodyLimitBytes);
    } else {
      refuseBody(req, bodyLimitBytes);
    }
    const body = validate(route.body, raw, 'body');
    const items = route.rateLimit?.items;
    if (limitClass && items) limiter.charge(limitClass, client, items(body) - 1);
    const context = { body, query, params, principal, req: call.express?.req, res: call.express?.res };
    return route.handler(context as RouteContext<unknown, unknown, unknown>);
  };
}
