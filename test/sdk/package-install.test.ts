// @hutong/verifier-sdk as a partner installs it: packed with npm pack (with its optional native fold), installed into
// a project outside the repository, and the README's snippets run as written — the Node one with node against a real
// gateway, the browser one bundled by esbuild for the browser and run on the WebCrypto build — plus its types.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { call, healthCode, startEmbeddedHarness, type EmbeddedHarness } from '../e2e/harness';

const run = promisify(execFile);
const REPO = resolve(__dirname, '..', '..');
let h: EmbeddedHarness;
let project: string;
let tarballs: string[];
let qr: string;

function snippet(readme: string, first: string): string {
  const m = new RegExp('```js\\n(// ' + first.replace('.', '\\.') + '[\\s\\S]*?)```').exec(readme);
  if (!m) throw new Error(`no ${first} snippet in the README`);
  return m[1]!;
}

/** Runs a command asynchronously (the gateways answer from this process). */
function node(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  expect(existsSync(join(REPO, 'verifier-sdk', 'dist', 'index.node.js'))).toBe(true); // npm test builds first
  project = mkdtempSync(join(tmpdir(), 'hutong-partner-app-'));
  const packs = join(project, 'packs');
  mkdirSync(packs);
  const packed = JSON.parse((await run('npm', ['pack', '--json', '--pack-destination', packs, '-w', 'verifier-sdk', '-w', 'verifier-sdk/native'], { cwd: REPO })).stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarballs = packed.map((p) => join(packs, p.filename));
  const sdkFiles = packed[0]!.files.map((f) => f.path);
  expect(sdkFiles).toEqual(expect.arrayContaining(['README.md', 'package.json', 'dist/index.js', 'dist/index.node.js', 'dist/index.d.ts', 'dist/index.node.d.ts', 'dist/messages/index.js', 'optional-native.cjs']));
  expect(sdkFiles.filter((f) => /^(src|test|native)\/|\.map$|tsbuildinfo/.test(f))).toEqual([]);
  expect(packed[1]!.files.map((f) => f.path)).toEqual(expect.arrayContaining(['merkle-fold.c', 'build.mjs', 'index.cjs']));

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'partner-app', version: '1.0.0', private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], { cwd: project, timeout: 240_000 });
  expect(existsSync(join(project, 'node_modules', '@hutong', 'verifier-sdk', 'dist', 'index.node.js'))).toBe(true);

  h = await startEmbeddedHarness();
  qr = (await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() })).body.qr;
  writeFileSync(join(project, 'snapshot-keys.json'), JSON.stringify((await call('GET', `${h.url('macau')}/v1/trust/snapshot-keys`)).body));
}, 300_000);

afterAll(async () => {
  await h?.dispose();
  if (project) rmSync(project, { recursive: true, force: true });
});

const installedReadme = () => readFileSync(join(project, 'node_modules', '@hutong', 'verifier-sdk', 'README.md'), 'utf8');

test('the project is outside the repository and resolves the installed package, not the workspace', async () => {
  expect(project.startsWith(REPO)).toBe(false);
  const r = await node(['--input-type=module', '-e', "console.log(import.meta.resolve('@hutong/verifier-sdk'), import.meta.resolve('@hutong/verifier-sdk/messages'))"], { cwd: project });
  expect(r.stdout).toContain(join(project, 'node_modules', '@hutong', 'verifier-sdk', 'dist', 'index.node.js'));
  expect(r.stdout).toContain('dist/messages/index.js');
});

test('the README\'s Node snippet runs as written: ACCEPT, then offline from its file with the gateway gone', async () => {
  const code = snippet(installedReadme(), 'verify.mjs');
  expect(snippet(readFileSync(join(REPO, 'README.md'), 'utf8'), 'verify.mjs')).toBe(code); // the repository's README shows the same
  writeFileSync(join(project, 'verify.mjs'), code);
  const env = { HUTONG_GATEWAY_URL: h.url('macau'), HUTONG_TOKEN: h.token('macau', 'partner') };
  const online = await node(['verify.mjs', qr], { cwd: project, env });
  expect({ code: online.code, stderr: online.stderr }).toEqual({ code: 0, stderr: '' });
  expect(online.stdout).toMatch(/^ACCEPT ACCEPTED 憑證有效，可予放行。 \d{4}-/);
  expect(existsSync(join(project, 'trust', 'macau.jws'))).toBe(true);
  const offline = await node(['verify.mjs', `${qr}\r\n`], { cwd: project, env: { ...env, HUTONG_GATEWAY_URL: 'http://127.0.0.1:1' } });
  expect({ code: offline.code, out: offline.stdout.split(' ').slice(0, 2) }).toEqual({ code: 0, out: ['ACCEPT', 'ACCEPTED'] });
  const rescan = await node(['verify.mjs', 'HT1:ABCD'], { cwd: project, env });
  expect({ code: rescan.code, out: rescan.stdout.split(' ').slice(0, 2) }).toEqual({ code: 2, out: ['RESCAN', 'DECODE_BASE45'] });
});

