/**
 * The OpenAPI 3.1 document, generated from the route definitions' zod schemas (zod 4's JSON Schema output is
 * draft 2020-12, the dialect OpenAPI 3.1 uses).
 */
import { z } from 'zod';
import { ERROR_STATUS } from './error-status.js';
import type { RouteDefinition } from './route.js';
import { ErrorBody } from './schemas.js';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Json;
  return rest;
}

/** Parameters of a query or path schema: the members of an object, or of every option of a union. */
function parametersOf(s: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!s) return [];
  const json = schemaOf(s, 'input');
  const variants = (json['oneOf'] ?? json['anyOf'] ?? [json]) as Json[];
  const params = new Map<string, Json>();
  for (const v of variants) {
    const props = (v['properties'] ?? {}) as Record<string, Json>;
    const required = new Set((v['required'] ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) {
      if (params.has(name)) continue;
      params.set(name, { name, in: where, required: where === 'path' || (variants.length === 1 && required.has(name)), schema });
    }
  }
  return [...params.values()];
}

export function openApiDocument(routes: readonly RouteDefinition[], info: Readonly<{ title: string; version: string; description: string }>): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, Json> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = { description: res.description, ...(res.schema ? { content: { 'application/json': { schema: schemaOf(res.schema, 'output') } } } : {}) };
    }
    const errorStatuses = new Set<number>([400, 500, 503]);
    if (r.roles !== 'public') { errorStatuses.add(401); errorStatuses.add(403); }
    for (const code of r.errors ?? []) errorStatuses.add(ERROR_STATUS[code]);
    for (const status of [...errorStatuses].sort()) {
      responses[String(status)] = { description: 'Error: { code, message, details? }', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
    }
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[r.method] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      ...(r.roles === 'public' ? { security: [] } : { 'x-roles': r.roles }),
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
  };
}
