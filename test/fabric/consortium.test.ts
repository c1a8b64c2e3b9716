/**
 * The consortium topology: four SmartBFT orderers (two per jurisdiction, one fault tolerated) and two peers per
 * organisation. With one orderer killed, transactions still commit, endorsed by both organisations. A transaction's
 * timestamp is the client's clock (within the peers' window): an anchor backdated under a revoked key is refused.
 */
import { randomBytes } from 'node:crypto';
import { isRunning, ProcessTable } from '@hutong/network';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger } from '@hutong/ledger/fabric';
import { generateSigningKey } from '@hutong/verifier-sdk/issuer';
import { describeFabric, startTestNetwork, type TestNetwork } from './test-network';

/**
 * Calls `start` with the process clock set back by `ms` for its synchronous part: fabric-gateway stamps a proposal's
 * channel header with `new Date()` when `prepare` builds it, before its first await — what a client with a clock
 * running behind sends. The clock is restored before anything else runs.
 */
function backdated<T>(ms: number, start: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  class BehindDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(RealDate.now() - ms);
      else super(...(args as ConstructorParameters<DateConstructor>));
    }
  }
  globalThis.Date = BehindDate as DateConstructor;
  try {
    return start();
  } finally {
    globalThis.Date = RealDate;
  }
}

describeFabric('consortium topology (4 SmartBFT orderers, 2 peers per organisation)', () => {
  let network: TestNetwork;
  let backend: LedgerBackend;
  let gd: Ledger;
  let mo: Ledger;
  const propose = (l: Ledger, tag: string) =>
    l.submit('ProposeIssuer', { issuerId: `${l.identity.mspId === 'GuangdongMSP' ? 'gd' : 'mo'}-${tag}-${randomBytes(3).toString('hex')}`, displayName: tag, credentialTypes: ['health-code'] });

  beforeAll(async () => {
    network = await startTestNetwork({ topology: 'consortium' });
    backend = newFabricLedger({ profiles: network.profiles });
    gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'admin' });
    mo = await backend.connect({ mspId: 'MacauMSP', role: 'admin' });
  }, 180_000);

  afterAll(async () => {
    await gd?.close();
    await mo?.close();
    await backend?.close();
    await network?.stop();
  }, 60_000);

  it('commits through BFT ordering, endorsed by both organisations', async () => {
    expect(network.plan.orderers).toHaveLength(4);
    const { evidence } = await propose(gd, 'bft');
    expect(evidence.endorsedBy).toEqual(['GuangdongMSP', 'MacauMSP']);
    expect(await mo.getTransaction(evidence.txId)).toMatchObject({ validationCode: 'VALID', blockNumber: evidence.blockNumber });
  }, 60_000);

  it('refuses an anchor backdated (20 s) to before its key\'s revocation; the same backdated anchor without the revocation commits', async () => {
    const gdClient = await backend.connect({ mspId: 'GuangdongMSP', role: 'client' });
    try {
      const issuerId = `gd-window-${randomBytes(3).toString('hex')}`;
      const kid = 'gd-window-1';
      const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
      await gd.submit('ProposeIssuer', { issuerId, displayName: 'window', credentialTypes: ['health-code'] });
      await mo.submit('ApproveIssuer', { issuerId });
      await gd.submit('ProposeIssuerKey', { issuerId, kid, jwk: generateSigningKey('ES256').publicJwk, validFrom: iso(-3600_000), validUntil: iso(86_400_000) });
      await mo.submit('ApproveIssuerKey', { issuerId, kid });
      const anchor = () => ({ issuerId, kid, root: randomBytes(32).toString('hex'), leafCount: 1 });

      const accepted = await gdClient.submitPrepared(await backdated(20_000, () => gdClient.prepare('AnchorBatch', anchor())));
      expect(Date.now() - Date.parse(accepted.evidence.timestamp)).toBeGreaterThanOrEqual(20_000); // the peers took the backdated time

      const revoked = await gd.submit('RevokeIssuerKey', { issuerId, kid, reason: 'key-compromise' });
      const revokedAt = Date.parse(revoked.evidence.timestamp);
      // The backdated proposal is stamped before the revocation: "anchored at or after T" alone would let it through.
      expect(Date.now() - 20_000).toBeLessThan(revokedAt);
      await expect(backdated(20_000, () => gdClient.prepare('AnchorBatch', anchor()))).rejects.toMatchObject({ code: 'KEY_NOT_ACTIVE' });
    } finally {
      await gdClient.close();
    }
  }, 90_000);

  it('keeps committing with one orderer killed (f = 1 of 4)', async () => {
    const victim = new ProcessTable(network.plan.dir).get('orderer1.macau')!;
    process.kill(victim.pid, 'SIGKILL');
    while (isRunning(victim)) await new Promise((r) => setTimeout(r, 20));
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await propose(i % 2 ? mo : gd, `one-down-${i}`));
    const blocks = results.map((r) => r.evidence.blockNumber);
    expect([...blocks].sort((a, b) => a - b)).toEqual(blocks);
    expect(await gd.height()).toBeGreaterThan(blocks.at(-1)!);
  }, 90_000);
});
