/**
 * How the embedded ledger hashes what it commits. Modelled on Fabric's block structure: a block header holds the
 * number, the previous header's hash and the hash of the block's data; the header hash chains the blocks.
 *
 * - transaction hash = SHA-256(envelope), the envelope being the canonical JSON of everything the transaction did
 *   (identity, argument, timestamp, write set, key-endorsement metadata, event, endorsers);
 * - dataHash        = SHA-256(txHash_0 ‖ txHash_1 ‖ …) over the raw 32-byte hashes;
 * - header hash     = SHA-256(uint64be(number) ‖ previousHash ‖ dataHash), the hashes as raw 32 bytes.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@hutong/chaincode/domain';

/** The previous hash of block 0. */
export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

/** Block 0 carries no transaction, only this descriptor: deterministic, so that a replay reproduces every hash. */
export const GENESIS_DESCRIPTOR = { channel: 'gba', chaincode: 'hutong', ledger: 'hutong-embedded', format: 1 } as const;

/** Everything a committed transaction did; its canonical JSON is what the block's dataHash covers. */
export interface TxEnvelope {
  txId: string;
  txName: string;
  creator: { mspId: string; role: string };
  /** The JSON argument exactly as the domain parsed it. */
  argument: string;
  timestamp: string;
  endorsedBy: string[];
  /** [hex(utf-8 key), base64 value or null for a delete], sorted by key bytes. */
  writes: Array<[string, string | null]>;
  /** [hex(utf-8 key), MSP ids], sorted by key bytes. */
  keyEndorsements: Array<[string, string[]]>;
  event: { name: string; payload: string } | null;
}

export function encodeEnvelope(envelope: TxEnvelope): Buffer {
  return Buffer.from(canonicalJson(envelope), 'utf8');
}

/** For a fixed, small number of parts; an unbounded sequence goes through `createHash` (no spread of its items). */
export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Incremental, so a block of any size hashes in constant stack and one envelope at a time. */
export function dataHashOf(envelopes: Iterable<Uint8Array>): string {
  const h = createHash('sha256');
  for (const e of envelopes) h.update(sha256(e));
  return h.digest('hex');
}

export function genesisDataHash(): string {
  return dataHashOf([Buffer.from(canonicalJson(GENESIS_DESCRIPTOR), 'utf8')]);
}

export function headerHash(number: number, previousHash: string, dataHash: string): string {
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(number));
  return sha256(n, Buffer.from(previousHash, 'hex'), Buffer.from(dataHash, 'hex')).toString('hex');
}
