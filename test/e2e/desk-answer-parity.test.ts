// One table of scanned inputs, verified offline by the SDK (on the gateway's signed snapshot, opened with its pinned
// keys) and online by the gateway (HTTP): the same decision, reason, message and facts for every one.
import { readFileSync } from 'node:fs';
import { newVerifier, openSignedSnapshot, type VerificationResult, type Verifier } from '@hutong/verifier-sdk';
import { encodeQr, generateSigningKey, leafHashOf, newCredentialSigner } from '@hutong/verifier-sdk/issuer';
import { issuerSecretFile } from '../../gateway/src/consortium/demo-consortium';
import { call, eventually, healthCode, startEmbeddedHarness, type EmbeddedHarness } from './harness';

let h: EmbeddedHarness;
let verifier: Verifier;
const table: Array<[string, string, string]> = [];

/** A credential of the demo issuer signed `ageSeconds` ago, in a batch of one that was never anchored. */
function signedBy(privateJwk: Record<string, unknown>, input: { iss?: string; ageSeconds?: number; validitySeconds?: number } = {}): string {
  const signer = newCredentialSigner({ issuerId: input.iss ?? 'gd-health-code', kid: 'gd-hc-2026-1', alg: 'ES256', privateJwk: privateJwk as never });
  const jws = signer.sign({ vct: 'health-code', st: 'green', sub: 'q8B7fN1c2mZkC7d0n3Vt1A', validitySeconds: input.validitySeconds ?? 3600 },
    new Date(Date.now() - (input.ageSeconds ?? 0) * 1000));
  return encodeQr({ jws, root: leafHashOf(jws), proof: { leafIndex: 0, treeSize: 1, path: [] } });
}

beforeAll(async () => {
  h = await startEmbeddedHarness();
  const gd = h.url('guangdong'), mo = h.url('macau');
  const issue = async (over: Record<string, unknown> = {}) => {
    const r = await call('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode(over) });
    expect(r.status).toBe(201);
    return r.body as { qr: string; leafHash: string };
  };
  const valid = await issue(), yellow = await issue({ status: 'yellow' }), revoked = await issue();
  const rev = await call('POST', `${gd}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', reason: 'status-change', qr: revoked.qr } });
  expect(rev.status).toBe(201);
  await eventually(() => call('POST', `${mo}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: revoked.qr } }), (r) => r.body.reason === 'CREDENTIAL_REVOKED');

  const { privateJwk } = JSON.parse(readFileSync(issuerSecretFile(h.home, 'gd-health-code', 'gd-hc-2026-1').file, 'utf8')) as { privateJwk: Record<string, unknown> };
  const q = valid.qr;
  table.push(
    ['genuine', q, 'ACCEPTED'],
    ['genuine + CR LF (USB scanner)', `${q}\r\n`, 'ACCEPTED'],
    ['genuine + LF', `${q}\n`, 'ACCEPTED'],
    ['genuine + trailing space', `${q} `, 'ACCEPTED'],
    ['tab before', `\t${q}`, 'ACCEPTED'],
    ['lower-case prefix', `ht1:${q.slice(4)}`, 'ACCEPTED'],
    ['every letter lower-case (Caps Lock)', q.toLowerCase(), 'ACCEPTED'],
    ['empty', '', 'DECODE_PREFIX'],
    ['plain words', 'hello desk', 'DECODE_PREFIX'],
    ['another format version', `HT2:${q.slice(4)}`, 'DECODE_PREFIX'],
    ['a URL', 'https://example.org/?q=1', 'DECODE_PREFIX'],
    ['a character outside Base45', `${q.slice(0, 20)}#${q.slice(21)}`, 'DECODE_BASE45'],
    ['one character misread', `${q.slice(0, 200)}${q[200] === '0' ? '1' : '0'}${q.slice(201)}`, 'DECODE_CHECKSUM'],
    ['too long for any QR', `HT1:${'A'.repeat(5000)}`, 'DECODE_TOO_LARGE'],
    ['status not accepted in Macau', yellow.qr, 'STATUS_NOT_ACCEPTED'],
    ['revoked', revoked.qr, 'CREDENTIAL_REVOKED'],
    ['expired', signedBy(privateJwk, { ageSeconds: 7200, validitySeconds: 3600 }), 'EXPIRED'],
    ['forged (another key, the real kid)', signedBy(generateSigningKey('ES256').privateJwk as unknown as Record<string, unknown>), 'SIGNATURE_INVALID'],
    ['genuine signature, never anchored', signedBy(privateJwk), 'ROOT_NOT_ANCHORED'],
    ['unknown issuer', signedBy(privateJwk, { iss: 'hk-health' }), 'ISSUER_UNKNOWN'],
  );

  // The offline verifier: Macau's signed snapshot, opened with the keys Macau publishes for pinning.
  const jwks = (await call('GET', `${mo}/v1/trust/snapshot-keys`)).body;
  const snap = await call('GET', `${mo}/v1/trust/snapshot`, { token: h.token('macau', 'checkpoint') });
  expect(snap.status).toBe(200);
  const trust = await openSignedSnapshot(snap.body.jws, { jwks, jurisdiction: 'MacauMSP' });
  verifier = newVerifier({ trust, jurisdiction: 'MacauMSP' });
});

