/**
 * The lean verification path answers exactly as Express does: `/v1/verifications/` (trailing slash) is not claimed
 * by the fast path and is served by Express with the same route definition, so each case is sent to both.
 */
import { call, healthCode, startHarness, type Harness } from './harness';

describe('verification fast path ≡ Express', () => {
  let h: Harness;
  let qr: string;
  beforeAll(async () => {
    h = await startHarness();
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    qr = issued.body.qr;
  });
  afterAll(async () => {
    await h.dispose();
  });

  const cases: Array<[string, (h: Harness) => { token?: string; body?: unknown; rawBody?: string }]> = [
    ['accepted', (x) => ({ token: x.token('macau', 'checkpoint'), body: { qr } })],
    ['undecodable', (x) => ({ token: x.token('macau', 'checkpoint'), body: { qr: 'HT1:ABC' } })],
    ['bad alphabet', (x) => ({ token: x.token('macau', 'checkpoint'), body: { qr: 'ht1:abc' } })],
    ['extra field', (x) => ({ token: x.token('macau', 'checkpoint'), body: { qr, more: 1 } })],
    ['not an object', (x) => ({ token: x.token('macau', 'checkpoint'), rawBody: '"text"' })],
    ['malformed JSON', (x) => ({ token: x.token('macau', 'checkpoint'), rawBody: '{"qr":' })],
    ['no token', () => ({ body: { qr } })],
    ['bad token', () => ({ token: 'a.b.c', body: { qr } })],
    ['wrong role', (x) => ({ token: x.token('macau', 'issuer'), body: { qr } })],
    ['other gateway’s token', (x) => ({ token: x.token('guangdong', 'checkpoint'), body: { qr } })],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const mo = h.url('macau');
    const fast = await call('POST', `${mo}/v1/verifications`, make(h));
    const express = await call('POST', `${mo}/v1/verifications/`, make(h));
    expect(fast.status).toBe(express.status);
    const { verifiedAt: _a, ...f } = fast.body;
    const { verifiedAt: _b, ...e } = express.body;
    expect(f).toEqual(e);
  });

  it('batch too', async () => {
    const mo = h.url('macau');
    const token = h.token('macau', 'checkpoint');
    const fast = await call('POST', `${mo}/v1/verifications/batch`, { token, body: { qrs: [qr, 'HT1:X'] } });
    const express = await call('POST', `${mo}/v1/verifications/batch/`, { token, body: { qrs: [qr, 'HT1:X'] } });
    expect(fast.body.results.map((r: { reason: string }) => r.reason)).toEqual(express.body.results.map((r: { reason: string }) => r.reason));
    expect((await call('POST', `${mo}/v1/verifications/batch`, { token, body: { qrs: [] } })).body.code).toBe('REQUEST_INVALID');
  });
});
