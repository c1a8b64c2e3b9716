/** The embedded dev ledger: the chaincode's domain core in-process over SQLite. */
export { newEmbeddedLedger } from './embedded-ledger.js';
export type { ChainVerification, EmbeddedLedgerBackend, EmbeddedLedgerOptions } from './embedded-ledger.js';
