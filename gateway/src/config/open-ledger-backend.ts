/** The composition root's choice of ledger: the backend the configuration names. */
import { LedgerError, type LedgerBackend } from '@hutong/ledger';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import { newFabricLedger, readConnectionProfile } from '@hutong/ledger/fabric';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayConfig } from './config.js';

export function openLedgerBackend(config: GatewayConfig['ledger'], mspId: string): LedgerBackend {
  if (config.kind === 'embedded') return newEmbeddedLedger({ path: config.path });
  let profile;
  try {
    profile = readConnectionProfile(config.connectionProfile);
  } catch (e) {
    const why = e instanceof LedgerError ? e.message.replace(/^\[[A-Z_]+\]\s*/, '') : String(e);
    throw new GatewayError('CONFIG_INVALID', `${why} (the network writes one per organisation: npm run network -- up)`, { connectionProfile: config.connectionProfile }, { cause: e });
  }
  if (profile.mspId !== mspId) {
    throw new GatewayError('CONFIG_INVALID', `the connection profile ${config.connectionProfile} is ${profile.mspId}'s, not ${mspId}'s`, { connectionProfile: config.connectionProfile });
  }
  return newFabricLedger({ profiles: [profile] });
}
