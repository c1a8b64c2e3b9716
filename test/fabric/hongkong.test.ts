/**
 * Hong Kong joins the live channel, on the real network: Guangdong and Macau run with their gateways and issue; then
 * `add-org hongkong` puts Hong Kong on the channel, the bootstrap admits it to the consortium by governance (Guangdong
 * proposes, Macau approves: 2 of 2), its issuer is approved by both and recognition policies go both ways, and the
 * three gateways run. With three organisations MAJORITY is 2 of 3: one organisation's peer killed no longer stops
 * issuance, and a transaction endorsed by one organisation alone is refused at validation. Hong Kong's removal by
 * governance stops recognition of its issuers from the removal's effective time, and `remove-org` takes it off the
 * channel with the ledger's history intact. Prints how long add-org took and the issuance rate with three
 * organisations (measured, not asserted).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Consortium, HistoryEntry } from '@hutong/chaincode/domain';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger, newGatewayConnection, newGrpcClient, readConnectionProfile } from '@hutong/ledger/fabric';
import { CHAINCODE, CHANNEL, isRunning, ProcessTable, profilePath, readProgress, stopProcess, up } from '@hutong/network';
import { newVerifier, openSignedSnapshot } from '@hutong/verifier-sdk';
import { HONG_KONG_CONSORTIUM, parseConsortium } from '../../gateway/src/config/consortium';
import { startFabricConsortium, type RunningFabricConsortium } from '../../gateway/src/consortium/start-fabric-consortium';
import { call, eventually, healthCode, startFabricHarness, type FabricHarness } from '../e2e/harness';
import { describeFabric, killOnExit } from './test-network';

const repoRoot = resolve(__dirname, '..', '..');
const GD = 'GuangdongMSP';
const MO = 'MacauMSP';
const HK = 'HongKongMSP';

describeFabric('Hong Kong joins the live channel', () => {
  let h: FabricHarness;
  let three: RunningFabricConsortium | undefined;
  let backend: LedgerBackend | undefined;
  const ledgers: Ledger[] = [];
  const before: { gd?: string; mo?: string } = {};
  const url = (org: string) => three!.gateways.get(org)!.url;
  const token = (org: string, role: 'issuer' | 'checkpoint' | 'auditor' | 'admin') => three!.tokens.get(org)![role];
  const as = async (mspId: string, role: 'admin' | 'client'): Promise<Ledger> => {
    const l = await backend!.connect({ mspId, role });
    ledgers.push(l);
    return l;
  };
  const issue = (org: string, issuerId?: string) =>
    call('POST', `${url(org)}/v1/credentials`, { token: token(org, 'issuer'), body: healthCode(issuerId ? { issuerId } : {}) });
  const verifyAt = (org: string, qr: string) => call('POST', `${url(org)}/v1/verifications`, { token: token(org, 'checkpoint'), body: { qr } });

  beforeAll(async () => {
    h = await startFabricHarness();
    for (const [org, key] of [['guangdong', 'gd'], ['macau', 'mo']] as const) {
      const issued = await call('POST', `${h.url(org)}/v1/credentials`, { token: h.token(org, 'issuer'), body: healthCode(org === 'macau' ? { issuerId: 'mo-health-bureau' } : {}) });
      expect(issued.status).toBe(201);
      before[key] = issued.body.qr as string;
    }
    // The two-organisation gateways stop; the network and their data stay.
    await h.consortium.close();
    const t0 = Date.now();
    three = await startFabricConsortium({
      consortium: parseConsortium(HONG_KONG_CONSORTIUM, 'demo-hongkong'),
      home: h.home,
      repoRoot,
      network: { dir: h.network.plan.dir },
      ephemeralPorts: true,
      logLevel: 'info',
      overrides: () => ({ issuance: { maxDelayMs: 5, commitWaitMs: 5000 } }),
    });
    for (const g of three.gateways.values()) killOnExit(g.pid);
    const progress = readProgress(h.network.plan.dir, 'hongkong')!;
    console.log(`add-org hongkong: ${progress.seconds!.toFixed(2)} s; add-org + governance + Hong Kong's issuer and policies + three gateways ready: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const plan = (await up({ dir: h.network.plan.dir, repoRoot, log: () => undefined })).plan;
    backend = newFabricLedger({ profiles: plan.orgs.map((o) => readConnectionProfile(profilePath(plan, o.name))) });
  }, 300_000);

  afterAll(async () => {
    for (const l of ledgers) await l.close();
    await backend?.close();
    await three?.close();
    await h?.dispose();
  }, 60_000);

  it('joins by add-org and by governance: the channel has three organisations, the consortium three active members', async () => {
    const progress = readProgress(h.network.plan.dir, 'hongkong')!;
    expect(progress).toMatchObject({ action: 'add', mspId: HK, sequence: 2, completedAt: expect.any(String) });
    expect(Object.keys(progress.steps)).toEqual([
      'crypto material', 'channel config: org added', 'peer started', 'peer joined', 'anchor peer set', 'chaincode installed',
      'chaincode server started', 'chaincode definition', 'endorsers discoverable', 'connection profile',
    ]);
    expect(three!.bootstrapActions).toEqual(expect.arrayContaining([`ProposeMembershipChange add ${HK}`, `ApproveMembershipChange ${HK} by ${MO}`, `ApproveIssuer hk-health by ${GD}`, `ApproveIssuer hk-health by ${MO}`]));
    const consortium = await (await as(HK, 'client')).evaluate<Consortium>('GetConsortium', {});
    expect(consortium.members.map((m) => [m.mspId, m.state ?? 'active'])).toEqual([[GD, 'active'], [HK, 'active'], [MO, 'active']]);
    const history = await (await as(MO, 'client')).evaluate<HistoryEntry[]>('GetHistory', { record: 'membership', mspId: HK });
    expect(history.map((e) => (e.value as { state: string }).state)).toEqual(['open', 'enacted']);
  });

  it('credentials issued before Hong Kong joined still verify, at Macau, Guangdong and Hong Kong', async () => {
    for (const [qr, at] of [[before.gd!, 'macau'], [before.gd!, 'hongkong'], [before.mo!, 'guangdong'], [before.mo!, 'hongkong']] as const) {
      expect([at, (await verifyAt(at, qr)).body.decision]).toEqual([at, 'ACCEPT']);
    }
  });

  it('Hong Kong issues and Macau and Guangdong verify; Macau issues and Hong Kong verifies', async () => {
    const hk = await issue('hongkong', 'hk-health');
    expect(hk.status).toBe(201);
    expect((await verifyAt('macau', hk.body.qr)).body).toMatchObject({ decision: 'ACCEPT' });
    expect((await verifyAt('guangdong', hk.body.qr)).body).toMatchObject({ decision: 'ACCEPT' });
    const mo = await issue('macau', 'mo-health-bureau');
    expect((await verifyAt('hongkong', mo.body.qr)).body).toMatchObject({ decision: 'ACCEPT' });
  });

  it('with three organisations, Macau’s peer killed with SIGKILL no longer stops issuance: Guangdong and Hong Kong endorse', async () => {
    const table = new ProcessTable(h.network.plan.dir);
    const victim = table.get('peer0.macau')!;
    process.kill(victim.pid, 'SIGKILL');
    while (isRunning(victim)) await new Promise((r) => setTimeout(r, 20));
    try {
      // Discovery may still offer Macau's peer for a moment: the first issuances may go to the outbox (503).
      const issued = await eventually(() => issue('guangdong'), (r) => r.status === 201, 30_000, 200);
      const gd = await as(GD, 'client');
      const tx = await gd.getTransaction(issued.body.anchor.txId as string);
      expect(tx).toMatchObject({ txName: 'AnchorBatch', validationCode: 'VALID', endorsedBy: [GD, HK] });
      expect((await verifyAt('hongkong', issued.body.qr)).body).toMatchObject({ decision: 'ACCEPT' });
    } finally {
      await up({ dir: h.network.plan.dir, repoRoot, log: () => undefined });
    }
  }, 120_000);

  it('a transaction endorsed by Guangdong alone is refused: ENDORSEMENT_POLICY_FAILURE, nothing written', async () => {
    const profile = readConnectionProfile(profilePath(h.network.plan, 'guangdong'));
    const client = newGrpcClient(profile.peers[0]!);
    const gateway = newGatewayConnection(profile, 'client', client);
    try {
      const contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
      const { kid } = (await (await as(GD, 'client')).evaluate<{ keys: Array<{ kid: string }> }>('GetIssuer', { issuerId: 'gd-health-code' })).keys[0]!;
      const root = randomBytes(32).toString('hex');
      const proposal = contract.newProposal('AnchorBatch', { arguments: [JSON.stringify({ issuerId: 'gd-health-code', kid, root, leafCount: 1 })], endorsingOrganizations: [GD] });
      const endorsed = await proposal.endorse();
      const status = await (await endorsed.submit()).getStatus();
      expect(status).toMatchObject({ successful: false, code: 10 }); // TxValidationCode.ENDORSEMENT_POLICY_FAILURE
      await expect((await as(MO, 'client')).evaluate('GetAnchor', { root })).rejects.toMatchObject({ code: 'ANCHOR_NOT_FOUND' });
    } finally {
      gateway.close();
      client.close();
    }
  });

  it('measures the issuance rate with three organisations (printed, not asserted)', async () => {
    // Anchors straight on the ledger, 16 in flight: committed transactions per second, each endorsed by two of three.
    const gd = await as(GD, 'client');
    const { kid } = (await gd.evaluate<{ keys: Array<{ kid: string }> }>('GetIssuer', { issuerId: 'gd-health-code' })).keys[0]!;
    const total = 96;
    let next = 0;
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < total) {
        next++;
        await gd.submit('AnchorBatch', { issuerId: 'gd-health-code', kid, root: randomBytes(32).toString('hex'), leafCount: 1 });
      }
    }));
    const ledgerRate = total / ((Date.now() - t0) / 1000);
    // Credentials through Guangdong's gateway, 8 clients: the gateway batches them into anchors.
    const credentials = 64;
    let sent = 0;
    const t1 = Date.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (sent < credentials) {
        sent++;
        expect((await issue('guangdong')).status).toBe(201);
      }
    }));
    const gatewayRate = credentials / ((Date.now() - t1) / 1000);
    console.log(`three organisations: ${ledgerRate.toFixed(1)} AnchorBatch tx/s committed (16 in flight, ${total} tx); ${gatewayRate.toFixed(1)} credentials/s through Guangdong's gateway (8 clients, ${credentials} credentials)`);
    expect(ledgerRate).toBeGreaterThan(0);
  }, 120_000);

  it('Hong Kong removed by governance: its issuers unrecognised from the effective time, not before; remove-org; history intact', async () => {
    const hk = await issue('hongkong', 'hk-health');
    expect(hk.status).toBe(201);
    await (await as(MO, 'admin')).submit('ProposeMembershipChange', { action: 'remove', mspId: HK });
    const { result } = await (await as(GD, 'admin')).submit<{ state: string; enactedAt: string }>('ApproveMembershipChange', { mspId: HK });
    expect(result.state).toBe('enacted');
    const removedAt = Date.parse(result.enactedAt);

    // Macau's gateway learns it from the chaincode event: from then on Hong Kong's credentials are refused.
    const refused = await eventually(() => verifyAt('macau', hk.body.qr), (r) => r.body.reason === 'ISSUER_INACTIVE', 10_000, 100);
    expect(refused.body.decision).toBe('REJECT');
    // The signed snapshot says when: an offline verification before that instant accepts, at or after it refuses.
    const snap = await call('GET', `${url('macau')}/v1/trust/snapshot`, { token: token('macau', 'checkpoint') });
    const keys = await call('GET', `${url('macau')}/v1/trust/snapshot-keys`);
    const trust = await openSignedSnapshot(snap.body.jws, { jwks: keys.body, jurisdiction: MO });
    expect(trust.issuers.find((i) => i.id === 'hk-health')?.recognisedUntil).toBe(result.enactedAt);
    const offline = newVerifier({ trust, jurisdiction: MO });
    expect((await offline.verify(hk.body.qr, { now: new Date(removedAt - 1) })).reason).toBe('ACCEPTED');
    expect((await offline.verify(hk.body.qr, { now: new Date(removedAt) })).reason).toBe('ISSUER_INACTIVE');
    expect((await verifyAt('macau', before.gd!)).body.decision).toBe('ACCEPT');

    // Off the channel: Hong Kong's gateway stops first (by PID), then remove-org.
    const hkGateway = three!.gateways.get('hongkong')!;
    await stopProcess({ name: 'hongkong', pid: hkGateway.pid, match: 'gateway', log: hkGateway.log, startedAt: '' }, 10_000);
    three!.gateways.delete('hongkong');
    const removed = await h.network.removeOrg('hongkong');
    console.log(`remove-org hongkong: ${removed.seconds.toFixed(2)} s`);
    expect(removed.plan.orgs.map((o) => o.mspId)).toEqual([GD, MO]);
    expect(new ProcessTable(h.network.plan.dir).all().map((r) => r.name).filter((n) => n.endsWith('hongkong'))).toEqual([]);

    // The ledger's history is intact: Hong Kong's issuer, its anchors and the membership rounds stay readable.
    const mo = await as(MO, 'client');
    expect(await mo.evaluate('GetAnchor', { root: hk.body.root })).toMatchObject({ issuerId: 'hk-health' });
    expect((await mo.evaluate<Consortium>('GetConsortium', {})).members.find((m) => m.mspId === HK)).toMatchObject({ state: 'removed', removedAt: result.enactedAt });
    const rounds = await mo.evaluate<HistoryEntry[]>('GetHistory', { record: 'membership', mspId: HK });
    expect(rounds.map((e) => `${(e.value as { action: string }).action}/${(e.value as { state: string }).state}`)).toEqual(['add/open', 'add/enacted', 'remove/open', 'remove/enacted']);
    // Two organisations again: Guangdong issues, Macau verifies.
    const after = await eventually(() => issue('guangdong'), (r) => r.status === 201, 30_000, 200);
    expect((await verifyAt('macau', after.body.qr)).body.decision).toBe('ACCEPT');
  }, 120_000);
});
