/**
 * Following the ledger for the trust cache: the chaincode-event stream, resumed from the cache's checkpoint after
 * any failure (backing off 100 ms … 5 s), and the height poll that tells how far behind the cache is. Both report
 * to the cache through callbacks; neither holds trust state.
 */
import { LedgerError, type EventCheckpoint, type Ledger, type LedgerEvent } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';

export interface LedgerFollowerOptions {
  ledger: Ledger;
  logger: Logger;
  heightPollMs: number;
  /** Where to resume: the last event applied. */
  checkpoint(): EventCheckpoint | undefined;
  onEvent(event: LedgerEvent): void;
  onHeight(height: number): void;
  /** The stream or a poll failed with `code`; `reachable` is false when the ledger did not answer a poll. */
  onError(code: string, reachable: boolean): void;
}

export interface LedgerFollower {
  /** Whether the event stream is connected. */
  readonly following: boolean;
  /** Starts the stream, then polls the height once and resolves (the first poll sees the stream connected). */
  start(): Promise<void>;
  close(): Promise<void>;
}

function codeOf(e: unknown): string {
  return e instanceof LedgerError ? e.code : 'INTERNAL_ERROR';
}

export function newLedgerFollower(options: Readonly<LedgerFollowerOptions>): LedgerFollower {
  const { ledger, logger } = options;
  const abort = new AbortController();
  let following = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function follow(): Promise<void> {
    let backoff = 100;
    while (!abort.signal.aborted) {
      try {
        following = true;
        for await (const event of ledger.events(options.checkpoint(), abort.signal)) {
          options.onEvent(event);
          backoff = 100;
        }
      } catch (e) {
        if (abort.signal.aborted) break;
        options.onError(codeOf(e), true);
        logger.warn({ event: 'cache.follow_failed', code: codeOf(e) }, 'event stream failed; resuming from checkpoint');
      }
      following = false;
      if (abort.signal.aborted) break;
      await new Promise((r) => setTimeout(r, backoff).unref());
      backoff = Math.min(backoff * 2, 5000);
    }
    following = false;
  }

  async function poll(): Promise<void> {
    try {
      options.onHeight(await ledger.height());
    } catch (e) {
      options.onError(codeOf(e), false);
    }
  }

  return {
    get following() {
      return following;
    },
    async start() {
      loop = follow();
      await poll();
      timer = setInterval(() => void poll(), options.heightPollMs);
      timer.unref();
    },
    async close() {
      abort.abort();
      if (timer) clearInterval(timer);
      await loop;
    },
  };
}
