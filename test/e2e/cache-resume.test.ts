/**
 * The trust cache resumes from its persisted checkpoint: after a restart a gateway starts from the records it had
 * and applies only the events committed while it was down (here: a revocation written straight to the ledger). It
 * holds live records only (docs/protocol.md §6 "Live records"): anchors past notAfter + 600 s of ledger time leave
 * its memory and its store, so a restart loads what is live, not the history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import { pino } from 'pino';
import { newTrustCache } from '../../gateway/src/cache/trust-cache';
import { newTrustCacheStore } from '../../gateway/src/cache/trust-cache-store';
import { LedgerError, type Ledger } from '@hutong/ledger';
import { call, eventually, healthCode, startEmbeddedHarness } from './harness';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';

test('a restarted gateway resumes after its checkpoint and catches up on what it missed', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hutong-resume-'));
  try {
    let h = await startEmbeddedHarness({ home });
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    expect(issued.status).toBe(201);
    const macau = h.gateways.get('macau')!;
    await macau.cache.waitUntil(() => (macau.cache.status().checkpoint?.blockNumber ?? -1) >= issued.body.anchor.blockNumber, 3000);
    const checkpointBefore = macau.cache.status().checkpoint!;
    await h.close();

    // While every gateway is down, Guangdong's issuer revokes the credential directly on the ledger.
    const backend = newEmbeddedLedger({ path: join(home, 'ledger.sqlite') });
    const gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'client' });
    const { evidence } = await gd.submit('RevokeCredential', { issuerId: 'gd-health-code', leafHash: issued.body.leafHash, proof: issued.body.proof, reason: 'fraud' });
    await gd.close();
    await backend.close();
    expect(evidence.blockNumber).toBeGreaterThan(checkpointBefore.blockNumber);

    h = await startEmbeddedHarness({ home });
    const resumed = h.gateways.get('macau')!;
    // Loaded from disk: the anchor is known before any event is replayed.
    expect(resumed.cache.anchor(issued.body.root)).toEqual(expect.objectContaining({ txId: issued.body.anchor.txId, blockNumber: issued.body.anchor.blockNumber }));
    const verdict = await eventually(
      () => call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr } }),
      (r) => r.body.reason === 'CREDENTIAL_REVOKED',
    );
    expect(verdict.body.reason).toBe('CREDENTIAL_REVOKED');
    expect(resumed.cache.status().checkpoint!.blockNumber).toBeGreaterThanOrEqual(evidence.blockNumber);
    await h.dispose();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a root the events have not delivered yet is found by one evaluate (cache miss fallback); a root already held costs none', async () => {
  const anchor = { root: 'a'.repeat(64), issuerId: 'gd-health-code', kid: 'k1', leafCount: 4, anchoredAt: '2026-11-26T00:00:00.000Z', txId: 'tx-a', anchoredBy: 'GuangdongMSP' };
  const evaluations: string[] = [];
  const silentLedger = {
    identity: { mspId: 'MacauMSP', role: 'client' },
    async evaluate(tx: string, input: { root: string }) {
      evaluations.push(`${tx}:${input.root.slice(0, 1)}`);
      if (input.root === anchor.root) return anchor;
      throw new LedgerError('ANCHOR_NOT_FOUND', 'no');
    },
    async getTransaction() { return { blockNumber: 42 }; },
    async height() { return 1; },
    events: (_after: unknown, signal: AbortSignal) => ({
      async *[Symbol.asyncIterator]() { await new Promise((r) => signal.addEventListener('abort', r)); yield* []; },
    }),
  } as unknown as Ledger;
  const home = mkdtempSync(join(tmpdir(), 'hutong-miss-'));
  const cache = newTrustCache({ ledger: silentLedger, store: newTrustCacheStore({ path: join(home, 'c.sqlite') }), logger: pino({ level: 'silent' }), heightPollMs: 1000, maxLagBlocks: 5 });
  await cache.start();
  try {
    expect(cache.anchor(anchor.root)).toBeUndefined();
    expect(await cache.fetchAnchor(anchor.root)).toBe(true);
    expect(cache.anchor(anchor.root)).toEqual({ ...anchor, blockNumber: 42 });
    expect(await cache.fetchAnchor(anchor.root)).toBe(false); // held: nothing new, no evaluate
    expect(await cache.fetchAnchor('b'.repeat(64))).toBe(false);
    // Remembering answers, coalescing and rate limits are the lookup gate's (verification-bounds.test.ts).
    expect(evaluations).toEqual(['GetAnchor:a', 'GetAnchor:b']);
  } finally {
    await cache.close();
    rmSync(home, { recursive: true, force: true });
  }
});

/** A gauge of the gateway's /metrics by name and type label. */
async function gauge(url: string, name: string, type: string): Promise<number> {
  const text = (await call('GET', `${url}/metrics`)).text;
  const m = new RegExp(`^${name}\\{[^}]*type="${type}"[^}]*\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

test('a restart loads only live records and is ready at once; the anchors of expired batches are gone, answers unchanged', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hutong-prune-restart-'));
  const SHORT = 2000, LONG = 300;
  try {
    let h = await startEmbeddedHarness({ home });
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    expect(issued.status).toBe(201);
    const verifyAtMacau = () => call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr } });
    const before = await eventually(verifyAtMacau, (r) => r.body.reason === 'ACCEPTED');
    expect(before.body.reason).toBe('ACCEPTED');
    const macau = h.gateways.get('macau')!;
    // The issuing gateway declared the batch's lifetime: the credential's own exp.
    expect(macau.cache.anchor(issued.body.root)?.notAfter).toBe(before.body.validity.expiresAt);
    const kid = macau.cache.anchor(issued.body.root)!.kid;

    // Batches whose credentials expired ~590 s ago: live for ten more seconds of ledger time, then never again.
    const gd = await h.backend.connect({ mspId: 'GuangdongMSP', role: 'client' });
    const anchorAll = async (n: number, notAfter: () => string) => {
      let last = 0;
      for (let i = 0; i < n; i += 250) {
        const chunk = await Promise.all(Array.from({ length: Math.min(250, n - i) }, () =>
          gd.submit('AnchorBatch', { issuerId: 'gd-health-code', kid, root: randomBytes(32).toString('hex'), leafCount: 4096, notAfter: notAfter() })));
        last = Math.max(last, ...chunk.map((c) => c.evidence.blockNumber));
      }
      return last;
    };
    const shortLived = Date.now() + 10_000;
    let lastBlock = await anchorAll(SHORT, () => new Date(shortLived - 600_000).toISOString());
    await macau.cache.waitUntil(() => (macau.cache.status().checkpoint?.blockNumber ?? 0) >= lastBlock, 30_000);
    const heldAtPeak = await gauge(h.url('macau'), 'hutong_trust_cache_records', 'anchor');
    // Then batches of a day's credentials, written once the short ones' cut-off has passed in ledger time.
    await new Promise((r) => setTimeout(r, Math.max(0, shortLived - Date.now() + 50)));
    lastBlock = await anchorAll(LONG, () => new Date(Date.now() + 86_400_000).toISOString());
    await macau.cache.waitUntil(() => (macau.cache.status().checkpoint?.blockNumber ?? 0) >= lastBlock, 30_000);
    await gd.close();
    const held = await eventually(() => gauge(h.url('macau'), 'hutong_trust_cache_records', 'anchor'), (n) => n < heldAtPeak - SHORT / 2, 5000);
    const pruned = await gauge(h.url('macau'), 'hutong_trust_cache_pruned_total', 'anchor');
    await h.close();

    const storePath = join(home, 'macau', 'trust-cache.sqlite');
    const db = new Database(storePath, { readonly: true, fileMustExist: true });
    const storedAnchors = (db.prepare("SELECT count(*) AS n FROM record WHERE type = 'anchor'").get() as { n: number }).n;
    db.close();

    const t0 = performance.now();
    h = await startEmbeddedHarness({ home });
    await eventually(() => call('GET', `${h.url('macau')}/readyz`), (r) => r.status === 200, 10_000, 5);
    const restartToReadyMs = performance.now() - t0;
    const resumed = h.gateways.get('macau')!;
    const loadedAnchors = resumed.cache.index.anchors.size;
    console.log(`[prune] ${SHORT + LONG + 1} anchors written (${SHORT} expired); Macau held ${heldAtPeak} at the peak, ${held} after pruning `
      + `(${pruned} pruned); store ${storedAnchors} anchors; restart to ready ${restartToReadyMs.toFixed(0)} ms with ${loadedAnchors} anchors loaded`);
    expect(pruned).toBeGreaterThanOrEqual(SHORT);
    expect(storedAnchors).toBeLessThan(LONG + 50);
    expect(loadedAnchors).toBe(held);
    expect(resumed.cache.anchor(issued.body.root)).toBeDefined();
    const after = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr } });
    expect({ decision: after.body.decision, reason: after.body.reason, evidence: after.body.evidence }).toEqual({ decision: before.body.decision, reason: before.body.reason, evidence: before.body.evidence });
    await h.dispose();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 120_000);
