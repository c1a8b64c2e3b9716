/**
 * The seed-scale simulation's per-day shape on a real Fabric network (where a Fabric home exists), reduced so that it
 * fits the test run: 1/1000 of a day's volume (37 anchors of 4,096 leaves, 150 revocations with inclusion proofs, a
 * policy update and a key rotation proposed and approved), 4 compressed days of 3 s, written through the Fabric
 * ledger interface (both organisations' admins) while each organisation's gateway runs in its own process. Checks that
 * every write commits, that the gateways follow (their caches count the records), that the fixed live credentials
 * verify ACCEPT at the end and after Macau's gateway restarts, and — once AnchorBatch takes `notAfter` — that the
 * records held stay bounded. RSS per gateway process, records per day and restart-to-ready are printed.
 */
import { readFileSync } from 'node:fs';
import { inputs } from '@hutong/chaincode/domain';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { newFabricLedger } from '@hutong/ledger/fabric';
import { call, startFabricHarness, type FabricHarness } from '../e2e/harness';
import { describeFabric } from '../fabric/test-network';
import { newScaleHistory } from '../bench/scale-history.mjs';

const DAYS = 4;
const DAY_SECONDS = 3;
const PER_DAY = { anchors: 37, revocations: 150 };
const PRUNING = 'notAfter' in inputs.AnchorBatchInput.shape;
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

async function records(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^hutong_trust_cache_records\{([^}]*)\} (\S+)$/gm)) {
    const type = /type="([^"]+)"/.exec(m[1]!)?.[1];
    if (type) out[type] = Number(m[2]);
  }
  return out;
}

describeFabric('seed-scale simulation on Fabric (reduced)', () => {
  let h: FabricHarness;
  let backend: LedgerBackend;
  let gd: Ledger;
  let mo: Ledger;
  const days: Array<{ day: number; anchors: number; revocations: number; anchorFailures: number; revocationFailures: number; ms: number; records: Record<string, number>; rss: Record<string, number> }> = [];
  let notAfterSupported = false;
  let qrs: string[] = [];

  beforeAll(async () => {
    h = await startFabricHarness();
    backend = newFabricLedger({ profiles: h.network.profiles });
    gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'admin' });
    mo = await backend.connect({ mspId: 'MacauMSP', role: 'admin' });
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials/bulk`, {
      token: h.token('guangdong', 'issuer'),
      body: { credentials: Array.from({ length: 16 }, (_, i) => ({ issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', holder: { name: `Scale Holder ${i}`, documentType: 'HRP', documentNumber: `H${30_000_000 + i}` }, validitySeconds: 86_400 })) },
    });
    expect(issued.status).toBe(201);
    qrs = issued.body.credentials.map((c: { qr: string }) => c.qr);
    const history = newScaleHistory(gd, mo);
    notAfterSupported = (await history.setup()).notAfterSupported;
    for (let day = 1; day <= DAYS; day++) {
      const start = Date.now();
      const w = await history.writeDay({ day, ...PER_DAY, daySeconds: DAY_SECONDS, graceSeconds: 600 });
      const left = DAY_SECONDS * 1000 - (Date.now() - start);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      const rss: Record<string, number> = {};
      for (const [name, g] of h.consortium.gateways) rss[name] = Math.round(rssMb(g.pid));
      days.push({ ...w, records: await records(h.url('macau')), rss });
    }
    console.log(`Fabric, ${DAYS} days × (${PER_DAY.anchors} anchors + ${PER_DAY.revocations} revocations + 3), D = ${DAY_SECONDS} s, notAfter ${notAfterSupported ? 'sent' : 'not accepted'}:\n` +
      days.map((d) => `day ${d.day}: wrote ${d.anchors + d.revocations + 3} tx in ${d.ms} ms; Macau holds ${d.records['anchor']} anchors, ${d.records['revocation']} revocations; RSS ${JSON.stringify(d.rss)} MB`).join('\n'));
  }, 170_000);

  afterAll(async () => {
    await gd?.close();
    await mo?.close();
    await backend?.close();
    await h?.dispose();
  }, 60_000);

  it('every anchor and revocation of every day commits on Fabric, and the gateways follow them', async () => {
    expect(days).toHaveLength(DAYS);
    for (const d of days) expect(d).toMatchObject({ ...PER_DAY, anchorFailures: 0, revocationFailures: 0 });
    // Macau's cache saw the last day's revocations (its follower is at most a few blocks behind).
    const last = await records(h.url('macau'));
    expect(last['revocation']).toBeGreaterThanOrEqual(PER_DAY.revocations);
  });

  it('the fixed live credentials verify ACCEPT, and again after Macau\'s gateway restarts', async () => {
    const decide = async () => Promise.all(qrs.map(async (qr) => (await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } })).body.decision));
    expect(new Set(await decide())).toEqual(new Set(['ACCEPT']));
    const t0 = performance.now();
    await h.consortium.restart('macau');
    while ((await fetch(`${h.url('macau')}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
    console.log(`Fabric: Macau's gateway restart → ready in ${Math.round(performance.now() - t0)} ms; RSS after ${Math.round(rssMb(h.consortium.gateways.get('macau')!.pid))} MB; holds ${JSON.stringify(await records(h.url('macau')))}`);
    expect(new Set(await decide())).toEqual(new Set(['ACCEPT']));
  }, 60_000);

  (PRUNING ? it : it.skip)(
    PRUNING
      ? 'records held stay bounded: past days\' anchors and revocations are pruned'
      : 'records held stay bounded (SKIPPED: this chaincode\'s AnchorBatch has no notAfter, so nothing can be pruned yet)',
    () => {
      expect(notAfterSupported).toBe(true);
      const last = days.at(-1)!.records;
      expect(last['anchor']).toBeLessThanOrEqual(4 * PER_DAY.anchors + 10);
      expect(last['revocation']).toBeLessThanOrEqual(4 * PER_DAY.revocations);
    },
  );
});
