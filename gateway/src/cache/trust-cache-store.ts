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
 */
import Database from 'better-sqlite3';
import type { EventCheckpoint } from '@hutong/ledger';
import type { StoredRecord } from './trust-records.js';
import { newSqliteWriter, type SqlStatement } from '../workers/sqlite-writer.js';


export interface TrustCacheStore {
  load(): { records: StoredRecord[]; checkpoint: EventCheckpoint | undefined };
  /** Writes the records and (when given) the new checkpoint atomically; resolves once committed. */
  save(records: readonly StoredRecord[], checkpoint: EventCheckpoint | undefined): Promise<void>;
  /** Waits for every save, then closes the file. */
  close(): Promise<void>;
}

const UPSERT = 'INSERT INTO record (type, key, value) VALUES (?, ?, ?) ON CONFLICT (type, key) DO UPDATE SET value = excluded.value';
const SET_CHECKPOINT = 'INSERT INTO checkpoint (id, block_number, transaction_id) VALUES (1, ?, ?) '
  + 'ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, transaction_id = excluded.transaction_id';

export function newTrustCacheStore(options: Readonly<{ path: string }>): TrustCacheStore {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  const legacy = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('checkpoint') WHERE name = 'tx_index'").get();
  db.exec(`
    ${legacy ? 'DROP TABLE checkpoint;' : ''}
    CREATE TABLE IF NOT EXISTS record (type TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (type, key));
    CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_number INTEGER NOT NULL, transaction_id TEXT);
  `);
  // From here on this connection only reads; saves go through the writer thread.
  db.pragma('query_only = ON');
  // Saves are not waited for: a tenth of a second of them travels together.
  const writer = newSqliteWriter({ path: options.path, synchronous: 'NORMAL', batchMs: 100 });
  return {
    load() {
      const rows = db.prepare('SELECT type, key, value FROM record').all() as Array<{ type: string; key: string; value: string }>;
      const cp = db.prepare<[], { block_number: number; transaction_id: string | null }>('SELECT block_number, transaction_id FROM checkpoint WHERE id = 1').get();
      const checkpoint = cp && { blockNumber: cp.block_number, ...(cp.transaction_id !== null ? { transactionId: cp.transaction_id } : {}) };
      return { records: rows.map((r) => ({ type: r.type, key: r.key, value: JSON.parse(r.value) as unknown })), checkpoint };
    },
    save(records, checkpoint) {
      const statements: SqlStatement[] = records.map((r) => ({ sql: UPSERT, params: [r.type, r.key, JSON.stringify(r.value)] }));
      if (checkpoint) statements.push({ sql: SET_CHECKPOINT, params: [checkpoint.blockNumber, checkpoint.transactionId ?? null] });
      return writer.write(statements);
    },
    async close() {
      await writer.close();
      db.close();
    },
  };
}
