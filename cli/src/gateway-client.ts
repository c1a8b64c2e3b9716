/**
 * JSON over HTTP to one gateway: the bearer token on every call, errors turned into CliErrors with the gateway's own
 * code (`{ code, message, details? }`) and the exit code the failure deserves: 4 when the gateway cannot answer
 * (connection refused, timeout, 5xx, 429), 3 when it refuses the request (4xx: arguments, token, role).
 */
import { CliError, EXIT } from './cli-error.js';
import type { GatewayTarget } from './cli-config.js';

export interface GatewayClient {
  readonly url: string;
  call<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

const TIMEOUT_MS = 30_000;

export function newGatewayClient(target: GatewayTarget, options: Readonly<{ requireToken?: boolean }> = {}): GatewayClient {
  if (options.requireToken !== false && !target.token) {
    throw new CliError('TOKEN_NOT_CONFIGURED', 'no bearer token: give --token, set HUTONG_TOKEN, use --org NAME with a running demo, or put one in the config file');
  }
  return {
    url: target.url,
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (target.token) headers['authorization'] = `Bearer ${target.token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await fetch(`${target.url}${path}`, {
          method, headers, signal: AbortSignal.timeout(TIMEOUT_MS), ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (e as Error).name;
        throw new CliError('GATEWAY_UNAVAILABLE', `the gateway at ${target.url} did not answer (${why})`, EXIT.UNAVAILABLE);
      }
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new CliError('GATEWAY_ANSWER_INVALID', `the gateway answered ${res.status} with something other than JSON`, EXIT.UNAVAILABLE);
      }
      if (res.status >= 400) {
        const err = (parsed ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
        const exit = res.status >= 500 || res.status === 429 ? EXIT.UNAVAILABLE : EXIT.USAGE;
        // Which member was refused, and why (the gateway's validation issues carry paths and rules, never values).
        const issues = Array.isArray(err.details?.['issues']) ? (err.details['issues'] as Array<{ path?: string; message?: string }>) : [];
        const why = issues.length ? ` (${issues.slice(0, 3).map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')})` : '';
        throw new CliError(err.code ?? `HTTP_${res.status}`, `${err.message ?? `the gateway answered ${res.status}`}${why}`, exit, err.details);
      }
      return { status: res.status, body: parsed as T };
    },
  };
}
