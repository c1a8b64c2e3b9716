/**
 * The channel `gba` and its genesis block (configtxgen, V3_0 capabilities). Application organisations sign with
 * NodeOU roles; the chaincode endorsement and lifecycle policies are MAJORITY Endorsement, so with two members nothing
 * enters the ledger unless both jurisdictions' peers endorsed it. Orderer endpoints live in each orderer organisation
 * (v3 refuses the global OrdererAddresses). Anchor peers are set later by a channel update (see anchor-peers.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FabricHome } from './fabric-home.js';
import { runTool } from './fabric-tool.js';
import { CHANNEL, type NetworkPlan, type OrgPlan } from './network-plan.js';

const sig = (rule: string) => ({ Type: 'Signature', Rule: rule });
const meta = (rule: string) => ({ Type: 'ImplicitMeta', Rule: rule });

export function genesisBlockPath(plan: NetworkPlan): string {
  return join(plan.dir, 'channel', `${CHANNEL}.genesis.block`);
}

/** An application organisation as configtx.yaml defines it: the genesis block's members and every later joiner. */
export function applicationOrg(o: OrgPlan): Record<string, unknown> {
  return {
    Name: o.mspId,
    ID: o.mspId,
    MSPDir: join(o.cryptoDir, 'msp'),
    Policies: {
      Readers: sig(`OR('${o.mspId}.admin', '${o.mspId}.peer', '${o.mspId}.client')`),
      Writers: sig(`OR('${o.mspId}.admin', '${o.mspId}.client')`),
      Admins: sig(`OR('${o.mspId}.admin')`),
      Endorsement: sig(`OR('${o.mspId}.peer')`),
    },
  };
}

export function configtx(plan: NetworkPlan): unknown {
  const applicationOrgs = plan.orgs.map(applicationOrg);
  const ordererOrgs = plan.orgs
    .filter((o) => o.ordererMspId && o.ordererCryptoDir)
    .map((o) => ({
      Name: o.ordererMspId,
      ID: o.ordererMspId,
      MSPDir: join(o.ordererCryptoDir!, 'msp'),
      Policies: {
        Readers: sig(`OR('${o.ordererMspId}.member')`),
        Writers: sig(`OR('${o.ordererMspId}.member')`),
        Admins: sig(`OR('${o.ordererMspId}.admin')`),
      },
      OrdererEndpoints: plan.orderers.filter((x) => x.org === o.name).map((x) => `127.0.0.1:${x.port}`),
    }));
  const tls = (cryptoDir: string) => join(cryptoDir, 'tls', 'server.crt');
  const batchTimeout = `${plan.batchTimeoutMs}ms`;
  const orderer: Record<string, unknown> = {
    OrdererType: plan.consensus,
    BatchTimeout: batchTimeout,
    BatchSize: { MaxMessageCount: 500, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '2 MB' },
    Organizations: ordererOrgs,
    Policies: { Readers: meta('ANY Readers'), Writers: meta('ANY Writers'), Admins: meta('MAJORITY Admins'), BlockValidation: meta('ANY Writers') },
    Capabilities: { V2_0: true },
  };
  if (plan.consensus === 'etcdraft') {
    orderer['EtcdRaft'] = {
      Consenters: plan.orderers.map((x) => ({ Host: '127.0.0.1', Port: x.port, ClientTLSCert: tls(x.cryptoDir), ServerTLSCert: tls(x.cryptoDir) })),
      // A 100 ms tick: a restarted single-node Raft orderer leads again in about a second instead of five.
      Options: { TickInterval: '100ms', ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: '16 MB' },
    };
  } else {
    orderer['ConsenterMapping'] = plan.orderers.map((x) => ({
      ID: x.consenterId,
      Host: '127.0.0.1',
      Port: x.port,
      MSPID: x.mspId,
      Identity: join(x.cryptoDir, 'msp', 'signcerts', `${x.host}-cert.pem`),
      ClientTLSCert: tls(x.cryptoDir),
      ServerTLSCert: tls(x.cryptoDir),
    }));
    // Shortened from the defaults (forward 2 s, complain 20 s) so that a lost leader costs seconds, not half a minute.
    orderer['SmartBFT'] = {
      RequestBatchMaxCount: 100,
      RequestBatchMaxBytes: 10_485_760,
      RequestBatchMaxInterval: batchTimeout,
      IncomingMessageBufferSize: 200,
      RequestPoolSize: 400,
      RequestForwardTimeout: '2s',
      RequestComplainTimeout: '6s',
      RequestAutoRemoveTimeout: '3m',
      ViewChangeResendInterval: '3s',
      ViewChangeTimeout: '10s',
      LeaderHeartbeatTimeout: '20s',
      LeaderHeartbeatCount: 10,
      CollectTimeout: '1s',
    };
  }
  return {
    Profiles: {
      Hutong: {
        Policies: { Readers: meta('ANY Readers'), Writers: meta('ANY Writers'), Admins: meta('MAJORITY Admins') },
        Capabilities: { V3_0: true },
        Orderer: orderer,
        Application: {
          Organizations: applicationOrgs,
          Policies: {
            Readers: meta('ANY Readers'),
            Writers: meta('ANY Writers'),
            Admins: meta('MAJORITY Admins'),
            LifecycleEndorsement: meta('MAJORITY Endorsement'),
            Endorsement: meta('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}

/** Writes configtx.yaml and the genesis block once; the block is the channel's identity, so it is never remade. */
export async function generateGenesisBlock(home: FabricHome, plan: NetworkPlan): Promise<{ path: string; created: boolean }> {
  const path = genesisBlockPath(plan);
  if (existsSync(path) && readFileSync(path).length > 0) return { path, created: false };
  const dir = join(plan.dir, 'channel');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'configtx.yaml'), stringify(configtx(plan)));
  await runTool(home, 'configtxgen', ['-configPath', dir, '-profile', 'Hutong', '-channelID', CHANNEL, '-outputBlock', path]);
  return { path, created: true };
}
