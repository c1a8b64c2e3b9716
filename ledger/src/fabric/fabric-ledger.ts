/**
 * The ledger on a real Fabric network, through @hyperledger/fabric-gateway 1.11 and @grpc/grpc-js: one gRPC channel
 * per peer endpoint, shared by every identity; each call signed by the identity the connection was opened as.
 *
 * - submit: endorse → submit → commit status as three phases, each with its own deadline; the result carries the
 *   block number, the proposal's timestamp and the MSPs of the real endorsements.
 * - evaluate: one peer of the caller's organisation.
 * - events: the chaincode's events from a checkpoint (block number + transaction id, as fabric-gateway's
 *   Checkpointer), so a restarted reader misses nothing and sees nothing twice.
 * - height, blocks, transactions: qscc on the caller's peer, decoded from the real blocks (block-reader.ts).
 * gRPC reconnects by itself when a peer returns; an event stream that ends with its peer fails with
 * LEDGER_UNAVAILABLE and is reopened by its reader from its checkpoint.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Checkpoint, Gateway, Network } from '@hyperledger/fabric-gateway';
import { common, gateway as gatewayProtos } from '@hyperledger/fabric-protos';
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
import { readBlock, readTransaction, validationCodeName } from './block-reader.js';
import type { ConnectionProfile } from './connection-profile.js';
import { toLedgerError } from './fabric-errors.js';
import { newGatewayConnection, newGrpcClient } from './gateway-connection.js';

/** Per-phase deadlines in milliseconds. */
export interface FabricDeadlines {
  endorseMs: number;
  submitMs: number;
  commitStatusMs: number;
  evaluateMs: number;
}

export const DEFAULT_DEADLINES: FabricDeadlines = { endorseMs: 15_000, submitMs: 10_000, commitStatusMs: 30_000, evaluateMs: 5_000 };

export interface FabricLedgerOptions {
  /** One profile per organisation this backend may act for (a gateway: its own; the conformance suite: all). */
  profiles: readonly ConnectionProfile[];
  deadlines?: Partial<FabricDeadlines>;
}

/**
 * @example
 * const backend = newFabricLedger({ profiles: [readConnectionProfile('.hutong/fabric/profiles/macau.json')] });
 * const macau = await backend.connect({ mspId: 'MacauMSP', role: 'client' });
 * const anchor = await macau.evaluate('GetAnchor', { root });
 */
export function newFabricLedger(options: Readonly<FabricLedgerOptions>): LedgerBackend & { readonly kind: 'fabric' } {
  return new FabricLedgerBackendImpl(options);
}

const decoder = new TextDecoder();

