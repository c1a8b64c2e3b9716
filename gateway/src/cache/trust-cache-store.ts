/**
 * Persistence of the trust cache: every ledger record the cache holds plus the event checkpoint, in one SQLite file
 * in the gateway's data directory. Records and checkpoint are written in one transaction, so after a crash the
 * cache resumes exactly after the last event it applied.
 *
 * The checkpoint is stored as the ledger defines it: block number and, when set, transaction id. Files written
 * before checkpoints took that shape hold (block number, transaction index) instead; an index cannot be turned into
 * a transaction id without the ledger, so such a checkpoint is dropped on open and the cache replays every event
 * from block 0 over its stored records. That converges on the same records: every event carries the full records
 * it wrote, and a later event's record replaces an earlier one's.
 *
 * Saves are written on a thread of their own (workers/sqlite-writer.ts), in order, so a commit — and SQLite's
 * occasional WAL checkpoint, which syncs the file — never stops the event loop that applies events and serves
 * verifications. A save the process did not live to write is an event the next start replays.
 *
 * Anchors and revocations carry their `notAfter` in a column of their own (`not_after`, ms, indexed): the cache's
 * pruning passes delete those that can no longer matter as one index range, and a restart reads only the records
 * live at the checkpoint's ledger time (stored with the checkpoint), so the file and the restart grow with what is
 * live, not with the ledger's history. Files of earlier versions gain both columns on open (their records have no
 * notAfter and never expire; their checkpoint has no ledger time until the next event).
 */
import Database from 'better-sqlite3';
import { MAX_CLOCK_SKEW_MS } from '@hutong/verifier-sdk';
import type { EventCheckpoint } from '@hutong/ledger';
import { recordDeadFromMs, type StoredRecord } from './trust-records.js';
import { newSqliteWriter, type SqlStatement } from '../workers/sqlite-writer.js';

export interface LoadedTrustState {
  /** The records that are still live at `ledgerTimeMs` (all of them when it is unknown). */
  records: StoredRecord[];
  checkpoint: EventCheckpoint | undefined;
  /** The ledger time of the checkpoint's event (absent in files written before it was kept). */
  ledgerTimeMs: number | undefined;
}

export interface TrustCacheStore {
  /** The stored records that can still matter at the stored checkpoint's ledger time, and that checkpoint. */
  load(): LoadedTrustState;
  /**
   * Writes the records and (when given) the new checkpoint with its ledger time atomically; resolves once
   * committed.
   */
  save(records: readonly StoredRecord[], checkpoint: EventCheckpoint | undefined, ledgerTimeMs?: number): Promise<void>;
  /** Deletes every anchor and revocation that can no longer matter at ledger time `nowMs` (an index range, O(deleted)). */
  deleteDead(nowMs: number): Promise<void>;
  /** Waits for every save, then closes the file. */
  close(): Promise<void>;
}

const UPSERT = 'INSERT INTO record (type, key, value, not_after) VALUES (?, ?, ?, ?) '
  + 'ON CONFLICT (type, key) DO UPDATE SET value = excluded.value, not_after = excluded.not_after';
const SET_CHECKPOINT = 'INSERT INTO checkpoint (id, block_number, transaction_id, ledger_time_ms) VALUES (1, ?, ?, ?) '
  + 'ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, transaction_id = excluded.transaction_id, '
  + 'ledger_time_ms = coalesce(excluded.ledger_time_ms, checkpoint.ledger_time_ms)';
/** `not_after` is the record's `notAfter` in ms: dead once `not_after` + 600 s ≤ now, i.e. `not_after` ≤ now − 600 s. */
const DELETE_DEAD = 'DELETE FROM record WHERE not_after IS NOT NULL AND not_after <= ?';

