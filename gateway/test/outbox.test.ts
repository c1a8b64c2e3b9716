/** The durable outbox against a scripted ledger: retry with backoff on transport failures, stop on chaincode refusals, resume by transaction id. */
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

/**
 * A ledger that answers each ordering attempt from a script; endorsement always succeeds. It remembers which
 * transaction ids it committed, as a real ledger's `getTransaction` does.
 */
function scriptedLedger(script: Array<Error | 'ok'>, committed = new Map<string, number>()): Ledger & { calls: number; prepared: number; committed: Map<string, number> } {
  const evidence = (txId: string) => ({ txId, blockNumber: committed.get(txId) ?? 7, timestamp: '2026-11-26T00:00:00.000Z', endorsedBy: ['GuangdongMSP', 'MacauMSP'] });
  const ledger = {
    calls: 0,
    prepared: 0,
    committed,
    identity: { mspId: 'GuangdongMSP', role: 'client' as const },
    async prepare() {
      ledger.prepared++;
      const txId = `tx${ledger.prepared}-${Math.random().toString(16).slice(2)}`;
      return { txId, bytes: Buffer.from(txId), result: { ok: true } };
    },
    async submitPrepared(p: { txId: string; result: unknown }) {
      const step = script[Math.min(ledger.calls++, script.length - 1)];
      if (step instanceof Error) throw step;
      committed.set(p.txId, 7);
      return { result: p.result, evidence: evidence(p.txId) };
    },
    async getTransaction(txId: string) {
      if (!committed.has(txId)) throw new LedgerError('LEDGER_TX_NOT_FOUND', `no ${txId}`);
      return { ...evidence(txId), txIndex: 0, txName: 'RevokeCredential', creatorMsp: 'GuangdongMSP', validationCode: 'VALID' };
    },
  };
  return ledger as unknown as Ledger & { calls: number; prepared: number; committed: Map<string, number> };
}

const options = { baseBackoffMs: 5, maxBackoffMs: 20, concurrency: 2, submitDeadlineMs: 1000, logger };
const write = { kind: 'revocation' as const, issuerId: 'gd-health-code', tx: 'RevokeCredential' as const, input: { issuerId: 'gd-health-code', leafHash: 'a'.repeat(64), reason: 'other' } };

test('transport failures are retried with backoff until the write commits', async () => {
  const ledger = scriptedLedger([new LedgerError('LEDGER_UNAVAILABLE', 'down'), new LedgerError('LEDGER_DEADLINE_EXCEEDED', 'slow'), new LedgerError('LEDGER_MVCC_CONFLICT', 'race'), 'ok']);
  const outbox = newOutbox({ path: join(dir, 'o.sqlite'), ledger, ...options });
  outbox.start();
  const entry = await outbox.enqueue(write);
  const settled = await outbox.waitSettled(entry.id, 5000);
  expect(settled).toEqual(expect.objectContaining({ state: 'committed', attempts: 4, evidence: expect.objectContaining({ txId: expect.stringMatching(/^tx/), blockNumber: 7 }) }));
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

test('a write that reached the ledger before its answer was lost is found by its transaction id, not written again', async () => {
  // The first process prepares, orders, and loses the answer (commit status timed out) — then dies.
  const ledgerState = new Map<string, number>();
  const lost = scriptedLedger(['ok'], ledgerState);
  lost.submitPrepared = (async (p: { txId: string }) => {
    ledgerState.set(p.txId, 9);
    throw new LedgerError('LEDGER_DEADLINE_EXCEEDED', 'commit status not read in time', { txId: p.txId });
  }) as Ledger['submitPrepared'];
  const first = newOutbox({ path: join(dir, 'o.sqlite'), ledger: lost, ...options, baseBackoffMs: 60_000, maxBackoffMs: 60_000 });
  first.start();
  const entry = await first.enqueue(write);
  expect(await first.waitSettled(entry.id, 300)).toEqual(expect.objectContaining({ state: 'pending', lastErrorCode: 'LEDGER_DEADLINE_EXCEEDED' }));
  await first.close();

  // The next process asks the ledger for that transaction id first: it is there, so nothing is endorsed or ordered.
  const next = scriptedLedger(['ok'], ledgerState);
  const second = newOutbox({ path: join(dir, 'o.sqlite'), ledger: next, ...options });
  second.start();
  const settled = await second.waitSettled(entry.id, 2000);
  expect(settled).toEqual(expect.objectContaining({ state: 'committed', evidence: expect.objectContaining({ blockNumber: 9 }) }));
  expect([next.prepared, next.calls]).toEqual([0, 0]);
  expect(ledgerState.size).toBe(1);
  await second.close();
});

test('a prepared write never ordered is ordered again as it was; one committed invalid is endorsed anew', async () => {
  const ledger = scriptedLedger([new LedgerError('LEDGER_UNAVAILABLE', 'orderer down'), new LedgerError('LEDGER_MVCC_CONFLICT', 'race'), 'ok']);
  const seen: string[] = [];
  const submit = ledger.submitPrepared.bind(ledger);
  ledger.submitPrepared = (async (p: Parameters<Ledger['submitPrepared']>[0]) => {
    seen.push(p.txId);
    return submit(p);
  }) as Ledger['submitPrepared'];
  const outbox = newOutbox({ path: join(dir, 'o.sqlite'), ledger, ...options });
  outbox.start();
  const settled = await outbox.waitSettled((await outbox.enqueue(write)).id, 5000);
  expect(settled.state).toBe('committed');
  // Unavailable: the same prepared transaction again; MVCC conflict: a new endorsement, a new transaction id.
  expect(seen[1]).toBe(seen[0]);
  expect(seen[2]).not.toBe(seen[1]);
  expect(ledger.prepared).toBe(2);
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
