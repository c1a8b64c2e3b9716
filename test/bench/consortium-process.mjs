// A gateway consortium for the benchmarks: `npm start`'s entry in a child process with its own temporary home, so the
// benchmark process is only the load generator. Embedded: both gateways on one embedded ledger in that process.
// Fabric (`ledger: 'fabric'`): a real dev network in the home, each gateway in a process of its own; `stop()` stops
// the gateways, then removes the network (its processes stopped by PID).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START = join(ROOT, 'gateway/dist/cli/start.js');

/** Exits with a hint unless the gateway has been built. */
export function requireBuild() {
  if (existsSync(START)) return;
  console.error(`missing ${START}: run \`npx tsc -b\` (or \`npm run bench\`) first`);
  process.exit(1);
}

/**
 * Starts a consortium; resolves with each gateway's `{ url, tokens }` (`gd`, `mo`), `stop()` and, with `heapProbe`,
 * `liveHeapMb()`: the process's heap after a full collection (heap-probe.mjs). With `cpuProf` the child runs under
 * `node --cpu-prof`, its profile written to bench-results/profiles/ when it stops.
 */
export async function startConsortiumProcess(label, { env = {}, cpuProf = false, heapProbe = false, ledger = 'embedded', basePort = 30_600 } = {}) {
  const home = mkdtempSync(join(os.tmpdir(), `hutong-bench-${label}-`));
  const heapFile = join(home, 'heap.json');
  const profile = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench-results', 'profiles')}`, `--cpu-prof-name=gateway-${label}-${Date.now()}.cpuprofile`] : [];
  const probe = heapProbe ? ['--expose-gc', `--import=${join(ROOT, 'test/bench/heap-probe.mjs')}`] : [];
  const ledgerArgs = ledger === 'fabric' ? ['--ledger', 'fabric', '--base-port', String(basePort)] : [];
  const child = spawn(process.execPath, [...profile, ...probe, START, ...ledgerArgs], {
    env: { ...process.env, HUTONG_HOME: home, HUTONG_EPHEMERAL_PORTS: '1', HUTONG_NO_SAMPLE: '1', HUTONG_LOG_LEVEL: 'info', HUTONG_BENCH_HEAP_FILE: heapFile, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + (ledger === 'fabric' ? 90_000 : 20_000);
  while (!existsSync(join(home, 'runtime.json'))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`consortium ${label} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const runtime = JSON.parse(readFileSync(join(home, 'runtime.json'), 'utf8'));
  return {
    home,
    gd: runtime.gateways.guangdong,
    mo: runtime.gateways.macau,
    /** The consortium's processes (Fabric): each gateway's PID by org name, and every other PID (start, network). */
    processes() {
      const gateways = {};
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        let cmdline;
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue; // gone meanwhile
        }
        const m = new RegExp(`${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([a-z-]+)/gateway\\.config\\.json`).exec(cmdline);
        if (m) gateways[m[1]] = Number(pid);
      }
      const networkFile = join(home, 'fabric', 'processes.json');
      const network = existsSync(networkFile) ? Object.values(JSON.parse(readFileSync(networkFile, 'utf8'))).map((p) => p.pid) : [];
      return { gateways, others: [child.pid, ...network] };
    },
    async liveHeapMb() {
      if (existsSync(heapFile)) unlinkSync(heapFile);
      child.kill('SIGUSR2');
      const until = Date.now() + 5000;
      while (!existsSync(heapFile)) {
        if (Date.now() > until) throw new Error('the heap probe did not answer');
        await new Promise((r) => setTimeout(r, 20));
      }
      return JSON.parse(readFileSync(heapFile, 'utf8')).heapUsed / 2 ** 20;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (ledger === 'fabric') spawnSync(process.execPath, [join(ROOT, 'network/dist/cli.js'), 'clean', '--dir', join(home, 'fabric')], { stdio: 'ignore' });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
