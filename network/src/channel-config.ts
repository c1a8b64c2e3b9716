/**
 * Channel configuration updates, the way Fabric's own tooling makes them: fetch the latest config block, decode it
 * with configtxlator, change the JSON, let configtxlator compute the update, wrap it in an envelope, collect the
 * signatures its modification policies need (`peer channel signconfigtx`), submit (`peer channel update`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ordererArgs, peerAsAdmin } from './admin-cli.js';
import type { FabricHome } from './fabric-home.js';
import { runTool } from './fabric-tool.js';
import { CHANNEL, type NetworkPlan, type OrgPlan } from './network-plan.js';

/** The decoded `common.Config` of the channel (configtxlator's JSON). */
export type ChannelConfig = { channel_group: ConfigGroup } & Record<string, unknown>;
export interface ConfigGroup {
  groups?: Record<string, ConfigGroup>;
  values?: Record<string, { mod_policy?: string; value?: unknown; version?: string }>;
  policies?: Record<string, unknown>;
  mod_policy?: string;
  version?: string;
}

function workDir(plan: NetworkPlan): string {
  const base = join(plan.dir, 'channel', 'updates');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'update-'));
}

/** configtxlator cannot write to a pipe (it opens /dev/stdout), so it writes a file that is read back. */
async function decode(home: FabricHome, input: string, type: string, output: string): Promise<unknown> {
  await runTool(home, 'configtxlator', ['proto_decode', '--input', input, '--type', type, '--output', output], { timeoutMs: 30_000 });
  return JSON.parse(readFileSync(output, 'utf8')) as unknown;
}

export async function fetchChannelConfig(home: FabricHome, plan: NetworkPlan, org: OrgPlan): Promise<ChannelConfig> {
  const dir = workDir(plan);
  try {
    const block = join(dir, 'config.block');
    await peerAsAdmin(home, org, org.peers[0]!, ['channel', 'fetch', 'config', block, '-c', CHANNEL, ...ordererArgs(plan)]);
    const decoded = (await decode(home, block, 'common.Block', join(dir, 'config.json'))) as { data: { data: Array<{ payload: { data: { config: ChannelConfig } } }> } };
    return decoded.data.data[0]!.payload.data.config;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Submits the change from `original` to `updated`, signed by the admins of `signers` (the last one submits).
 * Returns false when there is nothing to change.
 */
export async function updateChannelConfig(home: FabricHome, plan: NetworkPlan, original: ChannelConfig, updated: ChannelConfig, signers: readonly OrgPlan[]): Promise<boolean> {
  const dir = workDir(plan);
  const file = (name: string) => join(dir, name);
  const lator = (args: string[]) => runTool(home, 'configtxlator', args, { timeoutMs: 30_000 });
  try {
    writeFileSync(file('original.json'), JSON.stringify(original));
    writeFileSync(file('updated.json'), JSON.stringify(updated));
    await lator(['proto_encode', '--input', file('original.json'), '--type', 'common.Config', '--output', file('original.pb')]);
    await lator(['proto_encode', '--input', file('updated.json'), '--type', 'common.Config', '--output', file('updated.pb')]);
    try {
      await lator(['compute_update', '--channel_id', CHANNEL, '--original', file('original.pb'), '--updated', file('updated.pb'), '--output', file('update.pb')]);
    } catch (e) {
      if (/no differences detected/i.test((e as Error).message)) return false;
      throw e;
    }
    const update = await decode(home, file('update.pb'), 'common.ConfigUpdate', file('update.json'));
    const envelope = { payload: { header: { channel_header: { channel_id: CHANNEL, type: 2 } }, data: { config_update: update } } };
    writeFileSync(file('envelope.json'), JSON.stringify(envelope));
    await lator(['proto_encode', '--input', file('envelope.json'), '--type', 'common.Envelope', '--output', file('envelope.pb')]);
    const submitter = signers[signers.length - 1]!;
    for (const org of signers.slice(0, -1)) await peerAsAdmin(home, org, org.peers[0]!, ['channel', 'signconfigtx', '-f', file('envelope.pb')]);
    await peerAsAdmin(home, submitter, submitter.peers[0]!, ['channel', 'update', '-f', file('envelope.pb'), '-c', CHANNEL, ...ordererArgs(plan)]);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const cloneConfig = (config: ChannelConfig): ChannelConfig => JSON.parse(JSON.stringify(config)) as ChannelConfig;

