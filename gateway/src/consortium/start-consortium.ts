/**
 * Runs every organisation's gateway of a consortium file in one process over one embedded ledger (the embedded
 * ledger delivers events in-process, so the gateways share its backend). The demo's secrets and tokens:
 * demo-consortium.ts. On Fabric each organisation's gateway runs in its own process: start-fabric-consortium.ts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import type { LedgerBackend } from '@hutong/ledger';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import type { DemoTokenIssuer } from '../auth/demo-token-issuer.js';
import { parseConfig, type GatewayConfigInput } from '../config/config.js';
import type { ConsortiumConfig } from '../config/consortium.js';
import { newGateway, type Gateway } from '../gateway.js';
import { bootstrapLedger } from './bootstrap-ledger.js';
import { demoGatewayConfig, loadDemoSecrets, mintOrgTokens, type OrgTokens } from './demo-consortium.js';

export interface RunningConsortium {
  gateways: Map<string, Gateway>;
  tokens: Map<string, OrgTokens>;
  tokenIssuer: DemoTokenIssuer;
  bootstrapActions: string[];
  ledgerPath: string;
  /** The embedded ledger's backend the gateways share (another gateway of this process may connect to it too). */
  backend: LedgerBackend;
  close(): Promise<void>;
}

export interface ConsortiumOptions {
  consortium: ConsortiumConfig;
  /** Directory for the ledger file, each gateway's data and the demo secrets (e.g. `.hutong`). */
  home: string;
  /** Use ephemeral ports instead of the consortium file's (tests). */
  ephemeralPorts?: boolean;
  /** Extra configuration merged into every gateway's (e.g. `{ issuance: { commitWaitMs: 500 } }`). */
  overrides?: (org: string) => Partial<GatewayConfigInput>;
  logDestination?: DestinationStream;
  logLevel?: GatewayConfigInput['logLevel'];
  /** Decorates the embedded ledger's backend before anyone uses it (tests: fault injection). It is closed through the decoration. */
  wrapBackend?: (backend: LedgerBackend) => LedgerBackend;
}

export async function startConsortium(options: Readonly<ConsortiumOptions>): Promise<RunningConsortium> {
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true });
  const { consortium } = options;
  const ledgerPath = join(home, 'ledger.sqlite');
  const embedded = newEmbeddedLedger({ path: ledgerPath });
  const backend = options.wrapBackend?.(embedded) ?? embedded;
  const gateways = new Map<string, Gateway>();
  try {
    const secrets = await loadDemoSecrets(home, consortium);
    const { actions } = await bootstrapLedger(backend, consortium, secrets.publicKeys);
    const tokens = new Map<string, OrgTokens>();
    for (const org of consortium.orgs) {
      const config = parseConfig(demoGatewayConfig(consortium, org.name, secrets, {
        home, ledger: { kind: 'embedded', path: ledgerPath },
        ...(options.ephemeralPorts ? { ephemeralPorts: true } : {}),
        ...(options.logLevel ? { logLevel: options.logLevel } : {}),
        ...(options.overrides ? { overrides: options.overrides } : {}),
      }), `gateway configuration of ${org.name}`);
      gateways.set(org.name, await newGateway(config, { backend, ...(options.logDestination ? { logDestination: options.logDestination } : {}) }));
      tokens.set(org.name, await mintOrgTokens(secrets.tokenIssuer, consortium, org.name));
    }
    const tokenIssuer = secrets.tokenIssuer;
    let closing: Promise<void> | undefined;
    return {
      gateways, tokens, tokenIssuer, bootstrapActions: actions, ledgerPath, backend,
      close() {
        closing ??= (async () => {
          for (const g of [...gateways.values()].reverse()) await g.close();
          await backend.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    for (const g of gateways.values()) await g.close().catch(() => undefined);
    await backend.close().catch(() => undefined);
    throw e;
  }
}
