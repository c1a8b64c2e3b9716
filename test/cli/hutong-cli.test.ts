// The `hutong` command line as a user runs it: the built binary (cli/bin/hutong.js) in its own process, against real
// gateways on the embedded ledger. Exit codes: 0 accept, 1 reject, 2 rescan, 3 usage, 4 unavailable.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import { call, healthCode, startEmbeddedHarness, type EmbeddedHarness } from '../e2e/harness';

const BIN = resolve(__dirname, '../../cli/bin/hutong.js');
let h: EmbeddedHarness;
let home: string;

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the binary (asynchronously: the gateways answer from this process). */
function hutong(args: readonly string[], options: { env?: Record<string, string>; stdin?: Buffer | string } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // A home of its own: no user config file, no demo runtime file but the test's.
      env: { PATH: process.env['PATH'] ?? '', HOME: home, HUTONG_HOME: join(home, '.hutong'), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
    child.stdin.end(options.stdin ?? '');
  });
}

const as = (org: string, role: Parameters<EmbeddedHarness['token']>[1]) => ({ HUTONG_GATEWAY_URL: h.url(org), HUTONG_TOKEN: h.token(org, role) });

let valid: string, revoked: string;

beforeAll(async () => {
  expect(existsSync(join(__dirname, '../../cli/dist/main.js'))).toBe(true); // built by tsc -b (npm test does)
  h = await startEmbeddedHarness();
  home = mkdtempSync(join(tmpdir(), 'hutong-cli-'));
  const issue = async () => (await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() })).body.qr as string;
  valid = await issue();
  revoked = await issue();
});

afterAll(async () => {
  await h?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
});

const COMMANDS = [[], ['verify'], ['issue'], ['revoke'], ['trust'], ['trust', 'snapshot'], ['audit'], ['audit', 'anchors'], ['audit', 'tx'], ['audit', 'block'], ['audit', 'verify-chain'], ['audit', 'leaf']];

test.each(COMMANDS.map((c) => [c.join(' ') || '(none)', c]))('--help of %s: usage, exit 0', async (_, path) => {
  const r = await hutong([...(path as string[]), '--help']);
  expect({ code: r.code, usage: r.stdout.split('\n')[0] }).toEqual({ code: 0, usage: expect.stringMatching(new RegExp(`^Usage: hutong${(path as string[]).map((p) => ` ${p}`).join('')}( |$)`)) });
});

