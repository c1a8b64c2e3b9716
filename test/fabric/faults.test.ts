/**
 * Faults on the real network, each process killed with SIGKILL by its own PID: the gateways (one process per
 * organisation) keep every write they acknowledged. An acknowledgement is a 201 (committed), a 202 (revocation in the
 * durable outbox) or a 503 carrying an outbox id (anchor in the durable outbox); each test proves every acknowledged
 * write is on the ledger afterwards, exactly once (its transaction VALID, its root anchored once).
 */
import { resolve } from 'node:path';
import type { Anchor, Page } from '@hutong/chaincode/domain';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger } from '@hutong/ledger/fabric';
import { isRunning, ProcessTable, up } from '@hutong/network';
import { call, eventually, healthCode, startFabricHarness, type FabricHarness, type JsonResponse } from '../e2e/harness';
import { describeFabric, killOnExit } from './test-network';

const repoRoot = resolve(__dirname, '..', '..');

describeFabric('faults on the real network', () => {
  let h: FabricHarness;
  let backend: LedgerBackend;
  let ledger: Ledger;
  let guangdongLedger: Ledger;
  const gd = () => h.url('guangdong');
  const mo = () => h.url('macau');
  const issuer = () => h.token('guangdong', 'issuer');

  beforeAll(async () => {
    h = await startFabricHarness({ overrides: () => ({ issuance: { maxDelayMs: 5, commitWaitMs: 2500 } }) });
    backend = newFabricLedger({ profiles: h.network.profiles });
    ledger = await backend.connect({ mspId: 'MacauMSP', role: 'client' });
    guangdongLedger = await backend.connect({ mspId: 'GuangdongMSP', role: 'client' });
  }, 120_000);

  afterAll(async () => {
    await guangdongLedger?.close();
    await ledger?.close();
    await backend?.close();
    await h?.dispose();
  }, 60_000);

  async function kill(name: string): Promise<void> {
    const record = new ProcessTable(h.network.plan.dir).get(name)!;
    process.kill(record.pid, 'SIGKILL');
    while (isRunning(record)) await new Promise((r) => setTimeout(r, 20));
  }
  const restartNetwork = () => up({ dir: h.network.plan.dir, repoRoot, log: () => undefined });

  /**
   * Every acknowledged issuance, proved on the ledger: its anchor transaction VALID and endorsed by both
   * organisations, and among the issuer's anchors exactly once (no root anchored twice).
   */
  async function proveAnchored(acknowledged: JsonResponse[]): Promise<number> {
    const txIds = new Set<string>();
    for (const r of acknowledged) {
      if (r.status === 201) {
        for (const c of (r.body.credentials ?? [r.body]) as Array<{ anchor: { txId: string } }>) txIds.add(c.anchor.txId);
      } else {
        const id = r.body.details.outboxId as string;
        const entry = await eventually(() => call('GET', `${gd()}/v1/outbox/${id}`, { token: issuer() }), (e) => e.body.state !== 'pending', 30_000, 200);
        expect(entry.body).toMatchObject({ state: 'committed', kind: 'anchor' });
        txIds.add(entry.body.evidence.txId as string);
      }
    }
    // Read at Macau's peer once it holds every block Guangdong's has (a restarted peer catches up from the orderer).
    const target = await guangdongLedger.height();
    await eventually(() => ledger.height().catch(() => 0), (n) => n >= target, 20_000, 100);
    const anchors: Anchor[] = [];
    let bookmark = '';
    do {
      const page = await ledger.evaluate<Page<Anchor>>('ListAnchors', { issuerId: 'gd-health-code', pageSize: 100, bookmark });
      anchors.push(...page.items);
      bookmark = page.bookmark;
    } while (bookmark !== '');
    expect(new Set(anchors.map((a) => a.root)).size).toBe(anchors.length);
    for (const txId of txIds) {
      expect(anchors.filter((a) => a.txId === txId)).toHaveLength(1);
      expect(await ledger.getTransaction(txId)).toMatchObject({ txName: 'AnchorBatch', validationCode: 'VALID', endorsedBy: ['GuangdongMSP', 'MacauMSP'] });
    }
    return txIds.size;
  }

  const acknowledged = (r: JsonResponse) => r.status === 201 || (r.status === 503 && r.body.code === 'LEDGER_UNAVAILABLE' && typeof r.body.details?.outboxId === 'string');

  it('Macau’s peer killed during bulk issuance: coded 503s or the outbox while down, everything acknowledged committed once after its restart', async () => {
    const bulk = (i: number) => call('POST', `${gd()}/v1/credentials/bulk`, {
      token: issuer(),
      body: { credentials: Array.from({ length: 20 }, (_, j) => healthCode({ holder: { name: `Holder ${i}-${j}`, documentType: 'HRP', documentNumber: `H${20000000 + i * 100 + j}` } })) },
    });
    const inFlight = Array.from({ length: 6 }, (_, i) => bulk(i));
    // Killed mid-way: once the first batch has an answer (or after 2 s), while the others are still in flight.
    await Promise.race([Promise.race(inFlight), new Promise((r) => setTimeout(r, 2000))]);
    await kill('peer0.macau');
    const whileDown = await bulk(99);
    const responses = [...(await Promise.all(inFlight)), whileDown];
    for (const r of responses) expect(acknowledged(r)).toBe(true);
    expect(whileDown.status).toBe(503);
    await restartNetwork();
    expect(await proveAnchored(responses)).toBeGreaterThan(0);
    // Every acknowledged credential that was handed out verifies at Macau.
    const qrs = responses.filter((r) => r.status === 201).flatMap((r) => (r.body.credentials as Array<{ qr: string }>).map((c) => c.qr));
    expect(qrs.length).toBeGreaterThan(0);
    const verified = await eventually(
      () => call('POST', `${mo()}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs } }),
      (r) => r.status === 200 && (r.body.results as Array<{ decision: string }>).every((x) => x.decision === 'ACCEPT'), 20_000, 250,
    );
    expect(verified.body.results).toHaveLength(qrs.length);
  }, 120_000);

  it('the orderer killed during issuance: the same guarantees once it is back', async () => {
    const inFlight = Array.from({ length: 4 }, () => call('POST', `${gd()}/v1/credentials`, { token: issuer(), body: healthCode() }));
    await new Promise((r) => setTimeout(r, 100));
    await kill('orderer0.guangdong');
    const whileDown = await call('POST', `${gd()}/v1/credentials`, { token: issuer(), body: healthCode() });
    const responses = [...(await Promise.all(inFlight)), whileDown];
    for (const r of responses) expect(acknowledged(r)).toBe(true);
    expect(whileDown).toMatchObject({ status: 503, body: { code: 'LEDGER_UNAVAILABLE' } });
    await restartNetwork();
    expect(await proveAnchored(responses)).toBeGreaterThan(0);
  }, 120_000);

  it('the chaincode server killed: the next request fails coded, then issuance recovers when it returns', async () => {
    await kill('chaincode.macau');
    const refused = await call('POST', `${gd()}/v1/credentials`, { token: issuer(), body: healthCode() });
    expect(refused).toMatchObject({ status: 503, body: { code: 'LEDGER_UNAVAILABLE' } });
    await restartNetwork();
    const issued = await eventually(() => call('POST', `${gd()}/v1/credentials`, { token: issuer(), body: healthCode() }), (r) => r.status === 201, 20_000, 250);
    expect(issued.status).toBe(201);
    expect(await proveAnchored([refused, issued])).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('Macau’s gateway killed; Guangdong revokes while it is down; restarted, it resumes from its checkpoint and rejects at once', async () => {
    const issued = await call('POST', `${gd()}/v1/credentials`, { token: issuer(), body: healthCode() });
    expect(issued.status).toBe(201);
    const verify = () => call('POST', `${mo()}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr } });
    expect((await eventually(verify, (r) => r.body.decision === 'ACCEPT', 10_000)).body.decision).toBe('ACCEPT');
    const macau = h.consortium.gateways.get('macau')!;
    process.kill(macau.pid, 'SIGKILL');
    const revoked = await call('POST', `${gd()}/v1/revocations`, { token: issuer(), body: { issuerId: 'gd-health-code', qr: issued.body.qr, reason: 'status-change' } });
    expect(revoked.status).toBe(201);
    const restarted = await h.consortium.restart('macau');
    killOnExit(restarted.pid);
    // The first answer after /readyz says ready: the revocation it missed while down is already known.
    const first = await verify();
    expect(first.body).toMatchObject({ decision: 'REJECT', reason: 'CREDENTIAL_REVOKED' });
    expect(await ledger.getTransaction(revoked.body.evidence.txId as string)).toMatchObject({ txName: 'RevokeCredential', validationCode: 'VALID' });
  }, 120_000);
});
