/**
 * Runs every organisation's gateway of a consortium file in one process over one embedded ledger (the embedded
 * ledger delivers events in-process, so the gateways share its backend). Secrets the demo needs — the token
 * issuer's key, issuer signing keys and pseudonym keys, snapshot keys — are created once under `home` and reused,
 * so a second start is idempotent and old tokens and credentials stay valid.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import type { PublicJwk } from '@hutong/chaincode/domain';
import type { LedgerBackend } from '@hutong/ledger';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import { generateSigningKey } from '@hutong/verifier-sdk/issuer';
import { DEMO_TOKEN_ISSUER, gatewayAudience, newDemoTokenIssuer, type DemoTokenIssuer } from '../auth/demo-token-issuer.js';
import { parseConfig, type GatewayConfigInput } from '../config/config.js';
import type { ConsortiumConfig } from '../config/consortium.js';
import { newGateway, type Gateway } from '../gateway.js';
import { bootstrapLedger } from './bootstrap-ledger.js';

export interface OrgTokens {
  checkpoint: string;
  issuer: string;
  auditor: string;
  admin: string;
}

export interface RunningConsortium {
  gateways: Map<string, Gateway>;
  tokens: Map<string, OrgTokens>;
  tokenIssuer: DemoTokenIssuer;
  bootstrapActions: string[];
  ledgerPath: string;
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

/** The demo secret file of an issuer key under `home` (created on first use) and its public JWK. */
export function issuerSecretFile(home: string, issuerId: string, kid: string): { file: string; publicJwk: PublicJwk } {
  const file = join(home, 'secrets', `${issuerId}.${kid}.json`);
  if (!existsSync(file)) {
    const { privateJwk } = generateSigningKey('ES256');
    mkdirSync(join(home, 'secrets'), { recursive: true });
    writeFileSync(file, JSON.stringify({ privateJwk, pseudonymKey: randomBytes(32).toString('base64url') }), { mode: 0o600 });
  }
  const { privateJwk } = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: { x: string; y: string } };
  return { file, publicJwk: { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y } };
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
    const tokenIssuer = await newDemoTokenIssuer({ keyFile: join(home, 'secrets', 'demo-token-issuer.json') });
    const publicKeys = new Map<string, PublicJwk>();
    const secretsByOrg = new Map<string, Array<{ issuerId: string; kid: string; file: string }>>();
    for (const i of consortium.issuers) {
      const { file, publicJwk } = issuerSecretFile(home, i.id, i.kid);
      publicKeys.set(`${i.id}/${i.kid}`, publicJwk);
      secretsByOrg.set(i.org, [...(secretsByOrg.get(i.org) ?? []), { issuerId: i.id, kid: i.kid, file }]);
    }
    const { actions } = await bootstrapLedger(backend, consortium, publicKeys);

    const tokens = new Map<string, OrgTokens>();
    for (const org of consortium.orgs) {
      const audience = gatewayAudience(org.name);
      const extra = options.overrides?.(org.name) ?? {};
      const config = parseConfig({
        org: { name: org.name, mspId: org.mspId, jurisdiction: org.jurisdiction, displayName: org.displayName },
        http: { host: '127.0.0.1', port: options.ephemeralPorts ? 0 : org.port },
        ledger: { kind: 'embedded', path: ledgerPath },
        dataDir: join(home, org.name),
        auth: { issuer: DEMO_TOKEN_ISSUER, audience, jwks: tokenIssuer.jwks },
        issuerSecrets: secretsByOrg.get(org.name) ?? [],
        ...(options.logLevel ? { logLevel: options.logLevel } : {}),
        ...extra,
      }, `gateway configuration of ${org.name}`);
      gateways.set(org.name, await newGateway(config, { backend, ...(options.logDestination ? { logDestination: options.logDestination } : {}) }));
      const own = consortium.issuers.filter((i) => i.org === org.name).map((i) => i.id);
      tokens.set(org.name, {
        checkpoint: await tokenIssuer.mint({ subject: `${org.name}-checkpoint-demo`, audience, roles: ['checkpoint'] }),
        issuer: await tokenIssuer.mint({ subject: `${org.name}-issuer-demo`, audience, roles: ['issuer'], issuers: own }),
        auditor: await tokenIssuer.mint({ subject: `${org.name}-auditor-demo`, audience, roles: ['auditor'] }),
        admin: await tokenIssuer.mint({ subject: `${org.name}-admin-demo`, audience, roles: ['admin'] }),
      });
    }
    let closing: Promise<void> | undefined;
    return {
      gateways, tokens, tokenIssuer, bootstrapActions: actions, ledgerPath,
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
