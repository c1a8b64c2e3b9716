/**
 * One connection profile per organisation: what its gateway needs to reach the channel through its own peers.
 * The format (version 1) is `@hutong/ledger`'s, whose Fabric adapter reads it (docs/network.md); paths are absolute
 * so that the profile works from any directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionProfile } from '@hutong/ledger/fabric';
import { tlsCaOf } from './admin-cli.js';
import { CHAINCODE, CHANNEL, orgUser, type NetworkPlan, type OrgPlan } from './network-plan.js';


export const profilePath = (plan: NetworkPlan, org: string): string => join(plan.dir, 'profiles', `${org}.json`);

export function connectionProfile(org: OrgPlan): ConnectionProfile {
  const admin = orgUser(org, 'Admin');
  const client = orgUser(org, 'User1');
  return {
    version: 1,
    org: org.name,
    mspId: org.mspId,
    channel: CHANNEL,
    chaincode: CHAINCODE,
    // 'localhost' is in every certificate; dialling an IP with TLS needs a host name for SNI (RFC 6066).
    peers: org.peers.map((p) => ({ name: p.id, endpoint: `127.0.0.1:${p.port}`, tlsServerName: 'localhost', tlsCaCertPath: tlsCaOf(p) })),
    identities: {
      admin: { certPath: admin.certPath, keyPath: admin.keyPath },
      client: { certPath: client.certPath, keyPath: client.keyPath },
    },
  };
}

export function writeConnectionProfiles(plan: NetworkPlan): string[] {
  mkdirSync(join(plan.dir, 'profiles'), { recursive: true });
  return plan.orgs.map((org) => {
    const path = profilePath(plan, org.name);
    writeFileSync(path, `${JSON.stringify(connectionProfile(org), null, 2)}\n`);
    return path;
  });
}
