/** The composition root's choice of ledger: the backend the configuration names. */
import type { LedgerBackend } from '@hutong/ledger';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayConfig } from './config.js';

export function openLedgerBackend(config: GatewayConfig['ledger']): LedgerBackend {
  if (config.kind === 'fabric') {
    throw new GatewayError(
      'LEDGER_KIND_UNSUPPORTED',
      'the Fabric adapter needs the Fabric network from issue 3, which cannot be built on this machine yet; use --ledger embedded',
      { ledger: 'fabric', issue: 3 },
    );
  }
  return newEmbeddedLedger({ path: config.path });
}
