/**
 * @hutong/ledger: the ledger interface the gateway writes against and its one error class. The embedded dev ledger
 * is the `@hutong/ledger/embedded` entry point, so that a consumer of the interface does not load SQLite.
 */
export { LedgerError } from './ledger.js';
export type {
  BlockSummary,
  BlockTransaction,
  CallOptions,
  CommitEvidence,
  EventCheckpoint,
  Ledger,
  LedgerBackend,
  LedgerErrorCode,
  LedgerErrorDetails,
  LedgerEvent,
  LedgerIdentity,
  LedgerTransportCode,
  PreparedTransaction,
  SubmitResult,
} from './ledger.js';
