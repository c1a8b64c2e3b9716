/**
 * One attempt at an outbox entry, in Fabric's terms: the write is endorsed (`prepare`) and the prepared transaction
 * and its id are kept on disk before it is ordered. The next attempt — after a lost answer, or in the next process
 * after a crash — asks the ledger for that transaction id first: committed, the entry is done without writing again;
 * not on the ledger, the same prepared transaction is submitted again (a transaction id commits at most once);
 * committed invalid (an MVCC conflict), the write is endorsed anew. Chaincode refusals are final; transport
 * failures are retried with jittered exponential backoff.
 */
import type { CommitEvidence, Ledger } from '@hutong/ledger';
import { LedgerError, type LedgerErrorCode } from '@hutong/ledger';
import { preparedOf, toEntry, type OutboxFile, type Row } from './outbox-file.js';

/**
 * Failures worth retrying: the ledger or a peer is unreachable, too slow, or the transaction lost an MVCC race.
 * Chaincode codes are final (retrying an invalid write yields the same answer).
 */
const RETRYABLE: ReadonlySet<LedgerErrorCode> = new Set([
  'LEDGER_UNAVAILABLE', 'LEDGER_DEADLINE_EXCEEDED', 'LEDGER_MVCC_CONFLICT', 'LEDGER_ENDORSEMENT_FAILED', 'LEDGER_COMMIT_FAILED',
]);

export type AttemptOutcome =
  | { outcome: 'committed'; evidence: CommitEvidence; foundOnLedger: boolean }
  | { outcome: 'failed'; code: string }
  | { outcome: 'retry'; code: string; retryInMs: number };

export interface AttemptOptions {
  ledger: Ledger;
  file: OutboxFile;
  submitDeadlineMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/** Where an earlier attempt's transaction stands on the ledger: VALID, invalid, or not there (LEDGER_TX_NOT_FOUND). */
async function committedOf(ledger: Ledger, txId: string): Promise<(CommitEvidence & { valid: boolean }) | undefined> {
  try {
    const tx = await ledger.getTransaction(txId);
    return { txId, blockNumber: tx.blockNumber, timestamp: tx.timestamp, endorsedBy: tx.endorsedBy, valid: tx.validationCode === 'VALID' };
  } catch (e) {
    if (e instanceof LedgerError && e.code === 'LEDGER_TX_NOT_FOUND') return undefined;
    throw e;
  }
}

/** Attempts `row` once and records the outcome in the file. Rejects only if the file cannot be written. */
export async function attemptEntry(row: Row, options: Readonly<AttemptOptions>): Promise<AttemptOutcome> {
  const { ledger, file } = options;
  const deadline = { deadlineMs: options.submitDeadlineMs };
  try {
    let prepared = preparedOf(row);
    if (prepared) {
      const found = await committedOf(ledger, prepared.txId);
      if (found?.valid) {
        const { valid: _valid, ...evidence } = found;
        await file.markCommitted(row.id, prepared.result, evidence);
        return { outcome: 'committed', evidence, foundOnLedger: true };
      }
      if (found) {
        prepared = undefined; // committed invalid: endorse the write anew
        await file.clearPrepared(row.id);
      }
    }
    if (!prepared) {
      prepared = await ledger.prepare(row.tx, toEntry(row).input, deadline);
      await file.markPrepared(row.id, prepared);
    }
    const { result, evidence } = await ledger.submitPrepared(prepared, deadline);
    await file.markCommitted(row.id, result, evidence);
    return { outcome: 'committed', evidence, foundOnLedger: false };
  } catch (e) {
    const code: string = e instanceof LedgerError ? e.code : 'INTERNAL_ERROR';
    if (e instanceof LedgerError && !RETRYABLE.has(e.code)) {
      await file.markFailed(row.id, code);
      return { outcome: 'failed', code };
    }
    // A commit that failed validation will fail again: the next attempt endorses the write anew.
    if (code === 'LEDGER_MVCC_CONFLICT' || code === 'LEDGER_COMMIT_FAILED') await file.clearPrepared(row.id);
    const backoff = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.min(row.attempts, 16));
    const retryInMs = Math.round(backoff / 2 + Math.random() * (backoff / 2));
    await file.markRetry(row.id, Date.now() + retryInMs, code);
    return { outcome: 'retry', code, retryInMs };
  }
}
