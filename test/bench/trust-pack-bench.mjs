// Trust pack benchmark (run after `tsc -b`): node test/bench/trust-pack-bench.mjs
// A synthetic day at the seed's scale, in memory (docs/protocol.md §6.1): 36,600 anchors of 4,096 leaves a day,
// 150,000 revocations a day, credentials living a day. Prints the sizes of the JSON snapshot, the full pack, a
// day's and an hour's delta (raw and gzip, as signed JWS), the time to open a full pack, and the verify rate on a
// pack-built index against a JSON-built one in the same run. Writes bench-results/trust-pack.json.
// PACK_ANCHORS_PER_DAY and PACK_REVOCATIONS_PER_DAY change the scale; BENCH_MS the length of each verify round.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CompactSign, generateKeyPair } from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const rootDir = join(here, '..', '..');
const dist = join(rootDir, 'verifier-sdk', 'dist');
const sdk = await import(join(dist, 'index.node.js'));
const issuer = await import(join(dist, 'issuer', 'index.js'));

const DAY = 86_400_000, HOUR = 3_600_000;
const ANCHORS_PER_DAY = Number(process.env.PACK_ANCHORS_PER_DAY ?? 36_600);
const REVOCATIONS_PER_DAY = Number(process.env.PACK_REVOCATIONS_PER_DAY ?? 150_000);
const LEAVES = 4096;
const BENCH_MS = Number(process.env.BENCH_MS ?? 800);
const T = Date.parse('2026-11-27T08:00:00.000Z'); // the pack's generatedAt: a day and more of history behind it
const START = T - 26 * HOUR; // two hours of it already past notAfter + 600 s
const REASONS = [['status-change', 0.8], ['superseded', 0.15], ['issued-in-error', 0.03], ['fraud', 0.015], ['key-compromise', 0.003], ['other', 0.002]];
const J = 'MacauMSP';

// A deterministic generator: the same synthetic day every run.
let seed = 0x2545f491;
const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
const hex = (n) => createHash('sha256').update(String(rand())).update(String(n)).digest('hex');
const iso = (ms) => new Date(ms).toISOString();

