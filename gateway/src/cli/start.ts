/**
 * `npm start [-- --ledger embedded|fabric] [--base-port N]`: every organisation's gateway of the consortium (demo:
 * Guangdong and Macau), demo issuers approved both ways, recognition policies; then a sample credential issued at the
 * first organisation and verified at the second. Idempotent; Ctrl-C stops the gateways cleanly.
 * - embedded (default): all gateways in this process on one embedded ledger under `.hutong/`;
 * - fabric: the real network brought up (or reused) under `.hutong/fabric`, each organisation's gateway in its own
 *   process; Ctrl-C stops the gateways, the network keeps running (`npm run network -- down`).
 * Demo bearer tokens go to `<HUTONG_HOME>/runtime.json` (mode 600), never to the output, which log collectors keep.
 *
 * Environment: HUTONG_HOME (default `.hutong`), HUTONG_CONSORTIUM (a consortium JSON file), HUTONG_EPHEMERAL_PORTS=1,
 * HUTONG_LOG_LEVEL (default `warn` here: the console is for people), HUTONG_NO_SAMPLE=1,
 * HUTONG_COMMIT_WAIT_MS (how long writes wait for their commit before answering 202 / 503),
 * HUTONG_MAX_LEAVES / HUTONG_MAX_DELAY_MS (issuance batching; the benchmark's one-transaction-per-credential run
 * sets HUTONG_MAX_LEAVES=1), HUTONG_WORKERS (crypto worker threads per gateway; default: the available cores, 0 = none).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import qrcode from 'qrcode-terminal';
import { DEMO_TOKEN_TTL_SECONDS } from '../auth/demo-token-issuer.js';
import type { GatewayConfigInput } from '../config/config.js';
import { loadConsortium, type ConsortiumConfig } from '../config/consortium.js';
import type { OrgTokens } from '../consortium/demo-consortium.js';
import { startConsortium } from '../consortium/start-consortium.js';
import { startFabricConsortium } from '../consortium/start-fabric-consortium.js';
import { GatewayError } from '../errors/gateway-error.js';

/** The few response members the demo prints. */
interface DemoBody {
  qr: string;
  anchor: { blockNumber: number; txId: string };
  decision?: string;
  reason?: string;
  claimedStatus?: string;
  mappedStatus?: string;
  display?: { maskedName?: string; documentHint?: string };
  evidence?: { blockNumber?: number };
}

/** One running organisation, however it runs. */
interface RunningOrg {
  name: string;
  url: string;
  mspId: string;
  displayName: string;
  tokens: OrgTokens;
}

interface Running {
  where: string;
  orgs: RunningOrg[];
  bootstrapActions: string[];
  close(): Promise<void>;
  farewell?: string;
}

const USAGE = `usage: npm start [-- --ledger embedded|fabric] [--base-port N]

  --ledger embedded   (default) every gateway in this process on the embedded ledger under $HUTONG_HOME
  --ledger fabric     the real Fabric network (brought up or reused under $HUTONG_HOME/fabric), one process per gateway
  --base-port N       the Fabric network's first port when it is created (default 7000)`;

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; body: DemoBody }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as DemoBody };
}

