/**
 * The signed-in officer: the pasted bearer token, kept in this tab's sessionStorage only (never in the URL, never
 * logged), and what its claims say. The claims are read, not trusted: the gateway verifies the token on every call.
 */
export const ROLES = ['checkpoint', 'issuer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Session {
  token: string;
  subject: string;
  roles: Role[];
  /** Issuer ids an issuer token is bound to. */
  issuers: string[];
  expiresAt?: number;
}

const KEY = 'hutong.session.token';

function base64UrlJson(part: string): unknown {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The session a token describes, or undefined for something that is not a JWT with roles. */
export function sessionOf(token: string): Session | undefined {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const parts = trimmed.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = base64UrlJson(parts[1] ?? '') as Record<string, unknown>;
    const roles = Array.isArray(claims['roles']) ? claims['roles'].filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
    if (roles.length === 0) return undefined;
    const issuers = Array.isArray(claims['issuers']) ? claims['issuers'].filter((i): i is string => typeof i === 'string') : [];
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : undefined;
    return { token: trimmed, subject: String(claims['sub'] ?? ''), roles, issuers, ...(exp !== undefined ? { expiresAt: exp } : {}) };
  } catch {
    return undefined;
  }
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  const session = token ? sessionOf(token) : undefined;
  if (session?.expiresAt !== undefined && session.expiresAt < Date.now()) return undefined;
  return session;
}

export function keepSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, session.token);
  else sessionStorage.removeItem(KEY);
}
