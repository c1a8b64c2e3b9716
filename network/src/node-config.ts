/**
 * Each node's own configuration file, made from the Fabric home's sample (core.yaml / orderer.yaml of the same
 * release: unknown keys are fatal, so nothing is written from scratch). Only what a native loopback network needs is
 * changed: addresses on 127.0.0.1, TLS on, data under the network folder, no Docker, our chaincode-as-a-service
 * builder, operations and admin listeners on their own ports.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { FabricHome } from './fabric-home.js';
import type { NetworkPlan, OrdererPlan, PeerPlan } from './network-plan.js';

type Overrides = Array<[path: string, value: unknown]>;

function writeFromSample(samplePath: string, target: string, overrides: Overrides): void {
  const doc = parseDocument(readFileSync(samplePath, 'utf8'));
  for (const [path, value] of overrides) doc.setIn(path.split('.'), value);
  mkdirSync(join(target, '..'), { recursive: true });
  writeFileSync(target, doc.toString({ lineWidth: 0 }));
}

/** The folder to use as FABRIC_CFG_PATH for a node. */
export const configDirOf = (node: { homeDir: string }): string => join(node.homeDir, 'config');

export function writePeerConfig(home: FabricHome, peer: PeerPlan, builderDir: string): void {
  const address = `127.0.0.1:${peer.port}`;
  const tls = join(peer.cryptoDir, 'tls');
  writeFromSample(join(home.configDir, 'core.yaml'), join(configDirOf(peer), 'core.yaml'), [
    ['peer.id', peer.host],
    ['peer.networkId', 'hutong'],
    ['peer.listenAddress', address],
    ['peer.address', address],
    ['peer.chaincodeListenAddress', `127.0.0.1:${peer.chaincodePort}`],
    ['peer.chaincodeAddress', `127.0.0.1:${peer.chaincodePort}`],
    ['peer.mspConfigPath', join(peer.cryptoDir, 'msp')],
    ['peer.localMspId', peer.mspId],
    ['peer.fileSystemPath', join(peer.homeDir, 'data')],
    ['peer.tls.enabled', true],
    ['peer.tls.cert.file', join(tls, 'server.crt')],
    ['peer.tls.key.file', join(tls, 'server.key')],
    ['peer.tls.rootcert.file', join(tls, 'ca.crt')],
    // Gossip needs the peer's own reachable address: discovery, and so cross-organisation endorsement, depends on it.
    ['peer.gossip.bootstrap', address],
    ['peer.gossip.endpoint', address],
    ['peer.gossip.externalEndpoint', address],
    // Gossip at loopback pace: with Fabric's defaults (alive every 5 s, state info every 4 s, retry every 25 s) a new
    // or restarted peer becomes an endorser for discovery only after up to ~7 s; a dead one is noticed after 25 s.
    ['peer.gossip.reconnectInterval', '2s'],
    ['peer.gossip.aliveTimeInterval', '1s'],
    ['peer.gossip.aliveExpirationTimeout', '5s'],
    ['peer.gossip.publishStateInfoInterval', '1s'],
    ['peer.gossip.requestStateInfoInterval', '1s'],
    ['peer.gossip.pullInterval', '1s'],
    ['ledger.snapshots.rootDir', join(peer.homeDir, 'snapshots')],
    ['vm.endpoint', ''],
    ['chaincode.externalBuilders', [{ name: 'hutong-ccaas', path: builderDir, propagateEnvironment: [] }]],
    ['operations.listenAddress', `127.0.0.1:${peer.operationsPort}`],
    ['operations.tls.enabled', false],
    // Prometheus metrics on the operations port (/metrics): gossip membership, endorsement and ledger figures.
    ['metrics.provider', 'prometheus'],
  ]);
}

export function writeOrdererConfig(home: FabricHome, plan: NetworkPlan, orderer: OrdererPlan, adminClientCaCerts: string[]): void {
  const tls = join(orderer.cryptoDir, 'tls');
  const data = join(orderer.homeDir, 'data');
  writeFromSample(join(home.configDir, 'orderer.yaml'), join(configDirOf(orderer), 'orderer.yaml'), [
    ['General.ListenAddress', '127.0.0.1'],
    ['General.ListenPort', orderer.port],
    ['General.TLS.Enabled', true],
    ['General.TLS.PrivateKey', join(tls, 'server.key')],
    ['General.TLS.Certificate', join(tls, 'server.crt')],
    ['General.TLS.RootCAs', [join(tls, 'ca.crt')]],
    ['General.TLS.ClientAuthRequired', false],
    ['General.LocalMSPDir', join(orderer.cryptoDir, 'msp')],
    ['General.LocalMSPID', orderer.mspId],
    ['FileLedger.Location', join(data, 'ledger')],
    ['Consensus.WALDir', join(data, plan.consensus === 'BFT' ? 'smartbft' : 'etcdraft', 'wal')],
    ['Consensus.SnapDir', join(data, 'etcdraft', 'snapshot')],
    ['Operations.ListenAddress', `127.0.0.1:${orderer.operationsPort}`],
    ['Operations.TLS.Enabled', false],
    ['Admin.ListenAddress', `127.0.0.1:${orderer.adminPort}`],
    ['Admin.TLS.Enabled', true],
    ['Admin.TLS.Certificate', join(tls, 'server.crt')],
    ['Admin.TLS.PrivateKey', join(tls, 'server.key')],
    ['Admin.TLS.ClientAuthRequired', true],
    ['Admin.TLS.ClientRootCAs', adminClientCaCerts],
  ]);
}