test.each([['network', /usage: npm run network/], ['gateway', /usage: npm run gateway/]])('--help of %s is the delegated command line\'s own, exit 0', async (cmd, usage) => {
  const r = await hutong([cmd as string, '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(usage as RegExp);
});

test('the top-level help documents the exit codes and the configuration', async () => {
  const r = await hutong(['--help']);
  for (const line of ['0  ACCEPT', '1  REJECT', '2  RESCAN', '3  usage', '4  unavailable', 'HUTONG_GATEWAY_URL', 'HUTONG_TOKEN', 'cli.json']) expect(r.stdout).toContain(line);
});

describe('verify at the gateway', () => {
  test('accept: exit 0, the answer in words and facts; in Traditional Chinese with --lang', async () => {
    const r = await hutong(['verify', valid], { env: as('macau', 'checkpoint') });
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('Accept (ACCEPT) — ACCEPTED') });
    expect(r.stdout).toMatch(/Expires: \d{4}-/);
    const zh = await hutong(['verify', '--lang', 'zh-Hant', valid], { env: as('macau', 'checkpoint') });
    expect(zh.stdout).toContain('憑證有效，可予放行。');
    expect(zh.stdout).toContain('廣東省健康碼中心 (gd-health-code)'); // the issuer's own name in the officer's language
  });

  test('a scanner\'s CR LF and a lower-case prefix still accept; from standard input too', async () => {
    expect((await hutong(['verify', `ht1:${valid.slice(4)}\r\n`], { env: as('macau', 'checkpoint') })).code).toBe(0);
    expect((await hutong(['verify', '-'], { env: as('macau', 'checkpoint'), stdin: `${valid}\r\n` })).code).toBe(0);
  });

  test('a PNG of the QR, as a file and on standard input: exit 0', async () => {
    const png = join(home, 'qr.png');
    await QRCode.toFile(png, valid, { type: 'png', errorCorrectionLevel: 'L' });
    expect((await hutong(['verify', png], { env: as('macau', 'checkpoint') })).code).toBe(0);
    expect((await hutong(['verify', '-'], { env: as('macau', 'checkpoint'), stdin: readFileSync(png) })).code).toBe(0);
    const blank = join(home, 'blank.png');
    await QRCode.toFile(blank, 'not a hutong credential', { type: 'png' });
    expect((await hutong(['verify', '--json', blank], { env: as('macau', 'checkpoint') }))).toMatchObject({ code: 2, stdout: expect.stringContaining('"RESCAN"') });
  });

  test('revoked: exit 1 with the revocation time and reason (JSON)', async () => {
    const rev = await hutong(['revoke', '--reason', 'fraud', revoked], { env: as('guangdong', 'issuer') });
    expect(rev).toMatchObject({ code: 0, stdout: expect.stringMatching(/^revocation (committed|pending)/) });
    let r: Run;
    do r = await hutong(['verify', '--json', revoked], { env: as('macau', 'checkpoint') }); while (r.code === 0);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'REJECT', reason: 'CREDENTIAL_REVOKED', revocation: { reason: 'fraud' } });
  });

  test('not a credential: exit 2 (RESCAN)', async () => {
    for (const text of ['hello', `${valid.slice(0, 100)}#${valid.slice(101)}`, '']) {
      const r = await hutong(['verify', '--json', text], { env: as('macau', 'checkpoint') });
      expect({ text: text.slice(0, 10), code: r.code, decision: JSON.parse(r.stdout).decision }).toEqual({ text: text.slice(0, 10), code: 2, decision: 'RESCAN' });
    }
  });

  test('usage: no gateway, no token, a refused token, a missing argument → exit 3 with a code', async () => {
    expect(await hutong(['verify', valid])).toMatchObject({ code: 3, stderr: expect.stringContaining('error GATEWAY_NOT_CONFIGURED') });
    expect(await hutong(['verify', valid], { env: { HUTONG_GATEWAY_URL: h.url('macau') } })).toMatchObject({ code: 3, stderr: expect.stringContaining('TOKEN_NOT_CONFIGURED') });
    const wrongRole = await hutong(['verify', '--json', valid], { env: as('macau', 'auditor') });
    expect(wrongRole.code).toBe(3);
    expect(JSON.parse(wrongRole.stderr)).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    expect((await hutong(['verify'])).code).toBe(3);
    expect((await hutong(['verify', '--no-such-option', valid])).code).toBe(3);
  });

  test('unavailable: a gateway that does not answer → exit 4', async () => {
    const r = await hutong(['verify', valid], { env: { HUTONG_GATEWAY_URL: 'http://127.0.0.1:1', HUTONG_TOKEN: 'a.b.c' } });
    expect(r).toMatchObject({ code: 4, stderr: expect.stringContaining('GATEWAY_UNAVAILABLE') });
  });

  test('the config file gives the gateway and the token per role; flags win over it', async () => {
    const config = join(home, 'cli.json');
    writeFileSync(config, JSON.stringify({ gateway: h.url('macau'), tokens: { checkpoint: h.token('macau', 'checkpoint'), auditor: h.token('macau', 'auditor') } }));
    expect((await hutong(['verify', valid], { env: { HUTONG_CLI_CONFIG: config } })).code).toBe(0);
    expect((await hutong(['verify', '--gateway', 'http://127.0.0.1:1', valid], { env: { HUTONG_CLI_CONFIG: config } })).code).toBe(4);
    expect((await hutong(['audit', 'leaf', '--config', config, valid])).code).toBe(0);
  });
});

