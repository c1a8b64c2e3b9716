// Soak: a flood of hostile verifications — every one naming a made-up issuer or a made-up Merkle root, none alike —
// against Macau's gateway while honest verifications run at a steady rate beside it. Loopback only, bounded in time.
// Shows the gateway process's memory (its heap after a full collection, at the end of every 5 s slice) and the
// honest latency before, during and after the flood, and what the flood made the gateway ask its ledger.
// Writes bench-results/soak.json and prints a table.
//   node test/bench/soak-bench.mjs [--quick] [--flood-seconds=N]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { requireBuild, ROOT, startConsortiumProcess } from './consortium-process.mjs';
import { closeConnections, paced, request, summary } from './load-generator.mjs';

requireBuild();
const issuerLib = await import(join(ROOT, 'verifier-sdk/dist/issuer/index.js'));
const sdk = await import(join(ROOT, 'verifier-sdk/dist/index.node.js'));

const QUICK = process.argv.includes('--quick');
const FLOOD_SECONDS = Number(process.argv.find((a) => a.startsWith('--flood-seconds='))?.slice('--flood-seconds='.length) ?? (QUICK ? 10 : 45));
const QUIET_SECONDS = QUICK ? 5 : 15;
const SLICE_SECONDS = 5;
const HONEST_RATE = 200;
/** Hostile verifications per second: half made-up issuers, half made-up roots under a genuine signature. */
const HOSTILE_RATE = 600;

const results = {
  machine: { cpus: os.cpus().length, node: process.version, loadAverage1mBefore: Math.round(os.loadavg()[0] * 100) / 100, loadGeneratorSharesMachine: true },
  quick: QUICK, startedAt: new Date().toISOString(), honestRate: HONEST_RATE, hostileRate: HOSTILE_RATE, floodSeconds: FLOOD_SECONDS,
};

const consortium = await startConsortiumProcess('soak', { heapProbe: true });
try {
  const { gd, mo } = consortium;
  const issued = await request('POST', `${gd.url}/v1/credentials/bulk`, gd.tokens.issuer, {
    credentials: Array.from({ length: 500 }, (_, i) => ({
      issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', validitySeconds: 86_400,
      holder: { name: `Soak Holder ${i}`, documentType: 'HRP', documentNumber: `H${20_000_000 + i}` },
    })),
  });
  if (issued.status !== 201) throw new Error(`issuance failed: ${issued.status}`);
  const honest = issued.body.credentials.map((c) => c.qr);

  // Every hostile QR is distinct, so nothing it causes can be answered from memory by accident.
  const hostileKey = issuerLib.generateSigningKey('ES256').privateJwk;
  const madeUpIssuer = (i) => {
    const jws = issuerLib.newCredentialSigner({ issuerId: `made-up-${i}`, kid: 'k1', alg: 'ES256', privateJwk: hostileKey })
      .sign({ vct: 'health-code', st: 'green', sub: 'nobody', validitySeconds: 3600 });
    const leaf = issuerLib.leafHashOf(jws);
    return issuerLib.encodeQr({ jws, root: issuerLib.merkleRoot([leaf]), proof: issuerLib.inclusionProof([leaf], 0) });
  };
  const { jws: genuine } = await sdk.decodeQr(honest[0]);
  const madeUpRoot = (i) => {
    const sibling = (i + 1).toString(16).padStart(64, '0');
    const root = issuerLib.impliedRoot(genuine, { leafIndex: 0, treeSize: 2, path: [Buffer.from(sibling, 'hex')] });
    return issuerLib.encodeQr({ jws: genuine, root, proof: { leafIndex: 0, treeSize: 2, path: [sibling] } });
  };
  const hostile = Array.from({ length: FLOOD_SECONDS * HOSTILE_RATE }, (_, i) => (i % 2 === 0 ? madeUpIssuer(i) : madeUpRoot(i)));

  const verifyUrl = `${mo.url}/v1/verifications`;
  let nextHonest = 0;
  let nextHostile = 0;
  const honestLoad = (ms) => paced({ url: verifyUrl, token: mo.tokens.checkpoint, rate: HONEST_RATE, ms, body: () => ({ qr: honest[nextHonest++ % honest.length] }) });
  const hostileLoad = (ms) => paced({ url: verifyUrl, token: mo.tokens.checkpoint, rate: HOSTILE_RATE, ms, body: () => ({ qr: hostile[nextHostile++ % hostile.length] }) });

  /** Macau's /metrics: resident memory and what the lookup gate did. */
  async function scrape() {
    const text = (await request('GET', `${mo.url}/metrics`)).text;
    const sum = (name, ...labels) => text.split('\n')
      .filter((l) => l.startsWith(name) && (l[name.length] === '{' || l[name.length] === ' ') && labels.every((x) => l.includes(x)))
      .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return {
      rssMb: sum('process_resident_memory_bytes') / 2 ** 20,
      missAnswers: sum('hutong_cache_entries', 'cache="miss_answers"'),
      lookups: {
        queried: sum('hutong_trust_miss_lookups_total', 'outcome="queried"'), remembered: sum('hutong_trust_miss_lookups_total', 'outcome="remembered"'),
        coalesced: sum('hutong_trust_miss_lookups_total', 'outcome="coalesced"'), shed: sum('hutong_trust_miss_lookups_total', 'outcome="shed"'),
      },
    };
  }

  for (let i = 0; i < 300; i++) await request('POST', verifyUrl, mo.tokens.checkpoint, { qr: honest[i % honest.length] });
  await honestLoad(1000);

  // One slice: honest traffic (and the flood, if on) for SLICE_SECONDS, the gate's counters sampled twice a second;
  // then the heap the process keeps.
  const slices = [];
  async function slice(phase, flood) {
    const samples = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await scrape());
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const [h] = await Promise.all([honestLoad(SLICE_SECONDS * 1000), ...(flood ? [hostileLoad(SLICE_SECONDS * 1000)] : [])]);
    sampling = false;
    await sampler;
    const last = samples[samples.length - 1];
    slices.push({
      phase, honest: summary(h), liveHeapMb: await consortium.liveHeapMb(), rssMb: last.rssMb,
      missAnswers: Math.max(...samples.map((s) => s.missAnswers)), lookups: last.lookups,
    });
  }
  for (let t = 0; t < QUIET_SECONDS; t += SLICE_SECONDS) await slice('before', false);
  for (let t = 0; t < FLOOD_SECONDS; t += SLICE_SECONDS) await slice('flood', true);
  for (let t = 0; t < QUIET_SECONDS; t += SLICE_SECONDS) await slice('after', false);

  const probe = await request('POST', verifyUrl, mo.tokens.checkpoint, { qr: honest[0] });
  if (probe.body?.reason !== 'ACCEPTED') throw new Error(`honest corpus not accepted: ${probe.body?.reason}`);
  results.slices = slices;
} finally {
  await consortium.stop();
}

