/**
 * `npm run gateway -- --org <name> [--ledger embedded|fabric] [--profile file.json] [--port n]`, or `--config file.json`:
 * one organisation's gateway. Without --config, the organisation comes from the consortium file (demo: guangdong,
 * macau) and the demo secrets under HUTONG_HOME (default `.hutong`); its demo tokens are written to
 * `<HUTONG_HOME>/<org>/tokens.json` (mode 600), never to the output, which log collectors keep. The embedded ledger
 * delivers events in-process only, so two organisations sharing one embedded ledger run together under `npm start`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile, parseConfig, type GatewayConfig } from '../config/config.js';
import { loadConsortium, type ConsortiumConfig } from '../config/consortium.js';
import { openLedgerBackend } from '../config/open-ledger-backend.js';
import { bootstrapLedger } from '../consortium/bootstrap-ledger.js';
import { demoGatewayConfig, loadDemoSecrets, mintOrgTokens, type DemoSecrets } from '../consortium/demo-consortium.js';
import { DEMO_TOKEN_TTL_SECONDS } from '../auth/demo-token-issuer.js';
import { GatewayError } from '../errors/gateway-error.js';
import { newGateway } from '../gateway.js';

const USAGE = `usage: npm run gateway -- --org <name> [--ledger embedded|fabric] [--profile file.json] [--port n]
       npm run gateway -- --config gateway.json

  --org NAME        an organisation of the consortium file (HUTONG_CONSORTIUM; demo: guangdong, macau; demo-hongkong adds hongkong)
  --ledger KIND     embedded (default: the SQLite ledger under HUTONG_HOME) or fabric (the real network)
  --profile FILE    Fabric connection profile (default: <HUTONG_HOME>/fabric/profiles/<org>.json)
  --port N          HTTP port on 127.0.0.1 (default: the consortium file's)
  --config FILE     a complete gateway configuration instead (see gateway/src/README.md)`;

interface Demo {
  consortium: ConsortiumConfig;
  secrets: DemoSecrets;
  home: string;
}

async function configFromArgs(): Promise<{ config: GatewayConfig; demo?: Demo } | undefined> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        org: { type: 'string' }, ledger: { type: 'string', default: 'embedded' }, config: { type: 'string' }, port: { type: 'string' },
        profile: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new GatewayError('CONFIG_INVALID', `${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const file = values.config ?? process.env['HUTONG_CONFIG'];
  if (file) return { config: loadConfigFile(file) };
  const consortium = loadConsortium(process.env);
  const org = consortium.orgs.find((o) => o.name === values.org);
  if (!org) throw new GatewayError('CONFIG_INVALID', `--org must be one of: ${consortium.orgs.map((o) => o.name).join(', ')}\n${USAGE}`);
  if (values.ledger !== 'embedded' && values.ledger !== 'fabric') throw new GatewayError('CONFIG_INVALID', `--ledger must be embedded or fabric\n${USAGE}`);
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) throw new GatewayError('CONFIG_INVALID', `--port takes a number, not '${values.port}'`);
  const home = resolve(process.env['HUTONG_HOME'] ?? '.hutong');
  const secrets = await loadDemoSecrets(home, consortium);
  const input = demoGatewayConfig(consortium, org.name, secrets, {
    home,
    ledger: values.ledger === 'fabric'
      ? { kind: 'fabric', connectionProfile: resolve(values.profile ?? join(home, 'fabric', 'profiles', `${org.name}.json`)) }
      : { kind: 'embedded', path: join(home, 'ledger.sqlite') },
    logLevel: (process.env['HUTONG_LOG_LEVEL'] as GatewayConfig['logLevel'] | undefined) ?? 'info',
  });
  if (values.port !== undefined) input.http = { ...input.http, port: Number(values.port) };
  return { config: parseConfig(input, `gateway configuration of ${org.name}`), demo: { consortium, secrets, home } };
}

async function main(): Promise<void> {
  const parsed = await configFromArgs();
  if (!parsed) return;
  const { config, demo } = parsed;
  const backend = openLedgerBackend(config.ledger, config.org.mspId);
  // The demo consortium on the embedded ledger: bring it to the configured state first (idempotent). On Fabric each
  // organisation acts only for itself, so the consortium is governed through the gateways' admin routes instead
  // (`npm start -- --ledger fabric` bootstraps the demo with every organisation's profile).
  if (demo && backend.kind === 'embedded') await bootstrapLedger(backend, demo.consortium, demo.secrets.publicKeys);
  const gateway = await newGateway(config, { backend });
  console.error(`${config.org.displayName} gateway: ${gateway.url} (ledger: ${config.ledger.kind})`);
  if (demo) {
    const tokens = await mintOrgTokens(demo.secrets.tokenIssuer, demo.consortium, config.org.name);
    const file = join(demo.home, config.org.name, 'tokens.json');
    mkdirSync(join(demo.home, config.org.name), { recursive: true });
    writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    console.error(`  demo bearer tokens (checkpoint, issuer, auditor, admin, partner; valid ${DEMO_TOKEN_TTL_SECONDS / 3600} h, until ${new Date(Date.now() + DEMO_TOKEN_TTL_SECONDS * 1000).toISOString()}): ${file}`);
    const keys = await fetch(`${gateway.url}/v1/trust/snapshot-keys`);
    if (keys.ok) {
      writeFileSync(join(demo.home, config.org.name, 'snapshot-keys.json'), `${JSON.stringify(await keys.json(), null, 2)}\n`);
      console.error(`  pinned snapshot keys for offline verifiers: ${join(demo.home, config.org.name, 'snapshot-keys.json')}`);
    }
  }
  const stop = () => void gateway.close().then(() => backend.close()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof GatewayError) console.error(`error ${e.code}: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
