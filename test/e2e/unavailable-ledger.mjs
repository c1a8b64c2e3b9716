/**
 * Fault injection for durability tests: a Ledger decorator that fails every call with LEDGER_UNAVAILABLE while a
 * flag file exists — what a gateway sees when its peer is down or the other organisation cannot endorse.
 */
import { existsSync } from 'node:fs';
import type { Ledger, LedgerEvent } from './ledger.js';
import { LedgerError } from './ledger.js';

export function withUnavailableFlag(ledger: Ledger, flagFile: string): Ledger {
  const check = (): void => {
    if (existsSync(flagFile)) throw new LedgerError('LEDGER_UNAVAILABLE', 'the ledger is unreachable (fault injected by flag file)');
  };
  return {
    identity: ledger.identity,
    submit: async (tx, input, options) => { check(); return ledger.submit(tx, input, options); },
    evaluate: async (tx, input, options) => { check(); return ledger.evaluate(tx, input, options); },
    events(after, signal): AsyncIterable<LedgerEvent> {
      return {
        async *[Symbol.asyncIterator]() {
          check();
          for await (const e of ledger.events(after, signal)) yield e;
        },
      };
    },
    height: async () => { check(); return ledger.height(); },
    getBlock: async (n) => { check(); return ledger.getBlock(n); },
    getTransaction: async (txId) => { check(); return ledger.getTransaction(txId); },
    close: () => ledger.close(),
  };
}
