// The published shape of @hutong/verifier-sdk (built dist, resolved by Node and by esbuild as consumers do):
// Node gets the node:crypto build and the issuer; browsers get the WebCrypto build and no issuer.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const repo = join(__dirname, '..', '..');
const dist = join(repo, 'verifier-sdk', 'dist');

beforeAll(() => {
  if (!existsSync(join(dist, 'index.node.js'))) throw new Error('verifier-sdk/dist is missing: run `npx tsc -b` first (npm test does)');
});

test('Node resolves the node build and the ./issuer subpath; both builds verify the worked example identically', () => {
  const script = `
    const ex = JSON.parse(require('node:fs').readFileSync('test/vectors/worked-example.json', 'utf8'));
    (async () => {
      const main = import.meta.resolve('@hutong/verifier-sdk');
      const iss = import.meta.resolve('@hutong/verifier-sdk/issuer');
      const node = await import('@hutong/verifier-sdk');
      const web = await import(${JSON.stringify(join(dist, 'index.js'))});
      const opts = { trust: ex.trust, jurisdiction: 'MacauMSP', now: new Date(ex.now) };
      const a = await node.verify(ex.qr, opts), b = await web.verify(ex.qr, opts);
      const issuer = await import('@hutong/verifier-sdk/issuer');
      console.log(JSON.stringify({ main, iss, a, b, leaf: issuer.leafHashOf(ex.jws), exports: Object.keys(node).sort() }));
    })();`.replace('require(', "(await import('node:module')).createRequire(import.meta.url)(");
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `(async () => { ${script} })()`], { cwd: repo, encoding: 'utf8' })) as Record<string, unknown>;
  expect(out.main).toMatch(/verifier-sdk\/dist\/index\.node\.js$/);
  expect(out.iss).toMatch(/verifier-sdk\/dist\/issuer\/index\.js$/);
  expect(out.a).toEqual(out.b);
  expect((out.a as { reason: string }).reason).toBe('ACCEPTED');
  // Few, explicit exports: no internals leak through the entry point.
  expect(out.exports).toEqual([
    'DECISIONS', 'HutongSdkError', 'JsonError', 'LEDGER_TIME_WINDOW_SECONDS', 'MAX_CLOCK_SKEW_MS', 'REASON_CODES',
    'SNAPSHOT_JWS_TYP', 'TRUST_PACK_JWS_TYP', 'TRUST_PACK_LIMITS', 'deadFromMs', 'decisionOf', 'decodeQr',
    'dropDeadAnchors', 'dropDeadRevocation', 'encodeTrustPack', 'fileTrustStorage', 'indexTrust',
    'indexedDbTrustStorage', 'isLiveRecord', 'liveSnapshot', 'localStorageTrustStorage', 'memoryTrustStorage',
    'newTrustIndex', 'newTrustStore', 'newVerifier', 'newVerifierOnIndex', 'normaliseScan', 'openSignedSnapshot',
    'openSignedTrustPack', 'openTrustPack', 'parseStrictJson', 'prepareTrustState', 'putAnchor', 'putIssuer',
    'putKey', 'putPolicy', 'putRevocation', 'reasonMessage', 'snapshotOfIndex', 'trustStateDigest', 'verify',
  ]);
});

test('a browser bundler resolves the default (WebCrypto) build and cannot reach the issuer', async () => {
  const r = await build({ stdin: { contents: "export { verify } from '@hutong/verifier-sdk';", resolveDir: repo }, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(r.metafile.inputs);
  expect(inputs.some((i) => i.endsWith('verifier-sdk/dist/index.js'))).toBe(true);
  expect(inputs.filter((i) => /index\.node\.js|node-backend|issuer/.test(i))).toEqual([]);
  await expect(build({ stdin: { contents: "import '@hutong/verifier-sdk/issuer';", resolveDir: repo }, bundle: true, platform: 'browser', write: false, logLevel: 'silent' })).rejects.toThrow();
}, 30_000);
