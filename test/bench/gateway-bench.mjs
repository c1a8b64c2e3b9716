// Gateway benchmarks on the built dist, loopback only, bounded in count and time. Each gateway consortium runs in
// its own child process (`npm start` entry, embedded ledger); this process is only the load generator.
// Writes bench-results/gateway.json and prints a table against the issue's targets (2 cores).
//   node test/bench/gateway-bench.mjs [--quick] [--rounds=N] [--cpu-prof]
// --rounds: alone/mixed rounds of the mixed-load comparison (default 4; more rounds = a longer run of writes, to see
// whether verification latency drifts as the trust state and the outbox grow). --cpu-prof: the gateway processes
// run under `node --cpu-prof`, profiles in bench-results/profiles/ (open them in Chrome DevTools).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { requireBuild, ROOT, startConsortiumProcess } from './consortium-process.mjs';
import { closeConnections, load, paced, percentile, request, summary } from './load-generator.mjs';

const QUICK = process.argv.includes('--quick');
const PHASE_MS = QUICK ? 1500 : 5000;
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? (QUICK ? 1 : 4));
const CPU_PROF = process.argv.includes('--cpu-prof');
// `--ledger fabric`: the same measurements with each gateway in its own process on a real dev network.
const LEDGER = process.argv.includes('--ledger') ? process.argv[process.argv.indexOf('--ledger') + 1] : 'embedded';
if (LEDGER !== 'embedded' && LEDGER !== 'fabric') throw new Error(`--ledger takes embedded or fabric, not ${LEDGER}`);
requireBuild();
const startConsortium = (label, env = {}) => startConsortiumProcess(label, { env, cpuProf: CPU_PROF, ledger: LEDGER });

let serial = 0;
function holder() {
  serial++;
  return { name: `Bench Holder ${serial}`, documentType: 'HRP', documentNumber: `H${String(10_000_000 + serial)}` };
}
const credential = (issuerId = 'gd-health-code') => ({ issuerId, credentialType: 'health-code', status: 'green', holder: holder(), validitySeconds: 86_400 });

