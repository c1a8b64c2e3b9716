// The web console's numbers (run after the console build): node test/bench/console-bench.mjs
// Camera frame → decision at the checkpoint page (zxing-wasm decode + offline SDK verify) in headless Chromium,
// through the browser suite's own camera test with more scans (HUTONG_CONSOLE_SCANS, default 300), also with the CPU
// throttled 4× (Chromium's emulation of a slower, phone-class CPU), and the bundle
// sizes the build measured (console/dist/bundle-size.json). Prints a table and writes bench-results/console.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sizeFile = join(rootDir, 'console', 'dist', 'bundle-size.json');
if (!existsSync(sizeFile)) throw new Error('console/dist is not built: npm run build');
const size = JSON.parse(readFileSync(sizeFile, 'utf8'));
const scans = process.env.HUTONG_CONSOLE_SCANS ?? '300';
const timingFile = join(rootDir, 'test-artifacts', 'console', 'scan-to-decision.json');
/** One run of the camera test: on this machine's CPU, then slowed down 4× (Chromium's throttling, a phone-class CPU). */
function measure(cpuThrottle) {
  const jest = spawnSync(process.execPath, [join(rootDir, 'node_modules', '.bin', 'jest'), join(rootDir, 'test', 'browser'), '--selectProjects', 'hutong', '-t', 'camera'],
    { cwd: rootDir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, HUTONG_CONSOLE_SCANS: scans, HUTONG_CONSOLE_CPU_THROTTLE: String(cpuThrottle) } });
  return jest.status === 0 && existsSync(timingFile) ? JSON.parse(readFileSync(timingFile, 'utf8')) : undefined;
}
const timing = measure(1);
const throttled = measure(4);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [
  ['console first load (min+gz, without the QR decoder)', kb(size.initialGzip), '≤ 150 KB'],
  ['QR decoder, loaded lazily (zxing-wasm glue + .wasm, gz)', kb(size.decoderGzip), ''],
  ['issuer/auditor/governance screens, loaded lazily (gz)', kb(size.otherScreensGzip), ''],
  ['camera frame → decision, offline (p50 / p95)', timing ? `${timing.p50.toFixed(1)} / ${timing.p95.toFixed(1)} ms over ${timing.scans} scans` : 'not measured (no Chromium?)', 'p95 ≤ 150 ms'],
  ['camera frame → decision painted (p50 / p95)', timing ? `${timing.shownP50.toFixed(1)} / ${timing.shownP95.toFixed(1)} ms` : '', ''],
  ['the same, CPU throttled 4× (p50 / p95; painted p95)', throttled ? `${throttled.p50.toFixed(1)} / ${throttled.p95.toFixed(1)} ms; ${throttled.shownP95.toFixed(1)} ms` : 'not measured', ''],
];
for (const [what, value, target] of rows) console.log(`${what.padEnd(58)} ${String(value).padEnd(36)} ${target}`);
mkdirSync(join(rootDir, 'bench-results'), { recursive: true });
writeFileSync(join(rootDir, 'bench-results', 'console.json'), `${JSON.stringify({ size, scanToDecision: timing ?? null, scanToDecisionCpuThrottled4x: throttled ?? null }, null, 2)}\n`);
process.exit(timing && throttled ? 0 : 1);
