/**
 * The Fabric suites' network: a real dev network started on its own ports in a temporary folder (so that it runs
 * beside `npm start`'s), stopped and removed afterwards. Without a Fabric home the suites skip; jest's global set-up
 * prints the one line that says so (jest.global-setup.cjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addOrg, clean, isRunning, NetworkError, ProcessTable, profilePath, removeOrg, searchFabricHome, up, type FabricHome, type NetworkPlan, type OrgChangeResult, type UpOptions } from '@hutong/network';
import { readConnectionProfile, type ConnectionProfile } from '@hutong/ledger/fabric';

export const fabricHome: FabricHome | undefined = searchFabricHome().home;

/** `describe` when a Fabric home exists, `describe.skip` otherwise. */
export const describeFabric = fabricHome ? describe : describe.skip;

const repoRoot = resolve(__dirname, '..', '..');

/**
 * Processes this test process started (network folders, gateway PIDs). If the run ends without the suite's own
 * clean-up (a hook timed out, the run was interrupted), they are killed by PID on exit rather than left running.
 */
const started = { dirs: new Set<string>(), pids: new Set<number>() };
process.once('exit', () => {
  for (const dir of started.dirs) for (const r of new ProcessTable(dir).all()) if (isRunning(r)) process.kill(r.pid, 'SIGKILL');
  for (const pid of started.pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Registers a process to kill on exit if the suite does not stop it itself. */
export function killOnExit(pid: number): void {
  started.pids.add(pid);
}

export interface TestNetwork {
  plan: NetworkPlan;
  profiles: ConnectionProfile[];
  /** Seconds from nothing to ready, as `up` measured them. */
  seconds: number;
  /** `add-org <name>`: the organisation joins the channel; `profiles` and `plan` then include it. */
  addOrg(name: string): Promise<OrgChangeResult>;
  /** `remove-org <name>`: the organisation leaves the channel; `profiles` and `plan` then lack it. */
  removeOrg(name: string): Promise<OrgChangeResult>;
  stop(): Promise<void>;
}

/**
 * Starts a network on the first free slot of loopback ports below the ephemeral range (21000 + 200·k), so that
 * parallel suites and a developer's own network do not collide.
 */
export async function startTestNetwork(options: Partial<Pick<UpOptions, 'topology' | 'bare' | 'batchTimeoutMs'>> = {}): Promise<TestNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'hutong-fabric-'));
  started.dirs.add(dir);
  const quiet = (): void => undefined;
  for (let attempt = 0; attempt < 55; attempt++) {
    const basePort = 21_000 + ((process.pid + attempt * 7) % 55) * 200;
    try {
      const result = await up({ dir, repoRoot, basePort, log: quiet, ...options });
      const plan = result.plan;
      const network: TestNetwork = {
        plan,
        profiles: plan.orgs.map((o) => readConnectionProfile(profilePath(plan, o.name))),
        seconds: result.seconds,
        async addOrg(name) {
          const changed = await addOrg({ dir, repoRoot, org: name, log: quiet });
          network.plan = changed.plan;
          network.profiles = changed.plan.orgs.map((o) => readConnectionProfile(profilePath(changed.plan, o.name)));
          return changed;
        },
        async removeOrg(name) {
          const changed = await removeOrg({ dir, repoRoot, org: name, log: quiet });
          network.plan = changed.plan;
          network.profiles = changed.plan.orgs.map((o) => readConnectionProfile(profilePath(changed.plan, o.name)));
          return changed;
        },
        async stop() {
          await clean({ dir, repoRoot, log: quiet });
          rmSync(dir, { recursive: true, force: true });
          started.dirs.delete(dir);
        },
      };
      return network;
    } catch (e) {
      if (e instanceof NetworkError && e.code === 'PORT_IN_USE') {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      await clean({ dir, repoRoot, log: quiet }).catch(() => undefined);
      throw e;
    }
  }
  throw new Error('no free block of 200 loopback ports between 21000 and 32000');
}

/**
 * An organisation that is not on the channel: its own CA and users from cryptogen, dialling a member's peer.
 * What a stolen-but-foreign certificate or a misconfigured partner looks like to the network.
 */
export function outsiderProfile(network: TestNetwork, via: ConnectionProfile): ConnectionProfile {
  const dir = join(network.plan.dir, 'outsider');
  writeFileSync(join(network.plan.dir, 'outsider.yaml'), 'PeerOrgs:\n  - Name: outsider\n    Domain: outsider.test\n    EnableNodeOUs: true\n    Template: { Count: 1 }\n    Users: { Count: 1 }\n');
  const r = spawnSync(join(fabricHome!.binDir, 'cryptogen'), ['generate', `--config=${join(network.plan.dir, 'outsider.yaml')}`, `--output=${dir}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cryptogen for the outsider failed: ${r.stderr}`);
  const user = (name: string) => {
    const base = join(dir, 'peerOrganizations', 'outsider.test', 'users', `${name}@outsider.test`, 'msp');
    return { certPath: join(base, 'signcerts', `${name}@outsider.test-cert.pem`), keyPath: join(base, 'keystore', 'priv_sk') };
  };
  return { ...via, org: 'outsider', mspId: 'OutsiderMSP', identities: { admin: user('Admin'), client: user('User1') } };
}
