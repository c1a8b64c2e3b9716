/** The network as a library: what the CLI does, for tests and the gateway's `npm start -- --ledger fabric`. */
export { up, down, status, clean, existingPlan, DEFAULT_BASE_PORT } from './network.js';
export type { NetworkLocation, UpOptions, UpResult, NodeStatus } from './network.js';
export { planNetwork, DEFAULT_ORGS, KNOWN_JOINERS, CHANNEL, CHAINCODE } from './network-plan.js';
export type { NetworkPlan, OrgPlan, PeerPlan, OrdererPlan, ChaincodeServerPlan, OrgSpec, TopologyName } from './network-plan.js';
export { searchFabricHome, findFabricHome, describeHome, defaultFabricHomeDir, FABRIC_VERSION } from './fabric-home.js';
export type { FabricHome } from './fabric-home.js';
export { profilePath } from './connection-profile.js';
export { addOrg, removeOrg, readProgress } from './org-change.js';
export type { OrgChangeOptions, OrgChangeProgress, OrgChangeResult } from './org-change.js';
export type { ConnectionProfile } from '@hutong/ledger/fabric';
export { isRunning, stopProcess, ProcessTable } from './processes.js';
export type { ProcessRecord } from './processes.js';
export { NetworkError } from './network-error.js';
export type { NetworkErrorCode } from './network-error.js';
