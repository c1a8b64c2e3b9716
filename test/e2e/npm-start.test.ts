/**
 * `npm start` (its built entry): on a fresh home it bootstraps the ledger, prints both gateways with demo tokens,
 * draws a sample QR and shows it ACCEPTED at the other side's gateway; Ctrl-C stops it cleanly; a second start
 * finds the ledger bootstrapped and works the same.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
    expect(first.output).toMatch(/Guangdong \(GuangdongMSP\) {2}http:\/\/127\.0\.0\.1:\d+/);
    expect(first.output).toMatch(/Macau \(MacauMSP\) {2}http:\/\/127\.0\.0\.1:\d+/);
    expect(first.output).toMatch(/checkpoint token: ey/);
    expect(first.output).toMatch(/QR \(\d+ characters\): HT1:/);
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
