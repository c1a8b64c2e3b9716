/**
 * The writes of one SQLite file, run on a thread of their own (sqlite-writer-thread.ts): a commit's fsync — a
 * fraction of a millisecond on an idle disk, tens of milliseconds on a busy one — and SQLite's occasional WAL
 * checkpoint then never stop the event loop that also serves verifications. The owner reads the same file through
 * its own connection (WAL: readers do not wait for the writer) and keeps that connection read-only.
 *
 * `write` resolves once its statements are committed; writes are committed in the order they were made. Writes made
 * within `batchMs` of each other (0: in the same turn of the event loop) travel to the thread in one message and are
 * committed together: waking another thread costs the event loop more than the message, on a busy machine up to a
 * scheduler time slice, so a block's worth of events or outbox updates wakes the writer once. A failed commit fails
 * every write in it. The thread keeps the process alive only while it owes answers; one that dies fails what it had
 * not answered, and the next write starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from './worker-script.js';

export interface SqlStatement {
  sql: string;
  params: unknown[] | Record<string, unknown>;
}

export type SqliteWriterRequest = { seq: number; statements: SqlStatement[] } | { seq: number; close: true };
export interface SqliteWriterResponse {
  seq: number;
  error?: string;
}

export interface SqliteWriter {
  /** Commits `statements` in one transaction; resolves once they are committed (on disk under `FULL`). */
  write(statements: SqlStatement[]): Promise<void>;
  /** Waits for what was written, then stops the thread. */
  close(): Promise<void>;
}

export function newSqliteWriter(options: Readonly<{ path: string; synchronous: 'FULL' | 'NORMAL'; batchMs: number }>): SqliteWriter {
  let worker: Worker | undefined;
  let seq = 0;
  let closing = false;
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  /** Writes not sent yet, and when they will be. */
  let batch: { statements: SqlStatement[]; waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> } | undefined;
  let cancelSend: (() => void) | undefined;

  function start(): Worker {
    const w = new Worker(workerScript('./sqlite-writer-thread.js', import.meta.url), { workerData: { path: options.path, synchronous: options.synchronous } });
    w.on('message', (m: SqliteWriterResponse) => {
      const p = pending.get(m.seq);
      pending.delete(m.seq);
      if (pending.size === 0 && !closing) w.unref();
      if (m.error === undefined) p?.resolve();
      else p?.reject(new Error(`SQLite write failed: ${m.error}`));
    });
    const fail = (e: Error) => {
      if (worker === w) worker = undefined;
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`SQLite writer thread exited (${code})`)));
    return w;
  }

  function send(request: SqliteWriterRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      pending.set(request.seq, { resolve, reject });
      worker ??= start();
      worker.ref();
      worker.postMessage(request);
    });
  }

  function sendBatch(): void {
    const b = batch;
    batch = undefined;
    cancelSend = undefined;
    if (!b) return;
    send({ seq: ++seq, statements: b.statements }).then(
      () => { for (const w of b.waiters) w.resolve(); },
      (e: Error) => { for (const w of b.waiters) w.reject(e); },
    );
  }

  return {
    write(statements) {
      return new Promise<void>((resolve, reject) => {
        batch ??= { statements: [], waiters: [] };
        for (const s of statements) batch.statements.push(s);
        batch.waiters.push({ resolve, reject });
        if (cancelSend === undefined) {
          if (options.batchMs === 0) {
            const immediate = setImmediate(sendBatch);
            cancelSend = () => clearImmediate(immediate);
          } else {
            const timer = setTimeout(sendBatch, options.batchMs);
            cancelSend = () => clearTimeout(timer);
          }
        }
      });
    },
    async close() {
      if (cancelSend !== undefined) {
        cancelSend();
        sendBatch();
      }
      if (worker === undefined) return;
      const w = worker;
      closing = true;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      await send({ seq: ++seq, close: true }).catch(() => undefined);
      await exited;
    },
  };
}
