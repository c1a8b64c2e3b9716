/**
 * Ready means "would accept a valid credential now". After a restart on the same data, gateways used to answer
 * /readyz 200 while Macau refused every valid credential with SNAPSHOT_STALE for about a second: the trust cache's
 * freshness started at the epoch until the first height poll, and readiness did not look at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, eventually, healthCode, startHarness, type Harness } from './harness';

async function verifyAtMacau(h: Harness, qr: string) {
  return call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } });
}

test('after a restart, a valid credential is accepted at the first moment /readyz says ready', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hutong-ready-'));
  let h: Harness | undefined;
  try {
    h = await startHarness({ home });
    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    expect(issued.status).toBe(201);
    const before = await eventually(() => verifyAtMacau(h!, issued.body.qr), (r) => r.body?.reason === 'ACCEPTED');
    expect(before.body.reason).toBe('ACCEPTED');
    await h.dispose(); // a graceful stop of an idle system; the data stays in `home`
    h = undefined;

    h = await startHarness({ home });
    const deadline = Date.now() + 10_000;
    let ready = await call('GET', `${h.url('macau')}/readyz`);
    while (ready.status !== 200 && Date.now() < deadline) ready = await call('GET', `${h.url('macau')}/readyz`);
    expect(ready.status).toBe(200);
    const verdict = await verifyAtMacau(h, issued.body.qr);
    expect({ reason: verdict.body.reason, readiness: ready.body.trust }).toEqual({ reason: 'ACCEPTED', readiness: { usable: true, snapshotAgeSeconds: expect.any(Number) } });
  } finally {
    await h?.dispose();
    rmSync(home, { recursive: true, force: true });
  }
});
