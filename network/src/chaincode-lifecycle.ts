/**
 * Chaincode `hutong` as a service, through Fabric's lifecycle: each organisation runs its own chaincode server and
 * installs its own package (whose connection.json points at that server, so the package ids differ), approves the
 * one definition with its own package id, and the definition is committed with every organisation's peer endorsing.
 * Every step first asks whether it is already done.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ordererArgs, peerAsAdmin, tlsCaOf } from './admin-cli.js';
import { chaincodePackage, type ChaincodePackage } from './chaincode-package.js';
import type { FabricHome } from './fabric-home.js';
import { CHAINCODE, CHAINCODE_LABEL, CHAINCODE_VERSION, CHANNEL, type NetworkPlan, type OrgPlan } from './network-plan.js';

export function packagesOf(plan: NetworkPlan): Map<string, ChaincodePackage & { file: string }> {
  const out = new Map<string, ChaincodePackage & { file: string }>();
  for (const server of plan.chaincodeServers) {
    const pkg = chaincodePackage({ label: CHAINCODE_LABEL, address: `127.0.0.1:${server.port}` });
    const file = join(plan.dir, 'chaincode', `${server.org}.tar.gz`);
    mkdirSync(join(plan.dir, 'chaincode'), { recursive: true });
    writeFileSync(file, pkg.bytes);
    out.set(server.org, { ...pkg, file });
  }
  return out;
}

export async function installPackages(home: FabricHome, plan: NetworkPlan, packages: ReadonlyMap<string, { packageId: string; file: string }>): Promise<number> {
  let installed = 0;
  await Promise.all(plan.orgs.flatMap((org) => org.peers.map(async (peer) => {
    const pkg = packages.get(org.name)!;
    const { stdout } = await peerAsAdmin(home, org, peer, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']);
    const list = (JSON.parse(stdout || '{}') as { installed_chaincodes?: Array<{ package_id: string }> }).installed_chaincodes ?? [];
    if (list.some((c) => c.package_id === pkg.packageId)) return;
    await peerAsAdmin(home, org, peer, ['lifecycle', 'chaincode', 'install', pkg.file], 120_000);
    installed++;
  })));
  return installed;
}

/** `--peerAddresses … --tlsRootCertFiles …` for every organisation's first peer: a transaction all of them endorse. */
const endorserArgs = (plan: NetworkPlan): string[] =>
  plan.orgs.flatMap((org) => ['--peerAddresses', `127.0.0.1:${org.peers[0]!.port}`, '--tlsRootCertFiles', tlsCaOf(org.peers[0]!)]);

const definitionArgs = (plan: NetworkPlan): string[] => ['--channelID', CHANNEL, '--name', CHAINCODE, '--version', CHAINCODE_VERSION, '--sequence', String(plan.chaincodeSequence)];

/** The sequence of the committed definition, as one organisation's peer sees it (0: none). */
export async function committedSequence(home: FabricHome, org: OrgPlan): Promise<number> {
  try {
    const { stdout } = await peerAsAdmin(home, org, org.peers[0]!, ['lifecycle', 'chaincode', 'querycommitted', '--channelID', CHANNEL, '--name', CHAINCODE, '--output', 'json']);
    return (JSON.parse(stdout) as { sequence?: number }).sequence ?? 0;
  } catch {
    return 0;
  }
}

async function approved(home: FabricHome, plan: NetworkPlan, org: OrgPlan, packageId: string): Promise<boolean> {
  try {
    const { stdout } = await peerAsAdmin(home, org, org.peers[0]!, ['lifecycle', 'chaincode', 'queryapproved', '--channelID', CHANNEL, '--name', CHAINCODE, '--sequence', String(plan.chaincodeSequence), '--output', 'json']);
    const a = JSON.parse(stdout) as { source?: { Type?: { LocalPackage?: { package_id?: string } } } };
    return a.source?.Type?.LocalPackage?.package_id === packageId;
  } catch {
    return false;
  }
}

/** Approves for every organisation (in parallel) and commits; returns what it did. */
export async function approveAndCommit(home: FabricHome, plan: NetworkPlan, packages: ReadonlyMap<string, { packageId: string }>): Promise<{ approved: number; committed: boolean }> {
  if ((await committedSequence(home, plan.orgs[0]!)) >= plan.chaincodeSequence) return { approved: 0, committed: false };
  let count = 0;
  await Promise.all(plan.orgs.map(async (org, i) => {
    const packageId = packages.get(org.name)!.packageId;
    if (await approved(home, plan, org, packageId)) return;
    await peerAsAdmin(home, org, org.peers[0]!, ['lifecycle', 'chaincode', 'approveformyorg', ...definitionArgs(plan), '--package-id', packageId, ...ordererArgs(plan, i)]);
    count++;
  }));
  const endorsers = endorserArgs(plan);
  const first = plan.orgs[0]!;
  await peerAsAdmin(home, first, first.peers[0]!, ['lifecycle', 'chaincode', 'commit', ...definitionArgs(plan), ...endorsers, ...ordererArgs(plan)]);
  return { approved: count, committed: true };
}

/** `peer chaincode query` of `GetConsortium` through one organisation's peer: proves the peer reaches its server. */
export async function queryConsortium(home: FabricHome, org: OrgPlan, peerIndex = 0): Promise<{ initialised: boolean }> {
  const call = JSON.stringify({ function: 'GetConsortium', Args: ['{}'] });
  try {
    await peerAsAdmin(home, org, org.peers[peerIndex]!, ['chaincode', 'query', '-C', CHANNEL, '-n', CHAINCODE, '-c', call], 30_000);
    return { initialised: true };
  } catch (e) {
    if ((e as Error).message.includes('[NOT_INITIALISED]')) return { initialised: false };
    throw e;
  }
}

/**
 * The first transaction: `InitLedger` with every organisation of the plan as a member (jurisdiction = its name),
 * endorsed by every organisation's peer and waited for until committed. An initialised ledger is left as it is.
 */
export async function initLedger(home: FabricHome, plan: NetworkPlan): Promise<boolean> {
  const first = plan.orgs[0]!;
  if ((await queryConsortium(home, first)).initialised) return false;
  const members = plan.orgs.map((o) => ({ mspId: o.mspId, jurisdiction: o.name }));
  const call = JSON.stringify({ function: 'InitLedger', Args: [JSON.stringify({ members })] });
  const endorsers = endorserArgs(plan);
  await peerAsAdmin(home, first, first.peers[0]!, ['chaincode', 'invoke', '-C', CHANNEL, '-n', CHAINCODE, '-c', call, '--waitForEvent', ...endorsers, ...ordererArgs(plan)], 60_000);
  return true;
}
