/**
 * Transaction simulation over SQLite: the `WorldState` the domain core runs on inside the embedded ledger.
 *
 * Three layers, read top-down: the transaction's own write buffer (read-your-writes), the writes of earlier
 * transactions of the block being built (each transaction runs against the state as of the previous one, so there
 * are no MVCC conflicts), then the committed state in SQLite. Nothing reaches SQLite until the whole block commits.
 * A read-only simulation (evaluate) has no block layer and refuses every write.
 */
import { DomainError, partialKeyRange } from '@hutong/chaincode/domain';
import type { KeyModification, StatePage, WorldState } from '@hutong/chaincode/domain';
import type { ChainStore } from './chain-store.js';

const utf8 = (key: string): Buffer => Buffer.from(key, 'utf8');

/** Byte order of UTF-8 keys: what LevelDB and SQLite BLOB comparison use (not UTF-16 string order). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(utf8(a), utf8(b));
}

/** Writes of the transactions already accepted into the block being built. */
export class BlockOverlay {
  readonly writes = new Map<string, Uint8Array | null>();
  readonly endorsements = new Map<string, string[]>();
  readonly history = new Map<string, KeyModification[]>();

  apply(sim: TxSimulation, txId: string, timestamp: string): void {
    for (const [key, value] of sim.writes) {
      this.writes.set(key, value);
      const entry: KeyModification = { txId, timestamp, isDelete: value === null, ...(value !== null ? { value } : {}) };
      const list = this.history.get(key);
      if (list) list.push(entry);
      else this.history.set(key, [entry]);
    }
    for (const [key, mspIds] of sim.endorsements) this.endorsements.set(key, mspIds);
  }
}

export class TxSimulation implements WorldState {
  readonly writes = new Map<string, Uint8Array | null>();
  readonly endorsements = new Map<string, string[]>();
  event: { name: string; payload: Uint8Array } | undefined;
  private sealed = false;

  constructor(
    private readonly store: ChainStore,
    /** Undefined for a read-only (evaluate) simulation. */
    private readonly block: BlockOverlay | undefined,
  ) {}

  /** Ends the simulation: a late write from a dangling promise of the chaincode must not leak into the block. */
  seal(): void {
    this.sealed = true;
  }

  private writable(what: string): void {
    if (this.block === undefined) {
      throw new DomainError('INVALID_ARGUMENT', `evaluate is read-only: this transaction tried to ${what}; submit it instead`);
    }
    if (this.sealed) throw new Error(`${what} after the transaction ended`);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const own = this.writes.get(key);
    if (own !== undefined) return own ?? undefined;
    const pending = this.block?.writes.get(key);
    if (pending !== undefined) return pending ?? undefined;
    return this.store.get(utf8(key));
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    this.writable('write a key');
    if (key === '') throw new DomainError('INVALID_ARGUMENT', 'empty key');
    this.writes.set(key, Uint8Array.from(value));
  }

  async delete(key: string): Promise<void> {
    this.writable('delete a key');
    this.writes.set(key, null);
  }

  async getByPartialCompositeKey(objectType: string, attributes: string[], pageSize: number, bookmark: string): Promise<StatePage> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new DomainError('INVALID_ARGUMENT', 'pageSize must be a positive integer');
    const range = partialKeyRange(objectType, attributes);
    if (bookmark !== '' && (compareKeys(bookmark, range.start) < 0 || compareKeys(bookmark, range.end) >= 0)) {
      throw new DomainError('INVALID_ARGUMENT', 'bookmark does not belong to this query');
    }
    const from = utf8(bookmark !== '' ? bookmark : range.start);
    const end = utf8(range.end);
    const inRange = (key: string): boolean => {
      const k = utf8(key);
      return Buffer.compare(k, from) >= 0 && Buffer.compare(k, end) < 0;
    };
    // Uncommitted writes in range override committed rows; each pending delete can hide at most one committed row,
    // so reading that many extra rows is always enough to fill the page.
    const overlay = new Map<string, Uint8Array | null>();
    for (const layer of [this.block?.writes, this.writes]) {
      if (layer) for (const [key, value] of layer) if (inRange(key)) overlay.set(key, value);
    }
    let deletes = 0;
    for (const value of overlay.values()) if (value === null) deletes++;
    const merged = new Map<string, Uint8Array | null>();
    for (const row of this.store.range(from, end, pageSize + 1 + deletes)) merged.set(row.key.toString('utf8'), row.value);
    for (const [key, value] of overlay) merged.set(key, value);
    const live = [...merged]
      .filter((e): e is [string, Uint8Array] => e[1] !== null)
      .sort((a, b) => compareKeys(a[0], b[0]))
      .slice(0, pageSize + 1);
    const next = live.length > pageSize ? live.pop() : undefined;
    return { entries: live.map(([key, value]) => ({ key, value })), bookmark: next ? next[0] : '' };
  }

  /** Committed history plus that of earlier transactions in the same block; never the transaction's own writes (as in Fabric). */
  async getHistory(key: string): Promise<KeyModification[]> {
    const committed = this.store.history(utf8(key));
    const pending = this.block?.history.get(key) ?? [];
    return [...committed, ...pending];
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.writable('emit an event');
    if (name === '') throw new DomainError('INVALID_ARGUMENT', 'event name must not be empty');
    this.event = { name, payload: Uint8Array.from(payload) };
  }

  async setKeyEndorsement(key: string, mspIds: string[]): Promise<void> {
    this.writable('set a key-level endorsement policy');
    this.endorsements.set(key, [...new Set(mspIds)].sort());
  }

  /** The key-level policy in force before this transaction (committed or set earlier in the block). */
  policyBefore(key: string): string[] | undefined {
    return this.block?.endorsements.get(key) ?? this.store.keyEndorsement(utf8(key));
  }
}
