/**
 * Bearer-token authentication (RFC 6750) with JWTs verified by jose against the configured JWKS, and the role and
 * issuer-binding checks every route makes. Verified tokens are cached until they expire: a checkpoint sends the
 * same token thousands of times and a signature check per request would cost more than the verification itself.
 * The cache is keyed by the whole token string (a different token, even for the same subject, is verified again),
 * holds only successes (a failure is re-checked every time), honours `exp` exactly (no clock tolerance on a hit),
 * and is bounded (oldest entry evicted). See gateway/src/README.md, "Bearer-token cache".
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { GatewayError } from '../errors/gateway-error.js';
import { ROLES, type Principal, type Role } from './principal.js';

export interface Authenticator {
  /** Resolves the principal of an `Authorization` header or throws AUTH_TOKEN_MISSING / _INVALID / _EXPIRED. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

export interface AuthenticatorOptions {
  issuer: string;
  audience: string;
  jwks: { keys: Array<Record<string, unknown>> };
  /** Clock skew tolerated on `exp`/`nbf`, seconds. */
  clockToleranceSeconds?: number;
  now?: () => number;
}

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
/** Verified tokens kept; the oldest is evicted beyond this. */
export const TOKEN_CACHE_LIMIT = 10_000;

export function newAuthenticator(options: Readonly<AuthenticatorOptions>): Authenticator {
  const keySet = createLocalJWKSet(options.jwks as unknown as JSONWebKeySet);
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; expiresAtMs: number }>();

  async function verify(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256', 'EdDSA'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds ?? 30,
        currentDate: new Date(now()),
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new GatewayError('AUTH_TOKEN_EXPIRED', 'the bearer token has expired');
      throw new GatewayError('AUTH_TOKEN_INVALID', 'the bearer token is not valid for this gateway', { reason: (e as { code?: string }).code ?? 'ERR_JWT_INVALID' });
    }
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is Role => typeof r === 'string' && ROLE_SET.has(r)) : [];
    const issuers = Array.isArray(payload['issuers']) ? payload['issuers'].filter((i): i is string => typeof i === 'string') : [];
    const principal: Principal = { subject: String(payload.sub), roles: new Set(roles), issuers: new Set(roles.includes('issuer') ? issuers : []) };
    return { principal, expiresAtMs: (payload.exp as number) * 1000 };
  }

  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization === '') throw new GatewayError('AUTH_TOKEN_MISSING', 'send Authorization: Bearer <token>');
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization);
      if (!match) throw new GatewayError('AUTH_TOKEN_INVALID', 'the Authorization header is not a Bearer JWT');
      const token = match[1] as string;
      const hit = cache.get(token);
      if (hit) {
        if (hit.expiresAtMs > now()) return hit.principal;
        cache.delete(token);
      }
      const entry = await verify(token);
      if (entry.expiresAtMs > now()) {
        if (cache.size >= TOKEN_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(token, entry);
      }
      return entry.principal;
    },
  };
}

/** Throws ROLE_FORBIDDEN unless the principal holds one of `roles`. */
export function requireRole(principal: Principal, roles: readonly Role[]): void {
  if (!roles.some((r) => principal.roles.has(r))) {
    throw new GatewayError('ROLE_FORBIDDEN', `this operation needs one of the roles: ${roles.join(', ')}`, { required: roles });
  }
}

/** Throws ISSUER_FORBIDDEN unless an issuer principal is bound to `issuerId`: an issuer never acts for another. */
export function requireIssuerBinding(principal: Principal, issuerId: string): void {
  if (!principal.issuers.has(issuerId)) {
    throw new GatewayError('ISSUER_FORBIDDEN', `this token may not act for issuer '${issuerId}'`, { issuerId });
  }
}
