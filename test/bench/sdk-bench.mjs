// SDK benchmarks (run after `tsc -b`): node test/bench/sdk-bench.mjs
// Offline verify rate vs raw node:crypto in the same run, Merkle build rate, proof/QR sizes, browser bundle size.
// Prints a table and writes bench-results/sdk.json.
import { verify as cryptoVerify, createPublicKey, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const rootDir = join(here, '..', '..');
const dist = join(rootDir, 'verifier-sdk', 'dist');
const sdkNode = await import(join(dist, 'index.node.js'));
const sdkWeb = await import(join(dist, 'index.js'));
const issuer = await import(join(dist, 'issuer', 'index.js'));

const NOW = new Date('2026-11-26T08:00:00.000Z');
const ISSUED_AT = new Date('2026-11-26T07:00:00.000Z');
const ISSUER_ID = 'gd-health-code';
const BENCH_MS = Number(process.env.BENCH_MS ?? 600);

const trust = {
  version: 1, jurisdiction: 'MacauMSP', generatedAt: '2026-11-26T07:30:00.000Z',
  issuers: [{ id: ISSUER_ID, ownerMsp: 'GuangdongMSP', jurisdiction: 'guangdong', displayName: '广东省健康码中心', credentialTypes: ['health-code'], state: 'active' }],
  keys: [], anchors: [], revocations: [],
  policies: [{ recognisingMsp: 'MacauMSP', issuerId: ISSUER_ID, credentialType: 'health-code', statusMapping: { green: 'green' }, acceptedStatuses: ['green'], maxAgeSeconds: 21600, validFrom: '2026-01-01T00:00:00.000Z', version: 1, withdrawn: false }],
};
const periodKey = randomBytes(32);

async function issueBatch(alg, size) {
  const kid = `gd-hc-${alg.toLowerCase()}-2026`;
  const { privateJwk, publicJwk } = issuer.generateSigningKey(alg);
  trust.keys.push({ issuerId: ISSUER_ID, kid, jwk: publicJwk, alg, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', state: 'active' });
  const signer = issuer.newCredentialSigner({ issuerId: ISSUER_ID, kid, alg, privateJwk });
  const batcher = issuer.newBatcher({
    issuerId: ISSUER_ID, kid, maxLeaves: size, maxDelayMs: 60_000,
    anchor: async (a) => {
      const receipt = { txId: randomBytes(32).toString('hex'), blockNumber: 42, anchoredAt: '2026-11-26T07:00:01.000Z' };
      trust.anchors.push({ ...a, anchoredAt: receipt.anchoredAt, txId: receipt.txId, anchoredBy: 'GuangdongMSP', blockNumber: 42 });
      return receipt;
    },
  });
  const jobs = [];
  for (let i = 0; i < size; i++) {
    const sub = issuer.pseudonym(periodKey, issuer.normaliseId('HRP', `H${String(10_000_000 + i)}`));
    jobs.push(batcher.add(signer.sign({ vct: 'health-code', st: 'green', sub, name: issuer.maskName('陈大明'), doc: issuer.documentHint('HRP', `H${10_000_000 + i}`), validitySeconds: 86_400 }, ISSUED_AT)));
  }
  return { creds: await Promise.all(jobs), publicJwk };
}

async function rate(fn, items) {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < BENCH_MS) {
    for (let i = 0; i < 256; i++) await fn(items[(n + i) % items.length]);
    n += 256;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

function rateSync(fn, items) {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < BENCH_MS) {
    for (let i = 0; i < 256; i++) fn(items[(n + i) % items.length]);
    n += 256;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

const t0 = performance.now();
const es = await issueBatch('ES256', 4096);
const ed = await issueBatch('EdDSA', 4096);
const sample = (c) => c.creds.filter((_, i) => i % 16 === 0); // 256 distinct credentials each

const verifierNode = sdkNode.newVerifier({ trust, jurisdiction: 'MacauMSP' });
const verifierWeb = sdkWeb.newVerifier({ trust, jurisdiction: 'MacauMSP' });
// The Node build folds proofs in the optional native addon when it is built (verifier-sdk/native); the same
// verifier without it is measured too, so the table shows what an install without a C toolchain gets.
const { newVerifierWith } = await import(join(dist, 'verifier.js'));
const { newNodeBackend, nativeFoldStatus } = await import(join(dist, 'lib', 'node-backend.js'));
const { indexTrust } = await import(join(dist, 'trust-index.js'));
const nativeFold = nativeFoldStatus().loaded;
const verifierPure = newVerifierWith(newNodeBackend({ nativeFold: false }), { jurisdiction: 'MacauMSP' }, indexTrust(trust));
for (const c of [...sample(es), ...sample(ed)]) {
  for (const v of [verifierNode, verifierPure]) {
    const r = await v.verify(c.qr, { now: NOW });
    if (r.decision !== 'ACCEPT') throw new Error(`bench credential rejected: ${r.reason}`);
  }
}

// Raw node:crypto on the same credentials: KeyObject imported once, P1363 signature, nothing else.
const rawItems = (creds, jwk) => {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return creds.map((c) => {
    const [h, p, s] = c.jws.split('.');
    return { key, data: Buffer.from(`${h}.${p}`), sig: Buffer.from(s, 'base64url') };
  });
};
const rawEs = rawItems(sample(es), es.publicJwk);
const rawEd = rawItems(sample(ed), ed.publicJwk);

// Warm up, then measure SDK and raw interleaved: slices of SLICE verifications alternate (raw, SDK, raw, …) for
// BENCH_MS per side and round, so both see the same machine state (this machine is shared: its speed drifts by
// tens of percent within seconds, which would skew a ratio of two separately timed runs). Per round:
// ratio = SDK rate / raw rate; reported: the median round.
const qrs = (c) => sample(c).map((x) => x.qr);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROUNDS = 7;
const SLICE = 256;
async function compare(qrList, raw, rawFn, verifier = verifierNode) {
  await rate((q) => verifier.verify(q, { now: NOW }), qrList);
  rateSync(rawFn, raw);
  const sdk = [], base = [], ratio = [];
  for (let r = 0; r < ROUNDS; r++) {
    let tRaw = 0, tSdk = 0, n = 0, k = 0;
    while (tRaw < BENCH_MS || tSdk < BENCH_MS) {
      let t = performance.now();
      for (let i = 0; i < SLICE; i++) rawFn(raw[(k + i) % raw.length]);
      tRaw += performance.now() - t;
      t = performance.now();
      for (let i = 0; i < SLICE; i++) await verifier.verify(qrList[(k + i) % qrList.length], { now: NOW });
      tSdk += performance.now() - t;
      n += SLICE;
      k += SLICE;
    }
    const s = n / (tSdk / 1000), b = n / (tRaw / 1000);
    sdk.push(s); base.push(b); ratio.push(s / b);
  }
  return { sdk: median(sdk), raw: median(base), ratio: median(ratio), ratios: ratio.map((x) => +x.toFixed(3)) };
}
const esCmp = await compare(qrs(es), rawEs, (x) => cryptoVerify('sha256', x.data, { key: x.key, dsaEncoding: 'ieee-p1363' }, x.sig));
const edCmp = await compare(qrs(ed), rawEd, (x) => cryptoVerify(null, x.data, x.key, x.sig));
const esPureCmp = nativeFold ? await compare(qrs(es), rawEs, (x) => cryptoVerify('sha256', x.data, { key: x.key, dsaEncoding: 'ieee-p1363' }, x.sig), verifierPure) : esCmp;
const [rawEsRate, sdkEsRate, rawEdRate, sdkEdRate] = [esCmp.raw, esCmp.sdk, edCmp.raw, edCmp.sdk];
const webEsRate = await rate((q) => verifierWeb.verify(q, { now: NOW }), qrs(es));
const webEdRate = await rate((q) => verifierWeb.verify(q, { now: NOW }), qrs(ed));

// Merkle build rate and proof / QR sizes for batches of 1, 4,096 and 65,536.
const leafHashes = Array.from({ length: 65_536 }, () => randomBytes(32).toString('hex'));
// One warm-up build, then the median of five (a single cold build measured the JIT, not the tree).
issuer.merkleRoot(leafHashes);
const merkleLeavesPerSecond = median(Array.from({ length: 5 }, () => {
  const tb = performance.now();
  issuer.merkleRoot(leafHashes);
  return 65_536 / ((performance.now() - tb) / 1000);
}));
const sizes = [];
for (const n of [1, 4096, 65_536]) {
  const jws = es.creds[0].jws;
  const leaves = leafHashes.slice(0, n);
  leaves[n - 1] = issuer.leafHashOf(jws);
  const proof = issuer.inclusionProof(leaves, n - 1);
  const qr = issuer.encodeQr({ jws, root: issuer.merkleRoot(leaves), proof });
  sizes.push({ batch: n, proofHashes: proof.path.length, proofBytes: proof.path.length * 32, qrChars: qr.length });
}

// Browser bundle: the default (browser) entry of the built SDK, minified, gzip.
const bundle = await build({ entryPoints: [join(dist, 'index.js')], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
const bundleBytes = bundle.outputFiles[0].contents.length;
const bundleGz = gzipSync(bundle.outputFiles[0].contents, { level: 9 }).length;

const qr4096 = sizes.find((s) => s.batch === 4096).qrChars;
const results = {
  node: process.version, benchMs: BENCH_MS, rounds: ROUNDS, note: `rates and ratios: medians of ${ROUNDS} rounds, each interleaving SDK and raw in slices of ${SLICE}`,
  nativeFold,
  verifyPerSecond: {
    sdkNodeES256: Math.round(sdkEsRate), rawNodeCryptoES256: Math.round(rawEsRate), ratioES256: +esCmp.ratio.toFixed(3), ratioES256Rounds: esCmp.ratios,
    sdkNodeES256NodeCryptoFold: Math.round(esPureCmp.sdk), rawNodeCryptoES256ForIt: Math.round(esPureCmp.raw), ratioES256NodeCryptoFold: +esPureCmp.ratio.toFixed(3), ratioES256NodeCryptoFoldRounds: esPureCmp.ratios,
    sdkNodeEdDSA: Math.round(sdkEdRate), rawNodeCryptoEdDSA: Math.round(rawEdRate), ratioEdDSA: +edCmp.ratio.toFixed(3), ratioEdDSARounds: edCmp.ratios,
    sdkWebES256: Math.round(webEsRate), sdkWebEdDSA: Math.round(webEdRate),
  },
  merkleLeavesPerSecond: Math.round(merkleLeavesPerSecond),
  sizes,
  bundle: { minBytes: bundleBytes, minGzBytes: bundleGz },
  targets: {
    verifyRatioAtLeast075: esCmp.ratio >= 0.75,
    qr4096AtMost1000Chars: qr4096 <= 1000,
    bundleAtMost40KB: bundleGz <= 40 * 1024,
  },
  totalSeconds: +((performance.now() - t0) / 1000).toFixed(1),
};

console.table({
  'SDK verify ES256 (node)': { value: results.verifyPerSecond.sdkNodeES256, unit: `verify/s (proof fold: ${nativeFold ? 'native addon' : 'node:crypto, addon not built'})` },
  'raw node:crypto ES256': { value: results.verifyPerSecond.rawNodeCryptoES256, unit: 'verify/s' },
  'ratio ES256 (target ≥ 0.75)': { value: results.verifyPerSecond.ratioES256, unit: `${results.targets.verifyRatioAtLeast075 ? 'met' : 'NOT met'} (rounds ${esCmp.ratios.join(' ')})` },
  ...(nativeFold ? { 'ratio ES256, fold by node:crypto': { value: results.verifyPerSecond.ratioES256NodeCryptoFold, unit: `without the addon (rounds ${esPureCmp.ratios.join(' ')})` } } : {}),
  'SDK verify EdDSA (node)': { value: results.verifyPerSecond.sdkNodeEdDSA, unit: 'verify/s' },
  'raw node:crypto EdDSA': { value: results.verifyPerSecond.rawNodeCryptoEdDSA, unit: 'verify/s' },
  'ratio EdDSA': { value: results.verifyPerSecond.ratioEdDSA, unit: '' },
  'SDK verify ES256 (web build in Node)': { value: results.verifyPerSecond.sdkWebES256, unit: 'verify/s' },
  'SDK verify EdDSA (web build in Node)': { value: results.verifyPerSecond.sdkWebEdDSA, unit: 'verify/s' },
  'Merkle build': { value: results.merkleLeavesPerSecond, unit: 'leaves/s' },
  ...Object.fromEntries(sizes.map((s) => [`batch ${s.batch}: proof / QR`, { value: s.qrChars, unit: `QR chars, proof ${s.proofHashes} hashes = ${s.proofBytes} B` }])),
  'QR for 4,096-leaf batch (target ≤ 1000)': { value: qr4096, unit: results.targets.qr4096AtMost1000Chars ? 'met' : 'NOT met' },
  'browser bundle min+gz (target ≤ 40 KB)': { value: bundleGz, unit: `bytes (${bundleBytes} min) ${results.targets.bundleAtMost40KB ? 'met' : 'NOT met'}` },
});
mkdirSync(join(rootDir, 'bench-results'), { recursive: true });
writeFileSync(join(rootDir, 'bench-results', 'sdk.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote bench-results/sdk.json in ${results.totalSeconds} s`);
