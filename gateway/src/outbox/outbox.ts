/**
 * The durable outbox for ledger writes (transactional-outbox pattern). A write the gateway accepted — an anchor of a
 * credential batch, a credential revocation — is first committed to a local SQLite file (WAL, synchronous=FULL),
 * then submitted with exponential backoff until the ledger commits it. A gateway killed with SIGKILL, a peer restart
 * or the other organisation being down delays a write; it never loses one. Entries hold only hashes and
 * identifiers: the outbox is as free of personal data as the ledger.
 *
 * In Fabric's terms: an attempt first endorses the write (`prepare`) and keeps the prepared transaction and its id
 * on disk before ordering it. The next attempt — after a lost answer, or in the next process after a crash — asks
 * the ledger for that transaction id first: committed, the entry is done without writing again; not on the ledger,
 * the same prepared transaction is submitted again (a transaction id commits at most once); committed invalid (an
 * MVCC conflict), the write is endorsed anew.
 *
 * The file is written only on a thread of its own (workers/sqlite-writer.ts), so the fsync of each durable commit
 * never holds up this thread, which also serves verifications; this thread reads the file through its own
 * connection. Entry counts by state are kept in memory (counted once at open).
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { SubmitTxName } from '@hutong/chaincode/domain';
import type { CommitEvidence, Ledger, PreparedTransaction } from '@hutong/ledger';
import { LedgerError, type LedgerErrorCode } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { newSqliteWriter } from '../workers/sqlite-writer.js';

export type OutboxKind = 'anchor' | 'revocation';
export type OutboxState = 'pending' | 'committed' | 'failed';

export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  issuerId: string;
  tx: SubmitTxName;
  input: Record<string, unknown>;
  state: OutboxState;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  lastErrorCode?: string;
  result?: unknown;
  evidence?: CommitEvidence;
}

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

/**
 * Failures worth retrying: the ledger or a peer is unreachable, too slow, or the transaction lost an MVCC race.
 * Chaincode codes are final (retrying an invalid write yields the same answer).
 */
const RETRYABLE: ReadonlySet<LedgerErrorCode> = new Set([
  'LEDGER_UNAVAILABLE', 'LEDGER_DEADLINE_EXCEEDED', 'LEDGER_MVCC_CONFLICT', 'LEDGER_ENDORSEMENT_FAILED', 'LEDGER_COMMIT_FAILED',
]);

interface Row {
  id: string; kind: OutboxKind; issuer_id: string; tx: SubmitTxName; input: string; state: OutboxState; attempts: number;
  created_at: number; updated_at: number; next_attempt_at: number; last_error_code: string | null; result: string | null; evidence: string | null;
  /** The prepared transaction of an earlier attempt: its id, bytes (base64) and endorsed result (JSON). */
  tx_id: string | null; prepared: string | null; prepared_result: string | null;
}

