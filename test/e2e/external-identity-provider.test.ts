/**
 * Bearer tokens from an external OpenID provider (config `auth.jwksUrl`, jose's remote key set): a JWKS server made
 * by the test on 127.0.0.1 signs nothing itself but serves the key set, which the test rotates, breaks and stops.
 * Macau's gateway trusts it; Guangdong's keeps the demo issuer. Checked: tokens of the provider's keys verify end to
 * end; after a rotation a token of the new key is accepted (one fetch), a new token of a removed key is refused;
 * a storm of unknown kids costs at most one fetch; a provider that fails, hangs, answers too much or is down is
 * 503 AUTH_PROVIDER_UNAVAILABLE — never a 500, never a token error — while the gateway serves everything else.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { gatewayAudience } from '../../gateway/src/auth/demo-token-issuer';
import { call, healthCode, startEmbeddedHarness, type EmbeddedHarness, type JsonResponse } from './harness';

const ISSUER = 'https://idp.example.test/realms/macau';
const COOLDOWN_MS = 300;
const MAX_AGE_MS = 1500;
const TIMEOUT_MS = 500;

interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'ES256' | 'RS256' = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The provider's JWKS endpoint: what it answers is the test's to change; it counts the fetches. */
class JwksServer {
  mode: 'ok' | 'error' | 'hang' | 'huge' | 'huge-chunked' = 'ok';
  keys: JWK[] = [];
  fetches = 0;
  port = 0;
  private server: Server | undefined;

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      this.fetches++;
      if (this.mode === 'hang') return;
      if (this.mode === 'error') return void res.writeHead(500).end('upstream trouble');
      if (this.mode === 'huge-chunked') {
        // No Content-Length: the size is known only while reading.
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 40; i++) res.write(`${i === 0 ? '{"keys":[],"padding":"' : ''}${'x'.repeat(8192)}`);
        return void res.end('"}');
      }
      const body = this.mode === 'huge' ? JSON.stringify({ keys: this.keys, padding: 'x'.repeat(300 * 1024) }) : JSON.stringify({ keys: this.keys });
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

const jwks = new JwksServer();
let h: EmbeddedHarness;
let keyA: SigningKey;
let keyB: SigningKey;
let keyC: SigningKey;
let subjects = 0;

