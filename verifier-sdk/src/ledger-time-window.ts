/**
 * The ledger's time window (docs/protocol.md §6): a transaction's timestamp is the submitting client's clock, which
 * the peers accept within this many seconds of their own (Fabric's default `peer.authentication.timewindow`, 15 min).
 * So an anchor's `anchoredAt` proves the batch existed before an instant T only when it is at least this long before
 * T; the chaincode keeps the same constant (chaincode/src/domain/ledger-time-window.ts) and refuses to anchor under a
 * key from this long before its revocation time.
 */
export const LEDGER_TIME_WINDOW_SECONDS = 900;
