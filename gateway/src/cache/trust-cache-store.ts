/**
 * Persistence of the trust cache: every ledger record the cache holds plus the event checkpoint, in one SQLite file
 * in the gateway's data directory. Records and checkpoint are written in one transaction, so after a crash the
 * cache resumes exactly after the last event it applied.
 */
import Database from 'better-sqlite3';
import type { EventCheckpoint } from '../ledger/ledger.js';

export interface StoredRecord {
  type: string;
  key: string;
  value: unknown;
}

export interface TrustCacheStore {
  load(): { records: StoredRecord[]; checkpoint: EventCheckpoint | undefined };
  /** Writes the records and (when given) the new checkpoint atomically. */
  save(records: readonly StoredRecord[], checkpoint: EventCheckpoint | undefined): void;
  close(): void;
}

export function newTrustCacheStore(options: Readonly<{ path: string }>): TrustCacheStore {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS record (type TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (type, key));
    CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL);
  `);
  const upsert = db.prepare('INSERT INTO record (type, key, value) VALUES (?, ?, ?) ON CONFLICT (type, key) DO UPDATE SET value = excluded.value');
  const setCheckpoint = db.prepare(
    'INSERT INTO checkpoint (id, block_number, tx_index) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET block_number = excluded.block_number, tx_index = excluded.tx_index',
  );
  const save = db.transaction((records: readonly StoredRecord[], checkpoint: EventCheckpoint | undefined) => {
    for (const r of records) upsert.run(r.type, r.key, JSON.stringify(r.value));
    if (checkpoint) setCheckpoint.run(checkpoint.blockNumber, checkpoint.txIndex);
  });
  return {
    load() {
      const rows = db.prepare('SELECT type, key, value FROM record').all() as Array<{ type: string; key: string; value: string }>;
      const cp = db.prepare('SELECT block_number AS blockNumber, tx_index AS txIndex FROM checkpoint WHERE id = 1').get() as EventCheckpoint | undefined;
      return { records: rows.map((r) => ({ type: r.type, key: r.key, value: JSON.parse(r.value) as unknown })), checkpoint: cp };
    },
    save: (records, checkpoint) => save(records, checkpoint),
    close: () => db.close(),
  };
}
