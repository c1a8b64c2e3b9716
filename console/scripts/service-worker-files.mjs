// After the build: writes the build's file list and a version (a hash of the files) into dist/sw.js, so the service
// worker caches exactly this build and drops the previous one's cache.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');
const files = ['/favicon.svg', ...readdirSync(join(dist, 'assets')).sort().map((f) => `/assets/${f}`)];
const hash = createHash('sha256');
for (const f of ['/index.html', ...files]) hash.update(f).update(readFileSync(join(dist, f)));
const sw = join(dist, 'sw.js');
const source = readFileSync(sw, 'utf8');
const line = "const BUILD = { version: 'dev', files: [] };";
if (!source.includes(line)) throw new Error('dist/sw.js: the BUILD line to fill is missing');
writeFileSync(sw, source.replace(line, `const BUILD = ${JSON.stringify({ version: hash.digest('hex').slice(0, 16), files })};`));
