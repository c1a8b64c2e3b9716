/** The pure, deterministic ledger domain core: no Fabric import, no clock, no randomness. */
export { canonicalJson, fromBytes, toBytes } from './canonical-json';
export { compositeKey, partialKeyRange, splitCompositeKey, RecordType } from './composite-key';
export { CHAINCODE_ERROR_CODES, DomainError, parseChaincodeErrorCode } from './errors';
export type { ChaincodeErrorCode } from './errors';
export * as inputs from './inputs';
export { keyUsableAt } from './governance';
export { LEDGER_TIME_WINDOW_SECONDS } from './ledger-time-window';
export type { LedgerEventPayload } from './records';
export type { HistoryEntry, Page } from './queries';
export type * from './model';
export { ISSUER_SUSPENSION_REASONS, KEY_REVOCATION_REASONS, REVOCATION_REASONS } from './model';
export { executeTransaction, isSubmitTx, isTxName, MAX_INPUT_BYTES, parseInput } from './transactions';
export { EVALUATE_TRANSACTIONS, SUBMIT_TRANSACTIONS } from './tx-names';
export type { EvaluateTxName, SubmitTxName, TxName } from './tx-names';
export type { ClientIdentity, ClientRole, KeyModification, StateEntry, StatePage, TxContext, WorldState } from './world-state';
