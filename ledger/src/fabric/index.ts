/** The Fabric adapter: the ledger interface over a real Fabric network (fabric-gateway 1.11). */
export { newFabricLedger, DEFAULT_DEADLINES } from './fabric-ledger.js';
export type { FabricDeadlines, FabricLedgerOptions } from './fabric-ledger.js';
export { ConnectionProfile, readConnectionProfile } from './connection-profile.js';
export { newGatewayConnection, newGrpcClient } from './gateway-connection.js';
export { toLedgerError } from './fabric-errors.js';
export { blockHeaderHash, blockDataHash } from './block-reader.js';