test('the native fold installed with it loads on Node; without it the SDK verifies the same', async () => {
  const probe = "const r = require('@hutong/verifier-sdk/package.json'); const n = require('@hutong/verifier-sdk-native'); console.log(r.name, typeof n.fold, n.loadError)";
  const r = await node(['-e', probe], { cwd: project });
  // Built at its install wherever the repository's own copy could be built (a C compiler and Node's headers).
  const buildableHere = (await import('../../verifier-sdk/native/index.cjs')).fold !== null;
  expect(r.stdout.trim()).toBe(`@hutong/verifier-sdk ${buildableHere ? 'function null' : 'object null'}`);
  copyFileSync(join(project, 'verify.mjs'), join(project, 'verify-no-native.mjs'));
  const without = await node(['verify-no-native.mjs', qr], { cwd: project, env: { HUTONG_GATEWAY_URL: h.url('macau'), HUTONG_TOKEN: h.token('macau', 'partner'), HUTONG_NATIVE: '0' } });
  expect(without.code).toBe(0);
});

test('its types work from outside: the README\'s API type-checks under strict TypeScript', async () => {
  writeFileSync(join(project, 'check.ts'), [
    "import { fileTrustStorage, newTrustStore, decisionOf, type VerificationResult, type Decision } from '@hutong/verifier-sdk';",
    "import { MESSAGES, LOCALES, type Locale } from '@hutong/verifier-sdk/messages';",
    "const store = newTrustStore({ url: 'http://gw/v1/trust/snapshot', jwks: { keys: [] }, jurisdiction: 'MacauMSP', storage: fileTrustStorage('t.jws') });",
    "export async function f(text: string): Promise<[Decision, string]> { const r: VerificationResult = await store.verify(text); const l: Locale = LOCALES[1];",
    '  return [decisionOf(r.reason), `${MESSAGES[l].decisions[r.decision]} ${r.message[l]} ${r.validity?.expiresAt ?? \'\'}`]; }',
    '// @ts-expect-error a reason code is a closed union',
    "decisionOf('NOT_A_REASON');",
  ].join('\n'));
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
    files: ['check.ts'],
  }));
  const r = await node([tsc, '-p', 'tsconfig.json'], { cwd: project });
  expect({ code: r.code, out: r.stdout }).toEqual({ code: 0, out: '' });
});

test('the README\'s browser snippet bundles with esbuild for the browser (no Node built-in) and runs on the WebCrypto build', async () => {
  writeFileSync(join(project, 'app.js'), snippet(installedReadme(), 'app.js'));
  const result = await build({
    entryPoints: [join(project, 'app.js')], bundle: true, format: 'esm', platform: 'browser', outfile: join(project, 'app.bundle.js'),
    metafile: true, logLevel: 'silent', absWorkingDir: project,
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((i) => i.includes('node_modules/@hutong/verifier-sdk/dist/index.js'))).toBe(true);
  expect(inputs.filter((i) => /index\.node|node-backend|issuer|optional-native|verifier-sdk-native/.test(i))).toEqual([]);
  expect(readFileSync(join(project, 'app.bundle.js'), 'utf8')).not.toMatch(/from\s*["']node:/);
  const script = `const { checkScan } = await import('./app.bundle.js');
    console.log(JSON.stringify(await checkScan(${JSON.stringify(h.url('macau'))}, ${JSON.stringify(h.token('macau', 'partner'))}, ${JSON.stringify(qr)}, 'pt')));`;
  const r = await node(['--input-type=module', '-e', script], { cwd: project });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(r.stdout)).toEqual({ light: 'ACCEPT', title: 'Aceitar', text: 'Credencial válida: aceitar.' });
});