/** `n` credentials of Guangdong's issuer, or of Macau's (`org: 'mo'`), issued at their own gateway in one request. */
async function issueBulk(c, n, org = 'gd') {
  const issuerId = org === 'gd' ? 'gd-health-code' : 'mo-health-bureau';
  const r = await request('POST', `${c[org].url}/v1/credentials/bulk`, c[org].tokens.issuer, { credentials: Array.from({ length: n }, () => credential(issuerId)) });
  if (r.status !== 201) throw new Error(`bulk issuance failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.credentials;
}

// The load generator (this process, autocannon included) runs on the same machine as the gateways and competes with
// them for its cores; the load average before the run shows whether anything else was competing too.
/**
 * A verification-only gateway of `org` beside a Fabric consortium started by startConsortiumProcess: the org's own
 * configuration file with `serves: "verification"`, its own data directory and an ephemeral port.
 */
async function startCheckpointProcess(home, org) {
  const config = JSON.parse(readFileSync(join(home, org, 'gateway.config.json'), 'utf8'));
  const dir = join(home, `${org}-checkpoint`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'gateway.config.json');
  writeFileSync(file, JSON.stringify({ ...config, serves: 'verification', dataDir: join(dir, 'data'), http: { ...config.http, port: 0 } }));
  const child = spawn(process.execPath, [join(ROOT, 'gateway/dist/cli/gateway.js'), '--config', file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the checkpoint process did not start: ${err}`)), 60_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /gateway: (https?:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the checkpoint process exited (${code}): ${err}`)); });
  });
  child.stderr.resume();
  return {
    url, pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const results = {
  machine: {
    cpus: os.cpus().length, availableParallelism: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, node: process.version,
    loadAverage1mBefore: Math.round(os.loadavg()[0] * 100) / 100, loadGeneratorSharesMachine: true,
    gatewayWorkers: process.env.HUTONG_WORKERS ?? `default (${os.availableParallelism()})`,
  },
  quick: QUICK, ledger: LEDGER, startedAt: new Date().toISOString(),
};

const main = await startConsortium('main');
try {
  // ---- verification, caches warm ----
  const corpus = [];
  for (let i = 0; i < (QUICK ? 1 : 4); i++) corpus.push(...(await issueBulk(main, 500)).map((c) => c.qr));
  const verifyUrl = `${main.mo.url}/v1/verifications`;
  for (let i = 0; i < 200; i++) await request('POST', verifyUrl, main.mo.tokens.checkpoint, { qr: corpus[i % corpus.length] });
  // Single verifications: autocannon (a lean client, so the numbers are the server's, not the load generator's).
  let next = 0;
  const singleVerifications = async (url, ms) => {
    const ac = await autocannon({
      url, method: 'POST', connections: 32, duration: ms / 1000, maxOverallRequests: 200_000,
      headers: { authorization: `Bearer ${main.mo.tokens.checkpoint}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ qr: corpus[next++ % corpus.length] }) }) }],
    });
    return {
      client: 'autocannon', connections: 32, count: ac.requests.total, seconds: ac.duration, perSecond: ac.requests.total / ac.duration,
      p50: ac.latency.p50, p99: ac.latency.p99, failures: ac.non2xx + ac.errors + ac.timeouts,
    };
  };
  results.verifySingle = await singleVerifications(verifyUrl, PHASE_MS);
  // Does the lean path (http/fast-path.ts) earn its place? The same route through Express (a trailing slash is
  // Express's), interleaved with the lean path in one run: fast, Express, fast, Express.
  const lean = [], viaExpress = [];
  for (let i = 0; i < 2; i++) {
    lean.push(await singleVerifications(verifyUrl, PHASE_MS / 2));
    viaExpress.push(await singleVerifications(`${verifyUrl}/`, PHASE_MS / 2));
  }
  const mean = (xs, k) => xs.reduce((n, x) => n + x[k], 0) / xs.length;
  results.fastPath = {
    leanPerSecond: mean(lean, 'perSecond'), expressPerSecond: mean(viaExpress, 'perSecond'),
    leanP99: mean(lean, 'p99'), expressP99: mean(viaExpress, 'p99'),
    ratio: mean(lean, 'perSecond') / mean(viaExpress, 'perSecond'),
    failures: [...lean, ...viaExpress].reduce((n, x) => n + x.failures, 0),
  };
  const probe = await request('POST', verifyUrl, main.mo.tokens.checkpoint, { qr: corpus[0] });
  if (probe.body?.reason !== 'ACCEPTED') throw new Error(`verification corpus not accepted: ${probe.body?.reason}`);

  const BATCH = 500;
  const batches = [];
  for (let i = 0; i + BATCH <= corpus.length; i += BATCH) batches.push(corpus.slice(i, i + BATCH));
  const batch = await load({
    concurrency: 4, maxCount: 10_000, maxMs: PHASE_MS,
    op: async (i) => {
      const r = await request('POST', `${main.mo.url}/v1/verifications/batch`, main.mo.tokens.checkpoint, { qrs: batches[i % batches.length] });
      return r.status === 200 && r.body.results.every((x) => x.reason === 'ACCEPTED');
    },
  });
  results.verifyBatch = { ...batch, batchSize: BATCH, concurrency: 4, credentialsPerSecond: batch.perSecond * BATCH };

  // ---- issuance, batched (bulk requests, one anchor per batch) ----
  // Eight bulk requests in flight: an issuing office's systems upload while earlier batches commit (on Fabric a
  // commit takes ~230 ms, the orderer's batch timeout; with four in flight the test measured that wait, not capacity).
  const BULK = 1000;
  const IN_FLIGHT = 8;
  const issued = await load({
    concurrency: IN_FLIGHT, maxCount: QUICK ? 8 : 80, maxMs: PHASE_MS,
    op: async () => (await issueBulk(main, BULK)).length === BULK,
  });
  results.issuanceBatched = { ...issued, requestSize: BULK, concurrency: IN_FLIGHT, credentialsPerSecond: issued.perSecond * BULK };

  // ---- revocation propagation Guangdong → Macau ----
  const victims = await issueBulk(main, QUICK ? 10 : 40);
  const delays = [];
  for (const v of victims) {
    const t0 = performance.now();
    const r = await request('POST', `${main.gd.url}/v1/revocations`, main.gd.tokens.issuer, { issuerId: 'gd-health-code', qr: v.qr, reason: 'status-change' });
    if (r.status !== 201 && r.status !== 202) throw new Error(`revocation failed: ${r.status}`);
    for (;;) {
      const seen = await request('POST', verifyUrl, main.mo.tokens.checkpoint, { qr: v.qr });
      if (seen.body?.reason === 'CREDENTIAL_REVOKED') break;
      if (performance.now() - t0 > 10_000) throw new Error('revocation not visible at Macau within 10 s');
      await new Promise((res) => setTimeout(res, 2));
    }
    delays.push(performance.now() - t0);
  }
  delays.sort((a, b) => a - b);
  results.revocationPropagation = { samples: delays.length, p50: percentile(delays, 50), p95: percentile(delays, 95), max: delays[delays.length - 1] };
} finally {
  await main.stop();
}

