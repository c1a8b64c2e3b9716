// Fault injection for the durability test, kept out of the gateway: a LedgerBackend decorator whose connections fail
// every call with LEDGER_UNAVAILABLE while a flag file exists — what a gateway sees when its peer is down or the
// other organisation cannot endorse. Plain JavaScript because a child process runs it against the built packages.
import { existsSync } from 'node:fs';
import { LedgerError } from '@hutong/ledger';

/**
 * @param {import('@hutong/ledger').LedgerBackend} backend
 * @param {string} flagFile
 * @returns {import('@hutong/ledger').LedgerBackend}
 */
export function withUnavailableFlag(backend, flagFile) {
  const check = () => {
    if (existsSync(flagFile)) throw new LedgerError('LEDGER_UNAVAILABLE', 'the ledger is unreachable (fault injected by flag file)');
  };
  /** @param {import('@hutong/ledger').Ledger} ledger */
  const wrap = (ledger) => ({
    identity: ledger.identity,
    submit: async (tx, input, options) => { check(); return ledger.submit(tx, input, options); },
    prepare: async (tx, input, options) => { check(); return ledger.prepare(tx, input, options); },
    submitPrepared: async (prepared, options) => { check(); return ledger.submitPrepared(prepared, options); },
    evaluate: async (tx, input, options) => { check(); return ledger.evaluate(tx, input, options); },
    events(after, signal) {
      return {
        async *[Symbol.asyncIterator]() {
          check();
          yield* ledger.events(after, signal);
        },
      };
    },
    height: async () => { check(); return ledger.height(); },
    getBlock: async (n) => { check(); return ledger.getBlock(n); },
    getTransaction: async (txId) => { check(); return ledger.getTransaction(txId); },
    close: () => ledger.close(),
  });
  return {
    kind: backend.kind,
    connect: async (identity) => wrap(await backend.connect(identity)),
    close: () => backend.close(),
  };
}
