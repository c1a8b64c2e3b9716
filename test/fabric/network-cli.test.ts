/**
 * `npm run network` as a user runs it (the built CLI in a child process): up reaches a committed first transaction,
 * up again reuses the running network, status tells healthy from down with its exit code, down leaves no process,
 * a different topology in the same folder is refused, add-org killed mid-way resumes where it stopped and is a no-op
 * when repeated, remove-org undoes it, clean removes everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isRunning, ProcessTable } from '@hutong/network';
import { describeFabric } from './test-network';

const cli = resolve(__dirname, '..', '..', 'network', 'dist', 'cli.js');

describeFabric('npm run network (built CLI)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'hutong-cli-')), 'net');
  // A block of ports of its own, apart from the other Fabric suites' (21000 + 200·k).
  const base = String(21_000 + ((process.pid * 3 + 11) % 55) * 200);
  const network = (...args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args, '--dir', dir], { encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  let recorded: ReturnType<ProcessTable['all']> = [];

  afterAll(() => {
    network('clean');
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }, 60_000);

  it('up: from nothing to a committed first transaction, every step timed', () => {
    const r = network('up', '--base-port', base);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/first transaction\s+InitLedger committed/);
    expect(r.out).toMatch(/network: up in \d+\.\d\d s/);
    recorded = new ProcessTable(dir).all();
    expect(recorded.map((p) => p.name).sort()).toEqual(['chaincode.guangdong', 'chaincode.macau', 'orderer0.guangdong', 'peer0.guangdong', 'peer0.macau']);
  }, 120_000);

  it('up twice is harmless: the running network is reused, no process replaced', () => {
    const r = network('up');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/already running/);
    expect(new ProcessTable(dir).all().map((p) => p.pid).sort()).toEqual(recorded.map((p) => p.pid).sort());
  }, 60_000);

  it('status: exit 0 when all are healthy; a killed process shows as down with exit 1; up restarts only it', () => {
    const healthy = network('status');
    expect(healthy.code).toBe(0);
    expect(healthy.out.match(/ healthy$/gm)).toHaveLength(5);
    const victim = recorded.find((p) => p.name === 'chaincode.macau')!;
    process.kill(victim.pid, 'SIGKILL');
    const r = network('status');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`chaincode\\.macau\\s+127\\.0\\.0\\.1:\\d+\\s+pid ${victim.pid}\\s+down`));
    const again = network('up');
    expect(again.out).toMatch(/restarted 1 processes/);
    expect(network('status').code).toBe(0);
  }, 60_000);

  it('a different topology in the same folder is refused with a code', () => {
    const r = network('up', '--topology', 'consortium');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/\[TOPOLOGY_MISMATCH\]/);
  });

  it('add-org killed with SIGKILL after its peer started resumes where it stopped; again changes nothing; remove-org undoes it', async () => {
    const child = spawn(process.execPath, [cli, 'add-org', 'hongkong', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolveKill, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (/peer started/.test(out) && child.exitCode === null) {
          process.kill(child.pid!, 'SIGKILL');
          resolveKill();
        }
      });
      child.once('exit', () => (/peer started/.test(out) ? resolveKill() : reject(new Error(`add-org ended before its peer started:\n${out}`))));
    });
    const interrupted = JSON.parse(readFileSync(join(dir, 'orgs', 'hongkong.json'), 'utf8')) as { steps: Record<string, string>; completedAt?: string };
    expect(interrupted.completedAt).toBeUndefined();
    expect(Object.keys(interrupted.steps).slice(0, 2)).toEqual(['crypto material', 'channel config: org added']);

    const resumed = network('add-org', 'hongkong');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/crypto material\s+done at/);
    expect(resumed.out).toMatch(/channel config: org added\s+done at/);
    expect(resumed.out).toMatch(/chaincode definition\s+sequence 2: \d approvals, committed/);
    expect(network('status')).toMatchObject({ code: 0, out: expect.stringMatching(/peer0\.hongkong\s+127\.0\.0\.1:\d+\s+pid \d+\s+healthy/) });
    const pids = new ProcessTable(dir).all().map((p) => p.pid).sort();
    const again = network('add-org', 'hongkong');
    expect(again).toMatchObject({ code: 0, out: expect.stringMatching(/nothing left to do/) });
    expect(new ProcessTable(dir).all().map((p) => p.pid).sort()).toEqual(pids);

    const removed = network('remove-org', 'hongkong');
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/chaincode definition\s+sequence 3: 2 approvals, committed/);
    expect(new ProcessTable(dir).all().map((p) => p.name).sort()).toEqual(['chaincode.guangdong', 'chaincode.macau', 'orderer0.guangdong', 'peer0.guangdong', 'peer0.macau']);
    expect(network('remove-org', 'hongkong')).toMatchObject({ code: 0, out: expect.stringMatching(/nothing to do/) });
    expect(network('add-org', 'hongkong')).toMatchObject({ code: 2, out: expect.stringMatching(/\[INVALID_ARGUMENT\].*does not rejoin/) });
    expect(network('status').code).toBe(0);
  }, 180_000);

  it('down stops exactly the recorded processes; status then shows every one down; clean removes the folder', () => {
    const pids = new ProcessTable(dir).all();
    expect(network('down').code).toBe(0);
    for (const p of pids) expect(isRunning(p)).toBe(false);
    const r = network('status');
    expect(r.code).toBe(1);
    expect(r.out.match(/ down$/gm)).toHaveLength(5);
    expect(network('clean').code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);

  it('unknown commands and bad options are refused with INVALID_ARGUMENT and exit 2', () => {
    expect(network('sideways')).toMatchObject({ code: 2, out: expect.stringMatching(/\[INVALID_ARGUMENT\] unknown command 'sideways'/) });
    expect(network('up', '--topology', 'mesh')).toMatchObject({ code: 2, out: expect.stringMatching(/\[INVALID_ARGUMENT\] unknown topology/) });
    expect(network('up', '--base-port', 'seven')).toMatchObject({ code: 2, out: expect.stringMatching(/\[INVALID_ARGUMENT\]/) });
  });
});
