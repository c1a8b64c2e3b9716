/**
 * `npm start` (its built entry): on a fresh home it bootstraps the ledger, prints both gateways (tokens in runtime.json),
 * draws a sample QR and shows it ACCEPTED at the other side's gateway; Ctrl-C stops it cleanly; a second start
 * finds the ledger bootstrapped and works the same.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const START = resolve(__dirname, '../../gateway/dist/cli/start.js');

async function runUntilSampleVerified(home: string): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, [START], { env: { ...process.env, HUTONG_HOME: home, HUTONG_EPHEMERAL_PORTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const deadline = Date.now() + 20_000;
  while (!output.includes('Press Ctrl-C to stop.') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code))); // 'close': after stdio is drained
  child.kill('SIGINT');
  const code = await exited; // before reading `output`: it grows until the child closes
  return { output, code };
}

test('npm start: fresh, sample verified across the border, clean Ctrl-C, idempotent second start', async () => {
  expect(existsSync(START)).toBe(true);
  const home = mkdtempSync(join(tmpdir(), 'hutong-start-'));
  try {
    const first = await runUntilSampleVerified(home);
    expect(first.output).toMatch(/ledger bootstrap: \d+ transactions/);
    expect(first.output).toMatch(/Guangdong \(GuangdongMSP\) {2}console: http:\/\/127\.0\.0\.1:\d+\//);
    expect(first.output).toMatch(/Macau \(MacauMSP\) {2}console: http:\/\/127\.0\.0\.1:\d+\//);
    // Tokens stay in runtime.json (mode 600): the output is what log collectors keep.
    expect(first.output).not.toMatch(/ey[A-Za-z0-9_-]{10,}\.ey/);
    expect(first.output).toContain(`demo bearer tokens (checkpoint, issuer, auditor, admin, partner) per gateway: ${join(home, 'runtime.json')}`);
    const runtime = JSON.parse(readFileSync(join(home, 'runtime.json'), 'utf8')) as { gateways: Record<string, { tokens: Record<string, string> }> };
    expect(runtime.gateways['macau']?.tokens['checkpoint']).toMatch(/^ey/);
    expect(statSync(join(home, 'runtime.json')).mode & 0o077).toBe(0);
    expect(first.output).toMatch(/QR \(\d+ characters\): HT1:/);
    // The token lifetime is said; the sample QR and the pinned snapshot keys are kept for whoever tries it next.
    expect(first.output).toMatch(/valid 24 h, until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    const after = JSON.parse(readFileSync(join(home, 'runtime.json'), 'utf8')) as {
      tokensExpireAt: string; sample: { qr: string; decision: string }; gateways: Record<string, { snapshotKeys: string }>;
    };
    expect(first.output).toContain(after.sample.qr);
    expect(after.sample).toMatchObject({ qr: expect.stringMatching(/^HT1:/), decision: 'ACCEPT', issuedBy: 'guangdong', verifiedBy: 'macau' });
    expect(Date.parse(after.tokensExpireAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const keys = JSON.parse(readFileSync(after.gateways['macau']!.snapshotKeys, 'utf8')) as { keys: Array<{ kty: string; d?: string }> };
    expect(keys.keys[0]).toMatchObject({ kty: 'EC' });
    expect(keys.keys.every((k) => k.d === undefined)).toBe(true);
    expect(first.output).toContain('▄'); // the QR drawn in the terminal
    expect(first.output).toMatch(/Verified at Macau's gateway: ACCEPT \(ACCEPTED\)/);
    expect({ code: first.code, tail: first.output.slice(-60) }).toEqual({ code: 0, tail: expect.stringContaining('stopped.') });
    expect(first.code).toBe(0);

    const second = await runUntilSampleVerified(home);
    expect(second.output).toContain('ledger already bootstrapped (nothing to do)');
    expect(second.output).toMatch(/Verified at Macau's gateway: ACCEPT \(ACCEPTED\)/);
    expect(second.code).toBe(0);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 60_000);
