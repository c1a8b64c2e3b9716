/**
 * The demo's token issuer: a local ES256 key (kept in a file so tokens survive a restart) that mints bearer tokens
 * for each role. Production gateways trust their jurisdiction's identity provider's JWKS instead.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { Role } from './principal.js';

export const DEMO_TOKEN_ISSUER = 'urn:hutong:demo-idp';
/** How long a demo token is valid (the output and runtime.json say until when). */
export const DEMO_TOKEN_TTL_SECONDS = 24 * 3600;

export interface DemoTokenIssuer {
  /** Public JWKS to configure gateways with. */
  readonly jwks: { keys: Array<Record<string, unknown>> };
  mint(claims: { subject: string; audience: string; roles: Role[]; issuers?: string[]; ttlSeconds?: number }): Promise<string>;
}

export async function newDemoTokenIssuer(options: Readonly<{ keyFile?: string }> = {}): Promise<DemoTokenIssuer> {
  let privateJwk: JWK;
  if (options.keyFile && existsSync(options.keyFile)) {
    privateJwk = JSON.parse(readFileSync(options.keyFile, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: 'demo-idp-1', alg: 'ES256' };
    if (options.keyFile) {
      mkdirSync(dirname(options.keyFile), { recursive: true });
      writeFileSync(options.keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
    }
  }
  const { d: _d, ...publicJwk } = privateJwk;
  const key = await importJWK(privateJwk, 'ES256');
  return {
    jwks: { keys: [{ ...publicJwk, use: 'sig' }] },
    async mint({ subject, audience, roles, issuers, ttlSeconds = DEMO_TOKEN_TTL_SECONDS }) {
      return new SignJWT({ roles, ...(issuers ? { issuers } : {}) })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid as string })
        .setIssuer(DEMO_TOKEN_ISSUER)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
  };
}

/** The audience a gateway of `org` expects: a token for one jurisdiction's gateway is refused by another's. */
export function gatewayAudience(orgName: string): string {
  return `urn:hutong:gateway:${orgName}`;
}
