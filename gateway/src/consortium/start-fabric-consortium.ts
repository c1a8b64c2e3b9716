/**
 * The demo consortium on the real Fabric network, deployed as it would be: the network brought up (or reused), the
 * consortium's members, issuers, keys and policies bootstrapped (the demo acts with every organisation's admin, which
 * only a developer's machine holds), then each organisation's gateway started in its own process with its own
 * connection profile, caches and data, talking to the other jurisdiction only through the channel.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newFabricLedger, readConnectionProfile } from '@hutong/ledger/fabric';
import { addOrg, isRunning, profilePath, stopProcess, up, type ProcessRecord, type UpOptions } from '@hutong/network';
import type { DemoTokenIssuer } from '../auth/demo-token-issuer.js';
import type { GatewayConfigInput } from '../config/config.js';
import type { ConsortiumConfig } from '../config/consortium.js';
import { GatewayError } from '../errors/gateway-error.js';
import { bootstrapLedger } from './bootstrap-ledger.js';
import { demoGatewayConfig, loadDemoSecrets, mintOrgTokens, type OrgTokens } from './demo-consortium.js';

export interface GatewayProcess {
  name: string;
  mspId: string;
  displayName: string;
  url: string;
  pid: number;
  log: string;
}

export interface RunningFabricConsortium {
  gateways: Map<string, GatewayProcess>;
  tokens: Map<string, OrgTokens>;
  tokenIssuer: DemoTokenIssuer;
  bootstrapActions: string[];
  networkDir: string;
  /** Starts an organisation's gateway again with the same configuration and data (after a crash or a stop). */
  restart(org: string): Promise<GatewayProcess>;
  /** Stops every gateway process (by PID); the network keeps running. */
  close(): Promise<void>;
}

