/**
 * Bearer-token authentication (RFC 6750) with JWTs verified by jose against the configured JWKS — inline, or an
 * external OpenID provider's fetched from its URL (jose's remote key set: cached, refreshed when a token names an
 * unknown kid, a provider failure is 503 AUTH_PROVIDER_UNAVAILABLE, never a token error) — and the role and
 * issuer-binding checks every route makes. Verified tokens are cached until they expire: a checkpoint sends the
 * same token thousands of times and a signature check per request would cost more than the verification itself.
 * The cache is keyed by the whole token string (a different token, even for the same subject, is verified again),
 * holds only successes (a failure is re-checked every time), honours `exp` exactly (no clock tolerance on a hit),
 * and is bounded (oldest entry evicted). See gateway/src/README.md, "Bearer-token cache".
 */
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { GatewayError } from '../errors/gateway-error.js';
import { ROLES, type Principal, type Role } from './principal.js';

export interface Authenticator {
  /** Resolves the principal of an `Authorization` header or throws AUTH_TOKEN_MISSING / _INVALID / _EXPIRED. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Whether the keys come from a provider at run time (so AUTH_PROVIDER_UNAVAILABLE is possible). */
  readonly remoteKeys: boolean;
}

export interface AuthenticatorOptions {
  issuer: string;
  audience: string;
  /** The keys inline, or the URL of a provider's JWKS (exactly one: see config.ts `AuthConfig`). */
  jwks?: { keys: Array<Record<string, unknown>> };
  jwksUrl?: string;
  /** How the remote JWKS is fetched and kept (defaults: those of config.ts). */
  jwksFetch?: Partial<RemoteJwksOptions>;
  algorithms?: readonly string[];
  /** Clock skew tolerated on `exp`/`nbf`, seconds. */
  clockToleranceSeconds?: number;
  now?: () => number;
}

export interface RemoteJwksOptions {
  /** One fetch, body included. */
  timeoutMs: number;
  /** An unknown kid causes a fetch only if the last one is older than this. */
  cooldownMs: number;
  /** The key set is fetched again before use once it is older than this. */
  maxAgeMs: number;
  maxBytes: number;
}

const REMOTE_JWKS_DEFAULTS: RemoteJwksOptions = { timeoutMs: 5000, cooldownMs: 30_000, maxAgeMs: 600_000, maxBytes: 256 * 1024 };

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
/** Verified tokens kept; the oldest is evicted beyond this. */
export const TOKEN_CACHE_LIMIT = 10_000;

/** The key set's own failure (not the token's): it could not be fetched, in time, within its size, or as a JWKS. */
class ProviderUnavailable extends Error {
  constructor(readonly reason: 'JWKS_TIMEOUT' | 'JWKS_UNREACHABLE' | 'JWKS_INVALID_RESPONSE', options: { cause: unknown }) {
    super(reason, options);
  }
}

/** What a key look-up may say about the token itself: no key with its kid (after a refresh), several, or none for its alg. */
const TOKEN_FAULTS: ReadonlySet<string> = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED', 'ERR_JOSE_ALG_NOT_ALLOWED']);

/** fetch, with the answer's body read only up to `maxBytes` (jose reads whatever it is given). */
function boundedFetch(maxBytes: number): (url: string, init: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body?.cancel();
      throw new RangeError('JWKS response too large');
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new RangeError('JWKS response too large');
      chunks.push(chunk);
    }
    return new Response(Buffer.concat(chunks), { status: response.status, headers: response.headers });
  };
}

/** The provider's key set through jose (its cache, cooldown and refresh), with provider failures told apart. */
function remoteKeySet(url: string, fetchOptions: Readonly<RemoteJwksOptions>): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: fetchOptions.timeoutMs,
    cooldownDuration: fetchOptions.cooldownMs,
    cacheMaxAge: fetchOptions.maxAgeMs,
    [customFetch]: boundedFetch(fetchOptions.maxBytes),
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (e instanceof joseErrors.JOSEError && typeof code === 'string' && TOKEN_FAULTS.has(code)) throw e;
      if (e instanceof joseErrors.JWKSTimeout) throw new ProviderUnavailable('JWKS_TIMEOUT', { cause: e });
      // A non-200 answer, one that is not JSON or not a key set (jose's generic error, JWKSInvalid), or too large.
      if (e instanceof joseErrors.JOSEError || e instanceof RangeError) throw new ProviderUnavailable('JWKS_INVALID_RESPONSE', { cause: e });
      throw new ProviderUnavailable('JWKS_UNREACHABLE', { cause: e });
    }
  };
}

export function newAuthenticator(options: Readonly<AuthenticatorOptions>): Authenticator {
  if ((options.jwks === undefined) === (options.jwksUrl === undefined)) throw new TypeError('give exactly one of jwks or jwksUrl');
  const keySet: JWTVerifyGetKey = options.jwksUrl !== undefined
    ? remoteKeySet(options.jwksUrl, { ...REMOTE_JWKS_DEFAULTS, ...options.jwksFetch })
    : createLocalJWKSet(options.jwks as unknown as JSONWebKeySet);
  const algorithms = [...(options.algorithms ?? ['ES256', 'EdDSA'])];
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; expiresAtMs: number }>();

  async function verify(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds ?? 30,
        currentDate: new Date(now()),
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new GatewayError('AUTH_TOKEN_EXPIRED', 'the bearer token has expired');
      if (e instanceof ProviderUnavailable) {
        throw new GatewayError('AUTH_PROVIDER_UNAVAILABLE', 'the identity provider\'s keys cannot be fetched now; try again later', { reason: e.reason });
      }
      throw new GatewayError('AUTH_TOKEN_INVALID', 'the bearer token is not valid for this gateway', { reason: (e as { code?: string }).code ?? 'ERR_JWT_INVALID' });
    }
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((r): r is Role => typeof r === 'string' && ROLE_SET.has(r)) : [];
    const issuers = Array.isArray(payload['issuers']) ? payload['issuers'].filter((i): i is string => typeof i === 'string') : [];
    const principal: Principal = { subject: String(payload.sub), roles: new Set(roles), issuers: new Set(roles.includes('issuer') ? issuers : []) };
    return { principal, expiresAtMs: (payload.exp as number) * 1000 };
  }

  return {
    remoteKeys: options.jwksUrl !== undefined,
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
