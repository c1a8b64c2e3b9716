#!/usr/bin/env node
/**
 * `npm run network -- <command> [options]`: the real Fabric network of native processes on 127.0.0.1.
 * Exit codes: 0 done (status: everything healthy), 1 status found something down, 2 an error (its code printed).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultFabricHomeDir, describeHome, findFabricHome } from './fabric-home.js';
import { install } from './install.js';
import { clean, DEFAULT_BASE_PORT, down, status, up } from './network.js';
import { NetworkError } from './network-error.js';
import { addOrg, removeOrg } from './org-change.js';
import { TOPOLOGIES, type OrgSpec, type TopologyName } from './network-plan.js';
import { logTail } from './processes.js';

const USAGE = `usage: npm run network -- <command> [options]

commands:
  install   find a Fabric 3.1 home, or say how to get one
  up        create and start the network, or restart what is down (idempotent)
  down      stop every process the network started (data kept)
  status    the Fabric home, and each process: pid, running, healthy
  logs      the last lines of each process's log (--node NAME for one, --lines N)
  clean     down, then remove the network's folder
  add-org NAME      a jurisdiction joins the running channel: crypto, channel config update (signed by a majority
                    of the current admins), its peer and chaincode server, anchor peer, the chaincode definition at the
                    next sequence approved by every org, its connection profile. Resumable; repeating it is a no-op
  remove-org NAME   undoes add-org: config update removing it, next chaincode sequence, its processes stopped by PID

options:
  --topology dev|consortium   dev: 1 Raft orderer, 1 peer per org; consortium: 4 SmartBFT orderers, 2 peers per org
  --dir DIR                   the network's folder (default: $HUTONG_HOME/fabric, HUTONG_HOME defaults to .hutong)
  --base-port N               first port of the network's range (default ${DEFAULT_BASE_PORT}; two networks need two bases)
  --batch-timeout MS          the orderer's batch timeout (default 200)
  --orgs a:AMSP,b:BMSP        organisations (default guangdong:GuangdongMSP,macau:MacauMSP)
  --bare                      deploy the chaincode but do not initialise the ledger
  --msp MSPID                 add-org: the joining organisation's MSP id (known: hongkong → HongKongMSP)
  --fabric-home DIR           the Fabric home (else FABRIC_HOME, then ${defaultFabricHomeDir()}, then PATH)
  -h, --help`;

function parseOrgs(text: string): OrgSpec[] {
  return text.split(',').map((pair) => {
    const [name, mspId] = pair.split(':');
    if (!name || !mspId) throw new NetworkError('INVALID_ARGUMENT', `--orgs takes name:MSPID pairs separated by commas, not '${pair}'`);
    return { name, mspId };
  });
}

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new NetworkError('INVALID_ARGUMENT', `${name} takes a whole number, not '${value}'`);
  return Number(value);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      topology: { type: 'string' }, dir: { type: 'string' }, 'base-port': { type: 'string' }, 'batch-timeout': { type: 'string' },
      orgs: { type: 'string' }, msp: { type: 'string' }, bare: { type: 'boolean' }, 'fabric-home': { type: 'string' }, node: { type: 'string' }, lines: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.topology !== undefined && !TOPOLOGIES.includes(values.topology as TopologyName)) {
    throw new NetworkError('INVALID_ARGUMENT', `unknown topology '${values.topology}' (dev | consortium)`);
  }
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = resolve(values.dir ?? join(process.env['HUTONG_HOME'] ?? '.hutong', 'fabric'));
  const location = { dir, repoRoot, ...(values['fabric-home'] ? { fabricHome: values['fabric-home'] } : {}) };
  switch (command) {
    case 'install':
      install(values['fabric-home'] ? { dir: values['fabric-home'] } : {});
      return 0;
    case 'up': {
      const basePort = intOption(values['base-port'], '--base-port');
      const batchTimeoutMs = intOption(values['batch-timeout'], '--batch-timeout');
      await up({
        ...location,
        ...(values.topology ? { topology: values.topology as TopologyName } : {}),
        ...(basePort !== undefined ? { basePort } : {}),
        ...(batchTimeoutMs !== undefined ? { batchTimeoutMs } : {}),
        ...(values.orgs ? { orgs: parseOrgs(values.orgs) } : {}),
        bare: values.bare ?? false,
      });
      return 0;
    }
    case 'down':
      console.log(`network: stopping ${dir}`);
      await down(location);
      return 0;
    case 'status': {
      console.log(`fabric: ${describeHome(findFabricHome(values['fabric-home'] ? { dir: values['fabric-home'] } : {}))}`);
      if (!existsSync(join(dir, 'network.json'))) {
        console.log(`network: none in ${dir}`);
        return 1;
      }
      const s = await status(location);
      console.log(`network: ${s.plan.topology} in ${dir}${s.complete ? '' : ' (set-up incomplete)'}`);
      for (const n of s.nodes) {
        const state = n.healthy ? 'healthy' : n.running ? 'running, not healthy' : 'down';
        console.log(`  ${n.name.padEnd(22)} ${n.endpoint.padEnd(16)} pid ${String(n.pid ?? '-').padEnd(8)} ${state}`);
      }
      return s.complete && s.nodes.every((n) => n.healthy) ? 0 : 1;
    }
    case 'logs': {
      const s = await status(location);
      const lines = intOption(values.lines, '--lines') ?? 20;
      for (const n of s.nodes.filter((x) => !values.node || x.name === values.node)) {
        console.log(`==> ${n.name} (${n.log})`);
        console.log(existsSync(n.log) ? `    ${logTail(n.log, lines)}` : '    (no log)');
      }
      return 0;
    }
    case 'clean':
      await clean(location);
      return 0;
    case 'add-org':
    case 'remove-org': {
      const org = positionals[1];
      if (!org) throw new NetworkError('INVALID_ARGUMENT', `${command} takes the organisation's name (e.g. hongkong)`);
      const options = { ...location, org, ...(values.msp ? { mspId: values.msp } : {}) };
      await (command === 'add-org' ? addOrg(options) : removeOrg(options));
      return 0;
    }
    default:
      throw new NetworkError('INVALID_ARGUMENT', `unknown command '${command}'\n${USAGE}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = error instanceof NetworkError ? error.code : 'NETWORK_ERROR';
    console.error(`network: [${code}] ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof NetworkError) && error instanceof Error && error.stack) console.error(error.stack);
    process.exit(2);
  },
);

