// Gateway benchmarks on the built dist, loopback only, bounded in count and time. Each gateway consortium runs in
// its own child process (`npm start` entry, embedded ledger); this process is only the load generator.
// Writes bench-results/gateway.json and prints a table against the issue's targets (2 cores).
//   node test/bench/gateway-bench.mjs [--quick]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START = join(ROOT, 'gateway/dist/cli/start.js');
const QUICK = process.argv.includes('--quick');
const PHASE_MS = QUICK ? 1500 : 5000;

if (!existsSync(START)) {
  console.error(`missing ${START}: run \`npx tsc -b\` (or \`npm run bench\`) first`);
  process.exit(1);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(method, url, token, body) {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolvePromise, reject) => {
    const req = http.request(url, {
      method, agent,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        resolvePromise({ status: res.statusCode, body: parsed });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `op` with `concurrency` workers until `maxCount` operations or `maxMs` elapse; latencies in ms. */
async function load({ concurrency, maxCount, maxMs, op }) {
  const latencies = [];
  let started = 0;
  let failures = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  async function worker() {
    while (started < maxCount && performance.now() < deadline) {
      const i = started++;
      const s = performance.now();
      const ok = await op(i).catch(() => false);
      latencies.push(performance.now() - s);
      if (!ok) failures++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, failures, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

async function startConsortium(label, env = {}) {
  const home = mkdtempSync(join(os.tmpdir(), `hutong-bench-${label}-`));
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, HUTONG_HOME: home, HUTONG_EPHEMERAL_PORTS: '1', HUTONG_NO_SAMPLE: '1', HUTONG_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(home, 'runtime.json'))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`consortium ${label} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const runtime = JSON.parse(readFileSync(join(home, 'runtime.json'), 'utf8'));
  return {
    gd: runtime.gateways.guangdong,
    mo: runtime.gateways.macau,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

let serial = 0;
function holder() {
  serial++;
  return { name: `Bench Holder ${serial}`, documentType: 'HRP', documentNumber: `H${String(10_000_000 + serial)}` };
}
const credential = () => ({ issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', holder: holder(), validitySeconds: 86_400 });

async function issueBulk(c, n) {
  const r = await request('POST', `${c.gd.url}/v1/credentials/bulk`, c.gd.tokens.issuer, { credentials: Array.from({ length: n }, credential) });
  if (r.status !== 201) throw new Error(`bulk issuance failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.credentials;
}

// The load generator (this process, autocannon included) runs on the same machine as the gateways and competes with
// them for its cores; the load average before the run shows whether anything else was competing too.
const results = {
  machine: {
    cpus: os.cpus().length, availableParallelism: os.availableParallelism(), cpuModel: os.cpus()[0]?.model, node: process.version,
    loadAverage1mBefore: Math.round(os.loadavg()[0] * 100) / 100, loadGeneratorSharesMachine: true,
    gatewayWorkers: process.env.HUTONG_WORKERS ?? `default (${os.availableParallelism()})`,
  },
  quick: QUICK, startedAt: new Date().toISOString(),
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
  const ac = await autocannon({
    url: verifyUrl, method: 'POST', connections: 32, duration: PHASE_MS / 1000, maxOverallRequests: 200_000,
    headers: { authorization: `Bearer ${main.mo.tokens.checkpoint}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ qr: corpus[next++ % corpus.length] }) }) }],
  });
  results.verifySingle = {
    client: 'autocannon', connections: 32, count: ac.requests.total, seconds: ac.duration, perSecond: ac.requests.total / ac.duration,
    p50: ac.latency.p50, p99: ac.latency.p99, failures: ac.non2xx + ac.errors + ac.timeouts,
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
  const BULK = 1000;
  const issued = await load({
    concurrency: 4, maxCount: QUICK ? 8 : 40, maxMs: PHASE_MS,
    op: async () => (await issueBulk(main, BULK)).length === BULK,
  });
  results.issuanceBatched = { ...issued, requestSize: BULK, concurrency: 4, credentialsPerSecond: issued.perSecond * BULK };

  // ---- revocation propagation Guangdong → Macau ----
  const victims = await issueBulk(main, QUICK ? 10 : 40);
  const delays = [];
  for (const v of victims) {
    const t0 = performance.now();
    const r = await request('POST', `${main.gd.url}/v1/revocations`, main.gd.tokens.issuer, { issuerId: 'gd-health-code', leafHash: v.leafHash, reason: 'status-change' });
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

const targets = [
  ['verify single, req/s', results.verifySingle.perSecond, '≥ 3,000', (v) => v >= 3000],
  ['verify single, p50 ms', results.verifySingle.p50, '', () => true],
  ['verify single, p99 ms', results.verifySingle.p99, '≤ 20', (v) => v <= 20],
  ['verify batch, credentials/s', results.verifyBatch.credentialsPerSecond, '≥ 15,000', (v) => v >= 15000],
  [`verify batch (${results.verifyBatch.batchSize}), p50 ms`, results.verifyBatch.p50, '', () => true],
  [`verify batch (${results.verifyBatch.batchSize}), p99 ms`, results.verifyBatch.p99, '', () => true],
  ['issuance batched, credentials/s committed', results.issuanceBatched.credentialsPerSecond, '≥ 10,000', (v) => v >= 10000],
  ['issuance one tx per credential, /s', results.issuanceOneTxPerCredential.credentialsPerSecond, '', () => true],
  ['issuance batched ÷ one-tx', results.issuanceRatio, '≥ 50×', (v) => v >= 50],
  ['revocation GD → MO visible, p50 ms', results.revocationPropagation.p50, '', () => true],
  ['revocation GD → MO visible, p95 ms', results.revocationPropagation.p95, '≤ 3,000', (v) => v <= 3000],
];
results.table = targets.map(([metric, value, target, ok]) => ({ metric, value: Math.round(value * 100) / 100, target, met: target === '' ? null : ok(value) }));
results.failures = { verifySingle: results.verifySingle.failures, verifyBatch: results.verifyBatch.failures, issuanceBatched: results.issuanceBatched.failures, issuanceOneTx: results.issuanceOneTxPerCredential.failures };

const outDir = join(ROOT, 'bench-results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, 'gateway.json');
writeFileSync(outFile, JSON.stringify(results, null, 2));

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
console.log(`\nhutong gateway benchmark (${results.machine.cpus} CPUs, ${results.machine.node}${QUICK ? ', quick' : ''}; embedded ledger, loopback;`
  + ` load generator on the same machine; 1-min load average before: ${results.machine.loadAverage1mBefore}; gateway workers: ${results.machine.gatewayWorkers})`);
console.log(`${'metric'.padEnd(44)} ${'value'.padStart(12)}  ${'target'.padEnd(9)} met`);
for (const row of results.table) console.log(`${row.metric.padEnd(44)} ${fmt(row.value).padStart(12)}  ${row.target.padEnd(9)} ${row.met === null ? '' : row.met ? 'yes' : 'NO'}`);
console.log(`failed operations: ${JSON.stringify(results.failures)}`);
console.log(`\nwrote ${outFile}`);
agent.destroy();
