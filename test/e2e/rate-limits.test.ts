/**
 * Per-client rate limits (gateway config `rateLimits`, http/rate-limit.ts) over real HTTP: a token bucket per token
 * subject for verification and for issuance, per remote address for requests without a valid token; refusals are
 * 429 RATE_LIMITED with Retry-After, write nothing, and are documented; a batch costs one token per item; the
 * buckets are bounded (least recently used evicted, visible in /metrics). Without configuration nothing is limited.
 */
import { gatewayAudience } from '../../gateway/src/auth/demo-token-issuer';
import { call, healthCode, startHarness, type Harness, type JsonResponse } from './harness';

const LIMITS = {
  maxClients: 2,
  verification: { perSecond: 1, burst: 3 },
  issuance: { perSecond: 1, burst: 2 },
  unauthenticated: { perSecond: 1, burst: 2 },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ overrides: () => ({ issuance: { maxDelayMs: 5, commitWaitMs: 5000 }, rateLimits: LIMITS }) });
});
afterAll(async () => {
  await h?.dispose();
});

let subjects = 0;
/** A checkpoint (or issuer) token of a subject no other test uses: a bucket of its own. */
function freshToken(role: 'checkpoint' | 'issuer'): Promise<string> {
  return h.tokenIssuer.mint({ subject: `rate-test-${role}-${++subjects}`, audience: gatewayAudience('macau'), roles: [role], ...(role === 'issuer' ? { issuers: ['mo-health-bureau'] } : {}) });
}

const verify = (token: string | undefined, qr = 'HT1:AAAA'): Promise<JsonResponse> => call('POST', `${h.url('macau')}/v1/verifications`, { ...(token ? { token } : {}), body: { qr } });

function expectLimited(r: JsonResponse, retryAfterAtLeast = 1): void {
  expect({ status: r.status, code: r.body?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  expect(r.body.details.retryAfterSeconds).toBeGreaterThanOrEqual(retryAfterAtLeast);
}

test('a subject gets its burst, then 429 RATE_LIMITED with Retry-After; another subject is not affected', async () => {
  const a = await freshToken('checkpoint');
  const b = await freshToken('checkpoint');
  for (let i = 0; i < 3; i++) expect((await verify(a)).status).toBe(200);
  const refused = await fetch(`${h.url('macau')}/v1/verifications`, { method: 'POST', headers: { authorization: `Bearer ${a}`, 'content-type': 'application/json' }, body: '{"qr":"HT1:AAAA"}' });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await refused.json()).toEqual({ code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterSeconds: Number(refused.headers.get('retry-after')) } });
  expect((await verify(b)).status).toBe(200);
  // The bucket refills at perSecond: after Retry-After the subject is admitted again.
  await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000 + 50));
  expect((await verify(a)).status).toBe(200);
});

test('a batch costs one token per QR, and may leave the bucket in debt (waited off before the next request)', async () => {
  const token = await freshToken('checkpoint');
  const batch = await call('POST', `${h.url('macau')}/v1/verifications/batch`, { token, body: { qrs: Array(5).fill('HT1:AAAA') } });
  expect(batch.status).toBe(200);
  // 3 tokens − 5 QRs = −2: one more token needs 3 s at 1 per second.
  expectLimited(await verify(token), 3);
});

test('requests without a valid token are limited per remote address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await verify(i % 2 === 0 ? undefined : 'a.b.c')).status);
  expect(statuses.slice(0, 2)).toEqual([401, 401]);
  expect(statuses.slice(2)).toEqual([429, 429]);
});

test('issuance is limited per subject too, and a refused issuance writes nothing', async () => {
  const token = await freshToken('issuer');
  const issue = () => call('POST', `${h.url('macau')}/v1/credentials`, { token, body: healthCode({ issuerId: 'mo-health-bureau', credentialType: 'health-code' }) });
  expect((await issue()).status).toBe(201);
  expect((await issue()).status).toBe(201);
  const auditor = h.token('macau', 'auditor');
  const before = (await call('GET', `${h.url('macau')}/v1/audit/blocks?limit=1`, { token: auditor })).body.height;
  expectLimited(await issue());
  expect((await call('GET', `${h.url('macau')}/v1/audit/blocks?limit=1`, { token: auditor })).body.height).toBe(before);
});

test('buckets are bounded: beyond maxClients the least recently used is evicted (in /metrics)', async () => {
  for (let i = 0; i < 3; i++) expect((await verify(await freshToken('checkpoint'))).status).toBe(200);
  const metrics = (await call('GET', `${h.url('macau')}/metrics`)).text;
  expect(metrics).toMatch(/hutong_cache_entries\{cache="rate-limit-verification",org="macau"\} 2\b/);
  expect(metrics).toMatch(/hutong_cache_capacity\{cache="rate-limit-verification",org="macau"\} 2\b/);
  expect(Number(/hutong_cache_evictions_total\{cache="rate-limit-verification",org="macau"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  expect(Number(/hutong_rate_limited_total\{class="verification",org="macau"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
});

test('the OpenAPI document lists 429 with Retry-After on every limited operation', async () => {
  const doc = (await call('GET', `${h.url('macau')}/openapi.json`)).body;
  const limited = Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { headers?: object }>; 'x-rate-limit'?: string }>>)
    .flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op['x-rate-limit']).map(([m, op]) => [`${m} ${path}`, op.responses['429']?.headers] as const));
  expect(limited.map(([name]) => name).sort()).toEqual(['post /v1/credentials', 'post /v1/credentials/bulk', 'post /v1/revocations', 'post /v1/verifications', 'post /v1/verifications/batch']);
  for (const [, headers] of limited) expect(headers).toHaveProperty('Retry-After');
});

test('without configuration nothing is limited (the default)', async () => {
  const plain = await startHarness();
  try {
    const token = plain.token('macau', 'checkpoint');
    const statuses = await Promise.all(Array.from({ length: 50 }, () => call('POST', `${plain.url('macau')}/v1/verifications`, { token, body: { qr: 'HT1:AAAA' } }).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  } finally {
    await plain.dispose();
  }
});