function parseResult(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const deadline = (ms: number): Date => new Date(Date.now() + ms);

class FabricLedgerBackendImpl implements LedgerBackend {
  readonly kind = 'fabric' as const;
  private readonly profiles: Map<string, ConnectionProfile>;
  private readonly clients = new Map<string, grpc.Client>();
  readonly deadlines: FabricDeadlines;
  /**
   * The height this backend has seen committed through any of its connections. A connection to another
   * organisation's peer reads only once that peer is this high: Fabric answers a submit when the submitter's own peer
   * has committed, and the other organisations' peers commit the same block moments later.
   */
  seenHeight = 0;
  private closed = false;

  constructor(options: Readonly<FabricLedgerOptions>) {
    this.profiles = new Map(options.profiles.map((p) => [p.mspId, p]));
    this.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
  }

  /** One gRPC channel per peer endpoint; grpc-js reconnects it when the peer comes back. */
  client(peer: ConnectionProfile['peers'][number]): grpc.Client {
    let client = this.clients.get(peer.endpoint);
    if (!client) {
      client = newGrpcClient(peer);
      this.clients.set(peer.endpoint, client);
    }
    return client;
  }

  async connect(identity: LedgerIdentity): Promise<Ledger> {
    if (this.closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'the Fabric ledger backend is closed');
    const profile = this.profiles.get(identity?.mspId);
    if (!profile || (identity.role !== 'admin' && identity.role !== 'client')) {
      throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] no connection profile for ${String(identity?.mspId)} (${String(identity?.role)}); known: ${[...this.profiles.keys()].join(', ')}`);
    }
    const gateway = newGatewayConnection(profile, identity.role, this.client(profile.peers[0]!));
    return new FabricLedgerImpl(this, profile, { mspId: identity.mspId, role: identity.role }, gateway);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

class FabricLedgerImpl implements Ledger {
  private readonly network: Network;
  private readonly streams = new Set<{ close(): void }>();
  private closed = false;

  constructor(
    private readonly backend: FabricLedgerBackendImpl,
    private readonly profile: ConnectionProfile,
    readonly identity: LedgerIdentity,
    private readonly gateway: Gateway,
  ) {
    this.network = gateway.getNetwork(profile.channel);
  }

  private check(): void {
    if (this.closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'this ledger connection is closed');
  }

  /** The height this connection's peer is known to have reached. */
  private peerHeight = 0;

  /** Waits (bounded) until this connection's peer holds every block this backend has seen committed. */
  private async caughtUp(): Promise<void> {
    if (this.peerHeight >= this.backend.seenHeight) return;
    const deadline = Date.now() + this.backend.deadlines.evaluateMs;
    while (Date.now() < deadline) {
      this.peerHeight = await this.chainHeight();
      if (this.peerHeight >= this.backend.seenHeight) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private committedAt(blockNumber: number): void {
    this.peerHeight = Math.max(this.peerHeight, blockNumber + 1);
    this.backend.seenHeight = Math.max(this.backend.seenHeight, blockNumber + 1);
  }

  private phaseDeadline(phaseMs: number, overall: Date | undefined): Date {
    const phase = deadline(phaseMs);
    return overall && overall < phase ? overall : phase;
  }

  async submit<T = unknown>(tx: string, input: unknown, options?: CallOptions): Promise<SubmitResult<T>> {
    const overall = options?.deadlineMs !== undefined ? deadline(options.deadlineMs) : undefined;
    const prepared = await this.prepare<T>(tx, input, overall ? { deadlineMs: overall.getTime() - Date.now() } : undefined);
    return this.submitPrepared(prepared, overall ? { deadlineMs: Math.max(0, overall.getTime() - Date.now()) } : undefined);
  }

  async prepare<T = unknown>(tx: string, input: unknown, options?: CallOptions): Promise<PreparedTransaction<T>> {
    this.check();
    const argument = encodeArgument(input);
    const overall = options?.deadlineMs !== undefined ? deadline(options.deadlineMs) : undefined;
    const proposal = this.network.getContract(this.profile.chaincode).newProposal(tx, { arguments: [argument] });
    const txId = proposal.getTransactionId();
    try {
      await this.caughtUp();
      const transaction = await proposal.endorse({ deadline: this.phaseDeadline(this.backend.deadlines.endorseMs, overall) });
      return { txId, bytes: transaction.getBytes(), result: parseResult(transaction.getResult()) as T };
    } catch (e) {
      throw toLedgerError(e, txId);
    }
  }

  async submitPrepared<T = unknown>(prepared: Readonly<PreparedTransaction<T>>, options?: CallOptions): Promise<SubmitResult<T>> {
    this.check();
    const d = this.backend.deadlines;
    const overall = options?.deadlineMs !== undefined ? deadline(options.deadlineMs) : undefined;
    const { txId } = prepared;
    try {
      const transaction = this.gateway.newTransaction(prepared.bytes);
      if (transaction.getTransactionId() !== txId) throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] the prepared bytes are transaction ${transaction.getTransactionId()}, not ${txId}`);
      // The envelope that is ordered: its header has the timestamp, its action the real endorsements.
      const envelope = gatewayProtos.PreparedTransaction.deserializeBinary(prepared.bytes).getEnvelope();
      const ordered = readTransaction(envelope?.serializeBinary() ?? new Uint8Array(), 0, this.profile.chaincode, 'NOT_VALIDATED');
      const submitted = await transaction.submit({ deadline: this.phaseDeadline(d.submitMs, overall) });
      const status = await submitted.getStatus({ deadline: this.phaseDeadline(d.commitStatusMs, overall) });
      if (!status.successful) {
        // Submitted again after a crash: the first commit of this transaction id is the one that counts.
        if (validationCodeName(status.code) === 'DUPLICATE_TXID') {
          const committed = await this.getTransaction(txId);
          if (committed.validationCode === 'VALID') {
            this.committedAt(committed.blockNumber);
            return { result: prepared.result, evidence: { txId, blockNumber: committed.blockNumber, timestamp: committed.timestamp, endorsedBy: committed.endorsedBy } };
          }
        }
        throw Object.assign(new Error('invalid'), { name: 'CommitError', code: status.code, transactionId: txId });
      }
      this.committedAt(Number(status.blockNumber));
      return { result: prepared.result, evidence: { txId, blockNumber: Number(status.blockNumber), timestamp: ordered.timestamp, endorsedBy: ordered.endorsedBy } };
    } catch (e) {
      throw toLedgerError(e, txId);
    }
  }

  async evaluate<T = unknown>(tx: string, input: unknown, options?: CallOptions): Promise<T> {
    this.check();
    const argument = encodeArgument(input);
    const ms = Math.min(options?.deadlineMs ?? Infinity, this.backend.deadlines.evaluateMs);
    try {
      await this.caughtUp();
      const bytes = await this.network.getContract(this.profile.chaincode).newProposal(tx, { arguments: [argument] }).evaluate({ deadline: deadline(ms) });
      return parseResult(bytes) as T;
    } catch (e) {
      throw toLedgerError(e);
    }
  }

  private async qscc(fn: string, ...args: string[]): Promise<Uint8Array> {
    this.check();
    return this.network.getContract('qscc').newProposal(fn, { arguments: [this.profile.channel, ...args] }).evaluate({ deadline: deadline(this.backend.deadlines.evaluateMs) });
  }

  private async chainHeight(): Promise<number> {
    return Number(common.BlockchainInfo.deserializeBinary(await this.qscc('GetChainInfo')).getHeight());
  }

  async height(): Promise<number> {
    try {
      return await this.chainHeight();
    } catch (e) {
      throw toLedgerError(e);
    }
  }

  async getBlock(blockNumber: number): Promise<BlockSummary> {
    if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) throw new LedgerError('LEDGER_BLOCK_NOT_FOUND', `no block ${blockNumber}`);
    let bytes: Uint8Array;
    try {
      await this.caughtUp();
      bytes = await this.qscc('GetBlockByNumber', String(blockNumber));
    } catch (e) {
      const error = toLedgerError(e);
      if (/not found|out of range|no such block|entry not found/i.test(error.message)) throw new LedgerError('LEDGER_BLOCK_NOT_FOUND', `no block ${blockNumber}`, undefined, { cause: e });
      throw error;
    }
    return readBlock(bytes, this.profile.chaincode);
  }

  async getTransaction(txId: string): Promise<BlockTransaction & { blockNumber: number }> {
    if (typeof txId !== 'string' || !/^[0-9a-f]{64}$/.test(txId)) throw new LedgerError('LEDGER_TX_NOT_FOUND', `no committed transaction ${String(txId)}`, { txId: String(txId) });
    let bytes: Uint8Array;
    try {
      await this.caughtUp();
      bytes = await this.qscc('GetBlockByTxID', txId);
    } catch (e) {
      const error = toLedgerError(e, txId);
      if (/no such transaction|not found/i.test(error.message)) throw new LedgerError('LEDGER_TX_NOT_FOUND', `no committed transaction ${txId}`, { txId }, { cause: e });
      throw error;
    }
    const block = readBlock(bytes, this.profile.chaincode);
    const tx = block.transactions.find((t) => t.txId === txId);
    if (!tx) throw new LedgerError('LEDGER_TX_NOT_FOUND', `no committed transaction ${txId}`, { txId });
    return { ...tx, blockNumber: block.number };
  }

  events(after: EventCheckpoint | undefined, signal: AbortSignal): AsyncIterable<LedgerEvent> {
    this.check();
    if (after !== undefined && (!Number.isSafeInteger(after.blockNumber) || after.blockNumber < 0 || (after.transactionId !== undefined && typeof after.transactionId !== 'string'))) {
      throw new LedgerError('INVALID_ARGUMENT', '[INVALID_ARGUMENT] an event checkpoint needs a block number and, optionally, a transaction id');
    }
    return this.eventStream(after, signal);
  }

  private async *eventStream(after: EventCheckpoint | undefined, signal: AbortSignal): AsyncGenerator<LedgerEvent> {
    // The peer skips every later event when told to resume after a transaction it never sees: refuse instead.
    if (after?.transactionId !== undefined) {
      const tx = await this.getTransaction(after.transactionId).catch((e: unknown) => {
        if (e instanceof LedgerError && e.code === 'LEDGER_TX_NOT_FOUND') return undefined;
        throw e;
      });
      if (tx?.blockNumber !== after.blockNumber) {
        throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] transaction ${after.transactionId} is not in block ${after.blockNumber}: no checkpoint to resume from`);
      }
    }
    const checkpoint: Checkpoint | undefined = after && {
      getBlockNumber: () => BigInt(after.blockNumber),
      getTransactionId: () => after.transactionId,
    };
    let stream;
    try {
      stream = await this.network.getChaincodeEvents(this.profile.chaincode, checkpoint ? { checkpoint } : { startBlock: 0n });
    } catch (e) {
      throw toLedgerError(e);
    }
    const close = () => stream.close();
    this.streams.add(stream);
    signal.addEventListener('abort', close, { once: true });
    try {
      for await (const event of stream) {
        yield {
          blockNumber: Number(event.blockNumber),
          txId: event.transactionId,
          name: event.eventName,
          payload: parseResult(event.payload),
        } satisfies LedgerEvent;
      }
      if (!signal.aborted && !this.closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'the peer ended the event stream');
    } catch (e) {
      if (signal.aborted || this.closed) return;
      throw toLedgerError(e);
    } finally {
      signal.removeEventListener('abort', close);
      this.streams.delete(stream);
      stream.close();
    }
  }

  /** Ends this connection's event streams and releases its gateway; the backend's gRPC channels stay open. */
  async close(): Promise<void> {
    this.closed = true;
    for (const stream of this.streams) stream.close();
    this.gateway.close();
  }
}