// ---- issuance, one transaction per credential (same run, its own consortium) ----
const unbatched = await startConsortium('one-tx', { HUTONG_MAX_LEAVES: '1' });
try {
  const one = await load({
    concurrency: 32, maxCount: 100_000, maxMs: PHASE_MS,
    op: async () => (await request('POST', `${unbatched.gd.url}/v1/credentials`, unbatched.gd.tokens.issuer, credential())).status === 201,
  });
  results.issuanceOneTxPerCredential = { ...one, concurrency: 32, credentialsPerSecond: one.perSecond };
} finally {
  await unbatched.stop();
}
results.issuanceRatio = results.issuanceBatched.credentialsPerSecond / results.issuanceOneTxPerCredential.credentialsPerSecond;

// ---- verification alone and under mixed load (same consortium, interleaved rounds) ----
// A checkpoint's latency should not depend on the other traffic of its gateway. Macau's gateway gets verifications
// at a steady rate (open loop: a slow answer does not slow the offered load), alone, and then together with single
// issuance and revocation requests of Macau's own issuer at 3/7 of that rate (70 % / 30 % of the requests): 500
// requests/s in all, a busy gateway well below saturation. Rounds alternate, so both see the same machine and the
// same, growing, trust state and outbox; the table gives the median of the rounds' p99 ratios.
// On Fabric every write is a transaction endorsed by both organisations; this 2-core machine, also running the
// network, both gateways and the load generator, commits ~50 of them per second. Offering more only measures a
// growing backlog (the 2026-11-29 run: 150/s offered, 48/s answered, verification p99 5.9 s), so on Fabric the
// writes are offered at a rate the network keeps up with: what a checkpoint feels is then the writes' own work.
const VERIFY_RATE = 350;
const WRITE_RATE = Number(process.env.HUTONG_BENCH_WRITE_RATE ?? (LEDGER === 'fabric' ? 40 : 150));

