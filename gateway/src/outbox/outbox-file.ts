/**
 * The outbox's SQLite file: its schema (and the migration of older files), its rows as entries, the reads this
 * thread makes through its own read-only connection, and every write — made only on a thread of its own
 * (workers/sqlite-writer.ts, synchronous=FULL), so the fsync of each durable commit never holds up the event loop.
 * Entry counts by state are kept in memory (counted once at open; committed entries are kept, so counting the table
 * on every write would cost O(entries) and grow for as long as the gateway runs).
 */
import Database from 'better-sqlite3';
import type { SubmitTxName } from '@hutong/chaincode/domain';
import type { CommitEvidence, PreparedTransaction } from '@hutong/ledger';
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

export interface Row {
  id: string; kind: OutboxKind; issuer_id: string; tx: SubmitTxName; input: string; state: OutboxState; attempts: number;
  created_at: number; updated_at: number; next_attempt_at: number; last_error_code: string | null; result: string | null; evidence: string | null;
  /** The prepared transaction of an earlier attempt: its id, bytes (base64) and endorsed result (JSON). */
  tx_id: string | null; prepared: string | null; prepared_result: string | null;
}

export function toEntry(r: Row): OutboxEntry {
  return {
    id: r.id, kind: r.kind, issuerId: r.issuer_id, tx: r.tx, input: JSON.parse(r.input) as Record<string, unknown>, state: r.state,
    attempts: r.attempts, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
    ...(r.state === 'pending' ? { nextAttemptAt: new Date(r.next_attempt_at).toISOString() } : {}),
    ...(r.last_error_code ? { lastErrorCode: r.last_error_code } : {}),
    ...(r.result ? { result: JSON.parse(r.result) as unknown } : {}),
    ...(r.evidence ? { evidence: JSON.parse(r.evidence) as CommitEvidence } : {}),
  };
}

/** The prepared transaction an earlier attempt kept, if any. */
export function preparedOf(row: Row): PreparedTransaction | undefined {
  if (!row.tx_id || !row.prepared) return undefined;
  return { txId: row.tx_id, bytes: Buffer.from(row.prepared, 'base64'), result: row.prepared_result ? (JSON.parse(row.prepared_result) as unknown) : undefined };
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

export interface OutboxFile {
  row(id: string): Row | undefined;
  /** Pending entries due at `nowMs`, earliest first. */
  due(nowMs: number, limit: number): Row[];
  /** When the earliest pending entry is due, or null. */
  nextDue(): number | null;
  /** Entries by state, as counted at open (the outbox moves them along). */
  countsAtOpen(): Record<OutboxState, number>;
  // Writes, each resolving once it is on disk.
  insert(e: Readonly<{ id: string; kind: OutboxKind; issuerId: string; tx: SubmitTxName; input: Record<string, unknown> }>): Promise<void>;
  markPrepared(id: string, prepared: PreparedTransaction): Promise<void>;
  /** Forgets the prepared transaction: the next attempt endorses the write anew. */
  clearPrepared(id: string): Promise<void>;
  markCommitted(id: string, result: unknown, evidence: CommitEvidence): Promise<void>;
  markFailed(id: string, code: string): Promise<void>;
  markRetry(id: string, nextAttemptAtMs: number, code: string): Promise<void>;
  /** Makes every pending entry due now (a fresh process retries at once what an earlier one left pending). */
  allDueNow(): Promise<void>;
  close(): Promise<void>;
}

export function openOutboxFile(path: string): OutboxFile {
  const db = new Database(path);
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
  const writer = newSqliteWriter({ path, synchronous: 'FULL', batchMs: 0 });
  const byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
  const due = db.prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?");
  const nextDue = db.prepare("SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state = 'pending'");
  const write = (sql: string, params: unknown[] | Record<string, unknown>) => writer.write([{ sql, params }]);
  return {
    row: (id) => byId.get(id) as Row | undefined,
    due: (nowMs, limit) => due.all(nowMs, limit) as Row[],
    nextDue: () => (nextDue.get() as { t: number | null }).t,
    countsAtOpen() {
      const counted: Record<OutboxState, number> = { pending: 0, committed: 0, failed: 0 };
      for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>) counted[r.state] = r.n;
      return counted;
    },
    insert: (e) => write(INSERT, { id: e.id, kind: e.kind, issuer_id: e.issuerId, tx: e.tx, input: JSON.stringify(e.input), now: Date.now() }),
    markPrepared: (id, p) => write(MARK_PREPARED, [p.txId, Buffer.from(p.bytes).toString('base64'), JSON.stringify(p.result ?? null), Date.now(), id]),
    clearPrepared: (id) => write(CLEAR_PREPARED, [Date.now(), id]),
    markCommitted: (id, result, evidence) => write(MARK_COMMITTED, [Date.now(), JSON.stringify(result), JSON.stringify(evidence), id]),
    markFailed: (id, code) => write(MARK_FAILED, [Date.now(), code, id]),
    markRetry: (id, at, code) => write(MARK_RETRY, [Date.now(), at, code, id]),
    allDueNow: () => write(ALL_DUE, [Date.now()]),
    async close() {
      await writer.close();
      db.close();
    },
  };
}
