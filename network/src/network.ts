/**
 * The network's commands as functions: `up` (idempotent), `down`, `status`, `clean`, `logs`. A network lives in one
 * folder (`network.json` says what it is; `processes.json` holds the PIDs it started). `up` on a complete network
 * restarts what is not running and reuses the rest; on a half-made one it stops what that started, removes it and
 * starts over. Every step prints what it did and how long it took.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setAnchorPeers } from './anchor-peers.js';
import { approveAndCommit, initLedger, installPackages, packagesOf } from './chaincode-lifecycle.js';
import { generateGenesisBlock } from './channel-genesis.js';
import { joinOrderers, joinPeers } from './channel-membership.js';
import { ordererTlsCa } from './admin-cli.js';
import { writeConnectionProfiles } from './connection-profile.js';
import { awaitEndorsers } from './endorsement-readiness.js';
import { generateCrypto } from './crypto-material.js';
import { describeHome, findFabricHome, type FabricHome } from './fabric-home.js';
import { fabricEnv } from './fabric-tool.js';
import { NetworkError } from './network-error.js';
import { planNetwork, planPorts, type NetworkPlan, type OrgSpec, type TopologyName } from './network-plan.js';
import { configDirOf, writeOrdererConfig, writePeerConfig } from './node-config.js';
import { isRunning, ProcessTable, startDaemon, stopProcess, type ProcessRecord } from './processes.js';
import { chaincodeServerReady, ordererReady, peerReady, portFree, waitUntil } from './readiness.js';

export interface NetworkLocation {
  /** The network's folder. */
  dir: string;
  /** The repository root: the chaincode server runs from `chaincode/`, the builder from `network/builder/`. */
  repoRoot: string;
  /** An explicit Fabric home (else FABRIC_HOME, the cache folder, PATH). */
  fabricHome?: string;
  log?: (line: string) => void;
}

export interface UpOptions extends NetworkLocation {
  topology?: TopologyName;
  basePort?: number;
  orgs?: readonly OrgSpec[];
  batchTimeoutMs?: number;
  /** Deploy the chaincode but leave the ledger uninitialised (the conformance suite wants a fresh one). */
  bare?: boolean;
}

export interface NetworkState {
  version: 1;
  topology: TopologyName;
  basePort: number;
  batchTimeoutMs: number;
  orgs: OrgSpec[];
  bare: boolean;
  complete: boolean;
  /** Absent until an organisation joins or leaves after `up`: the first sequence. */
  chaincodeSequence?: number;
}

export const DEFAULT_BASE_PORT = 7000;

const stateFile = (dir: string) => join(dir, 'network.json');

export function readState(dir: string): NetworkState | undefined {
  const file = stateFile(dir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as NetworkState;
}

/** Written beside and renamed into place, so an interrupted command never leaves half a network.json. */
export function writeState(dir: string, state: NetworkState): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${stateFile(dir)}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${stateFile(dir)}.tmp`, stateFile(dir));
}

/** The plan of an existing network, or NETWORK_NOT_CREATED. */
export function existingPlan(dir: string): NetworkPlan {
  const state = readState(dir);
  if (!state) throw new NetworkError('NETWORK_NOT_CREATED', `no network in ${dir} (npm run network -- up)`);
  return planOf(dir, state);
}

/** The plan a network's state describes. */
export function planOf(dir: string, state: NetworkState): NetworkPlan {
  return planNetwork({
    topology: state.topology, dir, basePort: state.basePort, orgs: state.orgs, batchTimeoutMs: state.batchTimeoutMs,
    ...(state.chaincodeSequence !== undefined ? { chaincodeSequence: state.chaincodeSequence } : {}),
  });
}

export function timer(log: (line: string) => void) {
  const t0 = Date.now();
  return async <T>(step: string, run: () => Promise<T>, describe: (value: T) => string = () => 'done'): Promise<T> => {
    const t = Date.now();
    const value = await run();
    log(`  ${step.padEnd(28)} ${describe(value).padEnd(34)} ${((Date.now() - t) / 1000).toFixed(2).padStart(6)} s  (total ${((Date.now() - t0) / 1000).toFixed(2)} s)`);
    return value;
  };
}

/** Paths the processes need from the repository. */
export function repoPaths(repoRoot: string) {
  const chaincodeDir = join(repoRoot, 'chaincode');
  if (!existsSync(join(chaincodeDir, 'dist', 'index.js'))) {
    throw new NetworkError('CHAINCODE_NOT_BUILT', `the chaincode is not built (${join(chaincodeDir, 'dist')} missing): run \`npx tsc -b\` first`);
  }
  const shimCli = join(createRequire(join(chaincodeDir, 'package.json')).resolve('fabric-shim/package.json'), '..', 'cli.js');
  return { chaincodeDir, shimCli, builderDir: join(repoRoot, 'network', 'builder') };
}

