// The seed-scale simulation (issue #16): `npm run bench -- --scale [--scale-fraction F] [--days N] [--day-seconds D]`.
// Writes N simulated days of synthetic history at F × the seed's per-day shape (36,600 AnchorBatch of 4,096 leaves,
// 150,000 RevokeCredential with valid inclusion proofs, a policy update, an issuer key rotation proposed and approved)
// through the ledger interface of a real embedded consortium process (scale-consortium.mjs), compressed in time: a
// simulated day is D wall seconds (or as long as its writes take, if longer) and anchors live for one such day.
// At the measured days: the consortium process's RSS, the trust cache's records by type (both gateways' /metrics),
// restart to ready (the process stopped by PID, started again on its home, until both /readyz answer 200), the
// signed JSON snapshot's size raw and gzipped, the trust pack's sizes (if the gateway serves /v1/trust/pack),
// verification p99 and throughput on a fixed set of live credentials (issued through Guangdong's issuance API,
// verified at Macau's gateway), and the SDK's offline verification rate on the snapshot — as ratios to day 0.
// Prints a table and writes bench-results/scale.json (or --out FILE).
//   --measure-days 0,1,10,20,30   --verify-seconds S (default 5)   --no-restart   --out FILE
//   --grace-seconds G (default 600: the gateway's pruning grace; notAfter = anchoredAt + D − G)
import { fork } from 'node:child_process';
import { generateKeyPairSync, sign, verify as cryptoVerify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { requireBuild, ROOT } from './consortium-process.mjs';
import { request } from './load-generator.mjs';

const { fetch } = globalThis;

const argv = process.argv.slice(2);
if (!argv.includes('--scale')) {
  console.log('scale-bench: runs with --scale only (npm run bench -- --scale)');
  process.exit(0);
}
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : fallback;
};
const FRACTION = Number(arg('--scale-fraction', '1'));
const DAYS = Number(arg('--days', '30'));
// Default: long enough for a day's writes on this machine (the full seed day took 465 s under load), so that the
// anchors of a day stay live while it is written.
const DAY_SECONDS = Number(arg('--day-seconds', String(Math.max(2, Math.round(600 * FRACTION)))));
const GRACE_SECONDS = Number(arg('--grace-seconds', '600'));
const VERIFY_SECONDS = Number(arg('--verify-seconds', '5'));
const RESTART = !argv.includes('--no-restart');
const MEASURE = new Set(arg('--measure-days', [0, 1, 10, 20, 30].filter((d) => d <= DAYS).join(',')).split(',').map(Number));
const OUT = arg('--out', join(ROOT, 'bench-results', 'scale.json'));
const CREDENTIALS = Number(arg('--credentials', '256'));
const SEED = { anchors: 36_600, revocations: 150_000 };
const perDay = { anchors: Math.max(1, Math.round(SEED.anchors * FRACTION)), revocations: Math.round(SEED.revocations * FRACTION) };
requireBuild();
const sdk = await import(join(ROOT, 'verifier-sdk/dist/index.node.js'));

const home = mkdtempSync(join(os.tmpdir(), 'hutong-scale-'));
let child, gateways, nextId = 0;
const pending = new Map();

/** Forks the consortium process on `home`; resolves once it has started (gateways listening). */
function startChild() {
  return new Promise((resolve, reject) => {
    const c = fork(join(ROOT, 'test/bench/scale-consortium.mjs'), [], {
      env: { ...process.env, HUTONG_HOME: home, ...(results.notAfterSupported === undefined ? {} : { HUTONG_SCALE_NOT_AFTER: results.notAfterSupported ? '1' : '0' }) }, execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    c.on('message', (m) => {
      if (m.ready) { child = c; gateways = m.gateways; resolve(); return; }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error)); else p?.resolve(m.result);
    });
    c.once('exit', (code) => reject(new Error(`the consortium process exited (${code})`)));
  });
}
const call = (op, body = {}) => new Promise((resolve, reject) => {
  const id = ++nextId;
  pending.set(id, { resolve, reject });
  child.send({ id, op, ...body });
});
async function stopChild() {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}
const vmKb = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const mb = (kb) => Math.round(kb / 102.4) / 10;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function readyMs(since) {
  for (;;) {
    const rs = await Promise.all(Object.values(gateways).map((g) => fetch(`${g.url}/readyz`).then((r) => r.status, () => 0)));
    if (rs.every((s) => s === 200)) return performance.now() - since;
    if (performance.now() - since > 600_000) throw new Error('not ready within 10 minutes');
    await sleep(50);
  }
}

