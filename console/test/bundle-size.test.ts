// The budget of the checkpoint's first load (issue #12): ≤ 150 KB min+gz without the QR decoder, which is loaded
// lazily; nothing from another origin. Reads the build (npm test builds it first) and the sizes its script measured.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(__dirname, '..', 'dist');
const read = (f: string) => readFileSync(join(dist, f), 'utf8');

test('first load within 150 KB min+gz; the decoder is not part of it', () => {
  const size = JSON.parse(read('bundle-size.json')) as { initialGzip: number; decoderGzip: number };
  expect(size.initialGzip).toBeLessThanOrEqual(150 * 1024);
  expect(size.decoderGzip).toBeGreaterThan(100 * 1024); // it exists, and is counted apart
  const html = read('index.html');
  expect(html).not.toMatch(/zxing|reader-/);
  expect(html).toContain('<meta charset="utf-8"');
});

test('no file of the build refers to another origin (no CDN, no web fonts)', () => {
  const text = readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => read(join('assets', f))).join('\n') + read('index.html');
  // zxing-wasm's glue names its CDN as a default that the console overrides (qr-reader.ts: locateFile); fonts, styles, scripts none.
  expect(text.match(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+/gi)?.filter((u) => !/jsdelivr/.test(u)) ?? []).toEqual([]);
  expect(text).not.toMatch(/@import|@font-face|fonts\.googleapis/);
});
