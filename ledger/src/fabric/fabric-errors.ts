/**
 * fabric-gateway's failures in the ledger's terms. A chaincode's own code travels inside the error message
 * (`[NOT_OWNER] …`, in the message or in a peer's detail) and is carried through unchanged; everything else becomes a
 * transport code with the transaction id and what each peer said.
 *
 * | fabric-gateway                                                         | LedgerError                 |
 * |------------------------------------------------------------------------|-----------------------------|
 * | any message or detail with a chaincode `[CODE]`                        | that code                   |
 * | creator's organisation unknown to the channel (peer refuses the proposal) | NOT_A_MEMBER             |
 * | gRPC 14 UNAVAILABLE; 9 FAILED_PRECONDITION finding no endorsers;        | LEDGER_UNAVAILABLE          |
 * |   10 ABORTED where every peer failed to connect or launch the chaincode |                             |
 * | gRPC 4 DEADLINE_EXCEEDED (including CommitStatusError)                 | LEDGER_DEADLINE_EXCEEDED    |
 * | other EndorseError                                                     | LEDGER_ENDORSEMENT_FAILED   |
 * | committed invalid: MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT           | LEDGER_MVCC_CONFLICT        |
 * | committed invalid: any other validation code                           | LEDGER_COMMIT_FAILED        |
 */
import { parseChaincodeErrorCode } from '@hutong/chaincode/domain';
import { LedgerError, type LedgerErrorCode } from '../ledger.js';
import { validationCodeName } from './block-reader.js';

interface GatewayErrorShape {
  name?: string;
  message?: string;
  code?: unknown;
  transactionId?: string;
  details?: Array<{ address: string; mspId: string; message: string }>;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_ABORTED = 10;
const GRPC_UNAVAILABLE = 14;

const CONNECTIVITY = /connection refused|connection reset|unavailable|stream terminated|could not launch chaincode|context deadline exceeded|no such host|EOF/i;
const NO_ENDORSERS = /no combination of peers|failed to select a set of endorsers|no peers available|unavailability of peers/i;
const NOT_IN_CHANNEL = /creator org unknown|creator is malformed|access denied|not a member of channel|unknown MSP|MSP .* is unknown/i;

/** The chaincode's message from `[CODE]` on, without the peer's and gateway's wrapping. */
function chaincodeMessage(text: string, code: string): string {
  const at = text.indexOf(`[${code}]`);
  return at >= 0 ? text.slice(at) : text;
}

export function toLedgerError(error: unknown, txId?: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const e = (error ?? {}) as GatewayErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const transactionId = e.transactionId ?? txId;
  const peers = (e.details ?? []).map((d) => ({ mspId: d.mspId, address: d.address, message: d.message }));
  const details = { ...(transactionId ? { txId: transactionId } : {}), ...(peers.length > 0 ? { peers } : {}) };
  const texts = [message, ...peers.map((p) => p.message)];
  for (const text of texts) {
    const code = parseChaincodeErrorCode(text);
    if (code) return new LedgerError(code, chaincodeMessage(text, code), details, { cause: error });
  }
  if (e.name === 'CommitError') {
    const name = validationCodeName(Number(e.code));
    const code: LedgerErrorCode = name === 'MVCC_READ_CONFLICT' || name === 'PHANTOM_READ_CONFLICT' ? 'LEDGER_MVCC_CONFLICT' : 'LEDGER_COMMIT_FAILED';
    return new LedgerError(code, `transaction ${transactionId ?? ''} committed as invalid: ${name}`, { ...details, validationCode: name }, { cause: error });
  }
  const grpc = typeof e.code === 'number' ? e.code : undefined;
  const transport = (code: LedgerErrorCode, what: string) => new LedgerError(code, `${what}: ${message}`, details, { cause: error });
  if (texts.some((t) => NOT_IN_CHANNEL.test(t))) return transport('NOT_A_MEMBER', '[NOT_A_MEMBER] the peer refused an identity whose organisation is not on the channel');
  if (grpc === GRPC_DEADLINE_EXCEEDED) return transport('LEDGER_DEADLINE_EXCEEDED', 'the ledger did not answer in time');
  if (grpc === GRPC_UNAVAILABLE) return transport('LEDGER_UNAVAILABLE', 'the ledger is unreachable');
  if (grpc === GRPC_FAILED_PRECONDITION && texts.some((t) => NO_ENDORSERS.test(t))) return transport('LEDGER_UNAVAILABLE', 'not enough organisations’ peers are reachable to endorse');
  if (e.name === 'EndorseError') {
    const unreachable = grpc === GRPC_ABORTED && peers.length > 0 && peers.every((p) => CONNECTIVITY.test(p.message));
    return transport(unreachable ? 'LEDGER_UNAVAILABLE' : 'LEDGER_ENDORSEMENT_FAILED', unreachable ? 'an endorsing peer or its chaincode is unreachable' : 'endorsement failed');
  }
  if (e.name === 'SubmitError') return transport('LEDGER_UNAVAILABLE', 'the ordering service did not accept the transaction');
  if (e.name === 'CommitStatusError') return transport('LEDGER_UNAVAILABLE', 'the commit status could not be read');
  if (grpc !== undefined) return transport('LEDGER_UNAVAILABLE', `the peer failed the call (gRPC ${grpc})`);
  return new LedgerError('INTERNAL', `[INTERNAL] unexpected Fabric client failure: ${message}`, details, { cause: error });
}