afterAll(async () => h?.dispose());

/** What the desk sees: everything but the gateway's own bookkeeping and the trust state's age. */
function desk(r: VerificationResult): Record<string, unknown> {
  const { verifiedAt: _v, trustCheckpoint: _t, snapshotAgeSeconds: _a, ...rest } = r as VerificationResult & { verifiedAt?: string; trustCheckpoint?: unknown };
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

test('the SDK and the gateway give the same desk answer for every input of the table', async () => {
  expect(table.length).toBeGreaterThanOrEqual(20);
  const rows = [];
  for (const [name, input, reason] of table) {
    const offline = await verifier.verify(input);
    const online = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: input } });
    expect({ name, status: online.status }).toEqual({ name, status: 200 });
    rows.push({ name, sdk: [offline.decision, offline.reason], gateway: [online.body.decision, online.body.reason], expected: reason });
    expect({ name, ...desk(online.body) }).toEqual({ name, ...desk(offline) });
  }
  for (const r of rows) expect({ name: r.name, sdk: r.sdk[1], gateway: r.gateway[1] }).toEqual({ name: r.name, sdk: r.expected, gateway: r.expected });
  // Each decision appears: the table exercises the three answers a desk can give.
  expect(new Set(rows.map((r) => r.sdk[0]))).toEqual(new Set(['ACCEPT', 'REJECT', 'RESCAN']));
});

test('the batch route answers the same as the SDK, in process and (≥ 64 texts) on the crypto pool\'s workers', async () => {
  for (const copies of [1, 4]) {
    const rows = Array.from({ length: copies }, () => table).flat();
    const batch = await call('POST', `${h.url('macau')}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs: rows.map(([, input]) => input) } });
    expect(batch.status).toBe(200);
    for (let i = 0; i < rows.length; i++) {
      const [name, input] = rows[i]!;
      expect({ name, ...desk(batch.body.results[i]) }).toEqual({ name, ...desk(await verifier.verify(input)) });
    }
  }
});

test('the facts: a revoked credential has its revocation and no status; an expired one its expiry; an accepted one its policy', async () => {
  const at = (reason: string) => table.find(([, , r]) => r === reason)![1];
  const mo = h.url('macau'), token = h.token('macau', 'checkpoint');
  const revoked = (await call('POST', `${mo}/v1/verifications`, { token, body: { qr: at('CREDENTIAL_REVOKED') } })).body;
  expect(revoked).toMatchObject({ decision: 'REJECT', revocation: { reason: 'status-change', revokedAt: expect.stringMatching(/Z$/) }, display: { issuerName: 'Guangdong Health Code Centre' } });
  expect(JSON.stringify(revoked)).not.toMatch(/"(status|claimedStatus|mappedStatus)"/);
  const expired = (await call('POST', `${mo}/v1/verifications`, { token, body: { qr: at('EXPIRED') } })).body;
  expect(Date.parse(expired.validity.expiresAt)).toBeLessThan(Date.now());
  const accepted = (await call('POST', `${mo}/v1/verifications`, { token, body: { qr: at('ACCEPTED') } })).body;
  expect(accepted).toMatchObject({ decision: 'ACCEPT', claimedStatus: 'green', mappedStatus: 'green', policy: { recognisingMsp: 'MacauMSP', acceptedStatuses: ['green'] } });
  expect(accepted.message['zh-Hant']).toBe('憑證有效，可予放行。');
  const rescan = (await call('POST', `${mo}/v1/verifications`, { token, body: { qr: at('DECODE_CHECKSUM') } })).body;
  expect(rescan).toMatchObject({ decision: 'RESCAN', message: { pt: expect.stringMatching(/leia novamente/) } });
});
