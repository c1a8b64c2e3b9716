/**
 * Nodes joining the channel: orderers through the channel participation API (`osnadmin channel join` with the
 * genesis block; v3 has no system channel), peers with `peer channel join` as their organisation's admin.
 * Both steps skip nodes that have already joined.
 */
import type { FabricHome } from './fabric-home.js';
import { osnadmin, peerAsAdmin } from './admin-cli.js';
import { CHANNEL, type NetworkPlan, type OrdererPlan } from './network-plan.js';
import { waitUntil } from './readiness.js';

async function ordererChannelStatus(home: FabricHome, plan: NetworkPlan, orderer: OrdererPlan): Promise<string | undefined> {
  try {
    const { stdout } = await osnadmin(home, plan, orderer, ['channel', 'list', '--channelID', CHANNEL]);
    // "Status: 200" then a JSON body.
    const json = stdout.slice(stdout.indexOf('{'));
    return (JSON.parse(json) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

export async function joinOrderers(home: FabricHome, plan: NetworkPlan, genesisBlock: string): Promise<number> {
  let joined = 0;
  await Promise.all(plan.orderers.map(async (orderer) => {
    if ((await ordererChannelStatus(home, plan, orderer)) !== undefined) return;
    await osnadmin(home, plan, orderer, ['channel', 'join', '--channelID', CHANNEL, '--config-block', genesisBlock]);
    joined++;
  }));
  await Promise.all(plan.orderers.map((orderer) =>
    waitUntil(`${orderer.id} active on channel ${CHANNEL}`, async () => (await ordererChannelStatus(home, plan, orderer)) === 'active', { timeoutMs: 30_000, intervalMs: 100 })));
  return joined;
}

export async function joinPeers(home: FabricHome, plan: NetworkPlan, genesisBlock: string): Promise<number> {
  let joined = 0;
  await Promise.all(plan.orgs.flatMap((org) => org.peers.map(async (peer) => {
    const { stdout } = await peerAsAdmin(home, org, peer, ['channel', 'list']);
    if (stdout.split('\n').some((line) => line.trim() === CHANNEL)) return;
    await peerAsAdmin(home, org, peer, ['channel', 'join', '-b', genesisBlock]);
    joined++;
  })));
  return joined;
}

async function peerHeight(home: FabricHome, org: NetworkPlan['orgs'][number], peer: NetworkPlan['orgs'][number]['peers'][number]): Promise<number> {
  try {
    const { stdout } = await peerAsAdmin(home, org, peer, ['channel', 'getinfo', '-c', CHANNEL]);
    return (JSON.parse(stdout.slice(stdout.indexOf('{'))) as { height?: number }).height ?? 0;
  } catch {
    return 0;
  }
}

/** Waits until every peer holds as many blocks as the highest; returns that height. */
export async function awaitPeersLevel(home: FabricHome, plan: NetworkPlan, timeoutMs: number): Promise<number> {
  const peers = plan.orgs.flatMap((org) => org.peers.map((peer) => ({ org, peer })));
  let top = 0;
  await waitUntil(`every peer level on channel ${CHANNEL}`, async () => {
    const heights = await Promise.all(peers.map(({ org, peer }) => peerHeight(home, org, peer)));
    top = Math.max(...heights);
    return heights.every((h) => h === top && h > 0);
  }, { timeoutMs, intervalMs: 200 });
  return top;
}
