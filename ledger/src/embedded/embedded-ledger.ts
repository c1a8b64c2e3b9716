/**
 * The embedded dev ledger: the same domain core as the chaincode, run in-process over SQLite, behind the same
 * `LedgerBackend` interface as Fabric. It exists so that `npm start` works in seconds; Fabric stays the system of
 * record (design principle 4).
 *
 * Ordering: `submit` fixes the transaction id and timestamp, then queues the proposal. A block is cut `blockCutMs`
 * after the first queued proposal, or at once when `maxBatch` are queued; while a block commits, new proposals
 * wait and form the next block (group commit). Within a block, proposals execute serially, each against the state
 * left by the previous one, so there are no MVCC conflicts; a proposal the domain rejects never enters a block.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, executeTransaction, isTxName, parseInput } from '@hutong/chaincode/domain';
import type { TxName } from '@hutong/chaincode/domain';
import type {
  BlockSummary,
  BlockTransaction,
  CallOptions,
  EventCheckpoint,
  Ledger,
  LedgerBackend,
  LedgerEvent,
  LedgerIdentity,
  PreparedTransaction,
  SubmitResult,
} from '../ledger.js';
import { LedgerError } from '../ledger.js';
import { encodeArgument } from '../transaction-argument.js';
import { BlockBuilder } from './block-builder.js';
import type { Proposal } from './block-builder.js';
import { ChainStore, ChainVerificationError } from './chain-store.js';
import type { EventRow, TransactionRow } from './chain-store.js';
import { TxSimulation } from './simulation.js';

export interface EmbeddedLedgerOptions {
  /** SQLite file, created if missing; `':memory:'` for a throw-away ledger. */
  path: string;
  /**
   * Longest a proposal waits for its block to be cut, in ms (default 5). 0 cuts on the next turn of the event loop:
   * lowest latency, and proposals made in the same turn or while a block commits still share a block.
   */
  blockCutMs?: number;
  /** Most transactions per block (default 256). */
  maxBatch?: number;
}

export interface ChainVerification {
  /** Number of blocks, genesis included. */
  height: number;
  tipHash: string;
  transactions: number;
}

/** The embedded backend: the `LedgerBackend` contract plus the audit checks a dev ledger can offer. */
export interface EmbeddedLedgerBackend extends LedgerBackend {
  readonly kind: 'embedded';
  /** Recomputes every hash link and data hash of the file (opening checks only the blocks since its last check). Throws LedgerError when broken. */
  verifyChain(): ChainVerification;
  /**
   * Re-executes every committed transaction, block by block, through the domain core into an empty in-memory
   * ledger and checks that every block hash and the final state, history and endorsement metadata are identical.
   * Throws LedgerError at the first divergence.
   */
  verifyReplay(): Promise<ChainVerification & { stateDigest: string }>;
  /** SHA-256 over world state, key-level policies and history: equal digests, equal ledgers. */
  stateDigest(): string;
}

interface Pending extends Proposal {
  /** Submitted as a prepared transaction (endorsed earlier). */
  prepared?: true;
  /** For a prepared transaction: its endorsed result, the answer when its id is already committed. */
  preparedResult?: unknown;
  state: 'queued' | 'executing' | 'settled';
  resolve(value: SubmitResult<unknown>): void;
  reject(error: LedgerError): void;
  deadline?: NodeJS.Timeout;
}

/** The embedded ledger's prepared transaction: the proposal with its id and time fixed, and its endorsed result. */
interface PreparedBytes {
  format: typeof PREPARED_FORMAT;
  proposal: Proposal;
  result: unknown;
}
const PREPARED_FORMAT = 'hutong-embedded-prepared/1';

const DEFAULT_BLOCK_CUT_MS = 5;
const DEFAULT_MAX_BATCH = 256;
const EVENT_PAGE = 256;
const ROLES: ReadonlySet<string> = new Set(['admin', 'client']);

/**
 * Opens (or creates) an embedded ledger. The chain is verified before the backend is returned; SQLite's WAL
 * recovery has already discarded any block whose commit a crash interrupted.
 *
 * @example
 * const backend = newEmbeddedLedger({ path: '.hutong/guangdong.sqlite' });
 * const gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'admin' });
 * const { evidence } = await gd.submit('InitLedger', { members });
 */