async function cacheRecords(g) {
  const text = await (await fetch(`${g.url}/metrics`)).text();
  const out = {};
  for (const m of text.matchAll(/^hutong_trust_cache_records\{([^}]*)\} (\S+)$/gm)) {
    const type = /type="([^"]+)"/.exec(m[1])?.[1];
    if (type) out[type] = Number(m[2]);
  }
  return out;
}

async function getRaw(url, token) {
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' } });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, body };
}

async function snapshot() {
  const mo = gateways.macau;
  const t0 = performance.now();
  const { status, body } = await getRaw(`${mo.url}/v1/trust/snapshot`, mo.tokens.partner);
  if (status !== 200) throw new Error(`snapshot: ${status}`);
  const ms = performance.now() - t0;
  const { jws } = JSON.parse(body.toString('utf8'));
  const trust = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'));
  return { trust, rawBytes: body.length, gzipBytes: gzipSync(body).length, ms: Math.round(ms), anchors: trust.anchors.length, revocations: trust.revocations.length };
}

/** The trust pack's sizes, or `available: false` when the gateway does not serve it (404). */
async function pack(sinceSequence) {
  const mo = gateways.macau;
  const full = await getRaw(`${mo.url}/v1/trust/pack`, mo.tokens.partner);
  if (full.status === 404) return { available: false };
  if (full.status !== 200) return { available: true, error: full.status };
  const out = { available: true, fullRawBytes: full.body.length, fullGzipBytes: gzipSync(full.body).length };
  try { out.sequence = JSON.parse(full.body.toString('utf8')).sequence; } catch { /* not JSON: sizes only */ }
  if (sinceSequence !== undefined) {
    const delta = await getRaw(`${mo.url}/v1/trust/pack?since=${encodeURIComponent(sinceSequence)}`, mo.tokens.partner);
    if (delta.status === 200) {
      Object.assign(out, { deltaSince: sinceSequence, deltaRawBytes: delta.body.length, deltaGzipBytes: gzipSync(delta.body).length });
      // A gateway that cannot serve that base answers with a full pack (`kind`, `fullReason`): say so, not "delta".
      try {
        const { kind, fullReason } = JSON.parse(delta.body.toString('utf8'));
        Object.assign(out, { deltaKind: kind, ...(fullReason ? { deltaFullReason: fullReason } : {}) });
      } catch { /* sizes only */ }
    }
  }
  return out;
}

