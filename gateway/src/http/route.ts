/**
 * A route is data: method, path, roles, zod schemas of its inputs and outputs, and a handler. The same definitions
 * wire Express (validation, authorisation, metrics) and generate the OpenAPI 3.1 document, so the published
 * contract cannot drift from what the server enforces.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal, Role } from '../auth/principal.js';
import type { ErrorCode } from '../errors/gateway-error.js';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** The authenticated caller (undefined only on public routes). */
  principal: Principal;
  req: Request;
  res: Response;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  /** Outcome label for metrics (a reason code); default `OK`. */
  code?: string;
  /**
   * The body already serialised (its JSON, and that JSON gzipped, made once for many readers): sent instead of
   * `body`, gzipped when the client accepts it. `body` stays what the response schema describes.
   */
  encoded?: { json: Buffer; gzip: Buffer };
}

export interface RouteDefinition<B = unknown, Q = unknown, P = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path (`/v1/outbox/:id`); OpenAPI gets `{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Roles allowed; `public` needs no token. */
  roles: readonly Role[] | 'public';
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** Success responses by status. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error codes this route may answer with besides the common ones (documentation). */
  errors?: readonly ErrorCode[];
  /**
   * Served by the lean node:http path (`fast-path.ts`) instead of Express: only for POST routes without path
   * parameters or query whose handler never touches `req`/`res` (it gets neither there). Same route runner, so the
   * same checks, errors, metrics and logs; only a POST to the exact path is claimed, anything else goes to Express.
   */
  fastPath?: boolean;
  /**
   * Per-client rate limit class (see rate-limit.ts): the request takes one token of its client's bucket before its
   * body is read, and a batch `items(body) - 1` more once its body is valid.
   */
  rateLimit?: { class: 'verification' | 'issuance'; items?: (body: B) => number };
  handler(ctx: RouteContext<B, Q, P>): Promise<RouteResult>;
}

/** What any ledger query may answer besides its own refusals (documentation: `errors`). */
export const LEDGER_READ_ERRORS: readonly ErrorCode[] = ['LEDGER_UNAVAILABLE', 'LEDGER_DEADLINE_EXCEEDED', 'NOT_INITIALISED', 'NOT_A_MEMBER'];
/** What any ledger write may answer besides its transaction's own refusals. */
export const LEDGER_WRITE_ERRORS: readonly ErrorCode[] = [...LEDGER_READ_ERRORS, 'LEDGER_ENDORSEMENT_FAILED', 'LEDGER_COMMIT_FAILED', 'LEDGER_MVCC_CONFLICT'];

/** Declares a route; the handler's inputs are typed from the schemas. */
export function defineRoute<BS extends z.ZodType | undefined = undefined, QS extends z.ZodType | undefined = undefined, PS extends z.ZodType | undefined = undefined>(
  definition: Omit<RouteDefinition<Out<BS>, Out<QS>, Out<PS>>, 'body' | 'query' | 'params'> & { body?: BS; query?: QS; params?: PS },
): RouteDefinition {
  return definition as unknown as RouteDefinition;
}