test('issue: one credential, then a CSV batch with a failed row reported by line (exit 1); the issued QRs verify', async () => {
  const one = await hutong(['issue', '--json', '--issuer', 'gd-health-code', '--type', 'health-code', '--status', 'green', '--name', 'Chan Tai Man', '--doc-type', 'HRP', '--doc-number', 'H7654321'], { env: as('guangdong', 'issuer') });
  expect(one.code).toBe(0);
  expect(JSON.parse(one.stdout).qr).toMatch(/^HT1:/);
  expect(one.stdout).not.toContain('Chan Tai Man');

  const csv = join(home, 'holders.csv'), out = join(home, 'issued.csv'), report = join(home, 'failed.csv');
  writeFileSync(csv, 'credentialType,status,name,documentType,documentNumber\r\nhealth-code,green,Chan Tai Man,HRP,H1234567\r\nhealth-code,GREEN!,Lee Siu Lung,HRP,H2345678\r\n'
    + 'health-code,yellow,"Wong, Ka Yan",MOP,M1234567\r\nhealth-code,green,Ho Ka Lok,HRP,H3456789\r\n');
  const r = await hutong(['issue', '--issuer', 'gd-health-code', '--csv', csv, '--out', out, '--report', report], { env: as('guangdong', 'issuer') });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/issued 4\/4 \(1 failed\)/);
  expect(r.stderr).toContain('3 of 4 issued');
  const failed = readFileSync(report, 'utf8').trim().split('\n');
  expect(failed).toEqual(['row,code,message', expect.stringMatching(/^3,REQUEST_INVALID,.*status/)]);
  const issued = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  expect(issued.map((x) => x[0])).toEqual(['2', '4', '5']);
  expect(readFileSync(out, 'utf8') + readFileSync(report, 'utf8')).not.toMatch(/Chan|Wong|H1234567/); // no holder's data in the outputs
  const verdicts = await Promise.all(issued.map(async (x) => (await hutong(['verify', x[2]!], { env: as('macau', 'checkpoint') })).code));
  expect(verdicts).toEqual([0, 1, 0]); // yellow is not accepted in Macau
});

test('trust snapshot with pinned keys, then verify --offline: no gateway needed; stale → exit 4; foreign keys refused', async () => {
  const keys = join(home, 'macau-keys.json');
  writeFileSync(keys, JSON.stringify((await call('GET', `${h.url('macau')}/v1/trust/snapshot-keys`)).body));
  const dir = join(home, 'trust');
  const saved = await hutong(['trust', 'snapshot', '--json', '--keys', keys, '--trust-dir', dir], { env: as('macau', 'partner') });
  expect(saved.code).toBe(0);
  expect(JSON.parse(saved.stdout)).toMatchObject({ jurisdiction: 'MacauMSP', issuers: 2 });

  expect((await hutong(['verify', '--offline', '--trust-dir', dir, valid])).code).toBe(0);
  expect((await hutong(['verify', '--offline', '--trust-dir', dir, 'HT1:ABC'])).code).toBe(2);
  await new Promise((r) => setTimeout(r, 1100));
  const stale = await hutong(['verify', '--offline', '--json', '--max-age', '0', '--trust-dir', dir, valid]);
  expect({ code: stale.code, reason: JSON.parse(stale.stdout).reason }).toEqual({ code: 4, reason: 'SNAPSHOT_STALE' });

  const foreign = join(home, 'guangdong-keys.json');
  writeFileSync(foreign, JSON.stringify((await call('GET', `${h.url('guangdong')}/v1/trust/snapshot-keys`)).body));
  const refused = await hutong(['trust', 'snapshot', '--keys', foreign, '--trust-dir', join(home, 'other')], { env: as('macau', 'partner') });
  expect(refused).toMatchObject({ code: 3, stderr: expect.stringContaining('SNAPSHOT_SIGNATURE_INVALID') });
  expect((await hutong(['trust', 'snapshot', '--trust-dir', join(home, 'other')], { env: as('macau', 'partner') }))).toMatchObject({ code: 3, stderr: expect.stringContaining('KEYS_NOT_PINNED') });
  expect((await hutong(['verify', '--offline', '--trust-dir', join(home, 'none'), valid])).code).toBe(3);
});