async function verifyLoad(qrs) {
  const mo = gateways.macau;
  let next = 0;
  const ac = await autocannon({
    url: `${mo.url}/v1/verifications`, method: 'POST', connections: 32, duration: VERIFY_SECONDS,
    headers: { authorization: `Bearer ${mo.tokens.checkpoint}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ qr: qrs[next++ % qrs.length] }) }) }],
  });
  return { perSecond: Math.round(ac.requests.total / ac.duration), p50: ac.latency.p50, p99: ac.latency.p99, failures: ac.non2xx + ac.errors + ac.timeouts };
}

/** Decisions at Macau for every credential of the fixed set (all must be ACCEPT). */
async function decisions(qrs) {
  const counts = {};
  for (const qr of qrs) {
    const r = await request('POST', `${gateways.macau.url}/v1/verifications`, gateways.macau.tokens.checkpoint, { qr });
    const k = r.body?.decision === 'ACCEPT' ? 'ACCEPT' : `${r.body?.decision}:${r.body?.reason ?? r.status}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

// Raw ES256 verification of one fixed signature, interleaved with the SDK's: the machine's speed drifts (shared
// cores), so the SDK's rate is reported as a ratio to raw crypto measured in the same slices.
const rawKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rawData = Buffer.from('hutong scale bench');
const rawSig = sign('sha256', rawData, { key: rawKey.privateKey, dsaEncoding: 'ieee-p1363' });
const rawPub = rawKey.publicKey;

async function offline(trust, qrs) {
  const t0 = performance.now();
  const verifier = sdk.newVerifier({ trust, jurisdiction: 'MacauMSP' });
  const indexMs = performance.now() - t0;
  const now = new Date();
  const bad = (await Promise.all(qrs.map((q) => verifier.verify(q, { now })))).filter((r) => r.decision !== 'ACCEPT').length;
  let tSdk = 0, tRaw = 0, n = 0;
  while (tSdk < 1000) {
    let t = performance.now();
    for (let i = 0; i < 64; i++) await verifier.verify(qrs[(n + i) % qrs.length], { now });
    tSdk += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 64; i++) cryptoVerify('sha256', rawData, { key: rawPub, dsaEncoding: 'ieee-p1363' }, rawSig);
    tRaw += performance.now() - t;
    n += 64;
  }
  const perSecond = n / (tSdk / 1000);
  return { indexMs: Math.round(indexMs), perSecond: Math.round(perSecond), ratioToRaw: +(perSecond / (n / (tRaw / 1000))).toFixed(3), notAccepted: bad };
}

const results = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadAverage1mBefore: +os.loadavg()[0].toFixed(2) },
  parameters: { fraction: FRACTION, days: DAYS, daySeconds: DAY_SECONDS, graceSeconds: GRACE_SECONDS, perDay, leafCount: 4096, verifySeconds: VERIFY_SECONDS, credentials: CREDENTIALS, measureDays: [...MEASURE], restart: RESTART, ledger: 'embedded' },
  startedAt: new Date().toISOString(), days: [], measurements: [],
};

let measured0;
let packSequenceBefore;
async function measure(day) {
  const m = { day };
  const heap = await call('heap');
  m.rssMb = mb(vmKb(child.pid, 'VmRSS'));
  m.heapUsedMb = Math.round(heap.heapUsed / 2 ** 20);
  m.records = { guangdong: await cacheRecords(gateways.guangdong), macau: await cacheRecords(gateways.macau) };
  const snap = await snapshot();
  m.snapshot = { rawBytes: snap.rawBytes, gzipBytes: snap.gzipBytes, ms: snap.ms, anchors: snap.anchors, revocations: snap.revocations };
  m.pack = await pack(packSequenceBefore);
  m.decisions = await decisions(qrs);
  m.verify = await verifyLoad(qrs);
  m.offline = await offline(snap.trust, qrs);
  if (RESTART) {
    await stopChild();
    const t0 = performance.now();
    await startChild();
    m.restart = { processStartMs: Math.round(performance.now() - t0), readyMs: Math.round(await readyMs(t0)) };
    m.restart.rssMb = mb(vmKb(child.pid, 'VmRSS'));
    m.restart.records = { macau: await cacheRecords(gateways.macau) };
  }
  measured0 ??= m;
  m.vsDay0 = {
    verifyP99: +(m.verify.p99 / measured0.verify.p99).toFixed(2),
    verifyPerSecond: +(m.verify.perSecond / measured0.verify.perSecond).toFixed(2),
    offlineRatioToRaw: +(m.offline.ratioToRaw / measured0.offline.ratioToRaw).toFixed(3),
  };
  results.measurements.push(m);
  const r = m.records.macau;
  console.log(
    `day ${String(day).padStart(2)} | RSS ${String(m.rssMb).padStart(6)} MB heap ${String(m.heapUsedMb).padStart(4)} MB | cached anchors ${r.anchor ?? '?'} revocations ${r.revocation ?? '?'} keys ${r.issuerKey ?? '?'} policies ${r.recognition ?? '?'} | ` +
      `snapshot ${(m.snapshot.rawBytes / 1024).toFixed(0)} KB (${(m.snapshot.gzipBytes / 1024).toFixed(0)} KB gz) | pack ${m.pack.available ? `${((m.pack.fullGzipBytes ?? 0) / 1024).toFixed(0)} KB gz${m.pack.deltaGzipBytes !== undefined ? `, day delta ${(m.pack.deltaGzipBytes / 1024).toFixed(1)} KB gz` : ''}` : 'not available'} | ` +
      `verify ${m.verify.perSecond}/s p99 ${m.verify.p99} ms (×${m.vsDay0.verifyP99}) | offline ${m.offline.perSecond}/s (×${m.vsDay0.offlineRatioToRaw} vs day 0, index ${m.offline.indexMs} ms)` +
      (m.restart ? ` | restart→ready ${m.restart.readyMs} ms` : ''),
  );
}

let qrs = [];
const t0 = performance.now();
try {
  await startChild();
  const setup = await call('setup');
  results.notAfterSupported = setup.notAfterSupported;
  console.log(`scale: ${DAYS} days × (${perDay.anchors} anchors + ${perDay.revocations} revocations + 3), D = ${DAY_SECONDS} s, notAfter ${setup.notAfterSupported ? 'sent' : 'not accepted by this chaincode: anchors live for ever'}`);
  const gd = gateways.guangdong;
  for (let i = 0; i < CREDENTIALS; i += 500) {
    const n = Math.min(500, CREDENTIALS - i);
    const r = await request('POST', `${gd.url}/v1/credentials/bulk`, gd.tokens.issuer, {
      credentials: Array.from({ length: n }, (_, k) => ({ issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', holder: { name: `Scale Holder ${i + k}`, documentType: 'HRP', documentNumber: `H${String(20_000_000 + i + k)}` }, validitySeconds: 86_400 })),
    });
    if (r.status !== 201) throw new Error(`bulk issuance failed: ${r.status} ${JSON.stringify(r.body)}`);
    qrs.push(...r.body.credentials.map((c) => c.qr));
  }
  await readyMs(performance.now());
  if (MEASURE.has(0)) await measure(0);
  for (let day = 1; day <= DAYS; day++) {
    const dayStart = performance.now();
    const w = await call('day', { day, ...perDay, daySeconds: DAY_SECONDS, graceSeconds: GRACE_SECONDS });
    const left = DAY_SECONDS * 1000 - (performance.now() - dayStart);
    if (left > 0) await sleep(left);
    w.records = (await cacheRecords(gateways.macau));
    w.rssMb = mb(vmKb(child.pid, 'VmRSS'));
    w.overrunMs = Math.max(0, Math.round(-left));
    results.days.push(w);
    if (w.anchorFailures + w.revocationFailures > 0) console.error(`day ${day}: ${w.anchorFailures} anchors and ${w.revocationFailures} revocations failed`);
    if (!MEASURE.has(day)) {
      console.log(`day ${String(day).padStart(2)} | wrote ${w.transactions} tx in ${w.ms} ms | RSS ${w.rssMb} MB | cached anchors ${w.records.anchor} revocations ${w.records.revocation}`);
      if (MEASURE.has(day + 1)) packSequenceBefore = (await pack()).sequence;
      continue;
    }
    await measure(day);
    if (MEASURE.has(day + 1)) packSequenceBefore = (await pack()).sequence;
  }
} finally {
  if (child) await stopChild();
  rmSync(home, { recursive: true, force: true });
}
results.totalSeconds = Math.round((performance.now() - t0) / 1000);
const writeMs = results.days.reduce((n, d) => n + d.ms, 0);
const written = results.days.reduce((n, d) => n + d.transactions, 0);
results.writeRate = Math.round(written / (writeMs / 1000));
console.log(`wrote ${written} transactions in ${(writeMs / 1000).toFixed(1)} s of writing (${results.writeRate} tx/s on the embedded ledger, gateways following); whole run ${results.totalSeconds} s`);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(results, null, 2));
console.log(`results: ${OUT}`);
