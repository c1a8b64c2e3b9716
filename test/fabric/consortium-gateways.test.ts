/**
 * The consortium topology behind the gateways: four SmartBFT orderers (two per jurisdiction) and two peers per
 * organisation. One orderer killed with SIGKILL: issuance at Guangdong continues, committed and endorsed by both
 * organisations, and Macau accepts what Guangdong issued.
 */
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger } from '@hutong/ledger/fabric';
import { isRunning, ProcessTable } from '@hutong/network';
import { call, eventually, healthCode, startFabricHarness, type FabricHarness } from '../e2e/harness';
import { describeFabric } from './test-network';

describeFabric('gateways on the consortium topology', () => {
  let h: FabricHarness;
  let backend: LedgerBackend;
  let ledger: Ledger;

  beforeAll(async () => {
    h = await startFabricHarness({ topology: 'consortium' });
    backend = newFabricLedger({ profiles: h.network.profiles });
    ledger = await backend.connect({ mspId: 'MacauMSP', role: 'client' });
  }, 180_000);

  afterAll(async () => {
    await ledger?.close();
    await backend?.close();
    await h?.dispose();
  }, 60_000);

  it('one of four BFT orderers killed: issuance continues and Macau accepts it', async () => {
    expect(h.network.plan.orderers).toHaveLength(4);
    const victim = new ProcessTable(h.network.plan.dir).get('orderer0.macau')!;
    process.kill(victim.pid, 'SIGKILL');
    while (isRunning(victim)) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) {
      const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
      expect(issued.status).toBe(201);
      // Guangdong's gateway answers once Guangdong's peer committed; Macau's peer commits the same block moments later.
      const tx = await eventually(() => ledger.getTransaction(issued.body.anchor.txId as string).catch(() => undefined), (t) => t !== undefined, 10_000, 50);
      expect(tx).toMatchObject({ txName: 'AnchorBatch', validationCode: 'VALID', endorsedBy: ['GuangdongMSP', 'MacauMSP'] });
      const verified = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr } });
      expect(verified.body).toMatchObject({ decision: 'ACCEPT' });
    }
  }, 120_000);
});