export interface UpResult {
  plan: NetworkPlan;
  reused: boolean;
  seconds: number;
  profiles: string[];
}

export async function up(options: Readonly<UpOptions>): Promise<UpResult> {
  const log = options.log ?? console.log;
  const t0 = Date.now();
  const home = findFabricHome(options.fabricHome ? { dir: options.fabricHome } : {});
  log(`network: ${describeHome(home)}`);
  let state = readState(options.dir);
  if (state && options.topology && state.topology !== options.topology) {
    throw new NetworkError('TOPOLOGY_MISMATCH', `${options.dir} holds a ${state.topology} network; run \`npm run network -- clean\` before starting a ${options.topology} one`);
  }
  if (state && !state.complete) {
    log(`network: ${options.dir} holds a half-started network: stopping what it started and starting over`);
    await down(options);
    rmSync(options.dir, { recursive: true, force: true });
    state = undefined;
  }
  const paths = repoPaths(options.repoRoot);
  if (state?.complete) {
    const plan = existingPlan(options.dir);
    const restarted = await startProcesses(home, plan, paths, log);
    await awaitEndorsers(plan, 60_000);
    const seconds = (Date.now() - t0) / 1000;
    log(`network: ${plan.topology} network in ${plan.dir} ${restarted > 0 ? `restarted ${restarted} processes` : 'already running'} (${seconds.toFixed(2)} s)`);
    return { plan, reused: true, seconds, profiles: writeConnectionProfiles(plan) };
  }

  const topology = options.topology ?? 'dev';
  const plan = planNetwork({
    topology, dir: options.dir, basePort: options.basePort ?? DEFAULT_BASE_PORT,
    ...(options.orgs ? { orgs: options.orgs } : {}), ...(options.batchTimeoutMs !== undefined ? { batchTimeoutMs: options.batchTimeoutMs } : {}),
  });
  for (const { port, owner } of planPorts(plan)) {
    if (!(await portFree(port))) throw new NetworkError('PORT_IN_USE', `port ${port} (for ${owner}) is in use on 127.0.0.1: choose another --base-port`);
  }
  writeState(plan.dir, { version: 1, topology, basePort: plan.basePort, batchTimeoutMs: plan.batchTimeoutMs, orgs: plan.orgs.map(({ name, mspId }) => ({ name, mspId })), bare: options.bare ?? false, complete: false });
  log(`network: creating a ${topology} network in ${plan.dir} (ports ${plan.basePort}–${plan.basePort + 100 + 20 * plan.orgs.length}, ${plan.consensus}, batch timeout ${plan.batchTimeoutMs} ms)`);
  const step = timer(log);
  await step('crypto material (cryptogen)', () => generateCrypto(home, plan), () => `${plan.orgs.length} orgs, ${plan.orderers.length} orderers`);
  const genesis = await step('channel genesis block', () => generateGenesisBlock(home, plan), () => 'gba');
  const table = new ProcessTable(plan.dir);
  await step('orderers started', () => startOrderers(home, plan, table), (n) => `${n} healthy`);
  await step('orderers joined', () => joinOrderers(home, plan, genesis.path), () => 'channel active');
  await step('peers started', () => startPeers(home, plan, table, paths.builderDir), (n) => `${n} healthy`);
  await step('peers joined', () => joinPeers(home, plan, genesis.path), (n) => `${n} joined`);
  await step('anchor peers set', () => setAnchorPeers(home, plan), (changed) => (changed ? 'one update, all orgs signed' : 'already set'));
  const packages = packagesOf(plan);
  await step('chaincode installed', () => installPackages(home, plan, packages), (n) => `${n} installs`);
  await step('chaincode servers started', () => startChaincodeServers(plan, table, paths, packages), (n) => `${n} listening`);
  await step('chaincode approved, committed', () => approveAndCommit(home, plan, packages), (r) => `${r.approved} approvals, MAJORITY`);
  if (!options.bare) await step('first transaction', () => initLedger(home, plan), (done) => (done ? 'InitLedger committed' : 'already initialised'));
  await step('endorsers discoverable', () => awaitEndorsers(plan), () => (options.bare ? 'ledger left uninitialised' : 'every org'));
  const profiles = writeConnectionProfiles(plan);
  writeState(plan.dir, { ...readState(plan.dir)!, complete: true });
  const seconds = (Date.now() - t0) / 1000;
  log(`network: up in ${seconds.toFixed(2)} s; connection profiles in ${join(plan.dir, 'profiles')}`);
  return { plan, reused: false, seconds, profiles };
}

