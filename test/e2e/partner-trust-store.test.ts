// A partner's offline verifier: the `partner` role reads the signed snapshot and nothing else; the SDK's trust store
// fetches it, checks it against the pinned keys, caches it in a file, refreshes it in the background, and keeps
// verifying offline until the snapshot's maximum age.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileTrustStorage, newTrustStore, type TrustStore } from '@hutong/verifier-sdk';
import { call, eventually, healthCode, startEmbeddedHarness, type EmbeddedHarness } from './harness';

let h: EmbeddedHarness;
let dir: string;
let jwks: { keys: object[] };
const stores: TrustStore[] = [];

beforeAll(async () => {
  h = await startEmbeddedHarness();
  dir = mkdtempSync(join(tmpdir(), 'hutong-partner-'));
  jwks = (await call('GET', `${h.url('macau')}/v1/trust/snapshot-keys`)).body;
});
afterAll(async () => {
  for (const s of stores) s.close();
  await h?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const issue = async () => (await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() })).body as { qr: string };

function store(options: { url?: string; file: string; refreshIntervalSeconds?: number; jwksOverride?: object }): TrustStore {
  const s = newTrustStore({
    url: options.url ?? `${h.url('macau')}/v1/trust/snapshot`, headers: { authorization: `Bearer ${h.token('macau', 'partner')}` },
    jwks: (options.jwksOverride ?? jwks) as never, jurisdiction: 'MacauMSP', storage: fileTrustStorage(options.file),
    maxSnapshotAgeSeconds: 3600, refreshIntervalSeconds: options.refreshIntervalSeconds ?? 0,
  });
  stores.push(s);
  return s;
}

test('the partner role reads the trust snapshot and its keys, and nothing else', async () => {
  const mo = h.url('macau'), token = h.token('macau', 'partner');
  expect((await call('GET', `${mo}/v1/trust/snapshot`, { token })).status).toBe(200);
  expect((await call('GET', `${mo}/v1/trust/snapshot-keys`)).status).toBe(200);
  for (const [method, path, body] of [
    ['POST', '/v1/verifications', { qr: 'HT1:' }], ['POST', '/v1/credentials', healthCode()], ['GET', '/v1/audit/blocks', undefined],
    ['POST', '/v1/governance/issuers/gd-health-code/approve', undefined],
  ] as const) {
    const r = await call(method, `${mo}${path}`, { token, ...(body ? { body } : {}) });
    expect({ path, status: r.status, code: r.body?.code }).toEqual({ path, status: 403, code: 'ROLE_FORBIDDEN' });
  }
});

test('fetch, verify against pinned keys, cache to a file; later offline from the file until the maximum age', async () => {
  const { qr } = await issue();
  const file = join(dir, 'macau.jws');
  const online = store({ file });
  await online.ready();
  expect((await online.verify(qr)).decision).toBe('ACCEPT');
  expect(readFileSync(file, 'utf8')).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);

  // The gateway unreachable: the cached snapshot still verifies, until it is older than the maximum age.
  const offline = store({ file, url: 'http://127.0.0.1:9/v1/trust/snapshot' });
  await offline.ready();
  expect(offline.lastError).toBeDefined();
  expect((await offline.verify(qr)).reason).toBe('ACCEPTED');
  const generatedAt = Date.parse(offline.snapshot!.generatedAt);
  expect((await offline.verify(qr, { now: new Date(generatedAt + 3599_000) })).reason).toBe('ACCEPTED');
  expect((await offline.verify(qr, { now: new Date(generatedAt + 3601_000) })).reason).toBe('SNAPSHOT_STALE');
});

test('a tampered cache or a snapshot signed by another key is refused, never trusted', async () => {
  const file = join(dir, 'tampered.jws');
  const [h0, p, s] = readFileSync(join(dir, 'macau.jws'), 'utf8').split('.');
  writeFileSync(file, `${h0}.${p!.slice(0, -4)}AAAA.${s}`);
  await expect(store({ file, url: 'http://127.0.0.1:9/v1/trust/snapshot' }).ready()).rejects.toThrow(/SNAPSHOT_UNAVAILABLE/);
  const other = (await call('GET', `${h.url('guangdong')}/v1/trust/snapshot-keys`)).body;
  await expect(store({ file: join(dir, 'other.jws'), jwksOverride: other }).ready()).rejects.toThrow(/SNAPSHOT_UNAVAILABLE/);
});

test('the background refresh brings a revocation to the offline verifier', async () => {
  const { qr } = await issue();
  const s = store({ file: join(dir, 'refresh.jws'), refreshIntervalSeconds: 0.2 });
  await eventually(async () => { await s.ready(); return (await s.verify(qr)).reason; }, (r) => r === 'ACCEPTED');
  const rev = await call('POST', `${h.url('guangdong')}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', reason: 'fraud', qr } });
  expect(rev.status).toBe(201);
  const r = await eventually(() => s.verify(qr), (x) => x.reason === 'CREDENTIAL_REVOKED', 10_000);
  expect(r).toMatchObject({ decision: 'REJECT', reason: 'CREDENTIAL_REVOKED', revocation: { reason: 'fraud' } });
});
