/**
 * When Guangdong issues a health code, then a Macau checkpoint accepts it; when Guangdong revokes it, then Macau
 * rejects it within seconds. Plus batch verification, bulk issuance, audit proofs, trust distribution and probes,
 * all through the real HTTP servers of both gateways on one embedded ledger.
 */
import { compactVerify, createLocalJWKSet } from 'jose';
import { newVerifier, openSignedSnapshot } from '@hutong/verifier-sdk';
import { call, eventually, healthCode, startHarness, type Harness } from './harness';

let h: Harness;
let gd: string;
let mo: string;
beforeAll(async () => {
  h = await startHarness();
  gd = h.url('guangdong');
  mo = h.url('macau');
});
afterAll(async () => { await h?.dispose(); });

async function issue(overrides: Record<string, unknown> = {}) {
  const r = await call('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode(overrides) });
  expect(r.status).toBe(201);
  return r.body;
}

async function verifyAtMacau(qr: string) {
  const r = await call('POST', `${mo}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } });
  expect(r.status).toBe(200);
  return r.body;
}

test('Guangdong issues → Macau verifies → Guangdong revokes → Macau rejects within seconds', async () => {
  const credential = await issue();
  expect(credential.qr).toMatch(/^HT1:/);
  expect(credential.anchor).toEqual(expect.objectContaining({ txId: expect.any(String), blockNumber: expect.any(Number), endorsedBy: ['GuangdongMSP', 'MacauMSP'] }));

  const accepted = await verifyAtMacau(credential.qr);
  expect(accepted).toEqual(expect.objectContaining({ decision: 'ACCEPT', reason: 'ACCEPTED', claimedStatus: 'green', mappedStatus: 'green' }));
  expect(accepted.display).toEqual(expect.objectContaining({ issuerId: 'gd-health-code', maskedName: '陈*明', documentHint: 'HRP-5678' }));
  // The issuer's name in each officer's language, from its ledger record.
  expect(accepted.display.issuerNames).toEqual(expect.objectContaining({ 'zh-Hant': '廣東省健康碼中心', 'zh-Hans': '广东省健康码中心', pt: 'Centro do Código de Saúde de Guangdong' }));
  expect(accepted.evidence).toEqual(expect.objectContaining({ anchorTxId: credential.anchor.txId, blockNumber: credential.anchor.blockNumber, leafHash: credential.leafHash }));

  const started = Date.now();
  const revoked = await call('POST', `${gd}/v1/revocations`, {
    token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', qr: credential.qr, reason: 'status-change' },
  });
  expect(revoked.status).toBe(201);
  expect(revoked.body).toEqual(expect.objectContaining({ state: 'committed', leafHash: credential.leafHash }));

  const rejected = await eventually(() => verifyAtMacau(credential.qr), (r) => r.reason === 'CREDENTIAL_REVOKED', 3000);
  expect(rejected).toEqual(expect.objectContaining({ decision: 'REJECT', reason: 'CREDENTIAL_REVOKED' }));
  expect(Date.now() - started).toBeLessThan(3000);

  const status = await call('GET', `${gd}/v1/outbox/${revoked.body.outboxId}`, { token: h.token('guangdong', 'issuer') });
  expect(status.body).toEqual(expect.objectContaining({ state: 'committed', kind: 'revocation' }));
});

test('a yellow Guangdong code is refused by Macau’s policy; Macau’s own codes need Guangdong’s policy', async () => {
  const yellow = await issue({ status: 'yellow' });
  expect(await verifyAtMacau(yellow.qr)).toEqual(expect.objectContaining({ decision: 'REJECT', reason: 'STATUS_NOT_ACCEPTED', mappedStatus: 'yellow' }));
  // Guangdong's checkpoint has no policy for its own issuer.
  const home = await call('POST', `${gd}/v1/verifications`, { token: h.token('guangdong', 'checkpoint'), body: { qr: yellow.qr } });
  expect(home.body.reason).toBe('POLICY_NOT_FOUND');

  const macauCode = await call('POST', `${mo}/v1/credentials`, {
    token: h.token('macau', 'issuer'),
    body: healthCode({ issuerId: 'mo-health-bureau', holder: { name: 'Wong Ka Man', documentType: 'MOP', documentNumber: '1234567(8)' } }),
  });
  expect(macauCode.status).toBe(201);
  const atGd = await call('POST', `${gd}/v1/verifications`, { token: h.token('guangdong', 'checkpoint'), body: { qr: macauCode.body.qr } });
  expect(atGd.body).toEqual(expect.objectContaining({ decision: 'ACCEPT', reason: 'ACCEPTED' }));
});

test('bulk issuance anchors one batch; batch verification answers in order', async () => {
  const bulk = await call('POST', `${gd}/v1/credentials/bulk`, {
    token: h.token('guangdong', 'issuer'),
    body: { credentials: Array.from({ length: 50 }, (_, i) => healthCode({ holder: { name: `Holder ${i}`, documentType: 'HRP', documentNumber: `H${10000000 + i}` } })) },
  });
  expect(bulk.status).toBe(201);
  const creds = bulk.body.credentials as Array<{ qr: string; root: string; anchor: { txId: string } }>;
  expect(creds).toHaveLength(50);
  expect(new Set(creds.map((c) => c.root)).size).toBe(1);
  expect(creds[0]?.anchor.txId).toBe(creds[49]?.anchor.txId);

  const qrs = [...creds.map((c) => c.qr), 'HT1:NOT-A-CREDENTIAL'];
  const batch = await call('POST', `${mo}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs } });
  expect(batch.status).toBe(200);
  expect(batch.body.results).toHaveLength(51);
  expect(batch.body.results.slice(0, 50).every((r: { reason: string }) => r.reason === 'ACCEPTED')).toBe(true);
  expect(batch.body.results[50].reason).toMatch(/^DECODE_/);
});