// ---- processes ----

async function startOrderers(home: FabricHome, plan: NetworkPlan, table: ProcessTable): Promise<number> {
  await Promise.all(plan.orderers.map(async (orderer) => {
    const org = plan.orgs.find((o) => o.name === orderer.org)!;
    writeOrdererConfig(home, plan, orderer, [ordererTlsCa(org)]);
    await ensureRunning(table, orderer.id, () => startDaemon({
      name: orderer.id, command: join(home.binDir, 'orderer'), args: [], cwd: orderer.homeDir,
      env: fabricEnv({ FABRIC_CFG_PATH: configDirOf(orderer), FABRIC_LOGGING_SPEC: 'warning' }), log: join(orderer.homeDir, 'orderer.log'),
    }), () => ordererReady(orderer));
  }));
  return plan.orderers.length;
}

export async function startPeers(home: FabricHome, plan: NetworkPlan, table: ProcessTable, builderDir: string): Promise<number> {
  const peers = plan.orgs.flatMap((o) => o.peers);
  await Promise.all(peers.map(async (peer) => {
    writePeerConfig(home, peer, builderDir);
    await ensureRunning(table, peer.id, () => startDaemon({
      name: peer.id, command: join(home.binDir, 'peer'), args: ['node', 'start'], cwd: peer.homeDir,
      env: fabricEnv({ FABRIC_CFG_PATH: configDirOf(peer), FABRIC_LOGGING_SPEC: 'warning:gossip=error' }), log: join(peer.homeDir, 'peer.log'),
    }), () => peerReady(peer));
  }));
  return peers.length;
}

export async function startChaincodeServers(plan: NetworkPlan, table: ProcessTable, paths: ReturnType<typeof repoPaths>, packages: ReadonlyMap<string, { packageId: string }>): Promise<number> {
  await Promise.all(plan.chaincodeServers.map((server) => ensureRunning(table, server.id, () => startDaemon({
    name: server.id, command: process.execPath, match: paths.shimCli,
    args: [paths.shimCli, 'server', '--chaincode-address', `127.0.0.1:${server.port}`, '--chaincode-id', packages.get(server.org)!.packageId],
    cwd: paths.chaincodeDir,
    // fabric-shim logs every call at info level; warnings only.
    env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production', CORE_CHAINCODE_LOGGING_LEVEL: 'warning', CORE_CHAINCODE_LOGGING_SHIM: 'warning' },
    log: join(server.homeDir, 'chaincode.log'),
  }), () => chaincodeServerReady(server))));
  return plan.chaincodeServers.length;
}

