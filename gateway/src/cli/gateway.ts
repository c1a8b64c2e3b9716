/**
 * `npm run gateway -- --org <name> --ledger embedded|fabric [--profile file.json] [--config file.json] [--port n]`: one
 * organisation's
 * gateway. Without --config, the organisation comes from the consortium file (demo: guangdong, macau) and the demo
 * secrets under HUTONG_HOME (default `.hutong`). The embedded ledger delivers events in-process only, so two
 * organisations sharing one embedded ledger run together under `npm start`; this command is for one org at a time.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_TOKEN_ISSUER, gatewayAudience, newDemoTokenIssuer } from '../auth/demo-token-issuer.js';
import type { PublicJwk } from '@hutong/chaincode/domain';
import { loadConfigFile, parseConfig, type GatewayConfig } from '../config/config.js';
import { loadConsortium, type ConsortiumConfig } from '../config/consortium.js';
import { bootstrapLedger } from '../consortium/bootstrap-ledger.js';
import { issuerSecretFile } from '../consortium/start-consortium.js';
import { GatewayError } from '../errors/gateway-error.js';
import { newGateway } from '../gateway.js';
import { openLedgerBackend } from '../config/open-ledger-backend.js';

interface Demo {
  consortium: ConsortiumConfig;
  publicKeys: Map<string, PublicJwk>;
}

async function configFromArgs(): Promise<{ config: GatewayConfig; tokens?: Record<string, string>; demo?: Demo }> {
  const { values } = parseArgs({
    options: { org: { type: 'string' }, ledger: { type: 'string', default: 'embedded' }, config: { type: 'string' }, port: { type: 'string' }, profile: { type: 'string' } },
    strict: true,
  });
  const file = values.config ?? process.env['HUTONG_CONFIG'];
  if (file) return { config: loadConfigFile(file) };
  const consortium = loadConsortium(process.env);
  const org = consortium.orgs.find((o) => o.name === values.org);
  if (!org) throw new GatewayError('CONFIG_INVALID', `--org must be one of: ${consortium.orgs.map((o) => o.name).join(', ')}`);
  if (values.ledger !== 'embedded' && values.ledger !== 'fabric') throw new GatewayError('CONFIG_INVALID', '--ledger must be embedded or fabric');
  const home = resolve(process.env['HUTONG_HOME'] ?? '.hutong');
  const tokenIssuer = await newDemoTokenIssuer({ keyFile: join(home, 'secrets', 'demo-token-issuer.json') });
  const audience = gatewayAudience(org.name);
  const publicKeys = new Map<string, PublicJwk>();
  for (const i of consortium.issuers) publicKeys.set(`${i.id}/${i.kid}`, issuerSecretFile(home, i.id, i.kid).publicJwk);
  const config = parseConfig({
    org: { name: org.name, mspId: org.mspId, jurisdiction: org.jurisdiction, displayName: org.displayName },
    http: { port: values.port !== undefined ? Number(values.port) : org.port },
    ledger: values.ledger === 'fabric'
      ? { kind: 'fabric', connectionProfile: resolve(values.profile ?? join(home, 'fabric', 'profiles', `${org.name}.json`)) }
      : { kind: 'embedded', path: join(home, 'ledger.sqlite') },
    dataDir: join(home, org.name),
    auth: { issuer: DEMO_TOKEN_ISSUER, audience, jwks: tokenIssuer.jwks },
    issuerSecrets: consortium.issuers
      .filter((i) => i.org === org.name)
      .map((i) => ({ issuerId: i.id, kid: i.kid, file: join(home, 'secrets', `${i.id}.${i.kid}.json`) })),
    logLevel: process.env['HUTONG_LOG_LEVEL'] ?? 'info',
  }, `gateway configuration of ${org.name}`);
  const tokens: Record<string, string> = {};
  for (const role of ['checkpoint', 'issuer', 'auditor', 'admin'] as const) {
    tokens[role] = await tokenIssuer.mint({
      subject: `${org.name}-${role}-demo`, audience, roles: [role],
      ...(role === 'issuer' ? { issuers: consortium.issuers.filter((i) => i.org === org.name).map((i) => i.id) } : {}),
    });
  }
  return { config, tokens, demo: { consortium, publicKeys } };
}

async function main(): Promise<void> {
  const { config, tokens, demo } = await configFromArgs();
  const backend = openLedgerBackend(config.ledger, config.org.mspId);
  // The demo consortium on the embedded ledger: bring it to the configured state first (idempotent). On Fabric each
  // organisation acts only for itself, so the consortium is governed through the gateways' admin routes instead.
  if (demo && backend.kind === 'embedded') await bootstrapLedger(backend, demo.consortium, demo.publicKeys);
  const gateway = await newGateway(config, { backend });
  console.error(`${config.org.displayName} gateway: ${gateway.url} (ledger: ${config.ledger.kind})`);
  for (const [role, token] of Object.entries(tokens ?? {})) console.error(`  ${role.padEnd(10)} token: ${token}`);
  const stop = () => void gateway.close().then(() => backend.close()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof GatewayError) console.error(`error ${e.code}: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
