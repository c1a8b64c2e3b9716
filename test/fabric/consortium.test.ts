/**
 * The consortium topology: four SmartBFT orderers (two per jurisdiction, one fault tolerated) and two peers per
 * organisation. With one orderer killed, transactions still commit, endorsed by both organisations.
 */
import { randomBytes } from 'node:crypto';
import { isRunning, ProcessTable } from '@hutong/network';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger } from '@hutong/ledger/fabric';
import { describeFabric, startTestNetwork, type TestNetwork } from './test-network';

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
