/**
 * `add-org` and `remove-org`: an organisation joins or leaves the live channel. Every step first asks whether it is
 * done already, and each finished step is recorded in `orgs/<name>.json` in the network's folder, so a run that was
 * interrupted resumes where it stopped and a repeated run changes nothing. The consortium membership inside the
 * chaincode is not touched here: that is the members' governance (ProposeMembershipChange / ApproveMembershipChange).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setAnchorPeers } from './anchor-peers.js';
import { approveAndCommit, committedSequence, installPackages, packagesOf } from './chaincode-lifecycle.js';
import { genesisBlockPath } from './channel-genesis.js';
import { awaitPeersLevel, joinPeers } from './channel-membership.js';
import { addOrgToChannel, removeOrgFromChannel } from './channel-organisations.js';
import { profilePath, writeConnectionProfiles } from './connection-profile.js';
import { extendCrypto } from './crypto-material.js';
import { awaitEndorsers } from './endorsement-readiness.js';
import { describeHome, findFabricHome } from './fabric-home.js';
import { NetworkError } from './network-error.js';
import { existingPlan, planOf, readState, repoPaths, startChaincodeServers, startPeers, timer, writeState, type NetworkLocation } from './network.js';
import { KNOWN_JOINERS, planPorts, type NetworkPlan, type OrgSpec } from './network-plan.js';
import { ProcessTable, stopProcess } from './processes.js';
import { portFree } from './readiness.js';

export interface OrgChangeOptions extends NetworkLocation {
  /** The organisation's short name (`hongkong`). */
  org: string;
  /** Its MSP id; known joiners (KNOWN_JOINERS) need none. */
  mspId?: string;
}

/** What `orgs/<name>.json` records: the change under way or last made, and each step's completion time. */
export interface OrgChangeProgress {
  action: 'add' | 'remove';
  org: string;
  mspId: string;
  /** The chaincode definition sequence this change commits. */
  sequence: number;
  steps: Record<string, string>;
  startedAt: string;
  completedAt?: string;
  seconds?: number;
}

export interface OrgChangeResult {
  plan: NetworkPlan;
  progress: OrgChangeProgress;
  /** Steps this run completed for the first time (not those found done, nor the checks every run repeats). */
  performed: string[];
  seconds: number;
}

const progressFile = (dir: string, org: string) => join(dir, 'orgs', `${org}.json`);

export function readProgress(dir: string, org: string): OrgChangeProgress | undefined {
  const file = progressFile(dir, org);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as OrgChangeProgress) : undefined;
}

