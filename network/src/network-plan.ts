/**
 * The plan of a network: which organisations, peers, orderers and chaincode servers exist, on which loopback ports,
 * and where each keeps its files. Pure data computed from the topology, the organisations and a port base, so that
 * every command (up, down, status, the tests) agrees on it. Two networks run side by side with different bases.
 *
 * Ports from the base B: orderer k at B+50+5k (listen, admin +1, operations +2); organisation i's peer j at
 * B+100+20i+5j (listen, chaincode +1, operations +2); organisation i's chaincode server at B+115+20i.
 */
import { join } from 'node:path';
import { NetworkError } from './network-error.js';

export type TopologyName = 'dev' | 'consortium';
export const TOPOLOGIES: readonly TopologyName[] = ['dev', 'consortium'];

export interface OrgSpec {
  /** Short lower-case name used in paths and profiles: `guangdong`. */
  name: string;
  mspId: string;
}

/** The demo consortium; a third organisation is one more entry (`--orgs`). */
export const DEFAULT_ORGS: readonly OrgSpec[] = [
  { name: 'guangdong', mspId: 'GuangdongMSP' },
  { name: 'macau', mspId: 'MacauMSP' },
];

/** Jurisdictions that may join later (`add-org <name>`), with their MSP ids. */
export const KNOWN_JOINERS: readonly OrgSpec[] = [{ name: 'hongkong', mspId: 'HongKongMSP' }];

export const CHANNEL = 'gba';
export const CHAINCODE = 'hutong';
/** Chaincode definition version and first sequence; each change of the channel's organisations commits the next sequence. */
export const CHAINCODE_VERSION = '1.0';
export const CHAINCODE_SEQUENCE = 1;
export const CHAINCODE_LABEL = 'hutong_1.0';

export interface PeerPlan {
  /** `peer0.guangdong` */
  id: string;
  org: string;
  mspId: string;
  /** Host name in the certificates: `peer0.guangdong.hutong.test`. */
  host: string;
  port: number;
  chaincodePort: number;
  operationsPort: number;
  /** cryptogen's folder for this node (msp/, tls/). */
  cryptoDir: string;
  /** Configuration, data and log of this node. */
  homeDir: string;
}

export interface OrdererPlan {
  id: string;
  /** The organisation operating it; its MSP is that organisation's orderer MSP. */
  org: string;
  mspId: string;
  host: string;
  /** SmartBFT consenter id (1-based). */
  consenterId: number;
  port: number;
  adminPort: number;
  operationsPort: number;
  cryptoDir: string;
  homeDir: string;
}

export interface ChaincodeServerPlan {
  id: string;
  org: string;
  port: number;
  homeDir: string;
}

export interface OrgPlan extends OrgSpec {
  /** `guangdong.hutong.test` */
  domain: string;
  /** cryptogen's folder for the organisation. */
  cryptoDir: string;
  peers: PeerPlan[];
  /** The organisation's orderer MSP (`GuangdongOrdererMSP`) when it runs orderers. */
  ordererMspId?: string;
  ordererDomain?: string;
  ordererCryptoDir?: string;
}

export interface NetworkPlan {
  topology: TopologyName;
  dir: string;
  basePort: number;
  consensus: 'etcdraft' | 'BFT';
  batchTimeoutMs: number;
  orgs: OrgPlan[];
  orderers: OrdererPlan[];
  chaincodeServers: ChaincodeServerPlan[];
  /** The chaincode definition's sequence the network runs (or is moving to). */
  chaincodeSequence: number;
}

export interface PlanOptions {
  topology: TopologyName;
  dir: string;
  basePort: number;
  orgs?: readonly OrgSpec[];
  batchTimeoutMs?: number;
  chaincodeSequence?: number;
}

const SHAPES: Record<TopologyName, { orderersPerOrg: number[]; peersPerOrg: number; consensus: NetworkPlan['consensus'] }> = {
  // 1 Raft orderer (run by the first organisation), 1 peer per organisation.
  dev: { orderersPerOrg: [1], peersPerOrg: 1, consensus: 'etcdraft' },
  // 4 SmartBFT orderers (one fault tolerated), 2 per organisation of the first two; 2 peers per organisation.
  consortium: { orderersPerOrg: [2, 2], peersPerOrg: 2, consensus: 'BFT' },
};