const mixedRun = await startConsortium('mixed');
try {
  const mo = mixedRun.mo;
  const corpus = [];
  for (let i = 0; i < 4; i++) corpus.push(...(await issueBulk(mixedRun, 500)).map((c) => c.qr));
  // Macau's own credentials, revoked one by one during the mixed phases (a leaf is revoked once).
  const victims = [];
  // (On Fabric the rounds run three times: as they are, pinned, and against a checkpoint process — see below.)
  const needed = Math.ceil((LEDGER === 'fabric' ? 3 : 1) * ROUNDS * (PHASE_MS / 1000) * (WRITE_RATE / 2) * 1.2);
  while (victims.length < needed) victims.push(...(await issueBulk(mixedRun, Math.min(5000, needed - victims.length), 'mo')).map((c) => c.qr));
  let nextQr = 0;
  let nextVictim = 0;
  const verifications = (ms, at = mo.url) => paced({
    url: `${at}/v1/verifications`, token: mo.tokens.checkpoint, rate: VERIFY_RATE, ms,
    body: () => ({ qr: corpus[nextQr++ % corpus.length] }),
  });
  for (let i = 0; i < 300; i++) await request('POST', `${mo.url}/v1/verifications`, mo.tokens.checkpoint, { qr: corpus[i % corpus.length] });
  await verifications(1000); // warm-up
  // Whose time is it? Macau's gateway's own event-loop delay (prom-client's monitorEventLoopDelay, reset at every
  // scrape) over each phase: if it stays flat while the request p99 grows, the checkpoint waits for the CPU the
  // machine's other processes take (the network's peers, orderer and chaincode on Fabric), not for the gateway's loop.
  const loopLagP99Ms = async (at = mo.url) => {
    const text = await (await globalThis.fetch(`${at}/metrics`)).text();
    const m = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text);
    // prom-client samples every 10 ms (its default precision): a sample counts the interval as well as the delay.
    return m ? Number(m[1]) * 1000 - 10 : NaN;
  };
  /** The rounds, verifications sent to `at` (Macau's gateway, or its verification-only process), writes to Macau's gateway. */
  const mixedRounds = async (at = mo.url) => {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      await loopLagP99Ms(at);
      const alone = summary(await verifications(PHASE_MS, at));
      const loopAlone = await loopLagP99Ms(at);
      const [verify, issuance, revocation] = await Promise.all([
        verifications(PHASE_MS, at),
        paced({
          url: `${mo.url}/v1/credentials`, token: mo.tokens.issuer, rate: WRITE_RATE / 2, ms: PHASE_MS,
          body: () => credential('mo-health-bureau'),
        }),
        paced({
          url: `${mo.url}/v1/revocations`, token: mo.tokens.issuer, rate: WRITE_RATE / 2, ms: PHASE_MS,
          body: () => ({ issuerId: 'mo-health-bureau', qr: victims[nextVictim++ % victims.length], reason: 'status-change' }),
        }),
      ]);
      const mixed = summary(verify);
      const loopMixed = await loopLagP99Ms(at);
      rounds.push({ alone, mixed, issuance: summary(issuance), revocation: summary(revocation), p99Ratio: mixed.p99 / alone.p99, loopLagP99Ms: { alone: loopAlone, mixed: loopMixed } });
    }
    return rounds;
  };
  const rounds = await mixedRounds();
  // On Fabric, the same rounds again with Macau's gateway alone on core 0 and everything else — the network's
  // processes, Guangdong's gateway, this load generator — on core 1 (taskset, by PID): the checkpoint then shares
  // its CPU with its own gateway's write work only, as where each organisation's peers run on their own machines.
  let pinnedRounds;
  let checkpointRounds;
  if (LEDGER === 'fabric' && process.env.HUTONG_BENCH_NO_PIN !== '1') {
    const { gateways, others } = mixedRun.processes();
    const pin = (pid, cpu) => spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
    if (gateways.macau !== undefined && pin(gateways.macau, 0) && [process.pid, gateways.guangdong, ...others].every((pid) => pid === undefined || pin(pid, 1))) {
      pinnedRounds = await mixedRounds();
      // And with the checkpoint in a process of its own (`serves: "verification"`: Macau's configuration, its own
      // trust cache following the ledger, no write routes) on core 0, Macau's full gateway joining the network and
      // Guangdong's gateway on core 1: verifications go to the checkpoint process, the writes to Macau's gateway.
      const cp = await startCheckpointProcess(mixedRun.home, 'macau');
      try {
        // The load generator joins the checkpoint on core 0: on core 1 its timing would measure the writes' CPU.
        if (pin(cp.pid, 0) && pin(gateways.macau, 1) && pin(process.pid, 0)) {
          await verifications(2000, cp.url); // a fresh process: warm it up as the others were
          checkpointRounds = await mixedRounds(cp.url);
        }
      } finally {
        await cp.stop();
      }
    }
  }
  const probe = await request('POST', `${mo.url}/v1/verifications`, mo.tokens.checkpoint, { qr: corpus[0] });
  if (probe.body?.reason !== 'ACCEPTED') throw new Error(`mixed-load corpus not accepted: ${probe.body?.reason}`);
  const ratios = rounds.map((r) => r.p99Ratio);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  results.mixedLoad = {
    verifyRate: VERIFY_RATE, writeRate: WRITE_RATE, phaseMs: PHASE_MS, rounds,
    p99Alone: median(rounds.map((r) => r.alone.p99)), p99Mixed: median(rounds.map((r) => r.mixed.p99)),
    p99Ratio: median(ratios), p99RatioMin: Math.min(...ratios), p99RatioMax: Math.max(...ratios),
    loopLagP99Alone: median(rounds.map((r) => r.loopLagP99Ms.alone)), loopLagP99Mixed: median(rounds.map((r) => r.loopLagP99Ms.mixed)),
  };
  if (checkpointRounds) {
    const cr = checkpointRounds.map((r) => r.p99Ratio);
    results.mixedLoadCheckpointProcess = {
      setup: "verifications to a verification-only Macau gateway process on core 0 with the load generator; writes to Macau's gateway; the network and both full gateways on core 1",
      rounds: checkpointRounds,
      p99Alone: median(checkpointRounds.map((r) => r.alone.p99)), p99Mixed: median(checkpointRounds.map((r) => r.mixed.p99)),
      p99Ratio: median(cr), p99RatioMin: Math.min(...cr), p99RatioMax: Math.max(...cr),
    };
  }
  if (pinnedRounds) {
    const pr = pinnedRounds.map((r) => r.p99Ratio);
    results.mixedLoadPinned = {
      pinning: "Macau's gateway on core 0; the network, Guangdong's gateway and the load generator on core 1", rounds: pinnedRounds,
      p99Alone: median(pinnedRounds.map((r) => r.alone.p99)), p99Mixed: median(pinnedRounds.map((r) => r.mixed.p99)),
      p99Ratio: median(pr), p99RatioMin: Math.min(...pr), p99RatioMax: Math.max(...pr),
      loopLagP99Alone: median(pinnedRounds.map((r) => r.loopLagP99Ms.alone)), loopLagP99Mixed: median(pinnedRounds.map((r) => r.loopLagP99Ms.mixed)),
    };
  }
} finally {
  await mixedRun.stop();
}

