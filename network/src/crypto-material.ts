/**
 * Keys and certificates for every node and user, by cryptogen: NodeOUs on (admin, client, peer, orderer roles read
 * from the certificate, which the chaincode's access control relies on), TLS everywhere, certificates valid for
 * 127.0.0.1 and localhost as well as the node's own host name.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FabricHome } from './fabric-home.js';
import { runTool } from './fabric-tool.js';
import type { NetworkPlan } from './network-plan.js';

const SANS = ['localhost', '127.0.0.1'];

export function cryptoConfig(plan: NetworkPlan): unknown {
  return {
    OrdererOrgs: plan.orgs
      .filter((o) => o.ordererDomain)
      .map((o) => ({
        Name: `${o.name}-orderer`,
        Domain: o.ordererDomain,
        EnableNodeOUs: true,
        Specs: plan.orderers.filter((x) => x.org === o.name).map((x) => ({ Hostname: x.host.split('.')[0], SANS })),
      })),
    PeerOrgs: plan.orgs.map((o) => ({
      Name: o.name,
      Domain: o.domain,
      EnableNodeOUs: true,
      Template: { Count: o.peers.length, SANS },
      Users: { Count: 1 },
    })),
  };
}

/**
 * Adds the material of organisations the plan has and the crypto folder lacks (`cryptogen extend`): what exists is
 * kept, so the other organisations' certificates do not change. Returns the organisations it created.
 */
export async function extendCrypto(home: FabricHome, plan: NetworkPlan): Promise<string[]> {
  const missing = plan.orgs.filter((o) => !existsSync(join(o.cryptoDir, 'msp'))).map((o) => o.name);
  if (missing.length === 0) return [];
  const config = join(plan.dir, 'crypto-config.yaml');
  writeFileSync(config, stringify(cryptoConfig(plan)));
  await runTool(home, 'cryptogen', ['extend', `--config=${config}`, `--input=${join(plan.dir, 'crypto')}`]);
  return missing;
}

/** Generates the material once; an existing crypto folder is kept (certificates are the network's identity). */
export async function generateCrypto(home: FabricHome, plan: NetworkPlan): Promise<boolean> {
  const out = join(plan.dir, 'crypto');
  if (existsSync(join(out, 'peerOrganizations'))) return false;
  mkdirSync(plan.dir, { recursive: true });
  const config = join(plan.dir, 'crypto-config.yaml');
  writeFileSync(config, stringify(cryptoConfig(plan)));
  await runTool(home, 'cryptogen', ['generate', `--config=${config}`, `--output=${out}`]);
  return true;
}
