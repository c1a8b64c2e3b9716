/**
 * Anchor peers let each organisation's peers find the other organisation's (gossip, and so discovery and the
 * gateway's cross-organisation endorsement). They are set after every peer joined, by one channel update signed by
 * every organisation's admin: placed in the genesis block they stall discovery for a gossip reconnect interval,
 * because at join a peer dials the other organisation before it trusts that organisation's TLS CA.
 */
import { cloneConfig, fetchChannelConfig, updateChannelConfig } from './channel-config.js';
import type { FabricHome } from './fabric-home.js';
import type { NetworkPlan } from './network-plan.js';

/** Sets each organisation's first peer as its anchor; returns false when the channel already has them. */
export async function setAnchorPeers(home: FabricHome, plan: NetworkPlan): Promise<boolean> {
  const original = await fetchChannelConfig(home, plan, plan.orgs[0]!);
  const updated = cloneConfig(original);
  const application = updated.channel_group.groups?.['Application']?.groups ?? {};
  for (const org of plan.orgs) {
    const group = application[org.mspId];
    if (!group) continue;
    group.values ??= {};
    const anchors = { anchor_peers: [{ host: '127.0.0.1', port: org.peers[0]!.port }] };
    const current = group.values['AnchorPeers'];
    if (current && JSON.stringify(current.value) === JSON.stringify(anchors)) continue;
    group.values['AnchorPeers'] = { mod_policy: 'Admins', value: anchors, version: current?.version ?? '0' };
  }
  return updateChannelConfig(home, plan, original, updated, plan.orgs);
}
