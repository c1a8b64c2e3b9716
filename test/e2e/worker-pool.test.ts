/**
 * The crypto pool: a verification batch (on the workers) answers exactly what single verifications (in-process)
 * answer, reasons and order included; bulk issuance through the pool gives the same structures; the SDK batcher
 * with its QR encoding on the pool gives what it gives in-process, byte for byte; closing the pool ends its workers.
 */
import { generateSigningKey, HutongSdkError, leafHashOf, newCredentialSigner, prepareBatch } from '@hutong/verifier-sdk/issuer';
import { newCryptoPool } from '../../gateway/src/workers/crypto-pool';
import { call, healthCode, startHarness, type Harness } from './harness';

const strip = ({ verifiedAt: _v, snapshotAgeSeconds: _s, ...rest }: Record<string, unknown>) => rest;

describe('crypto worker pool', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('a batch on the workers equals one-by-one in-process verification, in order, REJECT reasons included', async () => {
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials/bulk`, { token: h.token('guangdong', 'issuer'), body: { credentials: Array.from({ length: 60 }, () => healthCode()) } });
    expect(issued.status).toBe(201);
    const qrs: string[] = issued.body.credentials.map((c: { qr: string }) => c.qr);
    const revoked = issued.body.credentials[3];
    expect((await call('POST', `${h.url('guangdong')}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', leafHash: revoked.leafHash, proof: revoked.proof, reason: 'status-change' } })).status).toBeLessThan(300);
    const tampered = qrs.map((q) => `${q.slice(0, 40)}${q[40] === 'A' ? 'B' : 'A'}${q.slice(41)}`).slice(0, 10);
    const batch = [...qrs, ...tampered, 'HT1:NOT A CREDENTIAL', ...qrs.slice(0, 10).reverse()];
    expect(batch.length).toBeGreaterThanOrEqual(64); // the pool's threshold
    const mo = h.url('macau');
    const token = h.token('macau', 'checkpoint');
    // wait until Macau sees the revocation
    for (let i = 0; i < 200; i++) {
      if ((await call('POST', `${mo}/v1/verifications`, { token, body: { qr: revoked.qr } })).body.reason === 'CREDENTIAL_REVOKED') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const pooled = await call('POST', `${mo}/v1/verifications/batch`, { token, body: { qrs: batch } });
    expect(pooled.status).toBe(200);
    const single = [];
    for (const qr of batch) single.push((await call('POST', `${mo}/v1/verifications`, { token, body: { qr } })).body);
    expect(pooled.body.results.map(strip)).toEqual(single.map(strip));
    const reasons = new Set(pooled.body.results.map((r: { reason: string }) => r.reason));
    expect(reasons.has('ACCEPTED')).toBe(true);
    expect(reasons.has('CREDENTIAL_REVOKED')).toBe(true);
    expect([...reasons].some((r) => r !== 'ACCEPTED' && r !== 'CREDENTIAL_REVOKED')).toBe(true);
  });

  it('workers that verified a batch see a revocation and a new batch root in the next one (their copy catches up)', async () => {
    const gd = h.url('guangdong');
    const mo = h.url('macau');
    const token = h.token('macau', 'checkpoint');
    const first = await call('POST', `${gd}/v1/credentials/bulk`, { token: h.token('guangdong', 'issuer'), body: { credentials: Array.from({ length: 64 }, () => healthCode()) } });
    const qrs: string[] = first.body.credentials.map((c: { qr: string }) => c.qr);
    const before = await call('POST', `${mo}/v1/verifications/batch`, { token, body: { qrs } });
    expect(before.body.results.every((r: { reason: string }) => r.reason === 'ACCEPTED')).toBe(true);
    // Both changes reach Macau's cache after its workers took their copy: a revocation and a root they never saw.
    const revoked = first.body.credentials[5];
    await call('POST', `${gd}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', leafHash: revoked.leafHash, proof: revoked.proof, reason: 'status-change' } });
    const second = await call('POST', `${gd}/v1/credentials/bulk`, { token: h.token('guangdong', 'issuer'), body: { credentials: Array.from({ length: 64 }, () => healthCode()) } });
    for (let i = 0; i < 200; i++) {
      if ((await call('POST', `${mo}/v1/verifications`, { token, body: { qr: revoked.qr } })).body.reason === 'CREDENTIAL_REVOKED') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const after = await call('POST', `${mo}/v1/verifications/batch`, { token, body: { qrs: [...qrs, ...second.body.credentials.map((c: { qr: string }) => c.qr)] } });
    const reasons: string[] = after.body.results.map((r: { reason: string }) => r.reason);
    expect(reasons[5]).toBe('CREDENTIAL_REVOKED');
    expect(reasons.filter((r) => r === 'ACCEPTED')).toHaveLength(127);
  });

  it('bulk issuance on the pool hands out credentials Macau accepts, with the single-issuance structure', async () => {
    const gd = h.url('guangdong');
    const bulk = await call('POST', `${gd}/v1/credentials/bulk`, { token: h.token('guangdong', 'issuer'), body: { credentials: Array.from({ length: 40 }, () => healthCode()) } });
    const one = await call('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    expect(bulk.status).toBe(201);
    const shape = (c: Record<string, unknown>) => Object.keys(c).join(',') + '|' + Object.keys(c['anchor'] as object).join(',') + '|' + Object.keys(c['proof'] as object).join(',');
    for (const c of bulk.body.credentials) expect(shape(c)).toBe(shape(one.body));
    for (const c of bulk.body.credentials) expect(leafHashOf(c.jws)).toBe(c.leafHash);
    const verified = await call('POST', `${h.url('macau')}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs: bulk.body.credentials.map((c: { qr: string }) => c.qr) } });
    expect(verified.body.results.every((r: { reason: string }) => r.reason === 'ACCEPTED')).toBe(true);
  });
});

describe('batch QR encoding on the pool', () => {
  const { privateJwk } = generateSigningKey('ES256');
  const signer = newCredentialSigner({ issuerId: 'iss-1', kid: 'k1', alg: 'ES256', privateJwk });
  const jwsOf = (n: number) => Array.from({ length: n }, (_, i) => signer.sign({ vct: 't', st: 'green', sub: `s${i}`, name: 'X*', doc: 'HRP-0001', validitySeconds: 60 }));

  it('prepares a batch exactly as in-process, QR texts and their checks byte for byte', async () => {
    const jws = jwsOf(70);
    const inProcess = await prepareBatch(jws);
    const pool = newCryptoPool({ size: 2, minChunk: 8 });
    try {
      const checked = async (items: Parameters<typeof pool.encodeQrs>[0]) => (await pool.encodeQrs(items)).map((o) => ('qr' in o ? o.qr : new HutongSdkError('INVALID_CLAIMS', o.error.message)));
      expect(await prepareBatch(jws, { checked })).toEqual(inProcess);
      expect(inProcess.credentials).toHaveLength(70);
    } finally {
      await pool.close();
    }
  });

  it('a closed pool refuses work and its workers are gone', async () => {
    const pool = newCryptoPool({ size: 2, minChunk: 1 });
    const items = [{ jws: jwsOf(1)[0] as string, root: 'a'.repeat(64), proof: { leafIndex: 0, treeSize: 1, path: [] } }];
    expect(await pool.encodeQrs([...items, ...items])).toHaveLength(2);
    await pool.close();
    await expect(pool.encodeQrs(items)).rejects.toThrow('closed');
  });
});
