/**
 * Reads Fabric blocks (common.Block as qscc returns them) into the ledger interface's terms: the header hash computed
 * from the real header, the data hash checked against the block's data, and per transaction its id, the function
 * called, the creator's MSP, the MSPs of the real endorsements, the timestamp and the validation code.
 */
import { createHash } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { BlockSummary, BlockTransaction } from '../ledger.js';
import { LedgerError } from '../ledger.js';
import { der, derUnsigned } from './der.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * Fabric's block header hash: SHA-256 of the ASN.1 DER SEQUENCE { INTEGER number, OCTET STRING previousHash,
 * OCTET STRING dataHash } (protoutil.BlockHeaderHash).
 */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): string {
  const body = Buffer.concat([der(0x02, derUnsigned(number)), der(0x04, previousHash), der(0x04, dataHash)]);
  return sha256(der(0x30, body)).toString('hex');
}

/** Fabric's block data hash: SHA-256 over the concatenated envelopes (protoutil.ComputeBlockDataHash). */
export function blockDataHash(envelopes: Iterable<Uint8Array>): string {
  // Incremental: a block's envelopes are never spread into one call (a large block would overflow the stack).
  const h = createHash('sha256');
  for (const e of envelopes) h.update(e);
  return h.digest('hex');
}

const VALIDATION_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(peer.TxValidationCode).map(([name, code]) => [code as number, name]));
export const validationCodeName = (code: number): string => VALIDATION_NAMES.get(code) ?? `UNKNOWN_${code}`;

function timestampIso(ts: { getSeconds(): number; getNanos(): number } | undefined): string {
  if (!ts) return new Date(0).toISOString();
  // Milliseconds, floored: the chaincode derives its own timestamps the same way.
  return new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)).toISOString();
}

const mspOf = (serializedIdentity: Uint8Array): string => msp.SerializedIdentity.deserializeBinary(serializedIdentity).getMspid();

/** One transaction envelope; `validationCode` is the name of its code in the block's transaction filter. */
export function readTransaction(envelopeBytes: Uint8Array, txIndex: number, chaincode: string, validationCode: string): BlockTransaction {
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  if (!header) throw new LedgerError('LEDGER_UNAVAILABLE', `transaction ${txIndex} has no header`);
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = signatureHeader.getCreator_asU8();
  const tx: BlockTransaction = {
    txId: channelHeader.getTxId(),
    txIndex,
    txName: 'CONFIG',
    creatorMsp: creator.length > 0 ? mspOf(creator) : '',
    endorsedBy: [],
    timestamp: timestampIso(channelHeader.getTimestamp()),
    validationCode,
  };
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
    if (channelHeader.getType() !== common.HeaderType.CONFIG) tx.txName = `HEADER_TYPE_${channelHeader.getType()}`;
    return tx;
  }
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  if (!action) return tx;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  tx.endorsedBy = [...new Set((actionPayload.getAction()?.getEndorsementsList() ?? []).map((e) => mspOf(e.getEndorser_asU8())))].sort();
  const proposal = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
  const name = spec?.getChaincodeId()?.getName() ?? '';
  const fn = Buffer.from(spec?.getInput()?.getArgsList_asU8()[0] ?? new Uint8Array()).toString('utf8');
  // Our own chaincode's transactions by their name; anything else (e.g. _lifecycle) qualified by its chaincode.
  tx.txName = name === chaincode ? fn : `${name}/${fn}`;
  return tx;
}

export function readBlock(blockBytes: Uint8Array, chaincode: string): BlockSummary {
  const block = common.Block.deserializeBinary(blockBytes);
  const header = block.getHeader();
  if (!header) throw new LedgerError('LEDGER_UNAVAILABLE', 'a block without a header');
  const number = BigInt(header.getNumber());
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const dataHash = hex(header.getDataHash_asU8());
  if (blockDataHash(envelopes) !== dataHash) {
    throw new LedgerError('LEDGER_UNAVAILABLE', `block ${number}: its data does not hash to the header's data hash`);
  }
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  return {
    number: Number(number),
    hash: blockHeaderHash(number, header.getPreviousHash_asU8(), header.getDataHash_asU8()),
    previousHash: hex(header.getPreviousHash_asU8()),
    dataHash,
    transactions: envelopes.map((e, i) => readTransaction(e, i, chaincode, validationCodeName(filter[i] ?? peer.TxValidationCode.NOT_VALIDATED))),
  };
}
