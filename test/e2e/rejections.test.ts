/**
 * Every malformed input gets a 4xx with its code, and every error body has the one shape { code, message, details? }
 * with the status the exhaustive ERROR_STATUS map gives; authentication, roles and issuer binding are enforced.
 */
import { SignJWT, generateKeyPair } from 'jose';
import { ERROR_STATUS } from '../../gateway/src/http/error-status';
import { DEMO_TOKEN_ISSUER, gatewayAudience } from '../../gateway/src/auth/demo-token-issuer';
import { call, healthCode, startHarness, type Harness, type JsonResponse } from './harness';

let h: Harness;
let qr: string;
beforeAll(async () => {
  h = await startHarness();
  qr = (await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() })).body.qr;
});
afterAll(async () => { await h?.dispose(); });

function expectError(r: JsonResponse, status: number, code: string): void {
  expect({ status: r.status, code: r.body?.code }).toEqual({ status, code });
  expect(typeof r.body.message).toBe('string');
  expect(Object.keys(r.body).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
  expect(ERROR_STATUS[r.body.code as keyof typeof ERROR_STATUS]).toBe(r.status);
}

type Case = [name: string, method: string, path: string, role: 'checkpoint' | 'issuer' | 'auditor' | 'admin' | 'partner' | null, body: unknown, status: number, code: string, raw?: { rawBody: string; contentType?: string }];

const cases: Case[] = [
  ['malformed JSON', 'POST', '/v1/verifications', 'checkpoint', undefined, 400, 'REQUEST_MALFORMED_JSON', { rawBody: '{"qr": "HT1:' }],
  ['not JSON content', 'POST', '/v1/verifications', 'checkpoint', undefined, 415, 'REQUEST_UNSUPPORTED_MEDIA_TYPE', { rawBody: 'qr=HT1:ABC', contentType: 'application/x-www-form-urlencoded' }],
  ['body too large', 'POST', '/v1/verifications/batch', 'checkpoint', undefined, 413, 'REQUEST_TOO_LARGE', { rawBody: `{"qrs":["${'A'.repeat(9 * 1024 * 1024)}"]}` }],
  ['missing qr', 'POST', '/v1/verifications', 'checkpoint', {}, 400, 'REQUEST_INVALID'],
  ['qr not a string', 'POST', '/v1/verifications', 'checkpoint', { qr: 42 }, 400, 'REQUEST_INVALID'],
  ['qr beyond any request size', 'POST', '/v1/verifications', 'checkpoint', { qr: `HT1:${'A'.repeat(65_536)}` }, 400, 'REQUEST_INVALID'],
  ['revocation qr outside the QR alphabet', 'POST', '/v1/revocations', 'issuer', { issuerId: 'gd-health-code', reason: 'fraud', qr: 'HT1:#' }, 400, 'REQUEST_INVALID'],
  ['unknown member', 'POST', '/v1/verifications', 'checkpoint', { qr: 'HT1:AB', extra: 1 }, 400, 'REQUEST_INVALID'],
  ['empty batch', 'POST', '/v1/verifications/batch', 'checkpoint', { qrs: [] }, 400, 'REQUEST_INVALID'],
  ['batch of 1,001', 'POST', '/v1/verifications/batch', 'checkpoint', { qrs: Array(1001).fill('HT1:AB') }, 400, 'REQUEST_INVALID'],
  ['issuance without holder', 'POST', '/v1/credentials', 'issuer', { ...healthCode(), holder: undefined }, 400, 'REQUEST_INVALID'],
  ['issuance with bad status', 'POST', '/v1/credentials', 'issuer', healthCode({ status: 'GREEN!' }), 400, 'REQUEST_INVALID'],
  ['issuance with short validity', 'POST', '/v1/credentials', 'issuer', healthCode({ validitySeconds: 1 }), 400, 'REQUEST_INVALID'],
  ['issuance of a type the issuer may not issue', 'POST', '/v1/credentials', 'issuer', healthCode({ credentialType: 'driving-licence' }), 422, 'CREDENTIAL_TYPE_NOT_ALLOWED'],
  ['issuance with a reserved extra claim', 'POST', '/v1/credentials', 'issuer', healthCode({ claims: { iss: 'x' } }), 422, 'CLAIMS_INVALID'],
  ['issuance with an unknown kid', 'POST', '/v1/credentials', 'issuer', healthCode({ kid: 'no-such-key' }), 409, 'SIGNING_KEY_UNAVAILABLE'],
  ['revocation naming two credentials', 'POST', '/v1/revocations', 'issuer', { issuerId: 'gd-health-code', reason: 'other', leafHash: 'a'.repeat(64), jws: 'a.b.c' }, 400, 'REQUEST_INVALID'],
  ['revocation with a bad reason', 'POST', '/v1/revocations', 'issuer', { issuerId: 'gd-health-code', reason: 'because', leafHash: 'a'.repeat(64) }, 400, 'REQUEST_INVALID'],
  ['revocation of an undecodable QR', 'POST', '/v1/revocations', 'issuer', { issuerId: 'gd-health-code', reason: 'other', qr: 'HT1:AAAA' }, 422, 'QR_UNDECODABLE'],
  ['revocation by leaf hash without its inclusion proof', 'POST', '/v1/revocations', 'issuer', { issuerId: 'gd-health-code', reason: 'other', leafHash: 'a'.repeat(64) }, 400, 'REQUEST_INVALID'],
  ['revocation of a leaf the issuer never anchored', 'POST', '/v1/revocations', 'issuer', { issuerId: 'gd-health-code', reason: 'other', leafHash: 'a'.repeat(64), proof: { leafIndex: 0, treeSize: 1, path: [] } }, 422, 'LEAF_NOT_ANCHORED'],
  ['issuance with a payload over 2,048 bytes', 'POST', '/v1/credentials', 'issuer', healthCode({ claims: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`c${i}`, 'x'.repeat(250)])) }), 422, 'CREDENTIAL_TOO_LARGE'],
  ['issuance with too many extra claims', 'POST', '/v1/credentials', 'issuer', healthCode({ claims: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`c${i}`, i])) }), 400, 'REQUEST_INVALID'],
  ['outbox id not a uuid', 'GET', '/v1/outbox/123', 'issuer', undefined, 400, 'REQUEST_INVALID'],
  ['unknown outbox id', 'GET', '/v1/outbox/00000000-0000-4000-8000-000000000000', 'issuer', undefined, 404, 'OUTBOX_ENTRY_NOT_FOUND'],
  ['bad issuer id in path', 'POST', '/v1/governance/issuers/BAD_ID/approve', 'admin', undefined, 400, 'REQUEST_INVALID'],
  ['approving an unknown issuer', 'POST', '/v1/governance/issuers/no-such-issuer/approve', 'admin', undefined, 404, 'ISSUER_NOT_FOUND'],
  ['proposing a key with a private member', 'POST', '/v1/governance/issuers/gd-health-code/keys', 'admin',
    { kid: 'k2', jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' }, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }, 400, 'INVALID_JWK'],
  ['proposing a key with a bad time', 'POST', '/v1/governance/issuers/gd-health-code/keys', 'admin',
    { kid: 'k2', jwk: {}, validFrom: 'yesterday', validUntil: '2027-01-01T00:00:00Z' }, 400, 'REQUEST_INVALID'],
  // What reaches the ledger is codes, identifiers and organisations' names (docs/ledger.md), and real dates only.
  ['suspension with a free-text reason', 'POST', '/v1/governance/issuers/gd-health-code/suspend', 'admin', { reason: 'officer Chen asked, tel. 6612 3456' }, 400, 'REQUEST_INVALID'],
  ['key revocation with a free-text reason', 'POST', '/v1/governance/issuers/gd-health-code/keys/gd-hc-2026-1/revoke', 'admin', { reason: 'lost laptop of Chen Da Ming' }, 400, 'REQUEST_INVALID'],
  ['key revocation effective on 30 February', 'POST', '/v1/governance/issuers/gd-health-code/keys/gd-hc-2026-1/revoke', 'admin', { reason: 'key-compromise', effectiveAt: '2026-02-30T00:00:00Z' }, 400, 'REQUEST_INVALID'],
  ['issuer named with a control character', 'POST', '/v1/governance/issuers', 'admin', { issuerId: 'gd-new', displayName: 'Health\u0007Centre', credentialTypes: ['health-code'] }, 400, 'REQUEST_INVALID'],
  ['issuer named with an e-mail address', 'POST', '/v1/governance/issuers', 'admin', { issuerId: 'gd-new', displayName: 'chen@example.org', credentialTypes: ['health-code'] }, 400, 'REQUEST_INVALID'],
  ['key with free text in its jwk', 'POST', '/v1/governance/issuers/gd-health-code/keys', 'admin',
    { kid: 'k2', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'note: Chen Da Ming' }, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }, 400, 'REQUEST_INVALID'],
  ['key valid until 31 April', 'POST', '/v1/governance/issuers/gd-health-code/keys', 'admin',
    { kid: 'k2', jwk: {}, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-04-31T00:00:00Z' }, 400, 'REQUEST_INVALID'],
  ['policy valid from 29 February 2027', 'PUT', '/v1/governance/policies/mo-health-bureau/health-code', 'admin',
    { statusMapping: { green: 'green' }, acceptedStatuses: ['green'], maxAgeSeconds: 60, validFrom: '2027-02-29T00:00:00Z' }, 400, 'REQUEST_INVALID'],
  ['anchors from 24:00', 'GET', '/v1/audit/issuers/gd-health-code/anchors?from=2026-01-01T24:00:00Z', 'auditor', undefined, 400, 'REQUEST_INVALID'],
  ['policy accepting an unmapped status', 'PUT', '/v1/governance/policies/mo-health-bureau/health-code', 'admin',
    { statusMapping: { green: 'green' }, acceptedStatuses: ['blue'], maxAgeSeconds: 60, validFrom: '2026-01-01T00:00:00Z' }, 400, 'INVALID_ARGUMENT'],
  ['anchors with an inverted window', 'GET', '/v1/audit/issuers/gd-health-code/anchors?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'auditor', undefined, 400, 'INVALID_ARGUMENT'],
  ['anchors with a bad page size', 'GET', '/v1/audit/issuers/gd-health-code/anchors?pageSize=0', 'auditor', undefined, 400, 'REQUEST_INVALID'],
  ['history of an unknown record kind', 'GET', '/v1/audit/history?record=person', 'auditor', undefined, 400, 'REQUEST_INVALID'],
  ['history of a record never written', 'GET', '/v1/audit/history?record=issuer&issuerId=never-written', 'auditor', undefined, 404, 'RECORD_NOT_FOUND'],
  ['block beyond the chain', 'GET', '/v1/audit/blocks/999999', 'auditor', undefined, 404, 'LEDGER_BLOCK_NOT_FOUND'],
  ['unknown transaction', 'GET', `/v1/audit/transactions/${'0'.repeat(64)}`, 'auditor', undefined, 404, 'LEDGER_TX_NOT_FOUND'],
  ['leaf status of garbage', 'POST', '/v1/audit/leaf-status', 'auditor', { qr: 'HT1:ZZZZ' }, 422, 'QR_UNDECODABLE'],
  ['unknown route', 'GET', '/v1/nothing-here', null, undefined, 404, 'ROUTE_NOT_FOUND'],
];

// A rest parameter keeps jest from mistaking the optional last column for a `done` callback.
test.each(cases)('%s', async (...row) => {
  const [, method, path, role, body, status, code, raw] = row as Case;
  const r = await call(method, `${h.url('guangdong')}${path}`, {
    ...(role ? { token: h.token('guangdong', role) } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(raw ?? {}),
  });
  expectError(r, status, code);
});

test('a credential with a corrupted QR is a verification outcome (200 RESCAN with a DECODE_ reason, or REJECT), not an HTTP error', async () => {
  const broken = qr.slice(0, 40) + (qr[40] === 'A' ? 'B' : 'A') + qr.slice(41);
  const r = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: broken } });
  expect(r.status).toBe(200);
  expect(r.body.decision).not.toBe('ACCEPT');
  expect(r.body.reason).toMatch(/^(DECODE_|SIGNATURE_INVALID|PROOF_INVALID)/);
  expect(r.body.decision).toBe(r.body.reason.startsWith('DECODE_') ? 'RESCAN' : 'REJECT');
});

describe('authentication and authorisation', () => {
  const gd = () => h.url('guangdong');

  test('no token → 401 AUTH_TOKEN_MISSING; garbage → 401 AUTH_TOKEN_INVALID', async () => {
    expectError(await call('POST', `${gd()}/v1/verifications`, { body: { qr } }), 401, 'AUTH_TOKEN_MISSING');
    const garbage = await fetch(`${gd()}/v1/verifications`, { method: 'POST', headers: { authorization: 'Basic dXNlcjpwYXNz', 'content-type': 'application/json' }, body: '{}' });
    expect(garbage.status).toBe(401);
    expect((await garbage.json()).code).toBe('AUTH_TOKEN_INVALID');
  });

  test('an expired token → AUTH_TOKEN_EXPIRED; a token for the other jurisdiction or from another signer → AUTH_TOKEN_INVALID', async () => {
    const expired = await h.tokenIssuer.mint({ subject: 't', audience: gatewayAudience('guangdong'), roles: ['checkpoint'], ttlSeconds: -3600 });
    expectError(await call('POST', `${gd()}/v1/verifications`, { token: expired, body: { qr } }), 401, 'AUTH_TOKEN_EXPIRED');
    expectError(await call('POST', `${gd()}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } }), 401, 'AUTH_TOKEN_INVALID');
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'ES256', kid: 'demo-idp-1' }).setIssuer(DEMO_TOKEN_ISSUER)
      .setAudience(gatewayAudience('guangdong')).setSubject('mallory').setExpirationTime('1h').sign(privateKey);
    expectError(await call('POST', `${gd()}/v1/governance/issuers`, { token: forged, body: {} }), 401, 'AUTH_TOKEN_INVALID');
  });

  test('each role reaches only its routes → 403 ROLE_FORBIDDEN', async () => {
    expectError(await call('POST', `${gd()}/v1/credentials`, { token: h.token('guangdong', 'checkpoint'), body: healthCode() }), 403, 'ROLE_FORBIDDEN');
    expectError(await call('POST', `${gd()}/v1/verifications`, { token: h.token('guangdong', 'issuer'), body: { qr } }), 403, 'ROLE_FORBIDDEN');
    expectError(await call('POST', `${gd()}/v1/governance/issuers`, { token: h.token('guangdong', 'auditor'), body: {} }), 403, 'ROLE_FORBIDDEN');
    expectError(await call('GET', `${gd()}/v1/audit/blocks`, { token: h.token('guangdong', 'admin') }), 403, 'ROLE_FORBIDDEN');
    expectError(await call('POST', `${gd()}/v1/revocations`, { token: h.token('guangdong', 'auditor'), body: { issuerId: 'gd-health-code', reason: 'other', leafHash: 'a'.repeat(64) } }), 403, 'ROLE_FORBIDDEN');
  });

  test('an issuer never acts for another issuer → 403 ISSUER_FORBIDDEN (and the ledger refuses a foreign org’s issuer → NOT_OWNER)', async () => {
    const gdIssuer = h.token('guangdong', 'issuer');
    expectError(await call('POST', `${gd()}/v1/credentials`, { token: gdIssuer, body: healthCode({ issuerId: 'mo-health-bureau' }) }), 403, 'ISSUER_FORBIDDEN');
    expectError(await call('POST', `${gd()}/v1/credentials/bulk`, { token: gdIssuer, body: { credentials: [healthCode(), healthCode({ issuerId: 'mo-health-bureau' })] } }), 403, 'ISSUER_FORBIDDEN');
    expectError(await call('POST', `${gd()}/v1/revocations`, { token: gdIssuer, body: { issuerId: 'mo-health-bureau', reason: 'other', leafHash: 'a'.repeat(64), proof: { leafIndex: 0, treeSize: 1, path: [] } } }), 403, 'ISSUER_FORBIDDEN');
    // A token that claims a Guangdong issuer at Macau's gateway: Macau holds no key for it, and its ledger identity does not own it.
    const rogue = await h.tokenIssuer.mint({ subject: 'rogue', audience: gatewayAudience('macau'), roles: ['issuer'], issuers: ['gd-health-code'] });
    expectError(await call('POST', `${h.url('macau')}/v1/credentials`, { token: rogue, body: healthCode() }), 409, 'SIGNING_KEY_UNAVAILABLE');
    expectError(await call('POST', `${h.url('macau')}/v1/revocations`, { token: rogue, body: { issuerId: 'gd-health-code', reason: 'fraud', qr } }), 403, 'NOT_OWNER');
    const verdict = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } });
    expect(verdict.body.reason).toBe('ACCEPTED');
  });

  test('outbox entries are visible to their own issuer only', async () => {
    const own = await call('POST', `${gd()}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    const revoked = await call('POST', `${gd()}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', reason: 'other', qr: own.body.qr } });
    expect(revoked.status).toBe(201);
    const other = await h.tokenIssuer.mint({ subject: 'other', audience: gatewayAudience('guangdong'), roles: ['issuer'], issuers: ['gd-other-issuer'] });
    expectError(await call('GET', `${gd()}/v1/outbox/${revoked.body.outboxId}`, { token: other }), 403, 'ISSUER_FORBIDDEN');
    expect((await call('GET', `${gd()}/v1/outbox/${revoked.body.outboxId}`, { token: h.token('guangdong', 'auditor') })).status).toBe(200);
  });
});
