/** The durable outbox against a scripted ledger: retry with backoff on transport failures, stop on chaincode refusals. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { newOutbox } from '../src/outbox/outbox';
import { LedgerError, type Ledger } from '@hutong/ledger';

const logger = pino({ level: 'silent' });
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'hutong-outbox-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function scriptedLedger(script: Array<Error | 'ok'>): Ledger & { calls: number } {
  const ledger = {
    calls: 0,
    identity: { mspId: 'GuangdongMSP', role: 'client' as const },
    async submit() {
      const step = script[Math.min(ledger.calls++, script.length - 1)];
      if (step instanceof Error) throw step;
      return { result: { ok: true }, evidence: { txId: `tx${ledger.calls}`, blockNumber: 7, timestamp: '2026-11-26T00:00:00.000Z', endorsedBy: ['GuangdongMSP', 'MacauMSP'] } };
    },
  };
  return ledger as unknown as Ledger & { calls: number };
}

const options = { baseBackoffMs: 5, maxBackoffMs: 20, concurrency: 2, submitDeadlineMs: 1000, logger };
const write = { kind: 'revocation' as const, issuerId: 'gd-health-code', tx: 'RevokeCredential' as const, input: { issuerId: 'gd-health-code', leafHash: 'a'.repeat(64), reason: 'other' } };

test('transport failures are retried with backoff until the write commits', async () => {
  const ledger = scriptedLedger([new LedgerError('LEDGER_UNAVAILABLE', 'down'), new LedgerError('LEDGER_DEADLINE_EXCEEDED', 'slow'), new LedgerError('LEDGER_MVCC_CONFLICT', 'race'), 'ok']);
  const outbox = newOutbox({ path: join(dir, 'o.sqlite'), ledger, ...options });
  outbox.start();
  const entry = await outbox.enqueue(write);
  const settled = await outbox.waitSettled(entry.id, 5000);
  expect(settled).toEqual(expect.objectContaining({ state: 'committed', attempts: 4, evidence: expect.objectContaining({ txId: 'tx4', blockNumber: 7 }) }));
  expect(outbox.depth()).toEqual({ pending: 0, committed: 1, failed: 0 });
  await outbox.close();
});

test('a chaincode refusal is final: the entry fails with its code', async () => {
  const ledger = scriptedLedger([new LedgerError('NOT_OWNER', '[NOT_OWNER] no')]);
  const outbox = newOutbox({ path: join(dir, 'o.sqlite'), ledger, ...options });
  outbox.start();
  const settled = await outbox.waitSettled((await outbox.enqueue(write)).id, 5000);
  expect(settled).toEqual(expect.objectContaining({ state: 'failed', lastErrorCode: 'NOT_OWNER', attempts: 1 }));
  expect(ledger.calls).toBe(1);
  await outbox.close();
});

test('an entry written before a crash is submitted by the next process', async () => {
  const down = scriptedLedger([new LedgerError('LEDGER_UNAVAILABLE', 'down')]);
  const first = newOutbox({ path: join(dir, 'o.sqlite'), ledger: down, ...options, baseBackoffMs: 60_000, maxBackoffMs: 60_000 });
  first.start();
  const entry = await first.enqueue(write);
  expect((await first.waitSettled(entry.id, 100)).state).toBe('pending');
  await first.close(); // as good as a crash: nothing but the SQLite file survives

  const up = scriptedLedger(['ok']);
  const second = newOutbox({ path: join(dir, 'o.sqlite'), ledger: up, ...options });
  second.start(); // retries at once despite the old 60 s backoff
  expect((await second.waitSettled(entry.id, 2000)).state).toBe('committed');
  await second.close();
});

test('reconcile turns ANCHOR_EXISTS after a lost acknowledgement into a commit', async () => {
  const ledger = scriptedLedger([new LedgerError('ANCHOR_EXISTS', '[ANCHOR_EXISTS] already')]);
  const outbox = newOutbox({
    path: join(dir, 'o.sqlite'), ledger, ...options,
    reconcile: async () => ({ result: { root: 'r' }, evidence: { txId: 'earlier', blockNumber: 3, timestamp: '2026-11-26T00:00:00.000Z', endorsedBy: [] } }),
  });
  outbox.start();
  const entry = await outbox.enqueue({ kind: 'anchor', issuerId: 'gd-health-code', tx: 'AnchorBatch', input: { root: 'r' } });
  expect(await outbox.waitSettled(entry.id, 2000)).toEqual(expect.objectContaining({ state: 'committed', evidence: expect.objectContaining({ txId: 'earlier' }) }));
  await outbox.close();
});

test('closing the outbox answers whoever still waits with the pending entry (it stays on disk)', async () => {
  const outbox = newOutbox({ path: join(dir, 'o.sqlite'), ledger: scriptedLedger([new LedgerError('LEDGER_UNAVAILABLE', 'down')]), ...options, baseBackoffMs: 60_000, maxBackoffMs: 60_000 });
  outbox.start();
  const entry = await outbox.enqueue(write);
  const waiting = outbox.waitSettled(entry.id, 60_000);
  await new Promise((r) => setTimeout(r, 50));
  await outbox.close();
  expect((await waiting).state).toBe('pending');
});

test('the depth by state is counted as entries move, and again from the file by the next process', async () => {
  const path = join(dir, 'o.sqlite');
  // Two commits and a refusal, then one entry that cannot reach the ledger.
  const ledger = scriptedLedger(['ok', 'ok', new LedgerError('NOT_OWNER', '[NOT_OWNER] no'), new LedgerError('LEDGER_UNAVAILABLE', 'down')]);
  const outbox = newOutbox({ path, ledger, ...options, concurrency: 1, baseBackoffMs: 60_000, maxBackoffMs: 60_000 });
  outbox.start();
  for (let i = 0; i < 4; i++) await outbox.waitSettled((await outbox.enqueue(write)).id, i < 3 ? 5000 : 100);
  const expected = { pending: 1, committed: 2, failed: 1 };
  expect(outbox.depth()).toEqual(expected);
  await outbox.close();
  const reopened = newOutbox({ path, ledger: scriptedLedger([new LedgerError('LEDGER_UNAVAILABLE', 'down')]), ...options });
  expect(reopened.depth()).toEqual(expected);
  await reopened.close();
});
