// Prints the console's size after a build, min+gzip, as the budget counts it: what the checkpoint lane loads at
// first (entry script, its static imports, CSS, HTML) apart from the lazily loaded QR decoder (its glue script and
// .wasm) and the lazily loaded other screens. Writes dist/bundle-size.json for the size test and `npm run bench`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist');
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(['index.html', ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1])]);
const files = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`);
const size = { initialGzip: 0, decoderGzip: 0, otherScreensGzip: 0, totalRaw: 0 };
for (const f of files.concat('index.html')) {
  const g = gz(join(dist, f));
  size.totalRaw += statSync(join(dist, f)).size;
  if (initial.has(f)) size.initialGzip += g;
  else if (/zxing|reader|\.wasm$/.test(f)) size.decoderGzip += g;
  else size.otherScreensGzip += g;
}
writeFileSync(join(dist, 'bundle-size.json'), JSON.stringify(size, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`console: first load ${kb(size.initialGzip)} min+gz (budget 150 KB); QR decoder ${kb(size.decoderGzip)} lazily; other screens ${kb(size.otherScreensGzip)} lazily`);
