/**
 * The ledger's time window: a transaction's timestamp is the submitting client's proposal time, which the peers
 * accept within this many seconds of their own clock (Fabric's default `peer.authentication.timewindow`, 15 min). An
 * anchor's `anchoredAt` therefore shows the batch existed before an instant T only when it lies a whole window
 * before T. Verifiers use the same constant (the SDK's LEDGER_TIME_WINDOW_SECONDS; test/sdk checks they are equal —
 * the chaincode does not depend on the SDK).
 */
export const LEDGER_TIME_WINDOW_SECONDS = 900;

/** `at` moved back by one window, as a ledger time (deterministic: pure arithmetic on the given time). */
export function oneWindowBefore(at: string): string {
  return new Date(Date.parse(at) - LEDGER_TIME_WINDOW_SECONDS * 1000).toISOString();
}
