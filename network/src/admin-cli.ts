/**
 * The administrative identities the network acts as, in the form Fabric's CLIs take them: an organisation's admin
 * talking to one of its peers (`peer …`), and an orderer organisation's admin talking to an orderer's admin endpoint
 * (`osnadmin …`, mutual TLS).
 */
import { join } from 'node:path';
import type { FabricHome } from './fabric-home.js';
import { runTool, type ToolResult } from './fabric-tool.js';
import { ordererAdmin, orgUser, type NetworkPlan, type OrdererPlan, type OrgPlan, type PeerPlan } from './network-plan.js';

export const tlsCaOf = (node: { cryptoDir: string }): string => join(node.cryptoDir, 'tls', 'ca.crt');

export function peerAdminEnv(org: OrgPlan, peer: PeerPlan): Record<string, string> {
  return {
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: orgUser(org, 'Admin').mspDir,
    CORE_PEER_ADDRESS: `127.0.0.1:${peer.port}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: tlsCaOf(peer),
  };
}

/** `-o … --tls --cafile …` for commands that talk to the ordering service (any orderer will do). */
export function ordererArgs(plan: NetworkPlan, index = 0): string[] {
  const orderer = plan.orderers[index % plan.orderers.length]!;
  return ['-o', `127.0.0.1:${orderer.port}`, '--tls', '--cafile', tlsCaOf(orderer)];
}

export function peerAsAdmin(home: FabricHome, org: OrgPlan, peer: PeerPlan, args: readonly string[], timeoutMs?: number): Promise<ToolResult> {
  return runTool(home, 'peer', args, { env: peerAdminEnv(org, peer), ...(timeoutMs ? { timeoutMs } : {}) });
}

export function osnadmin(home: FabricHome, plan: NetworkPlan, orderer: OrdererPlan, args: readonly string[]): Promise<ToolResult> {
  const org = plan.orgs.find((o) => o.name === orderer.org)!;
  const admin = ordererAdmin(org);
  return runTool(home, 'osnadmin', [
    ...args,
    '-o', `127.0.0.1:${orderer.adminPort}`,
    '--ca-file', tlsCaOf(orderer),
    '--client-cert', join(admin.tlsDir, 'client.crt'),
    '--client-key', join(admin.tlsDir, 'client.key'),
  ]);
}

/** The orderer organisation's TLS CA: the only client CA an orderer's admin endpoint trusts. */
export function ordererTlsCa(org: OrgPlan): string {
  return join(org.ordererCryptoDir!, 'tlsca', `tlsca.${org.ordererDomain!}-cert.pem`);
}
