// The default entry point must bundle for browsers with no Node built-in; the issuer must stay out of it.
import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(__dirname, '..');

test('esbuild platform=browser bundle of the SDK has no node: import and stays ≤ 40 KB min+gz', async () => {
  const result = await build({
    entryPoints: [join(root, 'src/index.ts')], bundle: true, minify: true, format: 'esm', platform: 'browser',
    write: false, metafile: true, logLevel: 'silent', external: [],
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((i) => /node[-_]backend|issuer\//.test(i))).toEqual([]);
  for (const out of Object.values(result.metafile.outputs)) {
    expect(out.imports.filter((i) => i.path.startsWith('node:') || ['crypto', 'zlib', 'buffer'].includes(i.path))).toEqual([]);
  }
  const text = result.outputFiles[0]!.text;
  expect(text).not.toMatch(/["']node:/);
  expect(gzipSync(text).length).toBeLessThanOrEqual(40 * 1024);
}, 30_000);

test('bundling the Node-only issuer for the browser fails loudly (it imports node: built-ins)', async () => {
  await expect(build({ entryPoints: [join(root, 'src/issuer/index.ts')], bundle: true, platform: 'browser', write: false, logLevel: 'silent' })).rejects.toThrow();
}, 30_000);
