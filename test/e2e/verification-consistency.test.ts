/**
 * The gateway compiles only part of its trust state into the verifier it uses (verification-service.ts): anchors
 * that arrived after the last compile go to a small second verifier, and revocations are checked against the cache
 * directly. Its answers must still be the SDK's answers over the whole state: here every credential's gateway result
 * is compared with the SDK verifying offline against the gateway's own signed snapshot of the same moment.
 */
import { newVerifier, openSignedSnapshot, type VerificationResult } from '@hutong/verifier-sdk';
import { call, healthCode, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.dispose());

async function issue(status: string): Promise<{ qr: string; block: number }> {
  const r = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode({ status }) });
  expect(r.status).toBe(201);
  return { qr: r.body.qr as string, block: r.body.anchor.blockNumber as number };
}

async function revoke(qr: string): Promise<void> {
  const r = await call('POST', `${h.url('guangdong')}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', qr, reason: 'status-change' } });
  expect(r.status).toBe(201);
}

const verifyAtMacau = async (qr: string) =>
  (await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } })).body as VerificationResult;

/** What a result says about the credential (times and the ledger position differ between the two). */
const decision = ({ decision, reason, status, mappedStatus, display, evidence }: VerificationResult) => ({ decision, reason, status, mappedStatus, display, evidence });

test('settled, recent and revoked: the gateway answers as the SDK does over its full snapshot', async () => {
  // Compiled early: these anchors are in the settled verifier once Macau has verified one of them.
  const early = [await issue('green'), await issue('green'), await issue('yellow'), await issue('red')];
  await verifyAtMacau(early[0]!.qr);
  // Anchored after that compile: the recent verifier's. Then revocations of both kinds, including credentials whose
  // later checks would fail too (the revocation check comes first: CREDENTIAL_REVOKED, no mapped status).
  const late = [await issue('green'), await issue('green'), await issue('yellow'), await issue('red')];
  for (const c of [early[1]!, early[3]!, late[1]!, late[3]!]) await revoke(c.qr);
  const all = [...early, ...late];

  // Both sides at the same moment: Macau's cache has applied every write (the last revocation's block included).
  const mo = h.url('macau');
  const last = (await call('GET', `${h.url('guangdong')}/readyz`)).body.ledger.height as number;
  for (;;) {
    const ready = await call('GET', `${mo}/readyz`);
    if ((ready.body.cache.checkpoint?.blockNumber ?? -1) >= last - 1) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const snapshot = await call('GET', `${mo}/v1/trust/snapshot`, { token: h.token('macau', 'checkpoint') });
  const trust = await openSignedSnapshot(snapshot.body.jws as string, { jwks: (await call('GET', `${mo}/v1/trust/snapshot-keys`)).body, jurisdiction: 'MacauMSP' });
  const offline = newVerifier({ trust, jurisdiction: 'MacauMSP', maxSnapshotAgeSeconds: 3600 });

  const gateway = await Promise.all(all.map((c) => verifyAtMacau(c.qr)));
  const sdk = await Promise.all(all.map((c) => offline.verify(c.qr)));
  expect(gateway.map(decision)).toEqual(sdk.map(decision));
  expect(gateway.map((r) => r.reason)).toEqual([
    'ACCEPTED', 'CREDENTIAL_REVOKED', 'STATUS_NOT_ACCEPTED', 'CREDENTIAL_REVOKED',
    'ACCEPTED', 'CREDENTIAL_REVOKED', 'STATUS_NOT_ACCEPTED', 'CREDENTIAL_REVOKED',
  ]);
});
