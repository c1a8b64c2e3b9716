/**
 * What every demo run of a consortium needs, whichever ledger it runs on: secrets kept under `home` (the token
 * issuer's key, issuer signing and pseudonym keys) created once and reused, so that a second start is idempotent
 * and old tokens and credentials stay valid; demo tokens per role; each organisation's gateway configuration.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { PublicJwk } from '@hutong/chaincode/domain';
import { generateSigningKey } from '@hutong/verifier-sdk/issuer';
import { DEMO_TOKEN_ISSUER, gatewayAudience, newDemoTokenIssuer, type DemoTokenIssuer } from '../auth/demo-token-issuer.js';
import type { GatewayConfigInput } from '../config/config.js';
import type { ConsortiumConfig } from '../config/consortium.js';

export interface OrgTokens {
  checkpoint: string;
  issuer: string;
  auditor: string;
  admin: string;
  /** A partner app's token: the trust snapshot only. */
  partner: string;
}

export interface DemoSecrets {
  tokenIssuer: DemoTokenIssuer;
  /** `issuerId/kid` → public JWK, for registering the keys on the ledger. */
  publicKeys: Map<string, PublicJwk>;
  /** Organisation name → its issuers' secret files. */
  secretsByOrg: Map<string, Array<{ issuerId: string; kid: string; file: string }>>;
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

export async function loadDemoSecrets(home: string, consortium: ConsortiumConfig): Promise<DemoSecrets> {
  const tokenIssuer = await newDemoTokenIssuer({ keyFile: join(home, 'secrets', 'demo-token-issuer.json') });
  const publicKeys = new Map<string, PublicJwk>();
  const secretsByOrg = new Map<string, Array<{ issuerId: string; kid: string; file: string }>>();
  for (const i of consortium.issuers) {
    const { file, publicJwk } = issuerSecretFile(home, i.id, i.kid);
    publicKeys.set(`${i.id}/${i.kid}`, publicJwk);
    secretsByOrg.set(i.org, [...(secretsByOrg.get(i.org) ?? []), { issuerId: i.id, kid: i.kid, file }]);
  }
  return { tokenIssuer, publicKeys, secretsByOrg };
}

/** One demo token per role for an organisation's gateway; the issuer token names that organisation's issuers. */
export async function mintOrgTokens(tokenIssuer: DemoTokenIssuer, consortium: ConsortiumConfig, org: string): Promise<OrgTokens> {
  const audience = gatewayAudience(org);
  const own = consortium.issuers.filter((i) => i.org === org).map((i) => i.id);
  return {
    checkpoint: await tokenIssuer.mint({ subject: `${org}-checkpoint-demo`, audience, roles: ['checkpoint'] }),
    issuer: await tokenIssuer.mint({ subject: `${org}-issuer-demo`, audience, roles: ['issuer'], issuers: own }),
    auditor: await tokenIssuer.mint({ subject: `${org}-auditor-demo`, audience, roles: ['auditor'] }),
    admin: await tokenIssuer.mint({ subject: `${org}-admin-demo`, audience, roles: ['admin'] }),
    partner: await tokenIssuer.mint({ subject: `${org}-partner-demo`, audience, roles: ['partner'] }),
  };
}

export interface OrgConfigOptions {
  home: string;
  ledger: GatewayConfigInput['ledger'];
  ephemeralPorts?: boolean;
  logLevel?: GatewayConfigInput['logLevel'];
  /** Extra configuration merged into the organisation's (e.g. `{ issuance: { commitWaitMs: 500 } }`). */
  overrides?: (org: string) => Partial<GatewayConfigInput>;
}

/** An organisation's gateway configuration in the demo consortium (validated later by `parseConfig`). */
export function demoGatewayConfig(consortium: ConsortiumConfig, orgName: string, secrets: DemoSecrets, options: Readonly<OrgConfigOptions>): GatewayConfigInput {
  const org = consortium.orgs.find((o) => o.name === orgName);
  if (!org) throw new RangeError(`no organisation ${orgName} in the consortium`);
  return {
    org: { name: org.name, mspId: org.mspId, jurisdiction: org.jurisdiction, displayName: org.displayName },
    http: { host: '127.0.0.1', port: options.ephemeralPorts ? 0 : org.port },
    ledger: options.ledger,
    dataDir: join(options.home, org.name),
    auth: { issuer: DEMO_TOKEN_ISSUER, audience: gatewayAudience(org.name), jwks: secrets.tokenIssuer.jwks },
    issuerSecrets: secrets.secretsByOrg.get(org.name) ?? [],
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...options.overrides?.(org.name),
  };
}
