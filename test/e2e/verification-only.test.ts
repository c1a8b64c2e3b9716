// A verification-only gateway (`serves: "verification"`): a checkpoint service of one organisation with its own
// trust cache following the ledger, and none of the write routes — so it shares no event loop with the writes.
import { join } from 'node:path';
import { newGateway, parseConfig, type Gateway } from '@hutong/gateway';
import { call, eventually, healthCode, startEmbeddedHarness, type EmbeddedHarness } from './harness';

let h: EmbeddedHarness;
let checkpoint: Gateway;

beforeAll(async () => {
  h = await startEmbeddedHarness();
  const macau = h.gateways.get('macau') as Gateway;
  checkpoint = await newGateway(parseConfig({
    ...macau.config, serves: 'verification', dataDir: join(h.home, 'macau-checkpoint'), http: { ...macau.config.http, port: 0 },
  }), { backend: h.backend, logDestination: { write: (line: string) => void h.logs.push(line) } });
});

afterAll(async () => {
  await checkpoint?.close();
  await h?.dispose();
});

test('verifies what Guangdong issues and sees its revocation, with Macau\'s checkpoint token', async () => {
  const token = h.token('macau', 'checkpoint');
  const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
  expect(issued.status).toBe(201);
  const accepted = await eventually(() => call('POST', `${checkpoint.url}/v1/verifications`, { token, body: { qr: issued.body.qr } }), (r) => r.body.decision === 'ACCEPT');
  expect(accepted.body).toMatchObject({ decision: 'ACCEPT', reason: 'ACCEPTED' });
  await call('POST', `${h.url('guangdong')}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', qr: issued.body.qr, reason: 'status-change' } });
  const revoked = await eventually(() => call('POST', `${checkpoint.url}/v1/verifications`, { token, body: { qr: issued.body.qr } }), (r) => r.body.reason === 'CREDENTIAL_REVOKED', 3000);
  expect(revoked.body.decision).toBe('REJECT');
});

test('serves verification and trust only: no write, governance or audit route, no outbox', async () => {
  const issuer = h.token('macau', 'issuer');
  expect((await call('POST', `${checkpoint.url}/v1/credentials`, { token: issuer, body: healthCode({ issuerId: 'mo-health-bureau' }) })).body.code).toBe('ROUTE_NOT_FOUND');
  expect((await call('POST', `${checkpoint.url}/v1/governance/issuers`, { token: h.token('macau', 'admin'), body: {} })).body.code).toBe('ROUTE_NOT_FOUND');
  expect((await call('GET', `${checkpoint.url}/v1/audit/blocks`, { token: h.token('macau', 'auditor') })).body.code).toBe('ROUTE_NOT_FOUND');
  const paths = Object.keys((await call('GET', `${checkpoint.url}/openapi.json`)).body.paths);
  expect(paths.length).toBeGreaterThan(0);
  expect(paths.every((p) => p.startsWith('/v1/verifications') || p.startsWith('/v1/trust/'))).toBe(true);
  const ready = await call('GET', `${checkpoint.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ ready: true, serves: 'verification' });
  expect(ready.body.outbox).toBeUndefined();
  expect(checkpoint.outbox).toBeUndefined();
});
