/**
 * The ledger conformance suite on a real Fabric 3.1 dev network (1 Raft orderer, one peer per organisation, the
 * chaincode as a service), then what only a real network can show: endorsements by both organisations in the blocks,
 * an identity outside the channel refused by the peer, identical state on both organisations' peers, and a peer
 * killed mid-traffic that restarts and catches up.
 */
import { randomBytes } from 'node:crypto';
import { isRunning, ProcessTable, up } from '@hutong/network';
import type { Issuer, Page } from '@hutong/chaincode/domain';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger } from '@hutong/ledger/fabric';
import { resolve } from 'node:path';
import { ledgerConformance } from './ledger-conformance';
import { describeFabric, outsiderProfile, startTestNetwork, type TestNetwork } from '../fabric/test-network';

let network: TestNetwork | undefined;

describeFabric('Fabric 3.1 dev network', () => {
  beforeAll(async () => {
    network = await startTestNetwork({ bare: true, batchTimeoutMs: 100 });
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
  }, 60_000);

  ledgerConformance({
    name: 'Fabric 3.1 dev network',
    open: async () => newFabricLedger({ profiles: [...network!.profiles, outsiderProfile(network!, network!.profiles[0]!)] }),
    // Hong Kong joins the channel (add-org); the suite then admits it to the consortium by governance.
    withThirdOrg: async () => {
      await network!.addOrg('hongkong');
      return newFabricLedger({ profiles: [...network!.profiles, outsiderProfile(network!, network!.profiles[0]!)] });
    },
    timeoutMs: 120_000,
  });

  describe('only on a real network', () => {
    let backend: LedgerBackend;
    let gd: Ledger;
    let mo: Ledger;

    beforeAll(async () => {
      // The suite ended with Hong Kong removed from the consortium; remove-org takes it off the channel too.
      if (network!.plan.orgs.some((o) => o.name === 'hongkong')) await network!.removeOrg('hongkong');
      backend = newFabricLedger({ profiles: network!.profiles });
      gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'admin' });
      mo = await backend.connect({ mspId: 'MacauMSP', role: 'admin' });
    }, 120_000);
    afterAll(async () => {
      await gd?.close();
      await mo?.close();
      await backend?.close();
    });

    it('each write is endorsed by both organisations’ peers, as the block shows', async () => {
      const id = `gd-${randomBytes(4).toString('hex')}`;
      const { evidence } = await gd.submit('ProposeIssuer', { issuerId: id, displayName: 'Endorsement check', credentialTypes: ['health-code'] });
      expect(evidence.endorsedBy).toEqual(['GuangdongMSP', 'MacauMSP']);
      const tx = await mo.getTransaction(evidence.txId);
      expect(tx).toMatchObject({ txName: 'ProposeIssuer', creatorMsp: 'GuangdongMSP', endorsedBy: ['GuangdongMSP', 'MacauMSP'], validationCode: 'VALID', blockNumber: evidence.blockNumber, timestamp: evidence.timestamp });
    });

    it('the hash chain holds from the genesis block to the tip, computed from the real headers', async () => {
      const height = await gd.height();
      let previous: string | undefined;
      for (let n = 0; n < height; n++) {
        const block = await gd.getBlock(n);
        expect(block.number).toBe(n);
        if (previous !== undefined) expect(block.previousHash).toBe(previous);
        previous = block.hash;
      }
      expect((await gd.getBlock(0)).transactions[0]?.txName).toBe('CONFIG');
      await expect(gd.getBlock(height + 10)).rejects.toMatchObject({ code: 'LEDGER_BLOCK_NOT_FOUND' });
    });

    it('a peer refuses an identity of an organisation outside the channel, with a code and without running the chaincode', async () => {
      const outsiderBackend = newFabricLedger({ profiles: [outsiderProfile(network!, network!.profiles[0]!)] });
      try {
        const outsider = await outsiderBackend.connect({ mspId: 'OutsiderMSP', role: 'admin' });
        const before = await gd.height();
        await expect(outsider.submit('ProposeIssuer', { issuerId: 'outsider-x', displayName: 'x', credentialTypes: ['health-code'] })).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
        await expect(outsider.evaluate('ListIssuers', {})).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
        await expect(outsider.height()).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
        expect(await gd.height()).toBe(before);
      } finally {
        await outsiderBackend.close();
      }
    });

    it('a peer killed mid-traffic refuses writes with a code while down, then restarts and catches up', async () => {
      const table = new ProcessTable(network!.plan.dir);
      const macauPeer = table.get('peer0.macau')!;
      const inFlight = Array.from({ length: 8 }, (_, i) => gd.submit('ProposeIssuer', { issuerId: `gd-kill-${i}-${randomBytes(3).toString('hex')}`, displayName: 'in flight', credentialTypes: ['health-code'] }).then(() => 'committed', (e: { code?: string }) => e.code));
      await new Promise((r) => setTimeout(r, 30));
      process.kill(macauPeer.pid, 'SIGKILL');
      const outcomes = await Promise.all(inFlight);
      for (const o of outcomes) expect(['committed', 'LEDGER_UNAVAILABLE', 'LEDGER_ENDORSEMENT_FAILED', 'LEDGER_DEADLINE_EXCEEDED']).toContain(o);
      while (isRunning(macauPeer)) await new Promise((r) => setTimeout(r, 20));
      await expect(gd.submit('ProposeIssuer', { issuerId: `gd-${randomBytes(4).toString('hex')}`, displayName: 'while down', credentialTypes: ['health-code'] })).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
      // Blocks cut while Macau's peer was down (the in-flight transactions already endorsed) reach it after restart.
      const heightWhileDown = await gd.height();
      await up({ dir: network!.plan.dir, repoRoot: resolve(__dirname, '..', '..'), log: () => undefined });
      const deadline = Date.now() + 30_000;
      let caughtUp = false;
      while (!caughtUp && Date.now() < deadline) {
        caughtUp = await mo.height().then((h) => h >= heightWhileDown, () => false);
        if (!caughtUp) await new Promise((r) => setTimeout(r, 200));
      }
      expect(caughtUp).toBe(true);
      // Writes flow again once discovery sees Macau's peer (a few seconds after its restart).
      let written = false;
      while (!written && Date.now() < deadline) {
        written = await gd.submit('ProposeIssuer', { issuerId: `gd-${randomBytes(4).toString('hex')}`, displayName: 'after restart', credentialTypes: ['health-code'] }).then(() => true, () => false);
        if (!written) await new Promise((r) => setTimeout(r, 250));
      }
      expect(written).toBe(true);
    }, 60_000);

    it('both organisations’ peers hold the same chain and the same world state', async () => {
      const [gdHeight, moHeight] = [await gd.height(), await mo.height()];
      expect(moHeight).toBe(gdHeight);
      expect(await mo.getBlock(gdHeight - 1)).toEqual(await gd.getBlock(gdHeight - 1));
      const everything = async (l: Ledger) => {
        const issuers: Issuer[] = [];
        let bookmark = '';
        do {
          const page = await l.evaluate<Page<Issuer>>('ListIssuers', { pageSize: 100, bookmark });
          issuers.push(...page.items);
          bookmark = page.bookmark;
        } while (bookmark !== '');
        const views = [];
        for (const i of issuers) views.push(await l.evaluate('GetIssuer', { issuerId: i.id }), await l.evaluate('ListAnchors', { issuerId: i.id, pageSize: 100 }), await l.evaluate('ListRevocations', { issuerId: i.id, pageSize: 100 }));
        const policies = await Promise.all(['GuangdongMSP', 'MacauMSP'].map((mspId) => l.evaluate('GetRecognitionPolicies', { mspId, includeWithdrawn: true })));
        return { consortium: await l.evaluate('GetConsortium', {}), issuers, views, policies };
      };
      const [atGd, atMo] = [await everything(gd), await everything(mo)];
      expect(atGd.issuers.length).toBeGreaterThan(20);
      expect(atMo).toEqual(atGd);
    }, 120_000);
  });
});
