/**
 * Executes proposed transactions one after another through the domain core and assembles the valid ones into the
 * next block. Shared by the live ledger and by replay verification, so a replay reproduces every hash bit for bit.
 */
import { compositeKey, executeTransaction, fromBytes, parseInput, RecordType } from '@hutong/chaincode/domain';
import type { ClientIdentity, Consortium } from '@hutong/chaincode/domain';
import { dataHashOf, encodeEnvelope, headerHash } from './block-hash.js';
import type { TxEnvelope } from './block-hash.js';
import type { ChainStore, StoredBlock, StoredTransaction } from './chain-store.js';
import { BlockOverlay, compareKeys, TxSimulation } from './simulation.js';

/** A transaction as proposed: the ledger has already fixed its id and timestamp. */
export interface Proposal {
  txId: string;
  timestamp: string;
  creator: ClientIdentity;
  txName: string;
  /** The JSON argument (what a Fabric client sends). */
  argument: string;
}

export type Outcome = { ok: true; result: unknown; tx: StoredTransaction } | { ok: false; error: unknown };

const CONSORTIUM_KEY = compositeKey(RecordType.consortium, ['current']);

export class BlockBuilder {
  private readonly overlay = new BlockOverlay();
  private readonly accepted: StoredTransaction[] = [];

  constructor(private readonly store: ChainStore) {}

  get size(): number {
    return this.accepted.length;
  }

  /** Simulates one transaction against the state as of the previous accepted one; on success it joins the block. */
  async execute(p: Proposal): Promise<Outcome> {
    const sim = new TxSimulation(this.store, this.overlay);
    let result: unknown;
    let tx: StoredTransaction;
    try {
      const input = parseInput(p.argument);
      const raw = await executeTransaction({ state: sim, txId: p.txId, timestamp: p.timestamp, client: p.creator }, p.txName, input);
      sim.seal();
      // What a Fabric client receives is the JSON of the result: never a live reference into the simulation.
      result = raw === undefined ? undefined : (JSON.parse(JSON.stringify(raw)) as unknown);
      tx = this.record(p, sim);
    } catch (error) {
      sim.seal();
      return { ok: false, error };
    }
    this.overlay.apply(sim, p.txId, p.timestamp);
    this.accepted.push(tx);
    return { ok: true, result, tx };
  }

  private record(p: Proposal, sim: TxSimulation): StoredTransaction {
    const endorsedBy = this.endorsers(sim, p.creator.mspId);
    const writes = [...sim.writes].sort((a, b) => compareKeys(a[0], b[0]));
    const keyEndorsements = [...sim.endorsements].sort((a, b) => compareKeys(a[0], b[0]));
    const event = sim.event ? { name: sim.event.name, payload: Buffer.from(sim.event.payload) } : null;
    const envelope: TxEnvelope = {
      txId: p.txId,
      txName: p.txName,
      creator: { mspId: p.creator.mspId, role: p.creator.role },
      argument: p.argument,
      timestamp: p.timestamp,
      endorsedBy,
      writes: writes.map(([k, v]) => [Buffer.from(k, 'utf8').toString('hex'), v === null ? null : Buffer.from(v).toString('base64')]),
      keyEndorsements: keyEndorsements.map(([k, m]) => [Buffer.from(k, 'utf8').toString('hex'), m]),
      event: event ? { name: event.name, payload: event.payload.toString('base64') } : null,
    };
    return {
      txIndex: this.accepted.length,
      txId: p.txId,
      txName: p.txName,
      creatorMsp: p.creator.mspId,
      creatorRole: p.creator.role,
      endorsedBy,
      timestamp: p.timestamp,
      envelope: encodeEnvelope(envelope),
      event,
      writes: writes.map(([k, v]) => ({ key: Buffer.from(k, 'utf8'), value: v === null ? null : Buffer.from(v) })),
      keyEndorsements: keyEndorsements.map(([k, m]) => ({ key: Buffer.from(k, 'utf8'), mspIds: m })),
    };
  }

  /**
   * Who would have had to endorse this transaction on Fabric: the chaincode-level MAJORITY policy (reported as
   * every active consortium member, which is what MAJORITY means with two; suspended and removed members' peers are
   * not asked) plus every MSP named by the key-level policy
   * in force for each key the transaction wrote or re-protected, and the policies it set. The embedded ledger has
   * no peers, so this is the requirement it satisfied by construction, not a set of collected signatures.
   */
  private endorsers(sim: TxSimulation, creatorMsp: string): string[] {
    const msps = new Set<string>();
    const consortium = sim.writes.get(CONSORTIUM_KEY) ?? this.overlay.writes.get(CONSORTIUM_KEY) ?? this.store.get(Buffer.from(CONSORTIUM_KEY, 'utf8'));
    if (consortium) for (const m of fromBytes<Consortium>(consortium).members) if ((m.state ?? 'active') === 'active') msps.add(m.mspId);
    else msps.add(creatorMsp);
    for (const key of new Set([...sim.writes.keys(), ...sim.endorsements.keys()])) {
      for (const m of sim.policyBefore(key) ?? []) msps.add(m);
      for (const m of sim.endorsements.get(key) ?? []) msps.add(m);
    }
    return [...msps].sort();
  }

  /** The block of every accepted transaction, chained to the store's tip; undefined when nothing was accepted. */
  seal(): StoredBlock | undefined {
    if (this.accepted.length === 0) return undefined;
    const number = this.store.height;
    const previousHash = this.store.tipHash;
    const dataHash = dataHashOf(this.accepted.map((t) => t.envelope));
    return { number, previousHash, dataHash, hash: headerHash(number, previousHash, dataHash), transactions: this.accepted };
  }
}
