import { call, healthCode, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.dispose(); });

test('smoke: Guangdong issues, Macau verifies', async () => {
  const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
  console.log(issued.status, issued.text.slice(0, 600));
  expect(issued.status).toBe(201);
  const verified = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr } });
  console.log(verified.status, verified.text);
  expect(verified.body.decision).toBe('ACCEPT');
});