test('audit: leaf, transaction, block, anchors, the chain check (auditor token)', async () => {
  const leaf = await hutong(['audit', 'leaf', '--json', valid], { env: as('macau', 'auditor') });
  expect(leaf.code).toBe(0);
  const status = JSON.parse(leaf.stdout);
  expect(status).toMatchObject({ anchored: true, revoked: false, anchoring: { txId: expect.any(String), blockNumber: expect.any(Number) } });
  const tx = await hutong(['audit', 'tx', '--json', status.anchoring.txId], { env: as('macau', 'auditor') });
  expect(JSON.parse(tx.stdout)).toMatchObject({ txId: status.anchoring.txId, blockNumber: status.anchoring.blockNumber });
  const block = await hutong(['audit', 'block', '--json', String(status.anchoring.blockNumber)], { env: as('macau', 'auditor') });
  expect(JSON.parse(block.stdout).number).toBe(status.anchoring.blockNumber);
  const anchors = await hutong(['audit', 'anchors', '--json', '--issuer', 'gd-health-code'], { env: as('macau', 'auditor') });
  expect(JSON.parse(anchors.stdout).items.length).toBeGreaterThan(0);
  expect((await hutong(['audit', 'tx', 'no-such-tx'], { env: as('macau', 'auditor') })).code).toBe(3);
  expect((await hutong(['audit', 'block', 'x'], { env: as('macau', 'auditor') })).code).toBe(3);
  const chain = await hutong(['audit', 'verify-chain', '--json'], { env: as('macau', 'auditor') });
  expect(chain.code).toBe(0);
  expect(JSON.parse(chain.stdout)).toMatchObject({ valid: true, from: 0, to: JSON.parse(chain.stdout).height });
  expect((await hutong(['audit', 'verify-chain', '--from', 'x'], { env: as('macau', 'auditor') })).code).toBe(3);
});

test('network and gateway delegate to their packages\' command lines, exit codes mapped', async () => {
  // Nothing runs there: 1 (something is down) where a Fabric home exists, 4 (an error) where none does.
  const status = await hutong(['network', 'status', '--dir', join(home, 'no-network')], { env: { HOME: process.env['HOME'] ?? home } });
  expect([1, 4]).toContain(status.code);
  expect(status.stdout + status.stderr).toMatch(/no-network|Fabric/);
  expect((await hutong(['network', 'no-such-command'])).code).toBe(4);
  expect((await hutong(['gateway', '--org', 'nowhere'])).code).toBe(4);
});

test('npm run gateway -- --help prints the gateway\'s usage and exits 0', async () => {
  const r = await new Promise<Run>((done) => {
    const child = spawn('npm', ['run', '--silent', 'gateway', '--', '--help'], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
  expect(r.stderr).not.toContain('ERR_PARSE_ARGS');
  expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('usage: npm run gateway -- --org <name>') });
}, 120_000);

test('npx hutong in the repository runs the same binary (the root package\'s bin)', async () => {
  const root = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { bin: Record<string, string> };
  expect(resolve(__dirname, '../..', root.bin['hutong']!)).toBe(BIN);
  const r = await new Promise<Run>((done) => {
    const child = spawn('npx', ['--no-install', 'hutong', '--version'], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
  expect({ code: r.code, out: r.stdout.trim() }).toEqual({ code: 0, out: '0.1.0' });
});
