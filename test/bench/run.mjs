// `npm run bench`: runs every test/bench/*-bench.mjs in sequence (each prints its table), then lists the JSON results;
// `npm run bench -- --scale [options]`: the seed-scale simulation (scale-bench.mjs) only.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
// `--scale` runs the seed-scale simulation alone (it takes from minutes to hours); without it, every other bench.
const scale = process.argv.includes('--scale');
const benches = readdirSync(here).filter((f) => f.endsWith('-bench.mjs') && (f === 'scale-bench.mjs') === scale).sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const r = spawnSync(process.execPath, [join(here, bench), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    console.error(`${bench} failed (exit ${r.status ?? r.signal})`);
  }
}
const out = join(root, 'bench-results');
console.log('\nresults:');
for (const f of existsSync(out) ? readdirSync(out).filter((x) => x.endsWith('.json')).sort() : []) console.log(`  ${join(out, f)}`);
process.exit(failed === 0 ? 0 : 1);
