/**
 * The durable outbox for ledger writes (transactional-outbox pattern). A write the gateway accepted — an anchor of a
 * credential batch, a credential revocation — is first committed to a local SQLite file (outbox-file.ts: WAL,
 * synchronous=FULL, written on a thread of its own), then attempted (outbox-attempt.ts: prepared, kept, ordered,
 * looked up by transaction id after a lost answer or a crash) with exponential backoff until the ledger commits it.
 * A gateway killed with SIGKILL, a peer restart or the other organisation being down delays a write; it never loses
 * one. Entries hold only hashes and identifiers: the outbox is as free of personal data as the ledger.
 *
 * This module schedules: at most `concurrency` entries in flight, the earliest due first, and tells whoever waits
 * for an entry when it settles.
 */
import { randomUUID } from 'node:crypto';
import type { SubmitTxName } from '@hutong/chaincode/domain';
import type { Ledger } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { attemptEntry } from './outbox-attempt.js';
import { openOutboxFile, toEntry, type OutboxEntry, type OutboxKind, type OutboxState, type Row } from './outbox-file.js';

export type { OutboxEntry, OutboxKind, OutboxState } from './outbox-file.js';

export interface Outbox {
  /** Durably records a write; resolves once it is on disk (not yet on the ledger). */
  enqueue(entry: { kind: OutboxKind; issuerId: string; tx: SubmitTxName; input: Record<string, unknown> }): Promise<OutboxEntry>;
  get(id: string): OutboxEntry | undefined;
  /** Resolves with the entry once it leaves `pending`, or with its pending state after `timeoutMs`. */
  waitSettled(id: string, timeoutMs: number): Promise<OutboxEntry>;
  depth(): Record<OutboxState, number>;
  start(): void;
  close(): Promise<void>;
}

export interface OutboxOptions {
  path: string;
  ledger: Ledger;
  logger: Logger;
  metrics?: GatewayMetrics;
  baseBackoffMs: number;
  maxBackoffMs: number;
  concurrency: number;
  submitDeadlineMs: number;
}

export function newOutbox(options: Readonly<OutboxOptions>): Outbox {
  const { logger, metrics } = options;
  const file = openOutboxFile(options.path);
  const inFlight = new Set<string>();
  const settledWaiters = new Map<string, Set<(e: OutboxEntry) => void>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running = false;
  const active = new Set<Promise<void>>();
  const waitTimers = new Set<NodeJS.Timeout>();
  const counted = file.countsAtOpen();

  function refreshDepth(): void {
    if (!metrics) return;
    for (const [state, n] of Object.entries(counted)) metrics.outboxDepth.set({ state }, n);
  }

  function settle(id: string): void {
    const waiters = settledWaiters.get(id);
    if (!waiters) return;
    settledWaiters.delete(id);
    const entry = toEntry(file.row(id) as Row);
    for (const w of waiters) w(entry);
  }

  async function attempt(row: Row): Promise<void> {
    const done = await attemptEntry(row, { ...options, file });
    const about = { id: row.id, kind: row.kind, issuerId: row.issuer_id, attempts: row.attempts + 1 };
    if (done.outcome === 'retry') {
      metrics?.outboxAttempts.inc({ kind: row.kind, result: done.code });
      logger.warn({ event: 'outbox.retry', ...about, code: done.code, retryInMs: done.retryInMs }, 'write will be retried');
      return;
    }
    counted.pending--;
    counted[done.outcome]++;
    if (done.outcome === 'committed') {
      metrics?.outboxAttempts.inc({ kind: row.kind, result: 'COMMITTED' });
      const event = done.foundOnLedger ? 'outbox.found_committed' : 'outbox.committed';
      logger.info({ event, ...about, txId: done.evidence.txId, block: done.evidence.blockNumber }, 'write committed');
    } else {
      metrics?.outboxAttempts.inc({ kind: row.kind, result: done.code });
      logger.warn({ event: 'outbox.failed', ...about, code: done.code }, 'write rejected by the ledger');
    }
    settle(row.id);
  }

  function schedule(delayMs: number): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void pump(), Math.max(0, delayMs));
    timer.unref();
  }

  async function pump(): Promise<void> {
    if (closed || running) return;
    running = true;
    try {
      const free = options.concurrency - inFlight.size;
      if (free > 0) {
        const rows = file.due(Date.now(), free + inFlight.size).filter((r) => !inFlight.has(r.id)).slice(0, free);
        for (const row of rows) {
          inFlight.add(row.id);
          const p: Promise<void> = attempt(row).catch(() => {
            // Only the outbox file can fail here (ledger failures are outcomes of the attempt): the entry stays pending.
            logger.error({ event: 'outbox.write_failed', id: row.id, kind: row.kind }, 'outbox file write failed');
          }).finally(() => {
            inFlight.delete(row.id);
            active.delete(p);
            refreshDepth();
            schedule(0);
          });
          active.add(p);
        }
      }
      const next = file.nextDue();
      if (next !== null && inFlight.size < options.concurrency) schedule(Math.max(next - Date.now(), 5));
    } finally {
      running = false;
    }
  }

  return {
    async enqueue({ kind, issuerId, tx, input }) {
      if (closed) throw new Error('the outbox is closed');
      const id = randomUUID();
      await file.insert({ id, kind, issuerId, tx, input });
      counted.pending++;
      refreshDepth();
      schedule(0);
      return toEntry(file.row(id) as Row);
    },
    get(id) {
      const row = file.row(id);
      return row ? toEntry(row) : undefined;
    },
    waitSettled(id, timeoutMs) {
      const row = file.row(id);
      if (!row) return Promise.reject(new Error(`no outbox entry ${id}`));
      if (row.state !== 'pending' || timeoutMs <= 0) return Promise.resolve(toEntry(row));
      return new Promise((resolve) => {
        const waiters = settledWaiters.get(id) ?? new Set();
        settledWaiters.set(id, waiters);
        const done = (e: OutboxEntry) => {
          clearTimeout(t);
          waitTimers.delete(t);
          resolve(e);
        };
        const t = setTimeout(() => {
          waitTimers.delete(t);
          waiters.delete(done);
          resolve(toEntry(file.row(id) as Row));
        }, timeoutMs);
        waitTimers.add(t);
        waiters.add(done);
      });
    },
    depth: () => ({ ...counted }),
    start() {
      // A fresh process retries what a previous one left pending at once, instead of honouring its old backoff.
      refreshDepth();
      file.allDueNow().then(
        () => schedule(0),
        () => logger.error({ event: 'outbox.write_failed' }, 'outbox file write failed'),
      );
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...active]);
      // Whoever still waits gets the entry as it stands (pending): it stays on disk for the next process.
      for (const t of waitTimers) clearTimeout(t);
      waitTimers.clear();
      for (const id of [...settledWaiters.keys()]) settle(id);
      await file.close();
    },
  };
}