/** A token of the provider; a fresh subject each time, so the gateway's token cache never answers for it. */
function token(key: SigningKey, claims: { roles?: unknown; iss?: string; aud?: string; kid?: string } = {}): Promise<string> {
  return new SignJWT({ roles: claims.roles ?? ['checkpoint'] })
    .setProtectedHeader({ alg: key.alg, kid: claims.kid ?? key.kid })
    .setIssuer(claims.iss ?? ISSUER).setAudience(claims.aud ?? gatewayAudience('macau')).setSubject(`idp-client-${++subjects}`)
    .setIssuedAt().setExpirationTime('10m')
    .sign(key.privateKey);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const verify = (t: string, qr = 'HT1:AAAA'): Promise<JsonResponse> => call('POST', `${h.url('macau')}/v1/verifications`, { token: t, body: { qr } });
const codeOf = (r: JsonResponse): { status: number; code: unknown } => ({ status: r.status, code: r.body?.code });

beforeAll(async () => {
  [keyA, keyB, keyC] = await Promise.all([signingKey('key-a'), signingKey('key-b'), signingKey('key-c', 'RS256')]);
  jwks.keys = [keyA.jwk];
  await jwks.start();
  h = await startEmbeddedHarness({
    overrides: (org) => ({
      issuance: { maxDelayMs: 5, commitWaitMs: 5000 },
      ...(org === 'macau' ? {
        auth: {
          issuer: ISSUER, audience: gatewayAudience('macau'), jwksUrl: `http://127.0.0.1:${jwks.port}/protocol/openid-connect/certs`,
          jwksFetch: { timeoutMs: TIMEOUT_MS, cooldownMs: COOLDOWN_MS, maxAgeMs: MAX_AGE_MS }, algorithms: ['ES256', 'RS256'],
        },
      } : {}),
    }),
  });
});
afterAll(async () => {
  await h?.dispose();
  await jwks.stop();
});

describe('an external OpenID provider’s tokens', () => {
  let cachedB: string;

  test('verify a credential end to end (the provider’s roles claim grants checkpoint)', async () => {
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    expect(issued.status).toBe(201);
    const r = await verify(await token(keyA), issued.body.qr);
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('ACCEPT');
    expect(jwks.fetches).toBe(1);
  });

  test('claims are checked as for any token: issuer, audience, roles', async () => {
    expect(codeOf(await verify(await token(keyA, { iss: 'https://elsewhere.example.test/' })))).toEqual({ status: 401, code: 'AUTH_TOKEN_INVALID' });
    expect(codeOf(await verify(await token(keyA, { aud: gatewayAudience('guangdong') })))).toEqual({ status: 401, code: 'AUTH_TOKEN_INVALID' });
    expect(codeOf(await verify(await token(keyA, { roles: ['auditor'] })))).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
    expect(codeOf(await verify(await token(keyA, { roles: 'checkpoint' })))).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
    // The demo issuer's tokens mean nothing to a gateway configured with the provider.
    expect(codeOf(await verify(h.token('macau', 'checkpoint')))).toEqual({ status: 401, code: 'AUTH_TOKEN_INVALID' });
  });

  test('key rotation: once the provider serves the new key, its tokens are accepted (one fetch); a new token of the removed key is refused', async () => {
    const oldToken = await token(keyA);
    expect((await verify(oldToken)).status).toBe(200);
    jwks.keys = [keyB.jwk];
    await sleep(COOLDOWN_MS + 50);
    const before = jwks.fetches;
    cachedB = await token(keyB);
    expect((await verify(cachedB)).status).toBe(200);
    expect(jwks.fetches).toBe(before + 1);
    const r = await verify(await token(keyA));
    expect(codeOf(r)).toEqual({ status: 401, code: 'AUTH_TOKEN_INVALID' });
    expect(r.body.details).toEqual({ reason: 'ERR_JWKS_NO_MATCHING_KEY' });
    // A token verified before the rotation stays valid in the token cache until its exp (documented).
    expect((await verify(oldToken)).status).toBe(200);
  });

  test('a storm of unknown kids is refused with AUTH_TOKEN_INVALID and costs at most one fetch', async () => {
    await sleep(COOLDOWN_MS + 50);
    const before = jwks.fetches;
    const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) => verify(await token(keyB, { kid: `made-up-${i}` }))));
    expect(answers.map(codeOf)).toEqual(Array(20).fill({ status: 401, code: 'AUTH_TOKEN_INVALID' }));
    expect(jwks.fetches - before).toBeLessThanOrEqual(1);
    const again = await Promise.all(Array.from({ length: 5 }, async (_, i) => verify(await token(keyB, { kid: `made-up-again-${i}` }))));
    expect(again.map((r) => r.status)).toEqual(Array(5).fill(401));
    expect(jwks.fetches - before).toBeLessThanOrEqual(1);
  });

  test.each([
    ['answers 500', 'error', 'JWKS_INVALID_RESPONSE'],
    ['announces more than maxBytes', 'huge', 'JWKS_INVALID_RESPONSE'],
    ['streams more than maxBytes', 'huge-chunked', 'JWKS_INVALID_RESPONSE'],
    ['does not answer within timeoutMs', 'hang', 'JWKS_TIMEOUT'],
  ] as const)('a provider that %s → 503 AUTH_PROVIDER_UNAVAILABLE (%s)', async (_name, mode, reason) => {
    jwks.mode = mode;
    try {
      await sleep(COOLDOWN_MS + 50);
      const started = Date.now();
      const r = await verify(await token(keyC));
      expect(codeOf(r)).toEqual({ status: 503, code: 'AUTH_PROVIDER_UNAVAILABLE' });
      expect(r.body.details).toEqual({ reason });
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      jwks.mode = 'ok';
    }
  });

  test('a provider that is down → 503 for tokens the gateway cannot check; everything else is served', async () => {
    await jwks.stop();
    await sleep(MAX_AGE_MS + 50); // the key set it holds is too old to use
    const r = await verify(await token(keyB));
    expect(codeOf(r)).toEqual({ status: 503, code: 'AUTH_PROVIDER_UNAVAILABLE' });
    expect(r.body.details).toEqual({ reason: 'JWKS_UNREACHABLE' });
    expect((await verify(cachedB)).status).toBe(200); // verified before: in the token cache
    for (const path of ['/healthz', '/openapi.json', '/v1/trust/snapshot-keys']) expect([path, (await call('GET', `${h.url('macau')}${path}`)).status]).toEqual([path, 200]);
    expect((await call('POST', `${h.url('guangdong')}/v1/verifications`, { token: h.token('guangdong', 'checkpoint'), body: { qr: 'HT1:AAAA' } })).status).toBe(200);
  });

  test('back up with a new RS256 key: its tokens are accepted', async () => {
    jwks.keys = [keyB.jwk, keyC.jwk];
    await jwks.start(jwks.port);
    expect((await verify(await token(keyC))).status).toBe(200);
  });

  test('/openapi.json lists AUTH_PROVIDER_UNAVAILABLE where a token is checked, at the gateway that fetches keys only', async () => {
    const mo = (await call('GET', `${h.url('macau')}/openapi.json`)).body;
    const gd = (await call('GET', `${h.url('guangdong')}/openapi.json`)).body;
    expect(mo.paths['/v1/verifications'].post.responses['503']['x-error-codes']).toContain('AUTH_PROVIDER_UNAVAILABLE');
    expect(mo.paths['/v1/trust/snapshot-keys'].get.responses['503']).toBeUndefined();
    expect(gd.paths['/v1/verifications'].post.responses['503']?.['x-error-codes'] ?? []).not.toContain('AUTH_PROVIDER_UNAVAILABLE');
  });

  test('no token reaches the logs; the provider’s failures are logged with their code', () => {
    expect(h.logs.filter((l) => l.includes('eyJ'))).toEqual([]);
    const failures = h.logs.filter((l) => l.includes('"code":"AUTH_PROVIDER_UNAVAILABLE"')).map((l) => JSON.parse(l) as { status?: number });
    expect(failures.length).toBeGreaterThanOrEqual(4);
  });
});