function options(): { ledger: 'embedded' | 'fabric'; basePort?: number } | undefined {
  let values;
  try {
    ({ values } = parseArgs({ options: { ledger: { type: 'string', default: 'embedded' }, 'base-port': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (e) {
    throw new GatewayError('CONFIG_INVALID', `${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  if (values.ledger !== 'embedded' && values.ledger !== 'fabric') throw new GatewayError('CONFIG_INVALID', `--ledger must be embedded or fabric\n${USAGE}`);
  const basePort = values['base-port'];
  if (basePort !== undefined && !/^\d{4,5}$/.test(basePort)) throw new GatewayError('CONFIG_INVALID', `--base-port takes a port number, not '${basePort}'`);
  return { ledger: values.ledger, ...(basePort !== undefined ? { basePort: Number(basePort) } : {}) };
}

function overridesFromEnv(env: NodeJS.ProcessEnv): () => Partial<GatewayConfigInput> {
  const issuance: Record<string, number> = {};
  for (const [variable, key] of [['HUTONG_COMMIT_WAIT_MS', 'commitWaitMs'], ['HUTONG_MAX_LEAVES', 'maxLeaves'], ['HUTONG_MAX_DELAY_MS', 'maxDelayMs']] as const) {
    if (env[variable] !== undefined) issuance[key] = Number(env[variable]);
  }
  return () => ({
    ...(Object.keys(issuance).length > 0 ? { issuance } : {}),
    ...(env['HUTONG_WORKERS'] !== undefined ? { workers: { size: Number(env['HUTONG_WORKERS']) } } : {}),
  });
}

async function startEmbedded(consortium: ConsortiumConfig, home: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const running = await startConsortium({
    consortium, home,
    ephemeralPorts: env['HUTONG_EPHEMERAL_PORTS'] === '1',
    logLevel: (env['HUTONG_LOG_LEVEL'] as 'warn' | undefined) ?? 'warn',
    overrides: overridesFromEnv(env),
  });
  return {
    where: `on the embedded ledger ${running.ledgerPath}`,
    orgs: [...running.gateways].map(([name, g]) => ({ name, url: g.url, mspId: g.config.org.mspId, displayName: g.config.org.displayName, tokens: running.tokens.get(name)! })),
    bootstrapActions: running.bootstrapActions,
    close: () => running.close(),
  };
}

async function startFabric(consortium: ConsortiumConfig, home: string, env: NodeJS.ProcessEnv, basePort: number | undefined): Promise<Running> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const running = await startFabricConsortium({
    consortium, home, repoRoot,
    ...(basePort !== undefined ? { network: { basePort } } : {}),
    ephemeralPorts: env['HUTONG_EPHEMERAL_PORTS'] === '1',
    logLevel: (env['HUTONG_LOG_LEVEL'] as 'warn' | undefined) ?? 'warn',
    overrides: overridesFromEnv(env),
    log: (line) => console.log(line),
  });
  return {
    where: `on the Fabric network in ${running.networkDir}, one process each (logs: ${join(home, '<org>', 'gateway.log')})`,
    orgs: [...running.gateways].map(([name, g]) => ({ name, url: g.url, mspId: g.mspId, displayName: g.displayName, tokens: running.tokens.get(name)! })),
    bootstrapActions: running.bootstrapActions,
    close: () => running.close(),
    farewell: 'the Fabric network keeps running (npm run network -- status | down)',
  };
}

/** The sample credential, kept in runtime.json for whoever wants to try it (it carries no personal data). */
interface Sample {
  qr: string;
  issuerId: string;
  issuedBy: string;
  verifiedBy: string;
  decision?: string;
  reason?: string;
}

async function sample(consortium: ConsortiumConfig, orgs: RunningOrg[]): Promise<Sample | undefined> {
  const [from, to] = orgs;
  const issuerSpec = consortium.issuers.find((i) => i.org === from?.name);
  if (!from || !to || !issuerSpec) return undefined;
  const issued = await postJson(`${from.url}/v1/credentials`, from.tokens.issuer, {
    issuerId: issuerSpec.id,
    credentialType: issuerSpec.credentialTypes[0],
    status: 'green',
    holder: { name: 'Sample Holder', documentType: 'HRP', documentNumber: 'H00000000' },
    validitySeconds: 24 * 3600,
  });
  if (issued.status !== 201) {
    console.log(`\nsample issuance failed: ${issued.status} ${JSON.stringify(issued.body)}`);
    return undefined;
  }
  console.log(`\nSample credential from ${issuerSpec.displayName} (anchored in block ${issued.body.anchor.blockNumber}, tx ${issued.body.anchor.txId.slice(0, 16)}…):`);
  console.log(`QR (${issued.body.qr.length} characters): ${issued.body.qr}`);
  qrcode.generate(issued.body.qr, { small: true }, (drawing) => console.log(drawing));
  const r = (await postJson(`${to.url}/v1/verifications`, to.tokens.checkpoint, { qr: issued.body.qr })).body;
  console.log(`Verified at ${to.displayName}'s gateway: ${r.decision} (${r.reason}) — status ${r.claimedStatus ?? '-'} → ${r.mappedStatus ?? '-'}, ${r.display?.maskedName ?? ''} ${r.display?.documentHint ?? ''}, anchor block ${r.evidence?.blockNumber ?? '-'}`);
  console.log(`\nTry it (the QR is sample.qr in runtime.json):\n  npx hutong verify --org ${to.name} "$(node -p "require('./.hutong/runtime.json').sample.qr")"`);
  console.log(`  curl -s -H 'authorization: Bearer <gateways.${to.name}.tokens.checkpoint of runtime.json>' -H 'content-type: application/json' \\\n    -d '{"qr":"<QR>"}' ${to.url}/v1/verifications`);
  return { qr: issued.body.qr, issuerId: issuerSpec.id, issuedBy: from.name, verifiedBy: to.name, ...(r.decision ? { decision: r.decision } : {}), ...(r.reason ? { reason: r.reason } : {}) };
}

/**
 * Each organisation's snapshot-signing JWKS in `<home>/<org>/snapshot-keys.json`: what partners pin in their offline
 * verifiers (`hutong trust snapshot --keys`, the SDK's `newTrustStore({ jwks })`), fetched once from the gateway.
 */
async function publishSnapshotKeys(home: string, orgs: RunningOrg[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const o of orgs) {
    const res = await fetch(`${o.url}/v1/trust/snapshot-keys`);
    if (!res.ok) continue;
    const file = join(home, o.name, 'snapshot-keys.json');
    mkdirSync(join(home, o.name), { recursive: true });
    writeFileSync(file, `${JSON.stringify(await res.json(), null, 2)}\n`);
    files[o.name] = file;
  }
  return files;
}

async function main(): Promise<void> {
  const chosen = options();
  if (!chosen) return;
  const env = process.env;
  const home = resolve(env['HUTONG_HOME'] ?? '.hutong');
  const consortium = loadConsortium(env);
  const t0 = Date.now();
  const running = chosen.ledger === 'fabric' ? await startFabric(consortium, home, env, chosen.basePort) : await startEmbedded(consortium, home, env);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the gateways…`);
    running.close().then(
      // Exit once the line is flushed: console.log to a pipe is asynchronous and process.exit would drop it.
      () => { process.stdout.write(`stopped.${running.farewell ? ` ${running.farewell}.` : ''}\n`, () => process.exit(0)); },
      (e: unknown) => { console.error(e); process.exit(1); },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const runtimeFile = join(home, 'runtime.json');
  // Tokens are minted as the gateways start: they are valid for the demo's TTL from about now.
  const tokensExpireAt = new Date(Date.now() + DEMO_TOKEN_TTL_SECONDS * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const keyFiles = await publishSnapshotKeys(home, running.orgs);
  const runtime: Record<string, unknown> = {
    ledger: chosen.ledger,
    tokensExpireAt,
    gateways: Object.fromEntries(running.orgs.map((o) => [o.name, { url: o.url, mspId: o.mspId, snapshotKeys: keyFiles[o.name], tokens: o.tokens }])),
  };
  writeFileSync(runtimeFile, JSON.stringify(runtime, null, 2), { mode: 0o600 });

  console.log(`hutong — ${running.orgs.length} gateways ${running.where} (ready in ${Date.now() - t0} ms)`);
  console.log(running.bootstrapActions.length ? `ledger bootstrap: ${running.bootstrapActions.length} transactions` : 'ledger already bootstrapped (nothing to do)');
  for (const o of running.orgs) console.log(`  ${o.displayName} (${o.mspId})  console: ${o.url}/   OpenAPI: ${o.url}/openapi.json`);
  console.log(`demo bearer tokens (checkpoint, issuer, auditor, admin, partner) per gateway: ${runtimeFile}`);
  console.log(`  valid ${DEMO_TOKEN_TTL_SECONDS / 3600} h, until ${tokensExpireAt} (npm start again mints new ones)`);
  console.log(`pinned snapshot keys for offline verifiers: ${Object.values(keyFiles).join(', ')}`);
  if (env['HUTONG_NO_SAMPLE'] !== '1') {
    const issued = await sample(consortium, running.orgs);
    if (issued) {
      runtime['sample'] = issued;
      writeFileSync(runtimeFile, JSON.stringify(runtime, null, 2), { mode: 0o600 });
    }
  }
  console.log('\nPress Ctrl-C to stop.');
}

main().catch((e: unknown) => {
  if (e instanceof GatewayError) console.error(`error ${e.code}: ${e.message}`);
  else if (e instanceof Error && 'code' in e) console.error(`error ${String((e as { code: unknown }).code)}: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