export function newEmbeddedLedger(options: Readonly<EmbeddedLedgerOptions>): EmbeddedLedgerBackend {
  return new EmbeddedLedgerBackendImpl(options);
}

export function toLedgerError(error: unknown, txId?: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const details = txId !== undefined ? { txId } : undefined;
  if (error instanceof DomainError) return new LedgerError(error.code, error.message, details, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  const sqlite = typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('SQLITE_');
  if (sqlite || (error instanceof TypeError && message.includes('database connection is not open'))) {
    return new LedgerError('LEDGER_UNAVAILABLE', `embedded ledger storage failed: ${message}`, details, { cause: error });
  }
  return new LedgerError('INTERNAL', `[INTERNAL] unexpected chaincode failure: ${message}`, details, { cause: error });
}

/** As Fabric: SHA-256 of a random nonce and the creator's identity, lower-case hex. */
function newTxId(identity: LedgerIdentity): string {
  return createHash('sha256').update(randomBytes(24)).update(`${identity.mspId}\n${identity.role}`).digest('hex');
}

class EmbeddedLedgerBackendImpl implements EmbeddedLedgerBackend {
  readonly kind = 'embedded' as const;
  private readonly store: ChainStore;
  private readonly blockCutMs: number;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private draining: Promise<void> | undefined;
  private lastTimestampMs: number;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly commitWaiters = new Set<() => void>();

  constructor(options: Readonly<EmbeddedLedgerOptions>) {
    const blockCutMs = options.blockCutMs ?? DEFAULT_BLOCK_CUT_MS;
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isFinite(blockCutMs) || blockCutMs < 0) throw new RangeError('blockCutMs must be a non-negative number');
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
    this.blockCutMs = blockCutMs;
    this.maxBatch = maxBatch;
    try {
      this.store = new ChainStore(options.path);
    } catch (e) {
      throw new LedgerError('LEDGER_UNAVAILABLE', `cannot open the embedded ledger at ${options.path}: ${(e as Error).message}`, undefined, { cause: e });
    }
    try {
      this.store.verifySinceLastCheck();
    } catch (e) {
      this.store.close();
      throw new LedgerError('LEDGER_UNAVAILABLE', `the embedded ledger at ${options.path} failed verification: ${(e as Error).message}`, undefined, { cause: e });
    }
    this.lastTimestampMs = this.store.lastTimestampMs();
  }

  async connect(identity: LedgerIdentity): Promise<Ledger> {
    this.ensureOpen();
    if (typeof identity?.mspId !== 'string' || identity.mspId === '' || !ROLES.has(identity.role)) {
      throw new LedgerError('INVALID_ARGUMENT', '[INVALID_ARGUMENT] an identity needs an MSP id and the role admin or client');
    }
    return new EmbeddedLedgerImpl(this, { mspId: identity.mspId, role: identity.role });
  }

  ensureOpen(): void {
    if (this.closed || this.closing) throw new LedgerError('LEDGER_UNAVAILABLE', 'the embedded ledger is closed');
  }

  // ---- submit: queue, cut, execute, commit ----

  submit(identity: LedgerIdentity, txName: string, input: unknown, options: CallOptions | undefined): Promise<SubmitResult<unknown>> {
    this.ensureOpen();
    return this.order(this.newProposal(identity, txName, encodeArgument(input)), options);
  }

  /** A proposal with its transaction id and timestamp fixed, as a Fabric client's proposal header fixes them. */
  private newProposal(identity: LedgerIdentity, txName: string, argument: string): Proposal {
    // The ledger owns the clock; timestamps never go backwards along the chain, even if the wall clock does.
    this.lastTimestampMs = Math.max(Date.now(), this.lastTimestampMs);
    return { txId: newTxId(identity), timestamp: new Date(this.lastTimestampMs).toISOString(), creator: { mspId: identity.mspId, role: identity.role }, txName, argument };
  }

  /**
   * Endorsement, embedded: the proposal runs against the committed state in a throw-away block and nothing is kept;
   * what the domain refuses fails here, with its code.
   */
  async prepare(identity: LedgerIdentity, txName: string, input: unknown): Promise<PreparedTransaction> {
    this.ensureOpen();
    const proposal = this.newProposal(identity, txName, encodeArgument(input));
    const outcome = await new BlockBuilder(this.store).execute(proposal);
    if (!outcome.ok) throw toLedgerError(outcome.error, proposal.txId);
    const prepared: PreparedBytes = { format: PREPARED_FORMAT, proposal, result: outcome.result };
    return { txId: proposal.txId, bytes: Buffer.from(JSON.stringify(prepared), 'utf8'), result: outcome.result };
  }

  submitPrepared(identity: LedgerIdentity, prepared: Readonly<PreparedTransaction>, options: CallOptions | undefined): Promise<SubmitResult<unknown>> {
    this.ensureOpen();
    let parsed: PreparedBytes;
    try {
      parsed = JSON.parse(Buffer.from(prepared.bytes).toString('utf8')) as PreparedBytes;
    } catch (e) {
      throw new LedgerError('INVALID_ARGUMENT', '[INVALID_ARGUMENT] these are not the bytes of a prepared transaction', { txId: prepared.txId }, { cause: e });
    }
    const p = parsed?.proposal;
    if (parsed?.format !== PREPARED_FORMAT || !p || p.txId !== prepared.txId || typeof p.argument !== 'string' || typeof p.txName !== 'string') {
      throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] these are not the bytes of prepared transaction ${String(prepared.txId)}`, { txId: prepared.txId });
    }
    // As on Fabric, only the identity that made the proposal can sign it for ordering.
    if (p.creator?.mspId !== identity.mspId || p.creator?.role !== identity.role) {
      throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] transaction ${p.txId} was proposed by another identity`, { txId: p.txId });
    }
    return this.order({ txId: p.txId, timestamp: p.timestamp, creator: p.creator, txName: p.txName, argument: p.argument }, options, { result: parsed.result });
  }

  /** Queues a proposal for the next block. `prepared` is the endorsed result, returned if the id is already on the chain. */
  private order(proposal: Proposal, options: CallOptions | undefined, prepared?: { result: unknown }): Promise<SubmitResult<unknown>> {
    const { txId } = proposal;
    return new Promise<SubmitResult<unknown>>((resolve, reject) => {
      const pending: Pending = { ...proposal, ...(prepared ? { prepared: true, preparedResult: prepared.result } : {}), state: 'queued', resolve, reject };
      if (options?.deadlineMs !== undefined) {
        pending.deadline = setTimeout(() => {
          // Only a proposal still waiting for its block can miss its deadline; once executing, it commits or fails.
          if (pending.state !== 'queued') return;
          pending.state = 'settled';
          reject(new LedgerError('LEDGER_DEADLINE_EXCEEDED', `transaction not ordered within ${options.deadlineMs} ms`, { txId }));
        }, options.deadlineMs);
      }
      this.queue.push(pending);
      if (this.queue.length >= this.maxBatch) this.cut();
      else if (this.blockCutMs === 0) this.immediate ??= setImmediate(() => this.cut());
      else this.timer ??= setTimeout(() => this.cut(), this.blockCutMs);
    });
  }

  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    if (this.draining) return; // the running drain picks the queue up when its block is committed
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // A burst that filled the queue after drain()'s last look but before this callback found `draining` set and
      // cleared the timer: without this second look nothing would ever cut it.
      if (this.queue.length > 0) this.cut();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.buildBlock(batch);
    }
  }

  private async buildBlock(batch: Pending[]): Promise<void> {
    const builder = new BlockBuilder(this.store);
    /** Second submissions of a transaction id that this very block commits: they get its evidence after the commit. */
    const duplicates: Pending[] = [];
    const accepted: Array<{ pending: Pending; result: unknown }> = [];
    const inBlock = new Set<string>();
    for (const pending of batch) {
      if (pending.state !== 'queued') continue;
      // A transaction id commits at most once: a prepared transaction submitted again answers with the first commit.
      const committed = this.store.transaction(pending.txId);
      if (committed || inBlock.has(pending.txId)) {
        pending.state = 'executing';
        if (committed) {
          settle(pending, undefined, { result: pending.preparedResult, evidence: { txId: committed.txId, blockNumber: committed.blockNumber, timestamp: committed.timestamp, endorsedBy: committed.endorsedBy } });
        } else {
          duplicates.push(pending);
        }
        continue;
      }
      inBlock.add(pending.txId);
      pending.state = 'executing';
      const outcome = await builder.execute(pending);
      if (outcome.ok) accepted.push({ pending, result: outcome.result });
      else if (pending.prepared) {
        // Endorsed against a state that has changed since: on Fabric the commit fails validation as an MVCC conflict.
        settle(pending, new LedgerError('LEDGER_MVCC_CONFLICT', `transaction ${pending.txId} was endorsed against a state that has changed: ${toLedgerError(outcome.error).message}`, { txId: pending.txId, validationCode: 'MVCC_READ_CONFLICT' }));
      } else settle(pending, toLedgerError(outcome.error, pending.txId));
    }
    const block = builder.seal();
    if (!block) return;
    try {
      this.store.commit(block);
    } catch (e) {
      for (const { pending } of accepted) {
        settle(pending, new LedgerError('LEDGER_COMMIT_FAILED', `block ${block.number} could not be committed: ${(e as Error).message}`, { txId: pending.txId }, { cause: e }));
      }
      return;
    }
    block.transactions.forEach((tx, i) => {
      const entry = accepted[i];
      if (!entry) return;
      settle(entry.pending, undefined, {
        result: entry.result,
        evidence: { txId: tx.txId, blockNumber: block.number, timestamp: tx.timestamp, endorsedBy: tx.endorsedBy },
      });
    });
    for (const pending of duplicates) {
      const tx = block.transactions.find((t) => t.txId === pending.txId);
      if (tx) settle(pending, undefined, { result: pending.preparedResult, evidence: { txId: tx.txId, blockNumber: block.number, timestamp: tx.timestamp, endorsedBy: tx.endorsedBy } });
      else settle(pending, new LedgerError('LEDGER_COMMIT_FAILED', `transaction ${pending.txId} was not committed`, { txId: pending.txId }));
    }
    this.notifyCommit();
  }

  // ---- evaluate: committed state only, no writes ----

  async evaluate(identity: LedgerIdentity, txName: string, input: unknown): Promise<unknown> {
    this.ensureOpen();
    const argument = encodeArgument(input);
    const txId = newTxId(identity);
    try {
      const parsed = parseInput(argument);
      const sim = new TxSimulation(this.store, undefined);
      const timestamp = new Date(Math.max(Date.now(), this.lastTimestampMs)).toISOString();
      const result = await executeTransaction({ state: sim, txId, timestamp, client: { ...identity } }, txName, parsed);
      sim.seal();
      return result === undefined ? undefined : (JSON.parse(JSON.stringify(result)) as unknown);
    } catch (e) {
      throw toLedgerError(e);
    }
  }

  // ---- blocks and transactions ----

  height(): number {
    this.ensureOpen();
    return this.store.height;
  }

  getBlock(blockNumber: number): BlockSummary {
    this.ensureOpen();
    const row = Number.isSafeInteger(blockNumber) && blockNumber >= 0 ? this.store.block(blockNumber) : undefined;
    if (!row) throw new LedgerError('LEDGER_BLOCK_NOT_FOUND', `no block ${blockNumber} (height ${this.store.height})`);
    return { ...row, transactions: this.store.blockTransactions(blockNumber).map(toBlockTransaction) };
  }

  getTransaction(txId: string): BlockTransaction & { blockNumber: number } {
    this.ensureOpen();
    const row = typeof txId === 'string' ? this.store.transaction(txId) : undefined;
    if (!row) throw new LedgerError('LEDGER_TX_NOT_FOUND', `no committed transaction ${String(txId)}`, { txId });
    return { ...toBlockTransaction(row), blockNumber: row.blockNumber };
  }

  // ---- events ----

  async *events(after: EventCheckpoint | undefined, signal: AbortSignal, connectionOpen: () => boolean): AsyncGenerator<LedgerEvent> {
    this.ensureOpen();
    // Internally the cursor is (block, position in block), the order the store keeps; -1 is "before the block's first".
    let cursor = after === undefined ? { blockNumber: 0, txIndex: -1 } : this.positionOf(after);
    const live = (): boolean => !signal.aborted && !this.closed && !this.closing && connectionOpen();
    while (live()) {
      let rows: EventRow[];
      try {
        rows = this.store.eventsAfter(cursor.blockNumber, cursor.txIndex, EVENT_PAGE);
      } catch (e) {
        if (!live()) return;
        throw toLedgerError(e);
      }
      // No await between the empty read and registering the waiter, and commits are synchronous: no event is missed.
      if (rows.length === 0) {
        await this.nextCommit(signal);
        continue;
      }
      for (const row of rows) {
        if (!live()) return;
        cursor = { blockNumber: row.blockNumber, txIndex: row.txIndex };
        yield toLedgerEvent(row);
      }
    }
  }

  /** Resolves a checkpoint to the store's (block, position in block) after which delivery starts. */
  private positionOf(checkpoint: EventCheckpoint): { blockNumber: number; txIndex: number } {
    const { blockNumber, transactionId } = checkpoint;
    if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) {
      throw new LedgerError('INVALID_ARGUMENT', '[INVALID_ARGUMENT] an event checkpoint needs a block number (a non-negative integer)');
    }
    if (transactionId === undefined) return { blockNumber, txIndex: -1 };
    let tx: TransactionRow | undefined;
    try {
      tx = typeof transactionId === 'string' ? this.store.transaction(transactionId) : undefined;
    } catch (e) {
      throw toLedgerError(e);
    }
    if (tx?.blockNumber !== blockNumber) {
      // Not "from the start of the block": that would deliver again what the reader says it applied.
      throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] event checkpoint: block ${blockNumber} has no transaction ${String(transactionId)}`);
    }
    return { blockNumber, txIndex: tx.txIndex };
  }

  private nextCommit(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.commitWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.commitWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Wakes every waiting event stream so that it re-checks whether it should end. */
  notifyCommit(): void {
    for (const wake of [...this.commitWaiters]) wake();
  }

  // ---- audit ----

  verifyChain(): ChainVerification {
    this.ensureOpen();
    try {
      return this.store.verify();
    } catch (e) {
      if (e instanceof ChainVerificationError) throw new LedgerError('LEDGER_UNAVAILABLE', `chain verification failed: ${e.message}`, undefined, { cause: e });
      throw toLedgerError(e);
    }
  }

  async verifyReplay(): Promise<ChainVerification & { stateDigest: string }> {
    const chain = this.verifyChain();
    // The replica is a scratch file, not ':memory:': replaying a long chain must not hold its whole state in RAM.
    const scratch = mkdtempSync(join(tmpdir(), 'hutong-replay-'));
    const replica = new ChainStore(join(scratch, 'replica.sqlite'), { scratch: true });
    const fail = (message: string): never => {
      throw new LedgerError('LEDGER_UNAVAILABLE', `replay diverges: ${message}`);
    };
    try {
      for (let n = 1; n < chain.height; n++) {
        const original = this.store.block(n) ?? fail(`block ${n} vanished`);
        const builder = new BlockBuilder(replica);
        for (const bytes of this.store.blockEnvelopes(n)) {
          const e = JSON.parse(bytes.toString('utf8')) as Proposal & { creator: LedgerIdentity };
          const outcome = await builder.execute({ txId: e.txId, timestamp: e.timestamp, creator: e.creator, txName: e.txName, argument: e.argument });
          if (!outcome.ok) fail(`transaction ${e.txId} in block ${n} fails on replay: ${toLedgerError(outcome.error).message}`);
        }
        const block = builder.seal() ?? fail(`block ${n} is empty on replay`);
        if (block.hash !== original.hash) fail(`block ${n} hashes differently on replay`);
        replica.commit(block);
      }
      const stateDigest = this.store.digest();
      if (replica.digest() !== stateDigest) fail('world state, history or endorsement metadata differ from the replayed chain');
      return { ...chain, stateDigest };
    } finally {
      replica.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  stateDigest(): string {
    this.ensureOpen();
    return this.store.digest();
  }

  // ---- shutdown ----

  /** Commits what is queued, ends every event stream, then releases the SQLite file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.notifyCommit();
      if (this.queue.length > 0) this.cut();
      while (this.draining) await this.draining;
      this.closed = true;
      this.notifyCommit();
      this.store.close();
    })();
    return this.closing;
  }
}

function settle(pending: Pending, error: LedgerError | undefined, value?: SubmitResult<unknown>): void {
  if (pending.deadline) clearTimeout(pending.deadline);
  if (pending.state === 'settled') return;
  pending.state = 'settled';
  if (error) pending.reject(error);
  else if (value) pending.resolve(value);
}

function toBlockTransaction(row: TransactionRow): BlockTransaction {
  return {
    txId: row.txId,
    txIndex: row.txIndex,
    txName: row.txName,
    creatorMsp: row.creatorMsp,
    endorsedBy: row.endorsedBy,
    timestamp: row.timestamp,
    validationCode: row.validationCode,
  };
}

function toLedgerEvent(row: EventRow): LedgerEvent {
  const text = row.payload.toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text) as unknown;
  } catch {
    payload = text;
  }
  return { blockNumber: row.blockNumber, txId: row.txId, name: row.name, payload };
}

/** One identity's connection: every call carries that identity into `ctx.client`. */
class EmbeddedLedgerImpl implements Ledger {
  private closed = false;

  constructor(
    private readonly backend: EmbeddedLedgerBackendImpl,
    readonly identity: LedgerIdentity,
  ) {}

  private check(): void {
    if (this.closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'this ledger connection is closed');
  }

  async submit<T = unknown>(tx: TxName, input: unknown, options?: CallOptions): Promise<SubmitResult<T>> {
    this.check();
    if (typeof tx !== 'string' || !isTxName(tx)) {
      throw new LedgerError('UNKNOWN_TRANSACTION', `[UNKNOWN_TRANSACTION] no transaction named '${String(tx)}'`);
    }
    return (await this.backend.submit(this.identity, tx, input, options)) as SubmitResult<T>;
  }

  async prepare<T = unknown>(tx: TxName, input: unknown): Promise<PreparedTransaction<T>> {
    this.check();
    if (typeof tx !== 'string' || !isTxName(tx)) {
      throw new LedgerError('UNKNOWN_TRANSACTION', `[UNKNOWN_TRANSACTION] no transaction named '${String(tx)}'`);
    }
    return (await this.backend.prepare(this.identity, tx, input)) as PreparedTransaction<T>;
  }

  async submitPrepared<T = unknown>(prepared: Readonly<PreparedTransaction<T>>, options?: CallOptions): Promise<SubmitResult<T>> {
    this.check();
    return (await this.backend.submitPrepared(this.identity, prepared, options)) as SubmitResult<T>;
  }

  async evaluate<T = unknown>(tx: TxName, input: unknown): Promise<T> {
    this.check();
    return (await this.backend.evaluate(this.identity, tx, input)) as T;
  }

  events(after: EventCheckpoint | undefined, signal: AbortSignal): AsyncIterable<LedgerEvent> {
    this.check();
    return this.backend.events(after, signal, () => !this.closed);
  }

  async height(): Promise<number> {
    this.check();
    return this.backend.height();
  }

  async getBlock(blockNumber: number): Promise<BlockSummary> {
    this.check();
    return this.backend.getBlock(blockNumber);
  }

  async getTransaction(txId: string): Promise<BlockTransaction & { blockNumber: number }> {
    this.check();
    return this.backend.getTransaction(txId);
  }

  /** Ends this connection's event streams; the backend (and other connections) stay open. */
  async close(): Promise<void> {
    this.closed = true;
    this.backend.notifyCommit();
  }
}
