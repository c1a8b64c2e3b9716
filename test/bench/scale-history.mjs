// The seed-scale simulation's synthetic history (issue #16), written through two Ledger connections: the simulated
// issuer's owner organisation (anchors, revocations, key proposals) and the other one (approvals, its recognition
// policy). Used by scale-consortium.mjs (embedded) and test/scale/scale-fabric.test.ts (Fabric).
// Synthetic Merkle trees are sparse: every leaf of a batch has one value except the few that will be revoked, so a
// root and an audit path cost O(revoked × depth) hashes (uniform subtrees memoised per level), never 4,096 leaves.
import { createHash, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

export const SIM_ISSUER = 'gd-sim-issuer';
const LEAF_COUNT = 4096; // the seed's batch size: a perfect tree of depth 12
const DEPTH = Math.log2(LEAF_COUNT);
// Submissions in flight at once: under Fabric's peer gateway limit (peer.limits.concurrency.gatewayService, 500),
// which refuses the excess with "too many requests" (seen at 1/100 of the seed's day with 2,000).
const WAVE = 400;

const node = (l, r) => createHash('sha256').update(Buffer.of(0x01)).update(l).update(r).digest();

/** A batch of LEAF_COUNT leaves, all `uniform` but `special` (index → leaf hash): its root and each special leaf's path. */
function sparseTree(special) {
  const uniform = [randomBytes(32)];
  for (let l = 1; l <= DEPTH; l++) uniform.push(node(uniform[l - 1], uniform[l - 1]));
  const indices = [...special.keys()].sort((a, b) => a - b);
  const memo = new Map();
  const hash = (level, start) => {
    const end = start + 2 ** level;
    if (!indices.some((i) => i >= start && i < end)) return uniform[level];
    if (level === 0) return special.get(start);
    const k = `${level}/${start}`;
    let h = memo.get(k);
    if (!h) memo.set(k, (h = node(hash(level - 1, start), hash(level - 1, start + 2 ** (level - 1)))));
    return h;
  };
  const root = hash(DEPTH, 0).toString('hex');
  const paths = new Map();
  for (const i of indices) {
    const path = [];
    for (let l = 0; l < DEPTH; l++) path.push(hash(l, (Math.floor(i / 2 ** l) ^ 1) * 2 ** l).toString('hex'));
    paths.set(i, path);
  }
  return { root, paths };
}

async function inWaves(items, submit) {
  let failures = 0;
  for (let i = 0; i < items.length; i += WAVE) {
    const rs = await Promise.allSettled(items.slice(i, i + WAVE).map(submit));
    for (const r of rs) if (r.status === 'rejected') { failures++; if (failures <= 3) console.error(`scale writer: ${r.reason?.code} ${r.reason?.message}`); }
  }
  return failures;
}

const iso = (ms) => new Date(ms).toISOString();

/** A new key for the simulated issuer, proposed by its owner and approved by the other organisation. */
async function rotateKey(gd, mo, day) {
  const kid = `sim-${day}`;
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const now = Date.now();
  await gd.submit('ProposeIssuerKey', { issuerId: SIM_ISSUER, kid, jwk, validFrom: iso(now - 60_000), validUntil: iso(now + 366 * 86_400_000) });
  await mo.submit('ApproveIssuerKey', { issuerId: SIM_ISSUER, kid });
  return kid;
}

async function updatePolicy(mo, day) {
  await mo.submit('PutRecognitionPolicy', {
    issuerId: SIM_ISSUER, credentialType: 'health-code', statusMapping: { green: 'green', red: 'red' }, acceptedStatuses: ['green'],
    maxAgeSeconds: 21_600 + day, validFrom: iso(Date.now() - 60_000),
  });
}

async function setup(gd, mo, state) {
  try {
    await gd.evaluate('GetIssuer', { issuerId: SIM_ISSUER });
  } catch (e) {
    if (e.code !== 'ISSUER_NOT_FOUND') throw e;
    await gd.submit('ProposeIssuer', { issuerId: SIM_ISSUER, displayName: 'Simulated issuer', credentialTypes: ['health-code'] });
    await mo.submit('ApproveIssuer', { issuerId: SIM_ISSUER });
  }
  const kid = `sim-setup-${Date.now()}`;
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  await gd.submit('ProposeIssuerKey', { issuerId: SIM_ISSUER, kid, jwk, validFrom: iso(Date.now() - 60_000), validUntil: iso(Date.now() + 366 * 86_400_000) });
  await mo.submit('ApproveIssuerKey', { issuerId: SIM_ISSUER, kid });
  await updatePolicy(mo, 0);
  // Detect once: a chaincode without `notAfter` refuses the unknown member (strict input objects).
  try {
    await gd.submit('AnchorBatch', { issuerId: SIM_ISSUER, kid, root: randomBytes(32).toString('hex'), leafCount: LEAF_COUNT, notAfter: iso(Date.now()) });
    state.notAfterSupported = true;
  } catch (e) {
    if (e.code !== 'INVALID_ARGUMENT') throw e;
    state.notAfterSupported = false;
    await gd.submit('AnchorBatch', { issuerId: SIM_ISSUER, kid, root: randomBytes(32).toString('hex'), leafCount: LEAF_COUNT });
  }
  return { notAfterSupported: state.notAfterSupported };
}

/**
 * One simulated day: a key rotation, a policy update, `anchors` batches of 4,096 and `revocations` revocations of
 * leaves of those batches (spread evenly over them), each with a valid inclusion proof. An anchor's notAfter is
 * (its time + daySeconds − graceSeconds): a gateway prunes a record once notAfter + grace (600 s) is behind the
 * ledger's time, so with this the batch is live for one compressed day of wall time, whatever the grace.
 */
async function writeDay(gd, mo, state, { day, anchors, revocations, daySeconds, graceSeconds }) {
  const t0 = Date.now();
  const kid = await rotateKey(gd, mo, day);
  await updatePolicy(mo, day);
  const notAfter = iso(Date.now() + (daySeconds - graceSeconds) * 1000);
  let anchorFailures = 0, revocationFailures = 0, written = 0, revoked = 0, anchorMs = 0;
  // In chunks (anchors, then their revocations): the writer's own memory stays small beside the gateways'.
  const chunk = Math.max(1, Math.floor(WAVE / Math.max(1, Math.ceil(revocations / anchors))));
  for (let first = 0; first < anchors; first += chunk) {
    const batches = [];
    for (let b = first; b < Math.min(anchors, first + chunk); b++) {
      const k = Math.floor(revocations / anchors) + (b < revocations % anchors ? 1 : 0);
      const special = new Map();
      while (special.size < k) special.set(randomInt(LEAF_COUNT), randomBytes(32));
      batches.push({ special, ...sparseTree(special) });
    }
    const ta = Date.now();
    anchorFailures += await inWaves(batches, (b) =>
      gd.submit('AnchorBatch', { issuerId: SIM_ISSUER, kid, root: b.root, leafCount: LEAF_COUNT, ...(state.notAfterSupported ? { notAfter } : {}) }));
    anchorMs += Date.now() - ta;
    const revs = batches.flatMap((b) => [...b.special].map(([leafIndex, leaf]) => ({ leafIndex, leafHash: leaf.toString('hex'), path: b.paths.get(leafIndex) })));
    revocationFailures += await inWaves(revs, (r) =>
      gd.submit('RevokeCredential', { issuerId: SIM_ISSUER, leafHash: r.leafHash, reason: 'status-change', proof: { leafIndex: r.leafIndex, treeSize: LEAF_COUNT, path: r.path } }));
    written += batches.length;
    revoked += revs.length;
  }
  const ms = Date.now() - t0;
  return { day, transactions: 3 + written + revoked, anchors: written, revocations: revoked, anchorFailures, revocationFailures, anchorMs, revocationMs: ms - anchorMs, ms };
}

/**
 * The writer over two connections: `owner` (the simulated issuer's organisation) and `other` (the approver). `setup`
 * is idempotent and finds out once whether AnchorBatch takes `notAfter` (or pass `known.notAfterSupported`);
 * `writeDay` writes one simulated day.
 */
export function newScaleHistory(owner, other, known = {}) {
  // A writer in a restarted process is told what an earlier `setup` found rather than finding it out again.
  const state = { notAfterSupported: known.notAfterSupported };
  return {
    setup: () => setup(owner, other, state),
    writeDay: (day) => writeDay(owner, other, state, day),
  };
}
