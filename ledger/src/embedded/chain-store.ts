/**
 * The embedded ledger's SQLite file: blocks, transactions (with their events), world state, key-level endorsement
 * metadata and per-key history. One SQLite transaction per block, so a block is either wholly there or not at all.
 *
 * Durability: WAL journal with `synchronous = FULL`, i.e. the WAL is fsync'd at every commit. NORMAL would already
 * survive a killed process (the OS still holds the written WAL pages) but can lose the last blocks on power loss;
 * since a block batches many transactions, one fsync per block costs little, and a resolved `submit` then means
 * "on disk" as it does for a Fabric peer.
 *
 * Keys are stored as BLOBs of their UTF-8 bytes: SQLite compares BLOBs with memcmp, which is the byte order of
 * Fabric's LevelDB state database, so U+0000-separated composite keys sort exactly as on a peer.
 */
import { createHash, type Hash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { KeyModification } from '@hutong/chaincode/domain';
import { GENESIS_PREVIOUS_HASH, genesisDataHash, headerHash, sha256 } from './block-hash.js';

const SCHEMA_VERSION = '1';
/** How the state digest writes a null field (a history row of a delete). */
const NULL_FIELD = Buffer.from([0xff]);

export interface StoredWrite {
  key: Buffer;
  /** `null` deletes the key. */
  value: Buffer | null;
}

/** What a stored transaction and its listing row share. */
interface TransactionHead {
  txIndex: number;
  txId: string;
  txName: string;
  creatorMsp: string;
  creatorRole: string;
  endorsedBy: string[];
  timestamp: string;
}

export interface StoredTransaction extends TransactionHead {
  envelope: Buffer;
  event: { name: string; payload: Buffer } | null;
  writes: StoredWrite[];
  keyEndorsements: Array<{ key: Buffer; mspIds: string[] }>;
}

export interface StoredBlock {
  number: number;
  previousHash: string;
  dataHash: string;
  hash: string;
  transactions: StoredTransaction[];
}

export type BlockRow = Omit<StoredBlock, 'transactions'>;

export interface TransactionRow extends TransactionHead {
  blockNumber: number;
  validationCode: string;
}

export interface EventRow {
  blockNumber: number;
  txIndex: number;
  txId: string;
  timestamp: string;
  name: string;
  payload: Buffer;
}

/** Thrown when the file's chain does not verify; carries the first bad block. */
export class ChainVerificationError extends Error {
  override readonly name = 'ChainVerificationError';
  constructor(
    readonly blockNumber: number,
    message: string,
  ) {
    super(message);
  }
}

interface RawBlock {
  number: number;
  previous_hash: string;
  data_hash: string;
  hash: string;
  tx_count: number;
}
interface RawTx {
  block_number: number;
  tx_index: number;
  tx_id: string;
  tx_name: string;
  creator_msp: string;
  creator_role: string;
  endorsed_by: string;
  timestamp: string;
  validation_code: string;
}
interface RawEvent {
  block_number: number;
  tx_index: number;
  tx_id: string;
  timestamp: string;
  event_name: string;
  event_payload: Buffer;
}

export class ChainStore {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly commitTx: (block: StoredBlock) => void;
  private tipNumber = -1;
  private tipHashValue = '';

  /**
   * `scratch`: a throw-away copy (the replay check's replica) — no fsync, since nothing in it has to survive a
   * crash; it lives in a file rather than in memory so that replaying a long chain does not hold it all in RAM.
   */
  constructor(path: string, options: { scratch?: boolean } = {}) {
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(options.scratch ? 'synchronous = OFF' : 'synchronous = FULL');
      this.db.pragma('foreign_keys = OFF');
      this.createSchema();
    } catch (e) {
      this.db.close();
      throw e;
    }
    const db = this.db;
    this.stmt = {
      get: db.prepare<[Buffer], { value: Buffer }>('SELECT value FROM state WHERE key = ?'),
      range: db.prepare<[Buffer, Buffer, number], { key: Buffer; value: Buffer }>(
        'SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
      ),
      history: db.prepare<[Buffer], { tx_id: string; timestamp: string; is_delete: number; value: Buffer | null }>(
        'SELECT tx_id, timestamp, is_delete, value FROM history WHERE key = ? ORDER BY block_number, tx_index',
      ),
      endorsement: db.prepare<[Buffer], { msp_ids: string }>('SELECT msp_ids FROM key_endorsement WHERE key = ?'),
      tip: db.prepare<[], { number: number; hash: string }>('SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1'),
      lastTimestamp: db.prepare<[], { timestamp: string }>(
        'SELECT timestamp FROM transactions ORDER BY block_number DESC, tx_index DESC LIMIT 1',
      ),
      block: db.prepare<[number], RawBlock>('SELECT number, previous_hash, data_hash, hash, tx_count FROM blocks WHERE number = ?'),
      blockTxs: db.prepare<[number], RawTx>(
        'SELECT block_number, tx_index, tx_id, tx_name, creator_msp, creator_role, endorsed_by, timestamp, validation_code FROM transactions WHERE block_number = ? ORDER BY tx_index',
      ),
      blockEnvelopes: db.prepare<[number], { envelope: Buffer }>('SELECT envelope FROM transactions WHERE block_number = ? ORDER BY tx_index'),
      tx: db.prepare<[string], RawTx>(
        'SELECT block_number, tx_index, tx_id, tx_name, creator_msp, creator_role, endorsed_by, timestamp, validation_code FROM transactions WHERE tx_id = ?',
      ),
      events: db.prepare<[number, number, number], RawEvent>(
        'SELECT block_number, tx_index, tx_id, timestamp, event_name, event_payload FROM transactions ' +
          'WHERE (block_number, tx_index) > (?, ?) AND event_name IS NOT NULL ORDER BY block_number, tx_index LIMIT ?',
      ),
      insertBlock: db.prepare('INSERT INTO blocks (number, previous_hash, data_hash, hash, tx_count) VALUES (?, ?, ?, ?, ?)'),
      insertTx: db.prepare(
        'INSERT INTO transactions (block_number, tx_index, tx_id, tx_name, creator_msp, creator_role, endorsed_by, timestamp, validation_code, envelope, event_name, event_payload) ' +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'VALID', ?, ?, ?)",
      ),
      put: db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      del: db.prepare('DELETE FROM state WHERE key = ?'),
      insertHistory: db.prepare(
        'INSERT INTO history (key, block_number, tx_index, tx_id, timestamp, is_delete, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      putEndorsement: db.prepare(
        'INSERT INTO key_endorsement (key, msp_ids) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET msp_ids = excluded.msp_ids',
      ),
    };
    this.commitTx = db.transaction((block: StoredBlock) => this.writeBlock(block)).immediate as (block: StoredBlock) => void;
    this.ensureGenesis();
    const tip = this.stmt.tip.get();
    if (tip) {
      this.tipNumber = tip.number;
      this.tipHashValue = tip.hash;
    }
  }

  private createSchema(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS blocks (
        number INTEGER PRIMARY KEY, previous_hash TEXT NOT NULL, data_hash TEXT NOT NULL, hash TEXT NOT NULL,
        tx_count INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS transactions (
        block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, tx_id TEXT NOT NULL UNIQUE, tx_name TEXT NOT NULL,
        creator_msp TEXT NOT NULL, creator_role TEXT NOT NULL, endorsed_by TEXT NOT NULL, timestamp TEXT NOT NULL,
        validation_code TEXT NOT NULL, envelope BLOB NOT NULL, event_name TEXT, event_payload BLOB,
        PRIMARY KEY (block_number, tx_index)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS key_endorsement (key BLOB PRIMARY KEY, msp_ids TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS history (
        key BLOB NOT NULL, block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, tx_id TEXT NOT NULL,
        timestamp TEXT NOT NULL, is_delete INTEGER NOT NULL, value BLOB,
        PRIMARY KEY (key, block_number, tx_index)) WITHOUT ROWID;
    `);
    const version = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE name = 'schema'").get();
    if (!version) this.db.prepare("INSERT INTO meta (name, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    else if (version.value !== SCHEMA_VERSION) throw new Error(`unsupported embedded ledger schema ${version.value}`);
  }

  private ensureGenesis(): void {
    if (this.stmt.tip.get()) return;
    const dataHash = genesisDataHash();
    this.commitTx({
      number: 0,
      previousHash: GENESIS_PREVIOUS_HASH,
      dataHash,
      hash: headerHash(0, GENESIS_PREVIOUS_HASH, dataHash),
      transactions: [],
    });
  }

  private writeBlock(block: StoredBlock): void {
    // Re-read the tip inside the write transaction: a second writer on the same file must not fork the chain.
    const tip = this.stmt.tip.get();
    const expectedNumber = tip ? tip.number + 1 : 0;
    const expectedPrevious = tip ? tip.hash : GENESIS_PREVIOUS_HASH;
    if (block.number !== expectedNumber || block.previousHash !== expectedPrevious) {
      throw new Error(`block ${block.number} does not extend the chain tip ${tip?.number ?? -1}: another writer?`);
    }
    const s = this.stmt;
    s.insertBlock.run(block.number, block.previousHash, block.dataHash, block.hash, block.transactions.length);
    for (const tx of block.transactions) {
      s.insertTx.run(
        block.number,
        tx.txIndex,
        tx.txId,
        tx.txName,
        tx.creatorMsp,
        tx.creatorRole,
        JSON.stringify(tx.endorsedBy),
        tx.timestamp,
        tx.envelope,
        tx.event?.name ?? null,
        tx.event?.payload ?? null,
      );
      for (const w of tx.writes) {
        if (w.value === null) s.del.run(w.key);
        else s.put.run(w.key, w.value);
        try {
          s.insertHistory.run(w.key, block.number, tx.txIndex, tx.txId, tx.timestamp, w.value === null ? 1 : 0, w.value);
        } catch (e) {
          // history's primary key (key, block, tx) is "one write per key per transaction": a write set holds each
          // key once (the simulation keeps the last write), so a duplicate is a caller bug. The block rolls back.
          if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new Error(`transaction ${tx.txId} writes the same key twice: not a valid write set`, { cause: e });
          throw e;
        }
      }
      for (const e of tx.keyEndorsements) s.putEndorsement.run(e.key, JSON.stringify(e.mspIds));
    }
  }

  /** Appends a block atomically and durably; throws (and writes nothing) on any failure. */
  commit(block: StoredBlock): void {
    this.commitTx(block);
    this.tipNumber = block.number;
    this.tipHashValue = block.hash;
  }

  get height(): number {
    return this.tipNumber + 1;
  }

  get tipHash(): string {
    return this.tipHashValue;
  }

  /** Milliseconds of the newest transaction timestamp, or 0. */
  lastTimestampMs(): number {
    const row = this.stmt.lastTimestamp.get();
    return row ? Date.parse(row.timestamp) : 0;
  }

  get(key: Buffer): Buffer | undefined {
    return this.stmt.get.get(key)?.value;
  }

  range(start: Buffer, end: Buffer, limit: number): Array<{ key: Buffer; value: Buffer }> {
    return this.stmt.range.all(start, end, limit);
  }

  history(key: Buffer): KeyModification[] {
    return this.stmt.history.all(key).map((r) => ({
      txId: r.tx_id,
      timestamp: r.timestamp,
      isDelete: r.is_delete === 1,
      ...(r.value !== null ? { value: new Uint8Array(r.value) } : {}),
    }));
  }

  keyEndorsement(key: Buffer): string[] | undefined {
    const row = this.stmt.endorsement.get(key);
    return row ? (JSON.parse(row.msp_ids) as string[]) : undefined;
  }

  block(number: number): BlockRow | undefined {
    const row = this.stmt.block.get(number);
    return row && { number: row.number, previousHash: row.previous_hash, dataHash: row.data_hash, hash: row.hash };
  }

  blockTransactions(number: number): TransactionRow[] {
    return this.stmt.blockTxs.all(number).map(toTransactionRow);
  }

  blockEnvelopes(number: number): Buffer[] {
    return this.stmt.blockEnvelopes.all(number).map((r) => r.envelope);
  }

  transaction(txId: string): TransactionRow | undefined {
    const row = this.stmt.tx.get(txId);
    return row && toTransactionRow(row);
  }

  eventsAfter(blockNumber: number, txIndex: number, limit: number): EventRow[] {
    return this.stmt.events.all(blockNumber, txIndex, limit).map((r) => ({
      blockNumber: r.block_number,
      txIndex: r.tx_index,
      txId: r.tx_id,
      timestamp: r.timestamp,
      name: r.event_name,
      payload: r.event_payload,
    }));
  }

  /**
   * Checks the whole chain: numbers contiguous from 0, each previousHash equal to the previous header hash, each
   * dataHash equal to the hash of the block's stored transaction envelopes, each header hash recomputed.
   */
  /**
   * Recomputes every hash link and data hash from block `from` on (0: the whole chain); `transactions` counts the
   * blocks checked. Throws ChainVerificationError at the first broken block.
   */
  verify(from = 0): { height: number; tipHash: string; transactions: number } {
    // Streams: one row at a time, one running hash per block, so memory and stack stay flat at any chain length.
    let expectedPrevious = from === 0 ? GENESIS_PREVIOUS_HASH : (this.stmt.block.get(from - 1)?.hash ?? '');
    let expectedNumber = from;
    let transactions = 0;
    let current: RawBlock | undefined;
    let data: Hash = createHash('sha256');
    let count = 0;
    const finish = (b: RawBlock): void => {
      if (b.number !== expectedNumber) throw new ChainVerificationError(b.number, `block ${expectedNumber} is missing`);
      if (b.previous_hash !== expectedPrevious) throw new ChainVerificationError(b.number, `block ${b.number}: previousHash does not match block ${b.number - 1}`);
      if (count !== b.tx_count) throw new ChainVerificationError(b.number, `block ${b.number}: transaction count differs from its header`);
      const dataHash = b.number === 0 ? genesisDataHash() : data.digest('hex');
      if (dataHash !== b.data_hash) throw new ChainVerificationError(b.number, `block ${b.number}: dataHash does not match its transactions`);
      if (headerHash(b.number, b.previous_hash, b.data_hash) !== b.hash) throw new ChainVerificationError(b.number, `block ${b.number}: header hash is wrong`);
      expectedPrevious = b.hash;
      expectedNumber++;
      transactions += count;
    };
    const rows = this.db
      .prepare<[number], RawBlock & { envelope: Buffer | null }>(
        'SELECT b.number, b.previous_hash, b.data_hash, b.hash, b.tx_count, t.envelope FROM blocks b ' +
          'LEFT JOIN transactions t ON t.block_number = b.number WHERE b.number >= ? ORDER BY b.number, t.tx_index',
      )
      .iterate(from);
    for (const row of rows) {
      if (current === undefined || current.number !== row.number) {
        if (current !== undefined) finish(current);
        current = row;
        data = createHash('sha256');
        count = 0;
      }
      // dataHash = SHA-256(txHash_0 ‖ txHash_1 ‖ …), fed as the rows arrive (block-hash.ts).
      if (row.envelope !== null) {
        data.update(sha256(row.envelope));
        count++;
      }
    }
    if (current !== undefined) finish(current);
    if (expectedNumber === 0) throw new ChainVerificationError(0, 'the genesis block is missing');
    return { height: expectedNumber, tipHash: expectedPrevious, transactions };
  }

  /**
   * The check made on open: the last block checked before and every block added since, provided that block still has
   * the hash recorded for it then (else the whole chain again), and that no block number is missing; the new tip is
   * recorded. So a restart costs what was written since, not the chain's whole history; `verify()` re-checks every
   * block (the auditor's check).
   */
  verifySinceLastCheck(): { height: number; tipHash: string; transactions: number } {
    const mark = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE name = 'verified_prefix'").get();
    let from = 0;
    if (mark) {
      const { height, tipHash } = JSON.parse(mark.value) as { height: number; tipHash: string };
      if (Number.isSafeInteger(height) && height > 0 && this.stmt.block.get(height - 1)?.hash === tipHash) from = height - 1;
    }
    const result = this.verify(from);
    const blocks = (this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM blocks').get() as { n: number }).n;
    if (blocks !== result.height) throw new ChainVerificationError(result.height, `${result.height - blocks} of blocks 0-${result.height - 1} are missing`);
    this.db.prepare("INSERT INTO meta (name, value) VALUES ('verified_prefix', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
      .run(JSON.stringify({ height: result.height, tipHash: result.tipHash }));
    return result;
  }

  /**
   * SHA-256 over world state, key-endorsement metadata and history, in key order: equal digests, equal ledgers.
   * Each field is fed to one running hash as its row is read (uint32be length, then the bytes; null = length 1,
   * byte 0xff), so the check needs neither memory nor stack in proportion to the ledger.
   */
  digest(): string {
    const h = createHash('sha256');
    const len = Buffer.alloc(4);
    const field = (b: Buffer | string | number | null): void => {
      const bytes = b === null ? NULL_FIELD : Buffer.isBuffer(b) ? b : Buffer.from(String(b), 'utf8');
      len.writeUInt32BE(bytes.length);
      h.update(len);
      h.update(bytes);
    };
    for (const r of this.db.prepare<[], { key: Buffer; value: Buffer }>('SELECT key, value FROM state ORDER BY key').iterate()) {
      field(r.key);
      field(r.value);
    }
    field('endorsements');
    for (const r of this.db.prepare<[], { key: Buffer; msp_ids: string }>('SELECT key, msp_ids FROM key_endorsement ORDER BY key').iterate()) {
      field(r.key);
      field(r.msp_ids);
    }
    field('history');
    type H = { key: Buffer; block_number: number; tx_index: number; tx_id: string; timestamp: string; is_delete: number; value: Buffer | null };
    for (const r of this.db.prepare<[], H>('SELECT * FROM history ORDER BY key, block_number, tx_index').iterate()) {
      field(r.key);
      field(r.block_number);
      field(r.tx_index);
      field(r.tx_id);
      field(r.timestamp);
      field(r.is_delete);
      field(r.value);
    }
    return h.digest('hex');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toTransactionRow(r: RawTx): TransactionRow {
  return {
    blockNumber: r.block_number,
    txIndex: r.tx_index,
    txId: r.tx_id,
    txName: r.tx_name,
    creatorMsp: r.creator_msp,
    creatorRole: r.creator_role,
    endorsedBy: JSON.parse(r.endorsed_by) as string[],
    timestamp: r.timestamp,
    validationCode: r.validation_code,
  };
}