const { slices } = results;
const phase = (p) => slices.filter((s) => s.phase === p);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const flood = phase('flood');
const third = Math.max(1, Math.floor(flood.length / 3));
const lookupsDuringFlood = flood[flood.length - 1].lookups.queried - phase('before').at(-1).lookups.queried;
results.summary = {
  honestP99BeforeMs: median(phase('before').map((s) => s.honest.p99)),
  honestP99FloodMs: median(flood.map((s) => s.honest.p99)),
  honestP99AfterMs: median(phase('after').map((s) => s.honest.p99)),
  liveHeapBeforeMb: median(phase('before').map((s) => s.liveHeapMb)),
  liveHeapFloodFirstThirdMb: median(flood.slice(0, third).map((s) => s.liveHeapMb)),
  liveHeapFloodLastThirdMb: median(flood.slice(-third).map((s) => s.liveHeapMb)),
  liveHeapAfterMb: median(phase('after').map((s) => s.liveHeapMb)),
  rssEndOfFloodMb: flood[flood.length - 1].rssMb,
  missAnswersMax: Math.max(...slices.map((s) => s.missAnswers)),
  hostileRequests: FLOOD_SECONDS * HOSTILE_RATE,
  ledgerLookupsDuringFlood: lookupsDuringFlood,
  failures: slices.reduce((n, s) => n + s.honest.failures, 0),
};
results.summary.honestP99Ratio = results.summary.honestP99FloodMs / results.summary.honestP99BeforeMs;

const outDir = join(ROOT, 'bench-results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, 'soak.json');
writeFileSync(outFile, JSON.stringify(results, null, 2));

const f = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
const s = results.summary;
console.log(`\nhutong soak (${results.machine.cpus} CPUs, ${results.machine.node}${QUICK ? ', quick' : ''}; Macau's gateway, loopback; honest ${HONEST_RATE}/s throughout,`
  + ` ${HOSTILE_RATE}/s hostile for ${FLOOD_SECONDS} s; 1-min load average before: ${results.machine.loadAverage1mBefore})`);
console.log(`${'slice'.padEnd(8)} ${'honest p50'.padStart(10)} ${'p99 ms'.padStart(8)} ${'live heap MB'.padStart(14)} ${'RSS MB'.padStart(8)} ${'remembered'.padStart(10)} ${'ledger look-ups'.padStart(16)} ${'shed'.padStart(8)}`);
for (const x of slices) {
  console.log(`${x.phase.padEnd(8)} ${f(x.honest.p50).padStart(10)} ${f(x.honest.p99).padStart(8)} ${f(x.liveHeapMb).padStart(14)} ${f(x.rssMb).padStart(8)} ${String(x.missAnswers).padStart(10)} ${String(x.lookups.queried).padStart(16)} ${String(x.lookups.shed).padStart(8)}`);
}
console.log(`honest p99: ${f(s.honestP99BeforeMs)} ms before, ${f(s.honestP99FloodMs)} ms during the flood (${s.honestP99Ratio.toFixed(2)}×), ${f(s.honestP99AfterMs)} ms after;`
  + ` live heap ${f(s.liveHeapBeforeMb)} MB before, ${f(s.liveHeapFloodFirstThirdMb)} → ${f(s.liveHeapFloodLastThirdMb)} MB over the flood, ${f(s.liveHeapAfterMb)} MB after;`
  + ` ${s.ledgerLookupsDuringFlood} ledger look-ups for ${s.hostileRequests.toLocaleString('en-US')} hostile verifications; honest failures: ${s.failures}`);
console.log(`\nwrote ${outFile}`);
closeConnections();