test('an auditor proves anchoring (tx, block, endorsers, time) and revocation of a leaf, and reads history and blocks', async () => {
  const credential = await issue();
  const auditor = h.token('macau', 'auditor');
  const before = await call('POST', `${mo}/v1/audit/leaf-status`, { token: auditor, body: { qr: credential.qr } });
  expect(before.status).toBe(200);
  expect(before.body).toEqual(expect.objectContaining({
    leafHash: credential.leafHash, root: credential.root, proofValid: true, anchored: true, revoked: false,
  }));
  expect(before.body.anchoring).toEqual(expect.objectContaining({
    txId: credential.anchor.txId, blockNumber: credential.anchor.blockNumber, endorsedBy: ['GuangdongMSP', 'MacauMSP'], creatorMsp: 'GuangdongMSP', validationCode: 'VALID',
  }));
  await call('POST', `${gd}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', leafHash: credential.leafHash, proof: credential.proof, reason: 'issued-in-error' } });
  const after = await call('POST', `${mo}/v1/audit/leaf-status`, { token: auditor, body: { qr: credential.qr } });
  expect(after.body).toEqual(expect.objectContaining({ revoked: true, revocation: expect.objectContaining({ reason: 'issued-in-error' }) }));

  const anchors = await call('GET', `${mo}/v1/audit/issuers/gd-health-code/anchors?from=2000-01-01T00:00:00Z&pageSize=1000`, { token: auditor });
  expect(anchors.status).toBe(200);
  expect(anchors.body.items.map((a: { root: string }) => a.root)).toContain(credential.root);
  const none = await call('GET', `${mo}/v1/audit/issuers/gd-health-code/anchors?to=2000-01-01T00:00:00Z`, { token: auditor });
  expect(none.body.items).toEqual([]);

  const history = await call('GET', `${mo}/v1/audit/history?record=issuer&issuerId=gd-health-code`, { token: auditor });
  expect(history.status).toBe(200);
  expect(history.body.history.map((e: { value: { state: string } }) => e.value.state)).toEqual(['proposed', 'active']);

  const blocks = await call('GET', `${mo}/v1/audit/blocks?from=0&limit=3`, { token: auditor });
  expect(blocks.body.blocks).toHaveLength(3);
  expect(blocks.body.blocks[1].previousHash).toBe(blocks.body.blocks[0].hash);
  const tx = await call('GET', `${mo}/v1/audit/transactions/${credential.anchor.txId}`, { token: auditor });
  expect(tx.body).toEqual(expect.objectContaining({ blockNumber: credential.anchor.blockNumber, txName: 'AnchorBatch' }));
});

test('the signed trust snapshot verifies with the published key and drives the offline SDK', async () => {
  const credential = await issue();
  const keys = await call('GET', `${mo}/v1/trust/snapshot-keys`);
  // Macau's snapshot is Macau's view of the ledger: on Fabric its gateway (its own process) learns of Guangdong's
  // anchor from its peer's block events, a moment after Guangdong's commit answered.
  const snap = await eventually(
    () => call('GET', `${mo}/v1/trust/snapshot`, { token: h.token('macau', 'checkpoint') }),
    (r) => r.status === 200 && JSON.parse(Buffer.from(r.body.jws.split('.')[1], 'base64url').toString()).anchors.some((a: { root: string }) => a.root === credential.root),
  );
  expect(snap.status).toBe(200);
  const { protectedHeader } = await compactVerify(snap.body.jws, createLocalJWKSet(keys.body));
  expect(protectedHeader.typ).toBe('hutong-trust-snapshot+jws;v=1');
  const trust = await openSignedSnapshot(snap.body.jws, { jwks: keys.body, jurisdiction: 'MacauMSP' });
  expect(trust.jurisdiction).toBe('MacauMSP');
  const guangdongKeys = await call('GET', `${gd}/v1/trust/snapshot-keys`);
  await expect(openSignedSnapshot(snap.body.jws, { jwks: guangdongKeys.body, jurisdiction: 'MacauMSP' })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNATURE_INVALID' });
  await expect(openSignedSnapshot(snap.body.jws, { jwks: keys.body, jurisdiction: 'GuangdongMSP' })).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
  const offline = await newVerifier({ trust, jurisdiction: 'MacauMSP' }).verify(credential.qr);
  expect(offline.reason).toBe('ACCEPTED');

  const issuers = await call('GET', `${mo}/v1/trust/issuers`);
  const gdIssuer = issuers.body.issuers.find((i: { issuerId: string }) => i.issuerId === 'gd-health-code');
  expect(gdIssuer.jwks.keys[0]).toEqual(expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: 'gd-hc-2026-1', alg: 'ES256', use: 'sig', state: 'active' }));
  expect(gdIssuer.jwks.keys[0].d).toBeUndefined();
});

test('probes, metrics and the OpenAPI document', async () => {
  expect((await call('GET', `${mo}/healthz`)).status).toBe(200);
  const ready = await eventually(() => call('GET', `${mo}/readyz`), (r) => r.status === 200);
  expect(ready.status).toBe(200);
  expect(ready.body).toEqual(expect.objectContaining({ ready: true, ledger: expect.objectContaining({ reachable: true }), cache: expect.objectContaining({ following: true, lagBlocks: 0 }) }));
  const metrics = await call('GET', `${mo}/metrics`);
  expect(metrics.text).toContain('hutong_http_request_duration_seconds_bucket');
  expect(metrics.text).toMatch(/route="\/v1\/verifications",status="200",code="ACCEPTED"/);
  expect(metrics.text).toContain('hutong_trust_cache_lag_blocks');
  expect(metrics.text).toContain('hutong_outbox_depth');
  const doc = await call('GET', `${gd}/openapi.json`);
  expect(doc.body.openapi).toBe('3.1.0');
  expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/verifications', '/v1/credentials', '/v1/revocations', '/v1/outbox/{id}', '/v1/trust/snapshot', '/v1/audit/leaf-status']));
  expect(doc.body.paths['/v1/verifications'].post.requestBody.content['application/json'].schema.properties.qr.maxLength).toBe(65_536);
});