const targets = [
  ['verify single, req/s', results.verifySingle.perSecond, '≥ 3,000', (v) => v >= 3000],
  ['verify single, p50 ms', results.verifySingle.p50, '', () => true],
  ['verify single, p99 ms', results.verifySingle.p99, '≤ 20', (v) => v <= 20],
  ['verify single via Express (same run), req/s', results.fastPath.expressPerSecond, '', () => true],
  ['lean path ÷ Express, req/s', results.fastPath.ratio, '', () => true],
  ['verify batch, credentials/s', results.verifyBatch.credentialsPerSecond, '≥ 15,000', (v) => v >= 15000],
  [`verify batch (${results.verifyBatch.batchSize}), p50 ms`, results.verifyBatch.p50, '', () => true],
  [`verify batch (${results.verifyBatch.batchSize}), p99 ms`, results.verifyBatch.p99, '', () => true],
  ['issuance batched, credentials/s committed', results.issuanceBatched.credentialsPerSecond, '≥ 10,000', (v) => v >= 10000],
  ['issuance one tx per credential, /s', results.issuanceOneTxPerCredential.credentialsPerSecond, '', () => true],
  ['issuance batched ÷ one-tx', results.issuanceRatio, '≥ 50×', (v) => v >= 50],
  ['revocation GD → MO visible, p50 ms', results.revocationPropagation.p50, '', () => true],
  ['revocation GD → MO visible, p95 ms', results.revocationPropagation.p95, '≤ 3,000', (v) => v <= 3000],
  [`verify alone (${VERIFY_RATE}/s), p99 ms`, results.mixedLoad.p99Alone, '', () => true],
  [`verify + ${WRITE_RATE}/s writes, p99 ms`, results.mixedLoad.p99Mixed, '', () => true],
  [`verify p99 mixed ÷ alone (${ROUNDS} rounds)`, results.mixedLoad.p99Ratio, '≤ 1.5×', (v) => v <= 1.5],
  ['Macau gateway event-loop delay p99 alone, ms', results.mixedLoad.loopLagP99Alone, '', () => true],
  ['… and with the writes, ms', results.mixedLoad.loopLagP99Mixed, '', () => true],
  ...(results.mixedLoadPinned ? [
    ['pinned: verify alone, p99 ms', results.mixedLoadPinned.p99Alone, '', () => true],
    ['pinned: verify + writes, p99 ms', results.mixedLoadPinned.p99Mixed, '', () => true],
    ['pinned: verify p99 mixed ÷ alone', results.mixedLoadPinned.p99Ratio, '≤ 1.5×', (v) => v <= 1.5],
    ['pinned: event-loop delay p99 with the writes, ms', results.mixedLoadPinned.loopLagP99Mixed, '', () => true],
  ] : []),
  ...(results.mixedLoadCheckpointProcess ? [
    ['checkpoint process: verify alone, p99 ms', results.mixedLoadCheckpointProcess.p99Alone, '', () => true],
    ['checkpoint process: verify + writes, p99 ms', results.mixedLoadCheckpointProcess.p99Mixed, '', () => true],
    ['checkpoint process: p99 mixed ÷ alone', results.mixedLoadCheckpointProcess.p99Ratio, '≤ 1.5×', (v) => v <= 1.5],
  ] : []),
];
results.table = targets.map(([metric, value, target, ok]) => ({ metric, value: Math.round(value * 100) / 100, target, met: target === '' ? null : ok(value) }));
results.failures = {
  verifySingle: results.verifySingle.failures, fastPathComparison: results.fastPath.failures, verifyBatch: results.verifyBatch.failures, issuanceBatched: results.issuanceBatched.failures, issuanceOneTx: results.issuanceOneTxPerCredential.failures,
  mixedLoad: results.mixedLoad.rounds.reduce((n, r) => n + r.alone.failures + r.mixed.failures + r.issuance.failures + r.revocation.failures, 0),
};