export interface FabricConsortiumOptions {
  consortium: ConsortiumConfig;
  home: string;
  /** The repository: the network runs the chaincode from it, the gateways from `gateway/dist`. */
  repoRoot: string;
  /** The network's folder (default `<home>/fabric`) and how to create it if it does not exist. */
  network?: Partial<Pick<UpOptions, 'dir' | 'basePort' | 'topology' | 'batchTimeoutMs'>>;
  ephemeralPorts?: boolean;
  logLevel?: GatewayConfigInput['logLevel'];
  overrides?: (org: string) => Partial<GatewayConfigInput>;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gateway process as the network's process helpers see it: running while its command line names the CLI. */
const asRecord = (g: GatewayProcess, cli: string): ProcessRecord => ({ name: g.name, pid: g.pid, match: cli, log: g.log, startedAt: '' });

/** Waits for the gateway's "<name> gateway: <url>" line, then for /readyz to say ready. */
async function awaitGateway(gateway: GatewayProcess, cli: string, from: number, timeoutMs: number): Promise<string> {
  const { pid, log } = gateway;
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (Date.now() < deadline) {
    if (!isRunning(asRecord(gateway, cli))) break;
    if (!url && existsSync(log)) url = / gateway: (http:\/\/127\.0\.0\.1:\d+) \(ledger: /.exec(readFileSync(log, 'utf8').slice(from))?.[1];
    if (url) {
      const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ready) return url;
    }
    await sleep(100);
  }
  const tail = existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').slice(-5).join('\n  ') : '';
  throw new GatewayError('NOT_READY', `the gateway process ${pid} did not become ready (log ${log}):\n  ${tail}`);
}

export async function startFabricConsortium(options: Readonly<FabricConsortiumOptions>): Promise<RunningFabricConsortium> {
  const home = resolve(options.home);
  const log = options.log ?? (() => undefined);
  const { consortium } = options;
  const cli = join(options.repoRoot, 'gateway', 'dist', 'cli', 'gateway.js');
  if (!existsSync(cli)) throw new GatewayError('CONFIG_INVALID', `${cli} is missing: build first (npx tsc -b)`);
  const network = await up({
    ...options.network,
    dir: options.network?.dir ?? join(home, 'fabric'),
    repoRoot: options.repoRoot,
    orgs: consortium.orgs.map((o) => ({ name: o.name, mspId: o.mspId })),
    // The consortium file says who the members are and in which jurisdictions: the bootstrap initialises the ledger.
    bare: true,
    log,
  });
  // An organisation the file names and the running network lacks joins the channel first (add-org).
  let plan = network.plan;
  for (const org of consortium.orgs) {
    if (plan.orgs.some((o) => o.name === org.name)) continue;
    plan = (await addOrg({ dir: plan.dir, repoRoot: options.repoRoot, org: org.name, mspId: org.mspId, log })).plan;
  }
  const profiles = new Map(consortium.orgs.map((o) => [o.name, profilePath(plan, o.name)]));
  const secrets = await loadDemoSecrets(home, consortium);
  const backend = newFabricLedger({ profiles: [...profiles.values()].map(readConnectionProfile) });
  let actions: string[];
  try {
    ({ actions } = await bootstrapLedger(backend, consortium, secrets.publicKeys));
  } finally {
    await backend.close();
  }

  const gateways = new Map<string, GatewayProcess>();
  const tokens = new Map<string, OrgTokens>();
  const close = async () => {
    await Promise.all([...gateways.values()].map((g) => stopProcess(asRecord(g, cli), 10_000)));
  };
  /** Spawns the organisation's gateway on its configuration file and waits until it is ready. */
  const spawnGateway = async (org: ConsortiumConfig['orgs'][number]): Promise<GatewayProcess> => {
    const dir = join(home, org.name);
    const configFile = join(dir, 'gateway.config.json');
    const logFile = join(dir, 'gateway.log');
    // The log is appended to across restarts: only what this process writes counts.
    const from = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
    const fd = openSync(logFile, 'a');
    // A gateway inherits only what it needs: no tokens or secrets of this process; NODE_OPTIONS so an operator can
    // tune or profile the gateways (e.g. `--require` a profiler) as they would a single one.
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...(process.env['NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['NODE_OPTIONS'] } : {}) };
    const child = spawn(process.execPath, [cli, '--config', configFile], { cwd: options.repoRoot, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    if (child.pid === undefined) throw new GatewayError('NOT_READY', `the gateway of ${org.name} could not be started`);
    const entry: GatewayProcess = { name: org.name, mspId: org.mspId, displayName: org.displayName, url: '', pid: child.pid, log: logFile };
    gateways.set(org.name, entry);
    entry.url = await awaitGateway(entry, cli, from, 60_000);
    return entry;
  };
  try {
    await Promise.all(consortium.orgs.map(async (org) => {
      const dir = join(home, org.name);
      mkdirSync(dir, { recursive: true });
      const config = demoGatewayConfig(consortium, org.name, secrets, {
        home, ledger: { kind: 'fabric', connectionProfile: profiles.get(org.name)! },
        ...(options.ephemeralPorts ? { ephemeralPorts: true } : {}),
        ...(options.logLevel ? { logLevel: options.logLevel } : {}),
        ...(options.overrides ? { overrides: options.overrides } : {}),
      });
      writeFileSync(join(dir, 'gateway.config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
      await spawnGateway(org);
      tokens.set(org.name, await mintOrgTokens(secrets.tokenIssuer, consortium, org.name));
    }));
  } catch (e) {
    await close();
    throw e;
  }
  const restart = async (name: string): Promise<GatewayProcess> => {
    const org = consortium.orgs.find((o) => o.name === name);
    if (!org) throw new GatewayError('CONFIG_INVALID', `no organisation ${name}`);
    const running = gateways.get(name);
    if (running) await stopProcess(asRecord(running, cli), 10_000);
    return spawnGateway(org);
  };
  return { gateways, tokens, tokenIssuer: secrets.tokenIssuer, bootstrapActions: actions, networkDir: network.plan.dir, restart, close };
}
