/** The bearer-token cache: exp honoured on hits, a different token is verified again, failures are never cached. */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { newAuthenticator } from '../src/auth/authenticator';

const ISS = 'urn:test-idp';
const AUD = 'urn:test-gateway';

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

function token(key: { privateKey: CryptoKey }, kid: string, options: { iatS: number; expS: number; nbfS?: number; sub?: string; roles?: string[] }): Promise<string> {
  const jwt = new SignJWT({ roles: options.roles ?? ['checkpoint'] })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer(ISS).setAudience(AUD).setSubject(options.sub ?? 'cp-1')
    .setIssuedAt(options.iatS).setExpirationTime(options.expS);
  if (options.nbfS !== undefined) jwt.setNotBefore(options.nbfS);
  return jwt.sign(key.privateKey);
}

describe('authenticator token cache', () => {
  let a: Awaited<ReturnType<typeof keyPair>>;
  let b: Awaited<ReturnType<typeof keyPair>>;
  beforeAll(async () => {
    a = await keyPair('a');
    b = await keyPair('b');
  });

  it('serves a cached token until exp, then answers AUTH_TOKEN_EXPIRED', async () => {
    let nowMs = 1_800_000_000_000;
    const auth = newAuthenticator({ issuer: ISS, audience: AUD, jwks: { keys: [a.jwk] }, clockToleranceSeconds: 0, now: () => nowMs });
    const t = await token(a, 'a', { iatS: nowMs / 1000, expS: nowMs / 1000 + 60 });
    expect((await auth.authenticate(`Bearer ${t}`)).subject).toBe('cp-1');
    nowMs += 59_000;
    expect((await auth.authenticate(`Bearer ${t}`)).roles.has('checkpoint')).toBe(true);
    nowMs += 1_000; // exactly exp: no longer valid, cached or not
    await expect(auth.authenticate(`Bearer ${t}`)).rejects.toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
  });

  it('verifies every different token string: a forged or foreign-key token is refused after a valid one is cached', async () => {
    const nowMs = 1_800_000_000_000;
    const auth = newAuthenticator({ issuer: ISS, audience: AUD, jwks: { keys: [a.jwk] }, now: () => nowMs });
    const good = await token(a, 'a', { iatS: nowMs / 1000, expS: nowMs / 1000 + 600 });
    await auth.authenticate(`Bearer ${good}`);
    // same claims, signed with a key outside the JWKS
    const foreign = await token(b, 'a', { iatS: nowMs / 1000, expS: nowMs / 1000 + 600 });
    await expect(auth.authenticate(`Bearer ${foreign}`)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    // a token whose payload was altered (admin role) but keeps the good signature
    const [h, , s] = good.split('.');
    const payload = Buffer.from(JSON.stringify({ roles: ['admin'], iss: ISS, aud: AUD, sub: 'cp-1', iat: nowMs / 1000, exp: nowMs / 1000 + 600 })).toString('base64url');
    await expect(auth.authenticate(`Bearer ${h}.${payload}.${s}`)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    expect((await auth.authenticate(`Bearer ${good}`)).roles.has('admin')).toBe(false);
  });

  it('never caches a failure: a token not valid yet is accepted once its nbf has come', async () => {
    let nowMs = 1_800_000_000_000;
    const auth = newAuthenticator({ issuer: ISS, audience: AUD, jwks: { keys: [a.jwk] }, clockToleranceSeconds: 0, now: () => nowMs });
    const t = await token(a, 'a', { iatS: nowMs / 1000, nbfS: nowMs / 1000 + 30, expS: nowMs / 1000 + 600 });
    await expect(auth.authenticate(`Bearer ${t}`)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    nowMs += 31_000;
    expect((await auth.authenticate(`Bearer ${t}`)).subject).toBe('cp-1');
  });

  it('a key removed from the JWKS takes effect with the configuration that removes it (a new authenticator has an empty cache)', async () => {
    const nowMs = 1_800_000_000_000;
    const t = await token(b, 'b', { iatS: nowMs / 1000, expS: nowMs / 1000 + 600 });
    const before = newAuthenticator({ issuer: ISS, audience: AUD, jwks: { keys: [a.jwk, b.jwk] }, now: () => nowMs });
    await before.authenticate(`Bearer ${t}`);
    const after = newAuthenticator({ issuer: ISS, audience: AUD, jwks: { keys: [a.jwk] }, now: () => nowMs });
    await expect(after.authenticate(`Bearer ${t}`)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });
});