/** Written beside and renamed into place: a run killed while writing leaves the previous record, never half of one. */
function saveProgress(dir: string, progress: OrgChangeProgress): void {
  mkdirSync(join(dir, 'orgs'), { recursive: true });
  const file = progressFile(dir, progress.org);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function specOf(options: Readonly<OrgChangeOptions>): OrgSpec {
  const mspId = options.mspId ?? KNOWN_JOINERS.find((o) => o.name === options.org)?.mspId;
  if (!mspId) throw new NetworkError('INVALID_ARGUMENT', `no MSP id known for '${options.org}': pass --msp (known: ${KNOWN_JOINERS.map((o) => o.name).join(', ')})`);
  return { name: options.org, mspId };
}

/** Runs the steps not yet recorded, recording each when done; returns those that were not checks run every time. */
async function runSteps(
  dir: string, progress: OrgChangeProgress, log: (line: string) => void,
  steps: ReadonlyArray<readonly [string, () => Promise<string>, { always?: boolean }?]>,
): Promise<string[]> {
  const step = timer(log);
  const performed: string[] = [];
  for (const [name, run, opts] of steps) {
    if (progress.steps[name] !== undefined && !opts?.always) {
      log(`  ${name.padEnd(28)} done at ${progress.steps[name]}`);
      continue;
    }
    await step(name, run, (what) => what);
    const first = progress.steps[name] === undefined;
    progress.steps[name] = new Date().toISOString();
    saveProgress(dir, progress);
    if (first) performed.push(name);
  }
  return performed;
}

export async function addOrg(options: Readonly<OrgChangeOptions>): Promise<OrgChangeResult> {
  const log = options.log ?? console.log;
  const t0 = Date.now();
  const home = findFabricHome(options.fabricHome ? { dir: options.fabricHome } : {});
  const spec = specOf(options);
  const state = readState(options.dir);
  if (!state?.complete) throw new NetworkError('NETWORK_NOT_CREATED', `no complete network in ${options.dir} (npm run network -- up)`);
  const before = existingPlan(options.dir);
  const clash = state.orgs.find((o) => (o.name === spec.name) !== (o.mspId === spec.mspId));
  if (clash) throw new NetworkError('INVALID_ARGUMENT', `'${spec.name}' / ${spec.mspId} clashes with ${clash.name} / ${clash.mspId}`);
  const paths = repoPaths(options.repoRoot);
  log(`network: ${describeHome(home)}`);

  let progress = readProgress(options.dir, spec.name);
  if (progress?.action === 'remove') {
    // A peer rejoining replays the channel from its genesis block and stops at its organisation's removal; and the
    // chaincode keeps a removed member removed (MEMBER_EXISTS). A returning jurisdiction joins under a new MSP id.
    throw new NetworkError('INVALID_ARGUMENT', `'${spec.name}' left this channel at ${progress.startedAt}; an organisation does not rejoin under the same name`);
  }
  if (!progress) {
    progress = { action: 'add', org: spec.name, mspId: spec.mspId, sequence: (await committedSequence(home, before.orgs[0]!)) + 1, steps: {}, startedAt: new Date().toISOString() };
    saveProgress(options.dir, progress);
  }
  const members = before.orgs.filter((o) => o.name !== spec.name);
  if (!state.orgs.some((o) => o.name === spec.name)) {
    // The plan with the new organisation gives its ports and folders; its ports must be free before anything starts.
    const next = { ...state, orgs: [...state.orgs, spec], chaincodeSequence: progress.sequence };
    const trial = planOf(options.dir, next);
    const mine = new Set([...trial.orgs.find((o) => o.name === spec.name)!.peers.map((p) => p.id), `chaincode.${spec.name}`]);
    for (const { port, owner } of planPorts(trial)) {
      if (mine.has(owner) && !(await portFree(port))) throw new NetworkError('PORT_IN_USE', `port ${port} (for ${owner}) is in use on 127.0.0.1`);
    }
    writeState(options.dir, next);
  } else if (state.chaincodeSequence !== progress.sequence) {
    writeState(options.dir, { ...state, chaincodeSequence: progress.sequence });
  }
  const plan = existingPlan(options.dir);
  const org = plan.orgs.find((o) => o.name === spec.name)!;
  const table = new ProcessTable(plan.dir);
  const packages = packagesOf(plan);
  log(`network: ${spec.name} (${spec.mspId}) joins channel ${'gba'} in ${plan.dir}; chaincode sequence ${progress.sequence}`);
  const performed = await runSteps(options.dir, progress, log, [
    ['crypto material', async () => ((await extendCrypto(home, plan)).length > 0 ? 'cryptogen extend' : 'already there')],
    ['channel config: org added', async () => ((await addOrgToChannel(home, plan, org, members)) ? `signed by ${Math.floor(members.length / 2) + 1} of ${members.length} admins` : 'already a channel member')],
    ['peer started', async () => `${await startPeers(home, { ...plan, orgs: [org] }, table, paths.builderDir)} healthy`, { always: true }],
    ['peer joined', async () => {
      const joined = await joinPeers(home, { ...plan, orgs: [org] }, genesisBlockPath(plan));
      // Its own admin is known to its peer only once the peer has the block that added the organisation.
      const height = await awaitPeersLevel(home, plan, 60_000);
      return `${joined} joined, level at height ${height}`;
    }, { always: true }],
    ['anchor peer set', async () => ((await setAnchorPeers(home, plan)) ? 'channel update' : 'already set')],
    ['chaincode installed', async () => `${await installPackages(home, { ...plan, orgs: [org] }, packages)} installs`],
    ['chaincode server started', async () => `${await startChaincodeServers({ ...plan, chaincodeServers: plan.chaincodeServers.filter((c) => c.org === org.name) }, table, paths, packages)} listening`, { always: true }],
    ['chaincode definition', async () => {
      const r = await approveAndCommit(home, plan, packages);
      return r.committed ? `sequence ${plan.chaincodeSequence}: ${r.approved} approvals, committed` : `sequence ${plan.chaincodeSequence} committed already`;
    }],
    ['endorsers discoverable', async () => { await awaitEndorsers(plan, 60_000); return `${plan.orgs.length} orgs`; }, { always: true }],
    ['connection profile', async () => { writeConnectionProfiles(plan); return profilePath(plan, org.name); }],
  ]);
  const seconds = (Date.now() - t0) / 1000;
  if (progress.completedAt === undefined) Object.assign(progress, { completedAt: new Date().toISOString(), seconds });
  saveProgress(options.dir, progress);
  log(`network: ${spec.name} on the channel (${seconds.toFixed(2)} s${performed.length === 0 ? ', nothing left to do' : ''}); its members admit it by governance`);
  return { plan, progress, performed, seconds };
}

export async function removeOrg(options: Readonly<OrgChangeOptions>): Promise<OrgChangeResult> {
  const log = options.log ?? console.log;
  const t0 = Date.now();
  const home = findFabricHome(options.fabricHome ? { dir: options.fabricHome } : {});
  const state = readState(options.dir);
  if (!state?.complete) throw new NetworkError('NETWORK_NOT_CREATED', `no complete network in ${options.dir} (npm run network -- up)`);
  let progress = readProgress(options.dir, options.org);
  const listed = state.orgs.findIndex((o) => o.name === options.org);
  if (listed < 0 && progress?.action === 'remove' && progress.completedAt !== undefined) {
    log(`network: ${options.org} left the channel at ${progress.completedAt}; nothing to do`);
    return { plan: existingPlan(options.dir), progress, performed: [], seconds: (Date.now() - t0) / 1000 };
  }
  if (listed >= 0 && listed !== state.orgs.length - 1) {
    // Ports follow the organisations' order: only the last one can leave without moving the others'.
    throw new NetworkError('INVALID_ARGUMENT', `only the last organisation to join (${state.orgs.at(-1)!.name}) can be removed`);
  }
  if (listed < 0 && progress?.action !== 'remove') throw new NetworkError('INVALID_ARGUMENT', `'${options.org}' is not an organisation of this network`);
  if (listed >= 0 && state.orgs.length <= 2) throw new NetworkError('INVALID_ARGUMENT', 'a channel shared by jurisdictions keeps at least two organisations');
  const withOrg = existingPlan(options.dir);
  const leaving = withOrg.orgs.find((o) => o.name === options.org);
  if (!progress || progress.action !== 'remove' || progress.completedAt !== undefined) {
    if (!leaving) throw new NetworkError('INVALID_ARGUMENT', `'${options.org}' is not an organisation of this network`);
    progress = { action: 'remove', org: options.org, mspId: leaving.mspId, sequence: (await committedSequence(home, withOrg.orgs[0]!)) + 1, steps: {}, startedAt: new Date().toISOString() };
    saveProgress(options.dir, progress);
  }
  const p = progress;
  const staying = withOrg.orgs.filter((o) => o.name !== p.org);
  log(`network: ${p.org} (${p.mspId}) leaves channel gba in ${options.dir}; chaincode sequence ${p.sequence}`);
  const table = new ProcessTable(options.dir);
  const performed = await runSteps(options.dir, p, log, [
    ['channel config: org removed', async () => ((await removeOrgFromChannel(home, withOrg, p.mspId, staying)) ? `signed by ${Math.floor(staying.length / 2) + 1} admins` : 'not on the channel')],
    ['network.json', async () => {
      const s = readState(options.dir)!;
      writeState(options.dir, { ...s, orgs: s.orgs.filter((o) => o.name !== p.org), chaincodeSequence: p.sequence });
      return `${s.orgs.length - 1} orgs`;
    }],
    ['chaincode definition', async () => {
      const plan = existingPlan(options.dir);
      const r = await approveAndCommit(home, plan, packagesOf(plan));
      return r.committed ? `sequence ${plan.chaincodeSequence}: ${r.approved} approvals, committed` : `sequence ${plan.chaincodeSequence} committed already`;
    }],
    ['processes stopped', async () => {
      const mine = table.all().filter((r) => r.name === `chaincode.${p.org}` || r.name.endsWith(`.${p.org}`));
      const outcomes = await Promise.all(mine.map(async (r) => { const o = await stopProcess(r); table.delete(r.name); return `${r.name} (pid ${r.pid}) ${o}`; }));
      return outcomes.join(', ') || 'none recorded';
    }],
    ['files removed', async () => {
      const plan = existingPlan(options.dir);
      for (const f of [join(plan.dir, 'profiles', `${p.org}.json`), join(plan.dir, 'chaincode', `${p.org}.tar.gz`), join(plan.dir, 'channel', p.org)]) rmSync(f, { recursive: true, force: true });
      for (const n of [`peer0.${p.org}`, `peer1.${p.org}`, `chaincode.${p.org}`]) rmSync(join(plan.dir, 'nodes', n), { recursive: true, force: true });
      // Its crypto material stays: the channel's history names its CA, and a peer rejoining later must be able to
      // validate that history with the same identity.
      return 'profile, node folders (crypto kept)';
    }],
    ['endorsers discoverable', async () => { await awaitEndorsers(existingPlan(options.dir), 60_000); return `${staying.length} orgs`; }, { always: true }],
  ]);
  const seconds = (Date.now() - t0) / 1000;
  if (p.completedAt === undefined) Object.assign(p, { completedAt: new Date().toISOString(), seconds });
  saveProgress(options.dir, p);
  log(`network: ${p.org} off the channel (${seconds.toFixed(2)} s)`);
  return { plan: existingPlan(options.dir), progress: p, performed, seconds };
}
