/**
 * The gateway's published contract, read from its own `GET /openapi.json`: every operation with its parameters,
 * body schema, documented statuses, the error codes each error status may carry, and validators of its documented
 * response schemas (JSON Schema → zod's `fromJSONSchema`). `problemsOf` says how an answer breaks the contract.
 */
import { z } from 'zod';
import type { JsonSchema } from './schema-arbitrary';

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI template, `/v1/outbox/{id}`. */
  path: string;
  operationId: string;
  roles: readonly string[] | 'public';
  parameters: Parameter[];
  body?: JsonSchema;
  /** The whole query as one schema, where its parameters go together in set combinations (`x-query-schema`). */
  query?: JsonSchema;
  /** Documented statuses, and for each error status the codes it may carry. */
  statuses: ReadonlySet<number>;
  codes: ReadonlyMap<number, readonly string[]>;
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }>; headers?: Record<string, unknown> }>;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface ApiContract {
  operations: Operation[];
  /** Answers given before any route is chosen (unparseable HTTP, timeouts, unknown path or method): code → status. */
  transport: ReadonlyMap<string, number>;
  /** Every way `answer` breaks the contract of `op` (empty when it keeps it). `transport`: allow the transport answers. */
  problemsOf(op: Operation | undefined, answer: Answer, options?: { method?: string; transport?: boolean }): string[];
}

type Json = Record<string, unknown>;

export function apiContract(document: Json): ApiContract {
  const components = ((document['components'] as Json)['schemas'] ?? {}) as Record<string, JsonSchema>;
  const transport = new Map(Object.entries((document['x-transport-errors'] ?? {}) as Record<string, number>));
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document['paths'] as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      const responses = op['responses'] as Operation['responses'];
      const codes = new Map<number, string[]>();
      for (const [status, r] of Object.entries(responses)) {
        if (Array.isArray((r as Json)['x-error-codes'])) codes.set(Number(status), (r as Json)['x-error-codes'] as string[]);
      }
      const body = ((op['requestBody'] as Json | undefined)?.['content'] as Record<string, { schema: JsonSchema }> | undefined)?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(), path, operationId: op['operationId'] as string,
        roles: (op['x-roles'] as string[] | undefined) ?? 'public',
        parameters: (op['parameters'] ?? []) as Parameter[],
        ...(body ? { body } : {}),
        ...(op['x-query-schema'] ? { query: op['x-query-schema'] as JsonSchema } : {}),
        statuses: new Set(Object.keys(responses).map(Number)),
        codes, responses,
      });
    }
  }

  const validators = new Map<JsonSchema, z.ZodType>();
  function validatorOf(schema: JsonSchema): z.ZodType {
    let v = validators.get(schema);
    if (v === undefined) {
      // Component references become local ones, next to the schema's own $defs.
      const local = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as JsonSchema;
      v = z.fromJSONSchema({ ...local, $defs: { ...components, ...((local['$defs'] ?? {}) as Json) } } as Parameters<typeof z.fromJSONSchema>[0]);
      validators.set(schema, v);
    }
    return v;
  }

  function problemsOf(op: Operation | undefined, answer: Answer, options: { method?: string; transport?: boolean } = {}): string[] {
    const problems: string[] = [];
    const { status, text } = answer;
    if (status >= 500) problems.push(`server error ${status}`);
    const head = options.method === 'HEAD';
    if (head && text.length > 0) problems.push('HEAD answered with a body');
    let body: unknown;
    if (!head) {
      if (!/^application\/json/.test(String(answer.headers['content-type'] ?? ''))) problems.push(`content type ${String(answer.headers['content-type'])}`);
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`body is not JSON: ${text.slice(0, 80)}`);
      }
    }
    const code = (body as { code?: unknown } | undefined)?.code;
    const documented = op?.statuses.has(status) === true;
    // A HEAD answer has no body to show its code: any transport status will do.
    const viaTransport = options.transport !== false
      && (head ? [...transport.values()].includes(status) : typeof code === 'string' && transport.get(code) === status);
    if (!documented && !viaTransport) {
      problems.push(`status ${status}${typeof code === 'string' ? ` (${code})` : ''} is not documented for ${op ? `${op.method} ${op.path}` : 'this request'}`);
    }
    if (status === 429 && !/^[1-9][0-9]*$/.test(String(answer.headers['retry-after'] ?? ''))) problems.push('429 without Retry-After');
    if (status === 405 && !answer.headers['allow']) problems.push('405 without Allow');
    if (head || body === undefined) return problems;
    if (status >= 400) {
      const shape = validatorOf(components['ErrorBody'] as JsonSchema).safeParse(body);
      if (!shape.success || Object.keys(body as object).some((k) => !['code', 'message', 'details'].includes(k))) problems.push(`error body breaks ErrorBody: ${text.slice(0, 200)}`);
      const allowed = op?.codes.get(status);
      if (documented && !viaTransport && allowed && !allowed.includes(code as string)) problems.push(`code ${String(code)} is not documented for ${status} of ${op?.method} ${op?.path}`);
    } else if (op && documented) {
      const schema = op.responses[String(status)]?.content?.['application/json']?.schema;
      if (schema) {
        const checked = validatorOf(schema).safeParse(body);
        if (!checked.success) problems.push(`${status} body breaks its schema: ${checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
    }
    return problems;
  }

  return { operations, transport, problemsOf };
}
