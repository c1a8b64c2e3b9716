/**
 * The ledger as the gateway (and the conformance suite) sees it. Two implementations: the embedded dev ledger
 * (`@hutong/ledger/embedded`, SQLite, same domain core in-process) and the Fabric adapter (`@hutong/ledger/fabric`,
 * @hyperledger/fabric-gateway 1.11).
 * Every transaction takes one JSON argument and returns JSON; the chaincode's error codes survive the trip.
 */
import type { ChaincodeErrorCode, TxName } from '@hutong/chaincode/domain';

/** The signing identity a connection acts as: an MSP and its NodeOU role. */
export interface LedgerIdentity {
  mspId: string;
  role: 'admin' | 'client';
}

/** Proof that a transaction committed: what an auditor needs to find it again. */
export interface CommitEvidence {
  txId: string;
  blockNumber: number;
  /** Transaction timestamp, ISO-8601 UTC. */
  timestamp: string;
  /** MSP ids whose peers endorsed the transaction, sorted. */
  endorsedBy: string[];
}

export interface SubmitResult<T> {
  result: T;
  evidence: CommitEvidence;
}

/**
 * How far a reader of chaincode events got, in the terms of fabric-gateway's `Checkpointer` (block number plus
 * transaction id; no position inside the block, which a Fabric client never sees).
 *
 * - `{ blockNumber, transactionId }`: every event up to and including the event of transaction `transactionId` in
 *   block `blockNumber` was applied. Resuming delivers the events after that transaction in the same block, then
 *   those of later blocks. A `transactionId` that is not a transaction of block `blockNumber` is an error
 *   (`INVALID_ARGUMENT`), never silently "from the start of the block".
 * - `{ blockNumber }`: every event of the blocks before `blockNumber` was applied; resuming starts with block
 *   `blockNumber`, which need not exist yet.
 *
 * After applying an event `e`, the checkpoint is `{ blockNumber: e.blockNumber, transactionId: e.txId }`.
 */
export interface EventCheckpoint {
  blockNumber: number;
  transactionId?: string;
}

/**
 * A chaincode event of a committed, valid transaction: what Fabric's peers deliver (fabric-gateway's
 * `ChaincodeEvent`). The transaction's time is in its block (`getTransaction`), not in the event.
 */
export interface LedgerEvent {
  blockNumber: number;
  txId: string;
  name: string;
  payload: unknown;
}

export interface BlockTransaction {
  txId: string;
  txIndex: number;
  txName: string;
  creatorMsp: string;
  endorsedBy: string[];
  timestamp: string;
  /** 'VALID' or the reason the transaction was invalidated. */
  validationCode: string;
}

export interface BlockSummary {
  number: number;
  /** Hex SHA-256 of the block header; `previousHash` chains blocks. */
  hash: string;
  previousHash: string;
  dataHash: string;
  transactions: BlockTransaction[];
}

export interface CallOptions {
  /** Per-call deadline in milliseconds. */
  deadlineMs?: number;
}

/**
 * An endorsed transaction not yet ordered (Fabric's prepared transaction): its id is fixed and its bytes can be kept
 * durably and submitted after a crash. Submitting the same bytes again never commits the write twice: a transaction
 * id commits at most once.
 */
export interface PreparedTransaction<T = unknown> {
  txId: string;
  /** Opaque: store and hand back as they are. */
  bytes: Uint8Array;
  /** The chaincode's result as endorsed. */
  result: T;
}

export interface Ledger {
  readonly identity: LedgerIdentity;
  /** `prepare` then `submitPrepared`: endorse, order, wait for the commit. */
  submit<T = unknown>(tx: TxName, input: unknown, options?: CallOptions): Promise<SubmitResult<T>>;
  /** Endorses a transaction without ordering it. The chaincode's own refusals fail here, with their codes. */
  prepare<T = unknown>(tx: TxName, input: unknown, options?: CallOptions): Promise<PreparedTransaction<T>>;
  /**
   * Orders a prepared transaction and waits for its commit. If that transaction id is already committed, its
   * evidence is returned instead (a transaction id commits at most once); an invalid commit fails with
   * LEDGER_MVCC_CONFLICT or LEDGER_COMMIT_FAILED, and the write must then be prepared again.
   */
  submitPrepared<T = unknown>(prepared: Readonly<PreparedTransaction<T>>, options?: CallOptions): Promise<SubmitResult<T>>;
  evaluate<T = unknown>(tx: TxName, input: unknown, options?: CallOptions): Promise<T>;
  /**
   * Chaincode events in chain order, strictly after the checkpoint `after` (from block 0 when undefined), stored
   * ones first, then live ones until `signal` aborts. An invalid checkpoint fails the iteration with
   * `INVALID_ARGUMENT`.
   */
  events(after: EventCheckpoint | undefined, signal: AbortSignal): AsyncIterable<LedgerEvent>;
  /** Height of the chain (number of blocks). */
  height(): Promise<number>;
  getBlock(blockNumber: number): Promise<BlockSummary>;
  /** The block and position of a committed transaction, or LEDGER_TX_NOT_FOUND. */
  getTransaction(txId: string): Promise<BlockTransaction & { blockNumber: number }>;
  close(): Promise<void>;
}

/** Opens ledger connections as a given identity. */
export interface LedgerBackend {
  readonly kind: 'embedded' | 'fabric';
  connect(identity: LedgerIdentity): Promise<Ledger>;
  close(): Promise<void>;
}

export type LedgerTransportCode =
  | 'LEDGER_UNAVAILABLE'
  | 'LEDGER_ENDORSEMENT_FAILED'
  | 'LEDGER_COMMIT_FAILED'
  | 'LEDGER_MVCC_CONFLICT'
  | 'LEDGER_DEADLINE_EXCEEDED'
  | 'LEDGER_TX_NOT_FOUND'
  | 'LEDGER_BLOCK_NOT_FOUND';

export type LedgerErrorCode = ChaincodeErrorCode | LedgerTransportCode;

/** What a failure is about: the transaction, and for Fabric what each peer answered. */
export interface LedgerErrorDetails {
  txId?: string;
  mspId?: string;
  peer?: string;
  /** Per-peer answers of a failed endorsement or evaluation (fabric-gateway's error details). */
  peers?: ReadonlyArray<{ mspId: string; address: string; message: string }>;
  /** The validation code of a transaction committed as invalid (`MVCC_READ_CONFLICT`, …). */
  validationCode?: string;
}

/** Every ledger failure: a chaincode code carried through, or a transport code. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details?: Readonly<LedgerErrorDetails>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
