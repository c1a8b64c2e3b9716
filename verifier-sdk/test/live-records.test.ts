/**
 * Live records (docs/protocol.md §6 "Live records"): from an anchor's notAfter + 600 s its credentials are EXPIRED at
 * any allowed skew, so dropping the anchor and the revocations of its leaves never changes a decision.
 */
import { LEDGER_TIME_WINDOW_SECONDS,
  deadFromMs, dropDeadAnchors, dropDeadRevocation, indexTrust, isLiveRecord, liveSnapshot, MAX_CLOCK_SKEW_MS, newVerifier,
  type TrustSnapshot,
} from '@hutong/verifier-sdk';
import { prepareBatch } from '@hutong/verifier-sdk/issuer';
import { newScenario, NOW, ISSUER_ID } from './fixtures';

const expOf = (jws: string): number => (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

describe('the live-record rule', () => {
  test('a record is live until notAfter + 600 s (exclusive); one without notAfter always', () => {
    const notAfter = '2026-11-26T08:00:00.000Z', at = Date.parse(notAfter);
    expect(MAX_CLOCK_SKEW_MS).toBe(600_000);
    expect(deadFromMs({ notAfter })).toBe(at + 600_000);
    expect(isLiveRecord({ notAfter }, at + 599_999)).toBe(true);
    expect(isLiveRecord({ notAfter }, at + 600_000)).toBe(false);
    expect(isLiveRecord({}, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(deadFromMs({})).toBeUndefined();
  });

  test('prepareBatch declares the latest exp of the credentials it keeps', async () => {
    const s = newScenario();
    const [a, b] = await s.issue('ES256', 2, { validitySeconds: 7200 });
    const batch = await prepareBatch([a!.jws, b!.jws]);
    expect(batch.notAfter).toBe(new Date(Math.max(expOf(a!.jws), expOf(b!.jws)) * 1000).toISOString());
  });
});

describe('dropping records that are no longer live never changes a decision', () => {
  test('at and after the cut-off, at every allowed skew, decisions and reasons are those of the whole snapshot', async () => {
    const s = newScenario();
    // Two batches: one of short-lived credentials (one of them revoked), one of longer-lived ones.
    const short = await s.issue('ES256', 3, { validitySeconds: 3600 });
    const long = await s.issue('EdDSA', 2, { validitySeconds: 86_400 });
    const full = s.snapshot();
    for (const batch of [short, long]) {
      const notAfter = new Date(Math.max(...batch.map((c) => expOf(c.jws))) * 1000).toISOString();
      for (const a of full.anchors) if (a.root === batch[0]!.root) Object.assign(a, { notAfter });
    }
    const revoked = short[1]!;
    const shortNotAfter = full.anchors.find((a) => a.root === revoked.root)!.notAfter!;
    (full.revocations as unknown[]).push({ issuerId: ISSUER_ID, leafHash: revoked.leafHash, reason: 'status-change', revokedAt: NOW.toISOString(), root: revoked.root, leafIndex: revoked.proof.leafIndex, notAfter: shortNotAfter });

    const cutoff = deadFromMs({ notAfter: shortNotAfter })!;
    let dropped = 0;
    for (const nowMs of [cutoff, cutoff + 1, cutoff + 3_600_000]) {
      const at: TrustSnapshot = { ...full, generatedAt: new Date(nowMs).toISOString() };
      const live = liveSnapshot(at, nowMs);
      expect(live.anchors.map((a) => a.root)).toEqual(at.anchors.filter((a) => a.root !== revoked.root).map((a) => a.root));
      expect(live.revocations).toEqual([]);
      dropped += at.anchors.length - live.anchors.length;
      for (const skew of [0, 60, 600]) {
        const whole = newVerifier({ trust: at, jurisdiction: 'MacauMSP', clockSkewSeconds: skew });
        const pruned = newVerifier({ trust: live, jurisdiction: 'MacauMSP', clockSkewSeconds: skew });
        for (const c of [...short, ...long]) {
          const [w, p] = await Promise.all([whole.verify(c.qr, { now: new Date(nowMs) }), pruned.verify(c.qr, { now: new Date(nowMs) })]);
          expect({ qr: c.leafHash, skew, reason: p.reason, decision: p.decision }).toEqual({ qr: c.leafHash, skew, reason: w.reason, decision: w.decision });
        }
      }
    }
    expect(dropped).toBe(3);
    // One millisecond before the cut-off nothing is dropped (the same snapshot object).
    const before: TrustSnapshot = { ...full, generatedAt: new Date(cutoff - 1).toISOString() };
    expect(liveSnapshot(before, cutoff - 1)).toBe(before);
  });

  test('a credential expiring after its anchor’s notAfter: EXPIRY_BEYOND_ANCHOR with the anchor, ROOT_NOT_ANCHORED without', async () => {
    const s = newScenario();
    const [c] = await s.issue('ES256', 1, { validitySeconds: 86_400 });
    const full = s.snapshot();
    const anchor = full.anchors.find((a) => a.root === c!.root)!;
    Object.assign(anchor, { notAfter: new Date(expOf(c!.jws) * 1000 - 3_600_000).toISOString() }); // an hour too early
    const nowMs = deadFromMs(anchor)!;
    const at: TrustSnapshot = { ...full, generatedAt: new Date(nowMs).toISOString() };
    const now = new Date(nowMs);
    const w = await newVerifier({ trust: at, jurisdiction: 'MacauMSP' }).verify(c!.qr, { now });
    const p = await newVerifier({ trust: liveSnapshot(at, nowMs), jurisdiction: 'MacauMSP' }).verify(c!.qr, { now });
    expect([w.decision, w.reason, p.decision, p.reason]).toEqual(['REJECT', 'EXPIRY_BEYOND_ANCHOR', 'REJECT', 'ROOT_NOT_ANCHORED']);
  });

  test('a key check that used the dropped anchor may give another REJECT reason', async () => {
    const s = newScenario();
    const [c] = await s.issue('ES256', 1, { validitySeconds: 3600 });
    const full = s.snapshot();
    const anchor = full.anchors.find((a) => a.root === c!.root)!;
    Object.assign(anchor, { notAfter: new Date(expOf(c!.jws) * 1000).toISOString() });
    // The key was revoked more than the ledger time window after the anchor: with the anchor the credential gets to the time check (EXPIRED); without
    // it, nothing proves it predates the revocation (KEY_REVOKED). Both REJECT.
    Object.assign(full.keys[0]!, { state: 'revoked', revokedAt: new Date(Date.parse(anchor.anchoredAt) + (LEDGER_TIME_WINDOW_SECONDS + 1) * 1000).toISOString() });
    const nowMs = deadFromMs(anchor)!;
    const at: TrustSnapshot = { ...full, generatedAt: new Date(nowMs).toISOString() };
    const now = new Date(nowMs);
    const w = await newVerifier({ trust: at, jurisdiction: 'MacauMSP' }).verify(c!.qr, { now });
    const p = await newVerifier({ trust: liveSnapshot(at, nowMs), jurisdiction: 'MacauMSP' }).verify(c!.qr, { now });
    expect([w.decision, w.reason, p.decision, p.reason]).toEqual(['REJECT', 'EXPIRED', 'REJECT', 'KEY_REVOKED']);
  });
});

describe('dropping from an index', () => {
  test('removes only records past their cut-off, and empty maps with them', async () => {
    const s = newScenario();
    const [c] = await s.issue('ES256', 1, { validitySeconds: 3600 });
    const t = s.snapshot();
    const notAfter = new Date(expOf(c!.jws) * 1000).toISOString();
    Object.assign(t.anchors.find((a) => a.root === c!.root)!, { notAfter });
    (t.revocations as unknown[]).push({ issuerId: ISSUER_ID, leafHash: c!.leafHash, reason: 'fraud', revokedAt: NOW.toISOString(), notAfter });
    (t.revocations as unknown[]).push({ issuerId: ISSUER_ID, leafHash: 'ab'.repeat(32), reason: 'fraud', revokedAt: NOW.toISOString() });
    const index = indexTrust(t);
    const cutoff = deadFromMs({ notAfter })!;
    expect(dropDeadAnchors(index, c!.root, cutoff - 1)).toBe(0);
    expect(dropDeadRevocation(index, ISSUER_ID, c!.leafHash, cutoff - 1)).toBe(false);
    expect(dropDeadAnchors(index, c!.root, cutoff)).toBe(1);
    expect(index.anchors.has(c!.root)).toBe(false);
    expect(dropDeadRevocation(index, ISSUER_ID, c!.leafHash, cutoff)).toBe(true);
    expect(dropDeadRevocation(index, ISSUER_ID, 'ab'.repeat(32), Number.MAX_SAFE_INTEGER)).toBe(false); // no notAfter: kept
    expect(index.revokedByIssuer.get(ISSUER_ID)?.size).toBe(1);
  });
});
