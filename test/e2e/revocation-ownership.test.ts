/**
 * An issuer revokes only its own credentials: a revocation carries the credential's inclusion proof, which must lead
 * to a root that this issuer anchored with that many leaves. The gateway refuses anything else at once (422
 * LEAF_NOT_ANCHORED, nothing queued, nothing written); the chaincode refuses it on every peer (the ledger
 * conformance suite, both ledgers).
 */
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

interface Issued { jws: string; qr: string; leafHash: string; root: string; proof: { leafIndex: number; treeSize: number; path: string[] } }

async function issueBulk(count: number, at = gd, over: Record<string, unknown> = {}): Promise<Issued[]> {
  const org = at === gd ? 'guangdong' : 'macau';
  const credentials = Array.from({ length: count }, (_, i) => healthCode({ holder: { name: `Holder ${i}`, documentType: 'HRP', documentNumber: `H${30_000_000 + i}` }, ...over }));
  const r = await call('POST', `${at}/v1/credentials/bulk`, { token: h.token(org, 'issuer'), body: { credentials } });
  expect(r.status).toBe(201);
  return r.body.credentials;
}

const revoke = (body: Record<string, unknown>, at = gd) =>
  call('POST', `${at}/v1/revocations`, { token: h.token(at === gd ? 'guangdong' : 'macau', 'issuer'), body: { issuerId: 'gd-health-code', reason: 'status-change', ...body } });

/** A checkpoint's verdict: Guangdong's credentials at Macau, Macau's at Guangdong (each has the other's policy). */
async function verdictAtMacau(qr: string, at = mo): Promise<string> {
  return (await call('POST', `${at}/v1/verifications`, { token: h.token(at === mo ? 'macau' : 'guangdong', 'checkpoint'), body: { qr } })).body.reason;
}

async function revocationOnLedger(issuerId: string, leafHash: string): Promise<number> {
  return (await call('GET', `${mo}/v1/audit/history?record=revocation&issuerId=${issuerId}&leafHash=${leafHash}`, { token: h.token('macau', 'auditor') })).status;
}

test('its own credential, by QR, by leaf hash with its proof, or by JWS with its proof: committed, then refused at Macau', async () => {
  const [a, b, c] = await issueBulk(3);
  const byQr = await revoke({ qr: a!.qr });
  const byLeaf = await revoke({ leafHash: b!.leafHash, proof: b!.proof });
  const byJws = await revoke({ jws: c!.jws, proof: c!.proof });
  for (const [r, x] of [[byQr, a], [byLeaf, b], [byJws, c]] as const) {
    expect(r.status).toBe(201);
    expect(r.body).toEqual(expect.objectContaining({ state: 'committed', leafHash: x!.leafHash, root: x!.root }));
    expect(await eventually(() => verdictAtMacau(x!.qr), (v) => v === 'CREDENTIAL_REVOKED')).toBe('CREDENTIAL_REVOKED');
  }
});

test('a leaf that is not the issuer’s own is refused with 422 LEAF_NOT_ANCHORED, and nothing reaches the ledger', async () => {
  const [mine, other] = await issueBulk(2);
  const [macaus] = await issueBulk(1, mo, { issuerId: 'mo-health-bureau', holder: { name: 'Wong Ka Man', documentType: 'MOP', documentNumber: '1234567(8)' } });
  const made = 'ab'.repeat(32);
  const cases: Array<[string, Record<string, unknown>]> = [
    ['a made-up leaf as a batch of one', { leafHash: made, proof: { leafIndex: 0, treeSize: 1, path: [] } }],
    ['a made-up leaf with a real credential’s proof', { leafHash: made, proof: mine!.proof }],
    ['Macau’s credential, with its true proof', { leafHash: macaus!.leafHash, proof: macaus!.proof }],
    ['Macau’s credential by JWS, with its true proof', { jws: macaus!.jws, proof: macaus!.proof }],
    ['its own leaf with a tree size the anchor does not have', { leafHash: mine!.leafHash, proof: { ...mine!.proof, treeSize: 4, path: [...mine!.proof.path, 'cd'.repeat(32)] } }],
    ['its own leaf with another leaf’s path', { leafHash: mine!.leafHash, proof: { ...other!.proof, leafIndex: mine!.proof.leafIndex } }],
    ['its own leaf with a path that does not fit the index', { leafHash: mine!.leafHash, proof: { ...mine!.proof, path: [] } }],
  ];
  for (const [name, body] of cases) {
    const r = await revoke(body);
    expect({ name, status: r.status, code: r.body.code }).toEqual({ name, status: 422, code: 'LEAF_NOT_ANCHORED' });
  }
  for (const leafHash of [made, macaus!.leafHash, mine!.leafHash]) expect(await revocationOnLedger('gd-health-code', leafHash)).toBe(404);
  expect(await verdictAtMacau(mine!.qr)).toBe('ACCEPTED');
  expect(await verdictAtMacau(macaus!.qr, gd)).toBe('ACCEPTED');
});

test('a proof is required with a leaf hash or JWS, and refused next to a QR (which carries its own)', async () => {
  const [x] = await issueBulk(1);
  for (const body of [{ leafHash: x!.leafHash }, { jws: x!.jws }, { qr: x!.qr, proof: x!.proof }, { leafHash: x!.leafHash, proof: { ...x!.proof, path: ['XY'] } }]) {
    const r = await revoke(body);
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 400, code: 'REQUEST_INVALID' });
  }
  expect(await revocationOnLedger('gd-health-code', x!.leafHash)).toBe(404);
});
