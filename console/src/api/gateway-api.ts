/**
 * Calls to the console's own gateway (same origin, documented endpoints only). A refusal is an `ApiError` carrying
 * the API's `{code, message, details}`; no answer at all is `NETWORK_UNREACHABLE`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly code: string, message: string, readonly status: number, readonly details?: Readonly<Record<string, unknown>>) {
    super(message);
  }
}

export type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export function gatewayApi(token: string | undefined): Api {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError('NETWORK_UNREACHABLE', 'the gateway did not answer', 0);
    }
    const parsed = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok) {
      const code = typeof parsed?.['code'] === 'string' ? parsed['code'] : 'HTTP_ERROR';
      throw new ApiError(code, String(parsed?.['message'] ?? res.statusText), res.status, parsed?.['details'] as Record<string, unknown> | undefined);
    }
    return parsed as T;
  };
}

export function errorCodeOf(e: unknown): string {
  return e instanceof ApiError ? e.code : 'CONSOLE_ERROR';
}