/** Starts a process unless its recorded PID still runs; then waits until `ready`. */
async function ensureRunning(table: ProcessTable, name: string, start: () => ProcessRecord, ready: () => Promise<boolean>): Promise<boolean> {
  const existing = table.get(name);
  let record = existing && isRunning(existing) ? existing : undefined;
  const started = record === undefined;
  if (!record) {
    record = start();
    table.set(record);
  }
  await waitUntil(`${name} (pid ${record.pid})`, ready, { process: record, timeoutMs: 60_000 });
  return started;
}

/** Starts whatever of a complete network is not running, in dependency order; returns how many were started. */
async function startProcesses(home: FabricHome, plan: NetworkPlan, paths: ReturnType<typeof repoPaths>, log: (line: string) => void): Promise<number> {
  const table = new ProcessTable(plan.dir);
  const names = [...plan.orderers.map((o) => o.id), ...plan.orgs.flatMap((o) => o.peers.map((p) => p.id)), ...plan.chaincodeServers.map((c) => c.id)];
  const before = names.filter((n) => { const r = table.get(n); return r && isRunning(r); }).length;
  await startOrderers(home, plan, table);
  await startPeers(home, plan, table, paths.builderDir);
  await startChaincodeServers(plan, table, paths, packagesOf(plan));
  const started = names.length - before;
  if (started > 0) log(`network: started ${started} of ${names.length} processes`);
  return started;
}

// ---- down, status, clean, logs ----

export async function down(location: Readonly<NetworkLocation>): Promise<Array<{ name: string; pid: number; outcome: string }>> {
  const log = location.log ?? console.log;
  const table = new ProcessTable(location.dir);
  // Reverse dependency order: chaincode servers, peers, orderers.
  const rank = (name: string) => (name.startsWith('chaincode.') ? 0 : name.startsWith('peer') ? 1 : 2);
  const records = table.all().sort((a, b) => rank(a.name) - rank(b.name));
  const out: Array<{ name: string; pid: number; outcome: string }> = [];
  for (const group of [0, 1, 2]) {
    await Promise.all(records.filter((r) => rank(r.name) === group).map(async (r) => {
      const outcome = await stopProcess(r);
      table.delete(r.name);
      out.push({ name: r.name, pid: r.pid, outcome });
      log(`  ${r.name.padEnd(22)} pid ${String(r.pid).padEnd(8)} ${outcome}`);
    }));
  }
  if (records.length === 0) log('network: no process recorded');
  return out;
}

export interface NodeStatus {
  name: string;
  pid?: number;
  running: boolean;
  healthy: boolean;
  endpoint: string;
  log: string;
}

export async function status(location: Readonly<NetworkLocation>): Promise<{ plan: NetworkPlan; nodes: NodeStatus[]; complete: boolean }> {
  const plan = existingPlan(location.dir);
  const table = new ProcessTable(location.dir);
  const probe = async (name: string, endpoint: number, healthy: () => Promise<boolean>, log: string): Promise<NodeStatus> => {
    const r = table.get(name);
    const running = r !== undefined && isRunning(r);
    return { name, ...(r ? { pid: r.pid } : {}), running, healthy: running && (await healthy()), endpoint: `127.0.0.1:${endpoint}`, log };
  };
  const nodes = await Promise.all([
    ...plan.orderers.map((o) => probe(o.id, o.port, () => ordererReady(o), join(o.homeDir, 'orderer.log'))),
    ...plan.orgs.flatMap((org) => org.peers.map((p) => probe(p.id, p.port, () => peerReady(p), join(p.homeDir, 'peer.log')))),
    ...plan.chaincodeServers.map((c) => probe(c.id, c.port, () => chaincodeServerReady(c), join(c.homeDir, 'chaincode.log'))),
  ]);
  return { plan, nodes, complete: readState(location.dir)?.complete ?? false };
}

export async function clean(location: Readonly<NetworkLocation>): Promise<void> {
  if (existsSync(location.dir)) {
    await down(location);
    rmSync(location.dir, { recursive: true, force: true });
  }
  (location.log ?? console.log)(`network: removed ${location.dir}`);
}