export function newTrustCacheStore(options: Readonly<{ path: string }>): TrustCacheStore {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  const columns = (table: string): Set<string> =>
    new Set(db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((c) => c.name));
  const legacy = columns('checkpoint').has('tx_index');
  db.exec(`
    ${legacy ? 'DROP TABLE checkpoint;' : ''}
    CREATE TABLE IF NOT EXISTS record (type TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, not_after INTEGER, PRIMARY KEY (type, key));
    CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_number INTEGER NOT NULL, transaction_id TEXT, ledger_time_ms INTEGER);
  `);
  // Files of earlier versions: their records have no notAfter (they never expire), their checkpoint no ledger time.
  if (!columns('record').has('not_after')) {
    // A gateway of an earlier version may already have stored records with notAfter (a newer issuer's anchors).
    db.exec(`ALTER TABLE record ADD COLUMN not_after INTEGER;
      UPDATE record SET not_after = CAST(round((julianday(json_extract(value, '$.notAfter')) - 2440587.5) * 86400000) AS INTEGER)
        WHERE type IN ('anchor', 'revocation') AND json_extract(value, '$.notAfter') IS NOT NULL;`);
  }
  if (!columns('checkpoint').has('ledger_time_ms')) db.exec('ALTER TABLE checkpoint ADD COLUMN ledger_time_ms INTEGER');
  db.exec('CREATE INDEX IF NOT EXISTS record_not_after ON record (not_after) WHERE not_after IS NOT NULL');
  // From here on this connection only reads; saves go through the writer thread.
  db.pragma('query_only = ON');
  // Saves are not waited for: a tenth of a second of them travels together.
  const writer = newSqliteWriter({ path: options.path, synchronous: 'NORMAL', batchMs: 100 });
  const notAfterMs = (r: StoredRecord): number | null => {
    const dead = recordDeadFromMs(r);
    return dead === undefined ? null : dead - MAX_CLOCK_SKEW_MS;
  };
  const deleteDead = (nowMs: number): Promise<void> => writer.write([{ sql: DELETE_DEAD, params: [nowMs - MAX_CLOCK_SKEW_MS] }]);
  return {
    load() {
      const cp = db.prepare<[], { block_number: number; transaction_id: string | null; ledger_time_ms: number | null }>(
        'SELECT block_number, transaction_id, ledger_time_ms FROM checkpoint WHERE id = 1',
      ).get();
      const checkpoint = cp && { blockNumber: cp.block_number, ...(cp.transaction_id !== null ? { transactionId: cp.transaction_id } : {}) };
      const ledgerTimeMs = cp?.ledger_time_ms ?? undefined;
      // Only what is live at the checkpoint's ledger time is read: a restart costs what is live, not the history.
      const rows = (ledgerTimeMs === undefined
        ? db.prepare('SELECT type, key, value FROM record').all()
        : db.prepare('SELECT type, key, value FROM record WHERE not_after IS NULL OR not_after > ?').all(ledgerTimeMs - MAX_CLOCK_SKEW_MS)
      ) as Array<{ type: string; key: string; value: string }>;
      // The rows left behind are deleted in the background (a lost delete is repeated at the next pass).
      if (ledgerTimeMs !== undefined) deleteDead(ledgerTimeMs).catch(() => undefined);
      return { records: rows.map((r) => ({ type: r.type, key: r.key, value: JSON.parse(r.value) as unknown })), checkpoint, ledgerTimeMs };
    },
    save(records, checkpoint, ledgerTimeMs) {
      const statements: SqlStatement[] = [];
      for (const r of records) {
        // A removal (the cache's change log) is written as deleteDead's range, not record by record.
        if (r.prunedAt === undefined) statements.push({ sql: UPSERT, params: [r.type, r.key, JSON.stringify(r.value), notAfterMs(r)] });
      }
      if (checkpoint) statements.push({ sql: SET_CHECKPOINT, params: [checkpoint.blockNumber, checkpoint.transactionId ?? null, ledgerTimeMs ?? null] });
      return writer.write(statements);
    },
    deleteDead,
    async close() {
      await writer.close();
      db.close();
    },
  };
}
