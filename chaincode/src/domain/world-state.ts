/**
 * The small world-state interface the domain core runs on. The Fabric contract adapts `ChaincodeStub` to it;
 * the embedded dev ledger implements it over SQLite. Keys are Fabric composite keys (see `composite-key.ts`).
 */
export interface StateEntry {
  key: string;
  value: Uint8Array;
}

export interface StatePage {
  entries: StateEntry[];
  /** Key to resume from (inclusive), or '' when there are no more entries. Same meaning as Fabric's bookmark. */
  bookmark: string;
}

export interface KeyModification {
  txId: string;
  /** ISO-8601 UTC, from the writing transaction's timestamp. */
  timestamp: string;
  isDelete: boolean;
  value?: Uint8Array;
}

export interface WorldState {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Entries whose composite key starts with (objectType, ...attributes), in key order, at most `pageSize`.
   * A non-empty `bookmark` is the key to start from (inclusive); it must lie inside the prefix.
   */
  getByPartialCompositeKey(objectType: string, attributes: string[], pageSize: number, bookmark: string): Promise<StatePage>;
  /** Every committed modification of a key, oldest first. */
  getHistory(key: string): Promise<KeyModification[]>;
  /** One event per transaction: the last call wins (as in Fabric). */
  setEvent(name: string, payload: Uint8Array): void;
  /** Key-level (state-based) endorsement: writes to `key` need every listed MSP's peers. */
  setKeyEndorsement(key: string, mspIds: string[]): Promise<void>;
}

export type ClientRole = 'admin' | 'client' | 'peer' | 'orderer' | 'member';

/** Who submitted the transaction, as established by the ledger (MSP and NodeOU role of the signing identity). */
export interface ClientIdentity {
  mspId: string;
  role: ClientRole;
}

/** Everything a transaction may depend on. Nothing else: no clock, no randomness. */
export interface TxContext {
  state: WorldState;
  txId: string;
  /** The transaction timestamp, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  client: ClientIdentity;
}
