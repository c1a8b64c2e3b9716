/**
 * Governance through the gateways: key rotation (propose → other org approves → issuance moves to the new key),
 * key revocation with effective times (credentials anchored before stay valid), recognition policy changes
 * (status acceptance, maximum age, withdrawal) — each observed at the other jurisdiction's checkpoint.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { generateSigningKey } from '@hutong/verifier-sdk/issuer';
import { LEDGER_TIME_WINDOW_SECONDS } from '@hutong/verifier-sdk';
import { call, eventually, healthCode, startHarness, type Harness } from './harness';

const KID1 = 'gd-hc-2026-1';
const KID2 = 'gd-hc-2026-2';
let h: Harness;
let home: string;
let publicJwk2: Record<string, unknown>;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'hutong-gov-'));
  const { privateJwk, publicJwk } = generateSigningKey('ES256');
  publicJwk2 = publicJwk as unknown as Record<string, unknown>;
  mkdirSync(join(home, 'secrets'), { recursive: true });
  writeFileSync(join(home, 'secrets', `gd-health-code.${KID2}.json`), JSON.stringify({ privateJwk, pseudonymKey: randomBytes(32).toString('base64url') }));
  const issuance = { maxDelayMs: 5, commitWaitMs: 5000 };
  h = await startHarness({
    home,
    overrides: (org) => org === 'guangdong'
      ? { issuance, issuerSecrets: [KID1, KID2].map((kid) => ({ issuerId: 'gd-health-code', kid, file: join(home, 'secrets', `gd-health-code.${kid}.json`) })) }
      : { issuance },
  });
});
afterAll(async () => {
  await h?.dispose();
  rmSync(home, { recursive: true, force: true });
});

const gd = () => h.url('guangdong');
const mo = () => h.url('macau');
const issue = async (overrides: Record<string, unknown> = {}) => call('POST', `${gd()}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode(overrides) });
const verifyAtMacau = async (qr: string) => (await call('POST', `${mo()}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } })).body;

test('key rotation: a proposed key is unused until Macau approves it; then issuance moves to it and old credentials stay valid', async () => {
  const c1 = (await issue()).body;
  expect(decodeProtectedHeader(c1.jws).kid).toBe(KID1);

  const proposed = await call('POST', `${gd()}/v1/governance/issuers/gd-health-code/keys`, {
    token: h.token('guangdong', 'admin'),
    body: { kid: KID2, jwk: publicJwk2, validFrom: new Date().toISOString(), validUntil: new Date(Date.now() + 86_400_000).toISOString() },
  });
  expect(proposed.status).toBe(200);
  expect(proposed.body.record).toEqual(expect.objectContaining({ kid: KID2, state: 'proposed', approvals: { GuangdongMSP: expect.any(String) } }));
  expect(decodeProtectedHeader((await issue()).body.jws).kid).toBe(KID1);

  const ownApproval = await call('POST', `${gd()}/v1/governance/issuers/gd-health-code/keys/${KID2}/approve`, { token: h.token('guangdong', 'admin') });
  expect(ownApproval.status).toBe(409);
  expect(ownApproval.body.code).toBe('OWNER_CANNOT_APPROVE');

  const approved = await call('POST', `${mo()}/v1/governance/issuers/gd-health-code/keys/${KID2}/approve`, { token: h.token('macau', 'admin') });
  expect(approved.status).toBe(200);
  expect(approved.body.record.state).toBe('active');

  const c3 = await eventually(() => issue(), (r) => decodeProtectedHeader(r.body.jws).kid === KID2);
  expect(decodeProtectedHeader(c3.body.jws).kid).toBe(KID2);
  expect(await verifyAtMacau(c3.body.qr)).toEqual(expect.objectContaining({ reason: 'ACCEPTED', evidence: expect.objectContaining({ kid: KID2 }) }));
  expect((await verifyAtMacau(c1.qr)).reason).toBe('ACCEPTED');
});

test('key revocation takes effect from its effective time: earlier anchors stay valid, moving the time earlier voids them', async () => {
  const before = (await issue({ kid: KID1 })).body;
  await new Promise((r) => setTimeout(r, 5));

  const notOwner = await call('POST', `${mo()}/v1/governance/issuers/gd-health-code/keys/${KID1}/revoke`, { token: h.token('macau', 'admin'), body: { reason: 'key-compromise' } });
  expect(notOwner.status).toBe(403);
  expect(notOwner.body.code).toBe('NOT_OWNER');

  // A revocation at T distrusts anchors from T − 15 min (the ledger time window, docs/protocol.md §6.2): revoked from
  // just over a window after the anchor, the credential stays trusted and the key signs nothing more.
  const effectiveAt = new Date(Date.parse(before.anchor.timestamp) + (LEDGER_TIME_WINDOW_SECONDS + 1) * 1000).toISOString();
  const revoked = await call('POST', `${gd()}/v1/governance/issuers/gd-health-code/keys/${KID1}/revoke`, { token: h.token('guangdong', 'admin'), body: { reason: 'superseded', effectiveAt } });
  expect(revoked.status).toBe(200);
  expect(revoked.body.record).toEqual(expect.objectContaining({ state: 'revoked', revokedAt: expect.any(String) }));
  await eventually(async () => (await issue({ kid: KID1 })).status, (s) => s === 409);
  const refused = await issue({ kid: KID1 });
  expect(refused.body.code).toBe('SIGNING_KEY_UNAVAILABLE');

  // Anchored more than a window before the revocation time: still trusted.
  expect((await eventually(() => verifyAtMacau(before.qr), (r) => r.reason === 'ACCEPTED')).reason).toBe('ACCEPTED');

  const earlier = new Date(Date.parse(before.anchor.timestamp) - 1000).toISOString();
  const moved = await call('POST', `${gd()}/v1/governance/issuers/gd-health-code/keys/${KID1}/revoke`, { token: h.token('guangdong', 'admin'), body: { reason: 'key-compromise', effectiveAt: earlier } });
  expect(moved.status).toBe(200);
  expect((await eventually(() => verifyAtMacau(before.qr), (r) => r.reason === 'KEY_REVOKED')).reason).toBe('KEY_REVOKED');

  const later = await call('POST', `${gd()}/v1/governance/issuers/gd-health-code/keys/${KID1}/revoke`, { token: h.token('guangdong', 'admin'), body: { reason: 'key-compromise', effectiveAt: new Date().toISOString() } });
  expect(later.status).toBe(409);
  expect(later.body.code).toBe('INVALID_STATE_TRANSITION');
});

test('recognition policy changes at Macau: accept yellow, then a 1-second maximum age, then withdrawal', async () => {
  const yellow = (await issue({ status: 'yellow' })).body;
  expect((await verifyAtMacau(yellow.qr)).reason).toBe('STATUS_NOT_ACCEPTED');
  const put = (body: Record<string, unknown>) => call('PUT', `${mo()}/v1/governance/policies/gd-health-code/health-code`, {
    token: h.token('macau', 'admin'),
    body: { statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green', 'yellow'], maxAgeSeconds: 6 * 3600, validFrom: new Date(Date.now() - 60_000).toISOString(), ...body },
  });

  const v2 = await put({});
  expect(v2.status).toBe(200);
  expect(v2.body.record).toEqual(expect.objectContaining({ recognisingMsp: 'MacauMSP', version: 2, acceptedStatuses: ['green', 'yellow'] }));
  expect(await verifyAtMacau(yellow.qr)).toEqual(expect.objectContaining({ reason: 'ACCEPTED', mappedStatus: 'yellow' }));

  const v3 = await put({ maxAgeSeconds: 1 });
  expect(v3.body.record.version).toBe(3);
  await new Promise((r) => setTimeout(r, 2100));
  expect((await verifyAtMacau(yellow.qr)).reason).toBe('CREDENTIAL_TOO_OLD');

  const withdrawn = await call('DELETE', `${mo()}/v1/governance/policies/gd-health-code/health-code`, { token: h.token('macau', 'admin') });
  expect(withdrawn.status).toBe(200);
  expect(withdrawn.body.record).toEqual(expect.objectContaining({ withdrawn: true, version: 4 }));
  expect((await verifyAtMacau(yellow.qr)).reason).toBe('POLICY_INACTIVE');
  const again = await call('DELETE', `${mo()}/v1/governance/policies/gd-health-code/health-code`, { token: h.token('macau', 'admin') });
  expect(again.status).toBe(404);
  expect(again.body.code).toBe('POLICY_NOT_FOUND');

  const history = await call('GET', `${mo()}/v1/audit/history?record=recognition&mspId=MacauMSP&issuerId=gd-health-code&credentialType=health-code`, { token: h.token('macau', 'auditor') });
  expect(history.body.history.map((e: { value: { version: number } }) => e.value.version)).toEqual([1, 2, 3, 4]);
});

test('issuer lifecycle: a new Macau issuer is inactive until Guangdong approves it', async () => {
  const proposed = await call('POST', `${mo()}/v1/governance/issuers`, {
    token: h.token('macau', 'admin'), body: { issuerId: 'mo-licence-authority', displayName: 'Macau Licence Authority', credentialTypes: ['driving-licence'] },
  });
  expect(proposed.status).toBe(200);
  expect(proposed.body.record.state).toBe('proposed');
  const dup = await call('POST', `${mo()}/v1/governance/issuers`, {
    token: h.token('macau', 'admin'), body: { issuerId: 'mo-licence-authority', displayName: 'again', credentialTypes: ['driving-licence'] },
  });
  expect(dup.body.code).toBe('ISSUER_EXISTS');
  const approved = await call('POST', `${gd()}/v1/governance/issuers/mo-licence-authority/approve`, { token: h.token('guangdong', 'admin') });
  expect(approved.body.record.state).toBe('active');
  const issuers = await call('GET', `${gd()}/v1/trust/issuers`);
  expect(issuers.body.issuers.find((i: { issuerId: string }) => i.issuerId === 'mo-licence-authority')?.state).toBe('active');
});