const issuerIds = ['gd-health-code', 'hk-health-code', 'mo-health-code', 'gd-residence', 'hk-vaccination', 'mo-travel-permit'];
const names = { en: 'Health code centre', pt: 'Centro do código de saúde', 'zh-Hans': '健康码中心', 'zh-Hant': '健康碼中心' };
const issuers = issuerIds.map((id, k) => ({
  id, ownerMsp: ['GuangdongMSP', 'HongKongMSP', 'MacauMSP'][k % 3], jurisdiction: ['guangdong', 'hong-kong', 'macau'][k % 3],
  displayName: names['zh-Hans'], displayNames: names, credentialTypes: ['health-code', 'vaccination'], state: 'active',
  createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z', txId: hex(k),
}));
const keys = [], policies = [];
for (const i of issuers) {
  for (const v of [1, 2]) {
    const { publicJwk } = issuer.generateSigningKey('ES256');
    keys.push({ issuerId: i.id, kid: `${i.id}-2026-${v}`, jwk: publicJwk, alg: 'ES256', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-06-01T00:00:00.000Z', state: 'active', updatedAt: '2026-01-02T03:04:05.000Z', txId: hex(v) });
  }
  for (const msp of ['GuangdongMSP', 'HongKongMSP', 'MacauMSP']) {
    policies.push({ recognisingMsp: msp, issuerId: i.id, credentialType: 'health-code', statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 21_600, validFrom: '2026-01-01T00:00:00.000Z', version: 3, withdrawn: false, updatedAt: '2026-01-02T03:04:05.000Z', txId: hex(msp) });
  }
}

// History from START to T: anchors evenly spread, one block every 2 s; revocations uniformly in time, each of a
// random leaf of an anchor already on the ledger.
const history = [];
const anchorCount = Math.round((ANCHORS_PER_DAY * (T - START)) / DAY);
const anchors = [];
for (let k = 0; k < anchorCount; k++) {
  const at = START + Math.floor(((k + rand()) * (T - START)) / anchorCount);
  const i = issuers[k % issuers.length];
  const a = {
    root: hex(k), issuerId: i.id, kid: `${i.id}-2026-1`, leafCount: LEAVES, anchoredAt: iso(at), txId: hex(-k),
    anchoredBy: i.ownerMsp, blockNumber: Math.floor((at - START) / 2000) + 1000, notAfter: iso(at + DAY + Math.floor(rand() * 60_000)),
  };
  anchors.push(a);
  history.push({ at, type: 'anchor', record: a, block: a.blockNumber });
}
const revocationCount = Math.round((REVOCATIONS_PER_DAY * (T - START)) / DAY);
for (let k = 0; k < revocationCount; k++) {
  const at = START + Math.floor(rand() * (T - START));
  // Anchors are evenly spread: the ones before `at` are a prefix.
  const before = Math.max(1, Math.floor(((at - START) / (T - START)) * anchorCount));
  const a = anchors[Math.floor(rand() * before)];
  let u = rand(), reason = 'other';
  for (const [r, p] of REASONS) if ((u -= p) < 0) { reason = r; break; }
  const r = { issuerId: a.issuerId, leafHash: hex(k + 1e9), reason, revokedAt: iso(Math.max(at, Date.parse(a.anchoredAt))), txId: hex(k + 2e9), root: a.root, leafIndex: Math.floor(rand() * LEAVES), notAfter: a.notAfter };
  history.push({ at: Date.parse(r.revokedAt), type: 'revocation', record: r, block: Math.floor((Date.parse(r.revokedAt) - START) / 2000) + 1000 });
}
history.sort((x, y) => x.at - y.at);

// Real credentials in one more batch, to verify against the same state both ways (half of them revoked).
const { privateJwk, publicJwk } = issuer.generateSigningKey('ES256');
keys.push({ issuerId: 'gd-health-code', kid: 'gd-bench', jwk: publicJwk, alg: 'ES256', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-06-01T00:00:00.000Z', state: 'active' });
const signer = issuer.newCredentialSigner({ issuerId: 'gd-health-code', kid: 'gd-bench', alg: 'ES256', privateJwk });
const issuedAt = new Date(T - HOUR);
const batcher = issuer.newBatcher({
  issuerId: 'gd-health-code', kid: 'gd-bench', maxLeaves: 256, maxDelayMs: 60_000,
  anchor: async (a) => {
    const rec = { root: a.root, issuerId: a.issuerId, kid: a.kid, leafCount: a.leafCount, anchoredAt: iso(T - HOUR + 1000), txId: hex('bench'), blockNumber: 99_999, notAfter: iso(T + DAY) };
    history.push({ at: T - HOUR + 1000, type: 'anchor', record: rec, block: 99_999 });
    return { txId: rec.txId, blockNumber: rec.blockNumber, anchoredAt: rec.anchoredAt };
  },
});
const creds = await Promise.all(Array.from({ length: 256 }, (_, n) => batcher.add(signer.sign({
  vct: 'health-code', st: 'green', sub: issuer.pseudonym(randomBytes(32), issuer.normaliseId('HRP', `H${10_000_000 + n}`)), name: '陈*明', doc: `HRP-${n}`, validitySeconds: 86_400,
}, issuedAt))));
for (const c of creds.filter((_, n) => n % 2 === 1)) {
  history.push({ at: T - HOUR + 2000, type: 'revocation', record: { issuerId: 'gd-health-code', leafHash: c.leafHash, reason: 'status-change', revokedAt: iso(T - HOUR + 2000), root: c.root, leafIndex: c.proof.leafIndex }, block: 99_999 });
}

/** The gateway's index at `atMs` from the history (what its trust cache holds), and what changed after `sinceMs`. */
function stateAt(atMs, sinceMs) {
  const index = sdk.newTrustIndex(atMs);
  for (const i of issuers) sdk.putIssuer(index, i);
  for (const k of keys) sdk.putKey(index, k);
  for (const p of policies) sdk.putPolicy(index, p);
  const changes = { anchors: [], revocations: [] };
  for (const h of history) {
    if (h.at > atMs) continue;
    if (h.type === 'anchor') sdk.putAnchor(index, h.record);
    else sdk.putRevocation(index, h.record);
    if (sinceMs !== undefined && h.at > sinceMs) (h.type === 'anchor' ? changes.anchors : changes.revocations).push(h.record);
  }
  return { index, changes };
}

const { privateKey } = await generateKeyPair('ES256');
const sign = (bytes, typ) => new CompactSign(bytes).setProtectedHeader({ alg: 'ES256', kid: 'mo-snapshot', typ }).sign(privateKey);
const sizes = async (bytes, typ) => {
  const jws = await sign(bytes, typ);
  return { rawBytes: bytes.length, gzipRawBytes: gzipSync(bytes, { level: 9 }).length, jwsChars: jws.length, gzipJwsBytes: gzipSync(jws, { level: 9 }).length, jws };
};
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

const t0 = performance.now();
const { index: now } = stateAt(T);
// The JSON snapshot of the live records only (the same state the pack carries).
const liveSnapshot = sdk.snapshotOfIndex(now, J);
const live = (t) => t === undefined || Date.parse(t) + sdk.MAX_CLOCK_SKEW_MS > T;
liveSnapshot.anchors = liveSnapshot.anchors.filter((a) => live(a.notAfter));
liveSnapshot.revocations = liveSnapshot.revocations.filter((r) => live(r.notAfter));
const snapshotJson = new TextEncoder().encode(JSON.stringify(liveSnapshot));
const snapshot = await sizes(snapshotJson, sdk.SNAPSHOT_JWS_TYP);

const full = sdk.encodeTrustPack(now, { jurisdiction: J, sequence: 200_000 });
const fullSizes = await sizes(full, sdk.TRUST_PACK_JWS_TYP);
const deltaOf = (sinceMs, baseSequence) => {
  const { index, changes } = stateAt(T, sinceMs);
  return sdk.encodeTrustPack(index, { jurisdiction: J, sequence: 200_000, delta: { baseSequence, changes } });
};
const day = await sizes(deltaOf(T - DAY, 150_000), sdk.TRUST_PACK_JWS_TYP);
const hour = await sizes(deltaOf(T - HOUR, 198_000), sdk.TRUST_PACK_JWS_TYP);

// A delta really applies: the state a day ago, then the day's delta, reaches the full pack's digest.
const base = sdk.openTrustPack(sdk.encodeTrustPack(stateAt(T - DAY).index, { jurisdiction: J, sequence: 150_000 }), { jurisdiction: J });
const chained = sdk.openTrustPack(deltaOf(T - DAY, 150_000), { jurisdiction: J, base: { index: base.index, sequence: 150_000 } });

// The gateway's cost: preparing the live state (canonical body and digest) once per state.
const prepareStart = performance.now();
sdk.prepareTrustState(now, { jurisdiction: J });
const prepareMs = performance.now() - prepareStart;
// A client's cost of an hour's delta on the state an hour ago.
const hourBase = sdk.openTrustPack(sdk.encodeTrustPack(stateAt(T - HOUR).index, { jurisdiction: J, sequence: 198_000 }), { jurisdiction: J });
const hourBytes = deltaOf(T - HOUR, 198_000);
const applyStart = performance.now();
sdk.openTrustPack(hourBytes, { jurisdiction: J, base: { index: hourBase.index, sequence: 198_000 } });
const applyHourDeltaMs = performance.now() - applyStart;

const openMs = [];
let opened;
for (let k = 0; k < 5; k++) {
  const s = performance.now();
  const o = sdk.openTrustPack(full, { jurisdiction: J });
  openMs.push(performance.now() - s);
  opened = o;
}
openMs.sort((a, b) => a - b);

const counts = { anchors: opened.index.anchorsByPrefix.size, revocations: 0 };
for (const a of opened.index.anchorsByPrefix.values()) counts.revocations += a.revoked?.size ?? 0;

// Revocation structure sizes, positions only (membership: revoked or not), over the same live state: the exact gap
// code of §6.1 without reason and time, the information-theoretic minimum for these sets, and a CRLite Bloom filter
// cascade (Larisch et al., IEEE S&P 2017; as mozilla/crlite sets it: level 1 at false-positive rate R/(√2·S), then ½)
// over the universe of live positions, which the anchors enumerate.
const varintBytes = (v) => { let n = 1; while (v >= 128) { v = Math.floor(v / 128); n++; } return n; };
let universe = 0, revokedTotal = 0, gapBytes = 0, minimumBits = 0, prevPos = -1, pos = 0;
const liveAnchors = [...opened.index.anchorsByPrefix.values()].sort((a, b) => a.anchoredAtMs - b.anchoredAtMs || (a.record.root < b.record.root ? -1 : 1));
gapBytes += varintBytes(liveAnchors.filter((a) => a.revoked?.size).length);
for (const a of liveAnchors) {
  universe += a.record.leafCount;
  const leaves = [...(a.revoked?.keys() ?? [])].sort((x, y) => x - y);
  if (leaves.length > 0) {
    gapBytes += varintBytes(pos - prevPos - 1) + varintBytes(leaves.length);
    prevPos = pos;
    let prev = -1;
    for (const l of leaves) { gapBytes += varintBytes(l - prev - 1); prev = l; }
  }
  for (let j = 0; j < leaves.length; j++) minimumBits += Math.log2((a.record.leafCount - j) / (j + 1));
  revokedTotal += leaves.length;
  pos++;
}
function cascadeBits(r, s) {
  let bits = 0, p = Math.min(0.5, r / (Math.SQRT2 * s));
  // n[k] elements in level k, built with false-positive rate p; level k+1 holds the other set's false positives.
  let include = r, exclude = s;
  for (let k = 0; k < 64 && include >= 1; k++) {
    bits += (include * Math.log2(1 / p)) / Math.LN2;
    const next = exclude * p;
    exclude = include;
    include = next;
    p = 0.5;
  }
  return bits;
}
const revocationStructures = {
  universePositions: universe, revoked: revokedTotal,
  exactGapCodePositionsOnlyBytes: gapBytes,
  informationTheoreticMinimumBytes: Math.ceil(minimumBits / 8),
  crliteCascadeEstimateBytes: Math.ceil(cascadeBits(revokedTotal, universe - revokedTotal) / 8),
};

// Verify rate: a JSON-built index and a pack-built index of the same state, alternating rounds in one run.
const at = new Date(T + 60_000);
const jsonVerifier = sdk.newVerifier({ trust: liveSnapshot, jurisdiction: J });
const packVerifier = sdk.newVerifierOnIndex(opened.index, { jurisdiction: J });
const qrs = creds.map((c) => c.qr);
const agree = await Promise.all(qrs.map(async (qr) => (await jsonVerifier.verify(qr, { now: at })).reason === (await packVerifier.verify(qr, { now: at })).reason));
const reasons = new Set(await Promise.all(qrs.map(async (qr) => (await packVerifier.verify(qr, { now: at })).reason)));
async function rate(v) {
  let n = 0;
  const s = performance.now();
  while (performance.now() - s < BENCH_MS) {
    for (let i = 0; i < 256; i++) await v.verify(qrs[(n + i) % qrs.length], { now: at });
    n += 256;
  }
  return n / ((performance.now() - s) / 1000);
}
const rounds = { json: [], pack: [] };
for (let k = 0; k < 3; k++) {
  rounds.json.push(await rate(jsonVerifier));
  rounds.pack.push(await rate(packVerifier));
}
const best = (xs) => Math.max(...xs);

const results = {
  scale: { anchorsPerDay: ANCHORS_PER_DAY, revocationsPerDay: REVOCATIONS_PER_DAY, leavesPerAnchor: LEAVES, historyHours: (T - START) / HOUR, liveAnchors: counts.anchors, liveRevocations: counts.revocations },
  jsonSnapshot: { ...snapshot, jws: undefined },
  fullPack: { ...fullSizes, jws: undefined },
  dayDelta: { ...day, jws: undefined },
  hourDelta: { ...hour, jws: undefined },
  dayDeltaChainsToFull: chained.stateDigest === opened.stateDigest,
  revocationStructures,
  openFullPackMs: { median: +openMs[2].toFixed(1), min: +openMs[0].toFixed(1) },
  applyHourDeltaMs: +applyHourDeltaMs.toFixed(1),
  gatewayPrepareStateMs: +prepareMs.toFixed(1),
  verify: {
    jsonIndexPerSecond: Math.round(best(rounds.json)), packIndexPerSecond: Math.round(best(rounds.pack)),
    packOverJsonRatio: +(best(rounds.pack) / best(rounds.json)).toFixed(3), sameDecisions: agree.every(Boolean), reasons: [...reasons].sort(),
  },
  totalSeconds: +((performance.now() - t0) / 1000).toFixed(1),
};

const row = (name, s) => console.log(`${name.padEnd(22)} raw ${kb(s.rawBytes).padStart(11)}  gzip(raw) ${kb(s.gzipRawBytes).padStart(11)}  JWS ${kb(s.jwsChars).padStart(11)}  gzip(JWS) ${kb(s.gzipJwsBytes).padStart(11)}`);
console.log(`live state at generatedAt: ${counts.anchors} anchors, ${counts.revocations} revocations (history ${(T - START) / HOUR} h)`);
row('JSON snapshot', snapshot);
row('full trust pack', fullSizes);
row("a day's delta", day);
row("an hour's delta", hour);
console.log(`day's delta on the state a day ago reaches the full pack's digest: ${results.dayDeltaChainsToFull}`);
console.log(`revoked positions only (${revokedTotal} of ${universe}): exact gap code ${kb(gapBytes)}, minimum ${kb(revocationStructures.informationTheoreticMinimumBytes)}, CRLite cascade ≈ ${kb(revocationStructures.crliteCascadeEstimateBytes)}`);
console.log(`open a full pack (decode, index, digest): median ${results.openFullPackMs.median} ms; apply an hour's delta: ${results.applyHourDeltaMs} ms; gateway prepares the state: ${results.gatewayPrepareStateMs} ms`);
console.log(`verify: JSON index ${results.verify.jsonIndexPerSecond}/s, pack index ${results.verify.packIndexPerSecond}/s, ratio ${results.verify.packOverJsonRatio}, same decisions: ${results.verify.sameDecisions} (${results.verify.reasons.join(', ')})`);
mkdirSync(join(rootDir, 'bench-results'), { recursive: true });
writeFileSync(join(rootDir, 'bench-results', 'trust-pack.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote bench-results/trust-pack.json in ${results.totalSeconds} s`);
