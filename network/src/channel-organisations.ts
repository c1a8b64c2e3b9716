/**
 * Adding an application organisation to the live channel, or removing one, by a channel configuration update:
 * configtxgen prints the organisation's group (MSP, policies) from a configtx.yaml of its own, the group is put into
 * (or taken out of) `Application` in the decoded config, configtxlator computes the update, and the admins of a
 * majority of the organisations on the channel before the change sign it (the `Application/Admins` policy is
 * MAJORITY Admins).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { applicationOrg } from './channel-genesis.js';
import { cloneConfig, fetchChannelConfig, updateChannelConfig, type ConfigGroup } from './channel-config.js';
import type { FabricHome } from './fabric-home.js';
import { runTool } from './fabric-tool.js';
import { NetworkError } from './network-error.js';
import type { NetworkPlan, OrgPlan } from './network-plan.js';

/** The organisations on the channel now, as the latest config block lists them (MSP ids). */
export async function channelOrgs(home: FabricHome, plan: NetworkPlan, via: OrgPlan): Promise<string[]> {
  const config = await fetchChannelConfig(home, plan, via);
  return Object.keys(config.channel_group.groups?.['Application']?.groups ?? {}).sort();
}

/** Admins whose signatures make a majority of `members` (more than half), in the plan's order. */
export function majoritySigners(members: readonly OrgPlan[]): OrgPlan[] {
  return members.slice(0, Math.floor(members.length / 2) + 1);
}

async function orgGroup(home: FabricHome, plan: NetworkPlan, org: OrgPlan): Promise<ConfigGroup> {
  const dir = join(plan.dir, 'channel', org.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'configtx.yaml'), stringify({ Organizations: [applicationOrg(org)] }));
  const { stdout } = await runTool(home, 'configtxgen', ['-configPath', dir, '-printOrg', org.mspId]);
  return JSON.parse(stdout) as ConfigGroup;
}

/**
 * Puts `org` into the channel's Application group, signed by a majority of `members` (the organisations already on
 * the channel). Returns false when it is there already.
 */
export async function addOrgToChannel(home: FabricHome, plan: NetworkPlan, org: OrgPlan, members: readonly OrgPlan[]): Promise<boolean> {
  const original = await fetchChannelConfig(home, plan, members[0]!);
  const application = original.channel_group.groups?.['Application'];
  if (!application) throw new NetworkError('TOOL_FAILED', 'the channel config has no Application group');
  if (application.groups?.[org.mspId]) return false;
  const updated = cloneConfig(original);
  updated.channel_group.groups!['Application']!.groups![org.mspId] = await orgGroup(home, plan, org);
  return updateChannelConfig(home, plan, original, updated, majoritySigners(members));
}

/** Takes `org` out of the Application group, signed by a majority of the organisations that stay. */
export async function removeOrgFromChannel(home: FabricHome, plan: NetworkPlan, mspId: string, staying: readonly OrgPlan[]): Promise<boolean> {
  const original = await fetchChannelConfig(home, plan, staying[0]!);
  if (!original.channel_group.groups?.['Application']?.groups?.[mspId]) return false;
  const updated = cloneConfig(original);
  delete updated.channel_group.groups!['Application']!.groups![mspId];
  return updateChannelConfig(home, plan, original, updated, majoritySigners(staying));
}
