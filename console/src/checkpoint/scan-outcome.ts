/**
 * One scan's outcome as the checkpoint shows it. A QR that cannot be read, or whose text does not decode
 * (`DECODE_*`), is RESCAN: the officer scans again instead of turning a traveller away for a smudge.
 */
import { decodeQr, type VerificationResult } from '@hutong/verifier-sdk';
import type { Decision } from './trust-store';

export interface ScanOutcome {
  kind: 'ACCEPT' | 'REJECT' | 'RESCAN';
  reason: string;
  result?: VerificationResult;
  source?: Decision['source'];
  expiresAt?: Date;
  /** Frame (or input) to decision, milliseconds. */
  ms?: number;
  /** When the frame (or input) arrived (performance.now()): the panel measures frame to decision shown. */
  startedAt?: number;
  at: number;
  /** Counts the page's scans (tests and lane displays tell one decision from the next). */
  seq: number;
}

export const UNREADABLE = 'QR_UNREADABLE';
let scans = 0;

export async function outcomeOf(qr: string, decision: Decision, startedAt: number): Promise<ScanOutcome> {
  const { result, source } = decision;
  const kind = result.decision === 'ACCEPT' ? 'ACCEPT' : result.reason.startsWith('DECODE_') ? 'RESCAN' : 'REJECT';
  const outcome: ScanOutcome = { kind, reason: result.reason, result, source, at: Date.now(), seq: ++scans, ms: performance.now() - startedAt, startedAt };
  if (result.display) {
    const exp = (await decodeQr(qr).catch(() => undefined))?.claims['exp'];
    if (typeof exp === 'number') outcome.expiresAt = new Date(exp * 1000);
  }
  return outcome;
}

export function unreadable(startedAt: number): ScanOutcome {
  return { kind: 'RESCAN', reason: UNREADABLE, at: Date.now(), seq: ++scans, ms: performance.now() - startedAt, startedAt };
}

/** No decision could be made (no snapshot yet and no gateway): amber, like a QR that could not be read — not a REJECT. */
export function failed(code: string): ScanOutcome {
  return { kind: 'RESCAN', reason: code, at: Date.now(), seq: ++scans };
}