const outDir = join(ROOT, 'bench-results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, LEDGER === 'fabric' ? 'gateway-fabric.json' : 'gateway.json');
writeFileSync(outFile, JSON.stringify(results, null, 2));

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
console.log(`\nhutong gateway benchmark (${results.machine.cpus} CPUs, ${results.machine.node}${QUICK ? ', quick' : ''}; ${LEDGER === 'fabric' ? 'Fabric dev network, one process per gateway' : 'embedded ledger'}, loopback;`
  + ` load generator on the same machine; 1-min load average before: ${results.machine.loadAverage1mBefore}; gateway workers: ${results.machine.gatewayWorkers})`);
console.log(`${'metric'.padEnd(44)} ${'value'.padStart(12)}  ${'target'.padEnd(9)} met`);
for (const row of results.table) console.log(`${row.metric.padEnd(44)} ${fmt(row.value).padStart(12)}  ${row.target.padEnd(9)} ${row.met === null ? '' : row.met ? 'yes' : 'NO'}`);
console.log(`failed operations: ${JSON.stringify(results.failures)}`);
console.log(`mixed load, per round (p99 alone → mixed, ms): ${results.mixedLoad.rounds.map((r) => `${fmt(r.alone.p99)} → ${fmt(r.mixed.p99)} (${r.p99Ratio.toFixed(2)}×)`).join(', ')};`
  + ` writes answered ${results.mixedLoad.rounds.map((r) => `${Math.round(r.issuance.perSecond + r.revocation.perSecond)}/s`).join(', ')}`);
console.log(`\nwrote ${outFile}`);
closeConnections();
