/** Chooses the ledger backend from configuration. */
import type { GatewayConfig } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import { newEmbeddedLedger } from './embedded/index.js';
import type { LedgerBackend } from './ledger.js';

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