function toEntry(r: Row): OutboxEntry {
  return {
    id: r.id, kind: r.kind, issuerId: r.issuer_id, tx: r.tx, input: JSON.parse(r.input) as Record<string, unknown>, state: r.state,
    attempts: r.attempts, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
    ...(r.state === 'pending' ? { nextAttemptAt: new Date(r.next_attempt_at).toISOString() } : {}),
    ...(r.last_error_code ? { lastErrorCode: r.last_error_code } : {}),
    ...(r.result ? { result: JSON.parse(r.result) as unknown } : {}),
    ...(r.evidence ? { evidence: JSON.parse(r.evidence) as CommitEvidence } : {}),
  };
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

/** The outbox's writes (run on the writer thread). */
const INSERT = `INSERT INTO outbox (id, kind, issuer_id, tx, input, state, attempts, created_at, updated_at, next_attempt_at)
  VALUES (@id, @kind, @issuer_id, @tx, @input, 'pending', 0, @now, @now, @now)`;
const MARK_COMMITTED = "UPDATE outbox SET state = 'committed', attempts = attempts + 1, updated_at = ?, result = ?, evidence = ?, last_error_code = NULL WHERE id = ?";
const MARK_FAILED = "UPDATE outbox SET state = 'failed', attempts = attempts + 1, updated_at = ?, last_error_code = ? WHERE id = ?";
const MARK_RETRY = 'UPDATE outbox SET attempts = attempts + 1, updated_at = ?, next_attempt_at = ?, last_error_code = ? WHERE id = ?';
const MARK_PREPARED = 'UPDATE outbox SET tx_id = ?, prepared = ?, prepared_result = ?, updated_at = ? WHERE id = ?';
const CLEAR_PREPARED = 'UPDATE outbox SET tx_id = NULL, prepared = NULL, prepared_result = NULL, updated_at = ? WHERE id = ?';
/** A fresh process retries at once what an earlier one left pending. */
const ALL_DUE = "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'";

export function newOutbox(options: Readonly<OutboxOptions>): Outbox {
  const { ledger, logger, metrics } = options;
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, issuer_id TEXT NOT NULL, tx TEXT NOT NULL, input TEXT NOT NULL,
      state TEXT NOT NULL, attempts INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
      next_attempt_at INTEGER NOT NULL, last_error_code TEXT, result TEXT, evidence TEXT);
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
  `);
  // Files from before prepared transactions were kept gain the columns (their pending entries are prepared anew).
  const columns = new Set((db.prepare('PRAGMA table_info(outbox)').all() as Array<{ name: string }>).map((c) => c.name));
  for (const column of ['tx_id', 'prepared', 'prepared_result']) if (!columns.has(column)) db.exec(`ALTER TABLE outbox ADD COLUMN ${column} TEXT`);
  // From here on this connection only reads; every write goes through the writer thread.
  db.pragma('query_only = ON');
  const writer = newSqliteWriter({ path: options.path, synchronous: 'FULL', batchMs: 0 });
  const write = (sql: string, params: unknown[] | Record<string, unknown>) => writer.write([{ sql, params }]);
  const byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
  const due = db.prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?");
  const nextDue = db.prepare("SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state = 'pending'");

  const inFlight = new Set<string>();
  const settledWaiters = new Map<string, Set<(e: OutboxEntry) => void>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running = false;
  const active = new Set<Promise<void>>();
  const waitTimers = new Set<NodeJS.Timeout>();

  // Entries by state, counted in the file once and then moved along with every state change: committed entries are
  // kept, so counting the table on every write cost O(entries) and grew for as long as the gateway ran.
  const counted: Record<OutboxState, number> = { pending: 0, committed: 0, failed: 0 };
  for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>) counted[r.state] = r.n;

  function settledAs(state: 'committed' | 'failed'): void {
    counted.pending--;
    counted[state]++;
  }

  function refreshDepth(): void {
    if (!metrics) return;
    for (const [state, n] of Object.entries(counted)) metrics.outboxDepth.set({ state }, n);
  }

  function depth(): Record<OutboxState, number> {
    return { ...counted };
  }

  function settle(id: string): void {
    const waiters = settledWaiters.get(id);
    if (!waiters) return;
    settledWaiters.delete(id);
    const entry = toEntry(byId.get(id) as Row);
    for (const w of waiters) w(entry);
  }

  /** The prepared transaction an earlier attempt kept, if any. */
  function preparedOf(row: Row): PreparedTransaction | undefined {
    if (!row.tx_id || !row.prepared) return undefined;
    return { txId: row.tx_id, bytes: Buffer.from(row.prepared, 'base64'), result: row.prepared_result ? (JSON.parse(row.prepared_result) as unknown) : undefined };
  }

  /** Where an earlier attempt's transaction stands on the ledger: VALID, invalid, or not there (LEDGER_TX_NOT_FOUND). */
  async function committedOf(txId: string): Promise<(CommitEvidence & { valid: boolean }) | undefined> {
    try {
      const tx = await ledger.getTransaction(txId);
      return { txId, blockNumber: tx.blockNumber, timestamp: tx.timestamp, endorsedBy: tx.endorsedBy, valid: tx.validationCode === 'VALID' };
    } catch (e) {
      if (e instanceof LedgerError && e.code === 'LEDGER_TX_NOT_FOUND') return undefined;
      throw e;
    }
  }

  async function attempt(row: Row): Promise<void> {
    const entry = toEntry(row);
    const now = () => Date.now();
    const deadline = { deadlineMs: options.submitDeadlineMs };
    const committed = async (result: unknown, evidence: CommitEvidence, event: string) => {
      await write(MARK_COMMITTED, [now(), JSON.stringify(result), JSON.stringify(evidence), row.id]);
      settledAs('committed');
      metrics?.outboxAttempts.inc({ kind: row.kind, result: 'COMMITTED' });
      logger.info({ event, id: row.id, kind: row.kind, issuerId: row.issuer_id, txId: evidence.txId, block: evidence.blockNumber, attempts: row.attempts + 1 }, 'write committed');
    };
    try {
      let prepared = preparedOf(row);
      if (prepared) {
        const found = await committedOf(prepared.txId);
        if (found?.valid) {
          const { valid: _valid, ...evidence } = found;
          await committed(prepared.result, evidence, 'outbox.found_committed');
          return settle(row.id);
        }
        if (found) {
          prepared = undefined; // committed invalid: endorse the write anew
          await write(CLEAR_PREPARED, [now(), row.id]);
        }
      }
      if (!prepared) {
        prepared = await ledger.prepare(row.tx, entry.input, deadline);
        await write(MARK_PREPARED, [prepared.txId, Buffer.from(prepared.bytes).toString('base64'), JSON.stringify(prepared.result ?? null), now(), row.id]);
      }
      const { result, evidence } = await ledger.submitPrepared(prepared, deadline);
      await committed(result, evidence, 'outbox.committed');
    } catch (e) {
      const code: string = e instanceof LedgerError ? e.code : 'INTERNAL_ERROR';
      metrics?.outboxAttempts.inc({ kind: row.kind, result: code });
      if (e instanceof LedgerError && !RETRYABLE.has(e.code)) {
        await write(MARK_FAILED, [now(), code, row.id]);
        settledAs('failed');
        logger.warn({ event: 'outbox.failed', id: row.id, kind: row.kind, issuerId: row.issuer_id, code }, 'write rejected by the ledger');
      } else {
        // A commit that failed validation will fail again: the next attempt endorses the write anew.
        if (code === 'LEDGER_MVCC_CONFLICT' || code === 'LEDGER_COMMIT_FAILED') await write(CLEAR_PREPARED, [now(), row.id]);
        const backoff = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.min(row.attempts, 16));
        const jittered = Math.round(backoff / 2 + Math.random() * (backoff / 2));
        await write(MARK_RETRY, [now(), now() + jittered, code, row.id]);
        logger.warn({ event: 'outbox.retry', id: row.id, kind: row.kind, code, attempts: row.attempts + 1, retryInMs: jittered }, 'write will be retried');
        return;
      }
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
        const rows = (due.all(Date.now(), free + inFlight.size) as Row[]).filter((r) => !inFlight.has(r.id)).slice(0, free);
        for (const row of rows) {
          inFlight.add(row.id);
          const p: Promise<void> = attempt(row).catch(() => {
            // Only the outbox file can fail here (ledger failures are handled in attempt): the entry stays pending.
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
      const next = (nextDue.get() as { t: number | null }).t;
      if (next !== null && inFlight.size < options.concurrency) schedule(Math.max(next - Date.now(), 5));
    } finally {
      running = false;
    }
  }

  return {
    async enqueue({ kind, issuerId, tx, input }) {
      if (closed) throw new Error('the outbox is closed');
      const id = randomUUID();
      await write(INSERT, { id, kind, issuer_id: issuerId, tx, input: JSON.stringify(input), now: Date.now() });
      counted.pending++;
      refreshDepth();
      schedule(0);
      return toEntry(byId.get(id) as Row);
    },
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toEntry(row) : undefined;
    },
    waitSettled(id, timeoutMs) {
      const row = byId.get(id) as Row | undefined;
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
          resolve(toEntry(byId.get(id) as Row));
        }, timeoutMs);
        waitTimers.add(t);
        waiters.add(done);
      });
    },
    depth,
    start() {
      // A fresh process retries what a previous one left pending at once, instead of honouring its old backoff.
      refreshDepth();
      write(ALL_DUE, [Date.now()]).then(
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
      await writer.close();
      db.close();
    },
  };
}
