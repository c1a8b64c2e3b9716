/**
 * Connection set-up in one place: a gRPC channel to one of the organisation's peers (TLS, server name from the
 * profile), and a fabric-gateway `Gateway` signing as the profile's admin or client identity.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway } from '@hyperledger/fabric-gateway';
import { LedgerError } from '../ledger.js';
import type { ConnectionProfile } from './connection-profile.js';
import { transactionSigning } from './transaction-signer.js';

export function newGrpcClient(peer: ConnectionProfile['peers'][number]): grpc.Client {
  let ca: Buffer;
  try {
    ca = readFileSync(peer.tlsCaCertPath);
  } catch (e) {
    throw new LedgerError('LEDGER_UNAVAILABLE', `cannot read the TLS CA of ${peer.name}: ${(e as Error).message}`, undefined, { cause: e });
  }
  return new grpc.Client(peer.endpoint, grpc.credentials.createSsl(ca), {
    'grpc.ssl_target_name_override': peer.tlsServerName,
    'grpc.default_authority': peer.tlsServerName,
    // Find a restarted peer quickly instead of backing off for up to two minutes.
    'grpc.max_reconnect_backoff_ms': 2000,
  });
}

/** A gateway over `client` acting as the profile's `role` identity. */
export function newGatewayConnection(profile: ConnectionProfile, role: 'admin' | 'client', client: grpc.Client): Gateway {
  const files = profile.identities[role];
  let credentials: Buffer;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    credentials = readFileSync(files.certPath);
    key = createPrivateKey(readFileSync(files.keyPath));
  } catch (e) {
    throw new LedgerError('LEDGER_UNAVAILABLE', `cannot read the ${role} identity of ${profile.mspId}: ${(e as Error).message}`, undefined, { cause: e });
  }
  return connect({ client, identity: { mspId: profile.mspId, credentials }, ...transactionSigning(key) });
}
