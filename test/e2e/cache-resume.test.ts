/**
 * The trust cache resumes from its persisted checkpoint: after a restart a gateway starts from the records it had
 * and applies only the events committed while it was down (here: a revocation written straight to the ledger).
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