const NAME = /^[a-z][a-z0-9]{1,30}$/;
const MSP = /^[A-Za-z][A-Za-z0-9]{1,62}$/;
const titleCase = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function planNetwork(options: Readonly<PlanOptions>): NetworkPlan {
  const orgSpecs = options.orgs ?? DEFAULT_ORGS;
  const shape = SHAPES[options.topology];
  if (!shape) throw new NetworkError('INVALID_ARGUMENT', `unknown topology '${String(options.topology)}' (dev | consortium)`);
  if (orgSpecs.length < 2) throw new NetworkError('INVALID_ARGUMENT', 'a channel shared by jurisdictions needs at least two organisations');
  if (orgSpecs.length > 8) throw new NetworkError('INVALID_ARGUMENT', 'at most 8 organisations fit the port layout');
  for (const o of orgSpecs) {
    if (!NAME.test(o.name) || !MSP.test(o.mspId)) throw new NetworkError('INVALID_ARGUMENT', `organisation '${o.name}' / '${o.mspId}': names are lower-case letters and digits, MSP ids letters and digits`);
  }
  if (new Set(orgSpecs.map((o) => o.name)).size !== orgSpecs.length || new Set(orgSpecs.map((o) => o.mspId)).size !== orgSpecs.length) {
    throw new NetworkError('INVALID_ARGUMENT', 'organisation names and MSP ids must be unique');
  }
  const B = options.basePort;
  if (!Number.isInteger(B) || B < 1024 || B + 100 + 20 * orgSpecs.length > 65_535) {
    throw new NetworkError('INVALID_ARGUMENT', `port base ${B} leaves no room for the network (1024 ≤ base ≤ ${65_535 - 100 - 20 * orgSpecs.length})`);
  }
  const dir = options.dir;
  const crypto = join(dir, 'crypto');
  const orgs: OrgPlan[] = [];
  const orderers: OrdererPlan[] = [];
  const chaincodeServers: ChaincodeServerPlan[] = [];
  orgSpecs.forEach((spec, i) => {
    const domain = `${spec.name}.hutong.test`;
    const cryptoDir = join(crypto, 'peerOrganizations', domain);
    const peers: PeerPlan[] = [];
    for (let j = 0; j < shape.peersPerOrg; j++) {
      const p = B + 100 + 20 * i + 5 * j;
      const host = `peer${j}.${domain}`;
      peers.push({
        id: `peer${j}.${spec.name}`, org: spec.name, mspId: spec.mspId, host,
        port: p, chaincodePort: p + 1, operationsPort: p + 2,
        cryptoDir: join(cryptoDir, 'peers', host), homeDir: join(dir, 'nodes', `peer${j}.${spec.name}`),
      });
    }
    const org: OrgPlan = { ...spec, domain, cryptoDir, peers };
    const ordererCount = shape.orderersPerOrg[i] ?? 0;
    if (ordererCount > 0) {
      org.ordererMspId = `${titleCase(spec.name)}OrdererMSP`;
      org.ordererDomain = `orderer.${domain}`;
      org.ordererCryptoDir = join(crypto, 'ordererOrganizations', org.ordererDomain);
      for (let k = 0; k < ordererCount; k++) {
        const index = orderers.length;
        const p = B + 50 + 5 * index;
        const host = `osn${k}.${org.ordererDomain}`;
        orderers.push({
          id: `orderer${k}.${spec.name}`, org: spec.name, mspId: org.ordererMspId, host, consenterId: index + 1,
          port: p, adminPort: p + 1, operationsPort: p + 2,
          cryptoDir: join(org.ordererCryptoDir, 'orderers', host), homeDir: join(dir, 'nodes', `orderer${k}.${spec.name}`),
        });
      }
    }
    chaincodeServers.push({ id: `chaincode.${spec.name}`, org: spec.name, port: B + 115 + 20 * i, homeDir: join(dir, 'nodes', `chaincode.${spec.name}`) });
    orgs.push(org);
  });
  return {
    topology: options.topology,
    dir,
    basePort: B,
    consensus: shape.consensus,
    batchTimeoutMs: options.batchTimeoutMs ?? 200,
    orgs,
    orderers,
    chaincodeServers,
    chaincodeSequence: options.chaincodeSequence ?? CHAINCODE_SEQUENCE,
  };
}

/** Every TCP port the network listens on. */
export function planPorts(plan: NetworkPlan): Array<{ port: number; owner: string }> {
  return [
    ...plan.orderers.flatMap((o) => [o.port, o.adminPort, o.operationsPort].map((port) => ({ port, owner: o.id }))),
    ...plan.orgs.flatMap((org) => org.peers.flatMap((p) => [p.port, p.chaincodePort, p.operationsPort].map((port) => ({ port, owner: p.id })))),
    ...plan.chaincodeServers.map((c) => ({ port: c.port, owner: c.id })),
  ];
}

/** Identities of an organisation as cryptogen lays them out. */
export function orgUser(org: OrgPlan, user: 'Admin' | 'User1'): { mspDir: string; tlsDir: string; certPath: string; keyPath: string } {
  const base = join(org.cryptoDir, 'users', `${user}@${org.domain}`);
  return {
    mspDir: join(base, 'msp'),
    tlsDir: join(base, 'tls'),
    certPath: join(base, 'msp', 'signcerts', `${user}@${org.domain}-cert.pem`),
    keyPath: join(base, 'msp', 'keystore', 'priv_sk'),
  };
}

/** The orderer organisation's admin (osnadmin's mutual-TLS client). */
export function ordererAdmin(org: OrgPlan): { mspDir: string; tlsDir: string } {
  if (!org.ordererCryptoDir || !org.ordererDomain) throw new NetworkError('INVALID_ARGUMENT', `${org.name} runs no orderer`);
  const base = join(org.ordererCryptoDir, 'users', `Admin@${org.ordererDomain}`);
  return { mspDir: join(base, 'msp'), tlsDir: join(base, 'tls') };
}

export function orgOf(plan: NetworkPlan, name: string): OrgPlan {
  const org = plan.orgs.find((o) => o.name === name);
  if (!org) throw new NetworkError('INVALID_ARGUMENT', `no organisation '${name}' in this network`);
  return org;
}
