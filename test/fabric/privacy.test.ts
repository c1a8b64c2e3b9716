/**
 * Privacy on the real network: after credentials carrying test holders' personal data are issued, verified and
 * revoked through gateways on Fabric, no byte of that data is in any file of the network (block files, which hold
 * every proposal's arguments for ever; state and history databases; orderer, peer and chaincode logs) or of the
 * gateways (logs, outbox, trust cache). A control proves the scan reads block content: the revoked leaf hash, an
 * argument of RevokeCredential, is found in the block files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { call, healthCode, startFabricHarness, type FabricHarness } from '../e2e/harness';
import { describeFabric } from './test-network';

const HOLDERS = [
  { name: '陈大明', documentType: 'HRP', documentNumber: 'H12345678' },
  { name: 'Maria Fernanda Costa', documentType: 'MOP', documentNumber: '1234567(8)' },
  { name: '黄小玲', documentType: 'ID', documentNumber: '440101199001011234' },
];
const NEEDLES = [...new Set(HOLDERS.flatMap((h) => [h.name, h.documentNumber, `${h.documentType}:${h.documentNumber}`, h.documentNumber.replace(/\W/g, '')]))];

const rawHits = (bytes: Buffer): string[] => NEEDLES.filter((n) => bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le')));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return [];
    return s.isDirectory() ? filesUnder(p) : s.isFile() ? [p] : [];
  });
}

describeFabric('privacy on the real network', () => {
  let h: FabricHarness;

  beforeAll(async () => {
    h = await startFabricHarness();
  }, 120_000);

  afterAll(async () => {
    await h?.dispose();
  }, 60_000);

  it('no personal data in any file of the network or the gateways', async () => {
    const gd = h.url('guangdong');
    const issued = [];
    for (const holder of HOLDERS) {
      const r = await call('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode({ holder }) });
      expect(r.status).toBe(201);
      issued.push(r.body as { qr: string; leafHash: string });
    }
    for (const c of issued) {
      const v = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: c.qr } });
      expect(v.body.decision).toBe('ACCEPT');
    }
    const revoked = await call('POST', `${gd}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', qr: issued[0]!.qr, reason: 'status-change' } });
    expect(revoked.status).toBe(201);
    await h.consortium.close(); // the gateways flush their logs and files

    const networkFiles = filesUnder(h.network.plan.dir).filter((f) => !f.includes(`${join(h.network.plan.dir, 'crypto')}`));
    const blockFiles = networkFiles.filter((f) => /blockfile_\d+$/.test(f));
    expect(blockFiles.length).toBeGreaterThanOrEqual(3); // each peer's and the orderer's copy of channel gba
    // Control: the block files carry the arguments of the revocation, so a needle there would be found.
    const revokedLeaf = Buffer.from(issued[0]!.leafHash, 'utf8');
    expect(blockFiles.some((f) => readFileSync(f).includes(revokedLeaf))).toBe(true);

    const found: Array<{ file: string; needles: string[] }> = [];
    for (const file of [...networkFiles, ...filesUnder(h.home)]) {
      const n = rawHits(readFileSync(file));
      if (n.length > 0) found.push({ file, needles: n });
    }
    expect(found).toEqual([]);
  }, 120_000);
});
