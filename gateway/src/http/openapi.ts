/**
 * The OpenAPI 3.1 document, generated from the route definitions' zod schemas (zod 4's JSON Schema output is
 * draft 2020-12, the dialect OpenAPI 3.1 uses).
 */
import { z } from 'zod';
import { ERROR_STATUS } from './error-status.js';
import type { Role } from '../auth/principal.js';
import type { ErrorCode } from '../errors/gateway-error.js';
import type { RouteDefinition } from './route.js';
import { ErrorBody } from './schemas.js';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Json;
  return rest;
}

/**
 * Parameters of a query or path schema: the members of an object, or of every option of a union. A member of several
 * options gets every option's schema (`anyOf`, or one `enum` when they are all constants: a discriminator), and is
 * required only if every option requires it; which members go together is in the operation's description.
 */
function parametersOf(s: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!s) return [];
  const json = schemaOf(s, 'input');
  const variants = (json['oneOf'] ?? json['anyOf'] ?? [json]) as Json[];
  const schemas = new Map<string, Json[]>();
  const requiredBy = new Map<string, number>();
  for (const v of variants) {
    const props = (v['properties'] ?? {}) as Record<string, Json>;
    for (const [name, schema] of Object.entries(props)) {
      const list = schemas.get(name) ?? [];
      if (!list.some((x) => JSON.stringify(x) === JSON.stringify(schema))) list.push(schema);
      schemas.set(name, list);
    }
    for (const name of (v['required'] ?? []) as string[]) requiredBy.set(name, (requiredBy.get(name) ?? 0) + 1);
  }
  return [...schemas].map(([name, list]) => {
    const constants = list.every((x) => 'const' in x && x['type'] === 'string');
    const schema = list.length === 1 ? list[0] : constants ? { type: 'string', enum: list.map((x) => x['const']) } : { anyOf: list };
    return { name, in: where, required: where === 'path' || requiredBy.get(name) === variants.length, schema };
  });
}

/** `record=issuer: issuerId; record=issuerKey: issuerId, kid; …` — the members each option of a union takes. */
function combinationsOf(s: z.ZodType | undefined): string | undefined {
  if (!s) return undefined;
  const json = schemaOf(s, 'input');
  const variants = (json['oneOf'] ?? json['anyOf']) as Json[] | undefined;
  if (!variants) return undefined;
  return variants.map((v) => {
    const props = Object.entries((v['properties'] ?? {}) as Record<string, Json>);
    const [tag, rest] = [props.filter(([, p]) => 'const' in p), props.filter(([, p]) => !('const' in p))];
    return `${tag.map(([n, p]) => `${n}=${String(p['const'])}`).join('&')}${rest.length ? `: ${rest.map(([n]) => n).join(', ')}` : ''}`;
  }).join('; ');
}

/** How this gateway authenticates, as far as it changes what an operation may answer. */
export interface AuthShape {
  /** Roles whose requests need a client certificate (http.tls.requireClientCertificateFor). */
  clientCertificateRoles: ReadonlySet<Role>;
  /** Keys fetched from an identity provider (auth.jwksUrl): AUTH_PROVIDER_UNAVAILABLE. */
  remoteKeys: boolean;
}

const PLAIN_AUTH: AuthShape = { clientCertificateRoles: new Set(), remoteKeys: false };

/** The error codes an operation may answer with: those of its shape (token, certificate, path, body, rate limit) and its own. */
export function errorCodesOf(r: RouteDefinition, auth: AuthShape = PLAIN_AUTH): ErrorCode[] {
  const codes = new Set<ErrorCode>(['REQUEST_INVALID', 'INTERNAL_ERROR']);
  const add = (...c: ErrorCode[]): void => c.forEach((x) => codes.add(x));
  if (r.roles !== 'public') add('AUTH_TOKEN_MISSING', 'AUTH_TOKEN_INVALID', 'AUTH_TOKEN_EXPIRED', 'ROLE_FORBIDDEN');
  if (r.roles !== 'public' && auth.remoteKeys) add('AUTH_PROVIDER_UNAVAILABLE');
  if (r.roles !== 'public' && r.roles.some((role) => auth.clientCertificateRoles.has(role))) add('CLIENT_CERTIFICATE_REQUIRED', 'CLIENT_CERTIFICATE_INVALID');
  if (r.params) add('REQUEST_MALFORMED_PATH');
  if (r.body) {
    add('REQUEST_UNSUPPORTED_MEDIA_TYPE', 'REQUEST_ENCODING_UNSUPPORTED', 'REQUEST_ENCODING_INVALID', 'REQUEST_TOO_LARGE', 'REQUEST_INCOMPLETE',
      'REQUEST_MALFORMED_JSON', 'REQUEST_DUPLICATE_MEMBER');
  }
  if (r.rateLimit) add('RATE_LIMITED');
  add(...(r.errors ?? []));
  return [...codes];
}

/**
 * Answers node gives before any route is chosen, on any path (http-server.ts, app.ts): same `{ code, message }` body.
 * Over HTTPS, a plain-HTTP request to the port is answered in plain HTTP with HTTPS_REQUIRED (not listed: it never
 * reaches the HTTPS interface this document describes).
 */
const TRANSPORT_ERRORS: readonly ErrorCode[] = [
  'REQUEST_MALFORMED', 'REQUEST_TIMEOUT', 'REQUEST_HEADERS_TOO_LARGE', 'REQUEST_EXPECTATION_UNSUPPORTED', 'ROUTE_NOT_FOUND', 'METHOD_NOT_ALLOWED',
];

export function openApiDocument(routes: readonly RouteDefinition[], info: Readonly<{ title: string; version: string; description: string }>, auth: AuthShape = PLAIN_AUTH): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, Json> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = { description: res.description, ...(res.schema ? { content: { 'application/json': { schema: schemaOf(res.schema, 'output') } } } : {}) };
    }
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errorCodesOf(r, auth)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(status)] = {
        description: `Error: { code, message, details? } with code ${codes.sort().join(', ')}`,
        ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until the client’s bucket admits a request again', schema: { type: 'integer', minimum: 1 } } } } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        'x-error-codes': codes,
      };
    }
    const combinations = combinationsOf(r.query);
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      ...(combinations ? { description: `Query combinations: ${combinations}.` } : {}),
      // The whole query as one schema when its parameters go together in set combinations (a union).
      ...(combinations ? { 'x-query-schema': schemaOf(r.query as z.ZodType, 'input') } : {}),
      ...(r.rateLimit ? { 'x-rate-limit': r.rateLimit.class } : {}),
      tags: [r.tag],
      ...(r.roles === 'public' ? { security: [] } : { 'x-roles': r.roles }),
      ...(r.roles !== 'public' && r.roles.some((role) => auth.clientCertificateRoles.has(role))
        ? { 'x-client-certificate-roles': r.roles.filter((role) => auth.clientCertificateRoles.has(role)) } : {}),
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ErrorBody: schemaOf(ErrorBody, 'output') },
      'x-error-codes': ERROR_STATUS,
    },
    'x-transport-errors': Object.fromEntries(TRANSPORT_ERRORS.map((code) => [code, ERROR_STATUS[code]])),
  };
}
