/**
 * When the ledger is unreachable, a revocation is still accepted (202, durable outbox) and a batch anchor is
 * queued; when the gateway process is then killed with SIGKILL and restarted with the ledger back, every accepted
 * write is committed, and Macau's checkpoint rejects the revoked credential. The child process
 * (unavailable-ledger-consortium.mjs) runs the demo consortium on the built packages with the ledger behind a
 * test-only fault switch (a flag file); `npx tsc -b` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { call, eventually, healthCode } from './harness';

const CHILD = join(__dirname, 'unavailable-ledger-consortium.mjs');
const BUILT = resolve(__dirname, '../../gateway/dist/index.js');
let home: string;
let flag: string;
let child: ChildProcess | undefined;

interface Runtime { gateways: Record<string, { url: string; tokens: Record<string, string> }> }

async function startChild(): Promise<Runtime> {
  rmSync(join(home, 'runtime.json'), { force: true });
  child = spawn(process.execPath, [CHILD, home, flag], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(home, 'runtime.json'))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the gateway child did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return JSON.parse(readFileSync(join(home, 'runtime.json'), 'utf8')) as Runtime;
}

function exited(p: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve({ code: p.exitCode, signal: p.signalCode })
    : new Promise((r) => p.once('exit', (code, signal) => r({ code, signal })));
}

beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npx tsc -b\` before this test`);
  home = mkdtempSync(join(tmpdir(), 'hutong-kill-'));
  flag = join(home, 'ledger-down');
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  rmSync(home, { recursive: true, force: true });
});

test('accepted writes survive the ledger being down and a SIGKILL of the gateway', async () => {
  let rt = await startChild();
  const gd = () => rt.gateways['guangdong']!;
  const mo = () => rt.gateways['macau']!;
  const issued = await call('POST', `${gd().url}/v1/credentials`, { token: gd().tokens['issuer'], body: healthCode() });
  expect(issued.status).toBe(201);

  writeFileSync(flag, 'down'); // the peer / the other org is unreachable from now on
  const revocation = await call('POST', `${gd().url}/v1/revocations`, {
    token: gd().tokens['issuer'], body: { issuerId: 'gd-health-code', qr: issued.body.qr, reason: 'status-change' },
  });
  expect(revocation.status).toBe(202);
  expect(revocation.body).toEqual(expect.objectContaining({ state: 'pending', leafHash: issued.body.leafHash }));
  const pending = await eventually(
    () => call('GET', `${gd().url}/v1/outbox/${revocation.body.outboxId}`, { token: gd().tokens['issuer'] }),
    (r) => r.body.lastErrorCode === 'LEDGER_UNAVAILABLE',
  );
  expect(pending.body).toEqual(expect.objectContaining({ state: 'pending', lastErrorCode: 'LEDGER_UNAVAILABLE' }));

  const refused = await call('POST', `${gd().url}/v1/credentials`, { token: gd().tokens['issuer'], body: healthCode() });
  expect(refused.status).toBe(503);
  expect(refused.body.code).toBe('LEDGER_UNAVAILABLE');
  const anchorId = refused.body.details.outboxId as string;
  expect(anchorId).toMatch(/^[0-9a-f-]{36}$/);
  const notReady = await eventually(() => call('GET', `${gd().url}/readyz`), (r) => r.status === 503);
  expect(notReady.body.ledger.reachable).toBe(false);

  const killed = child!;
  killed.kill('SIGKILL');
  expect((await exited(killed)).signal).toBe('SIGKILL');

  rmSync(flag); // the ledger is back
  rt = await startChild();
  const committed = await eventually(
    () => call('GET', `${gd().url}/v1/outbox/${revocation.body.outboxId}`, { token: gd().tokens['issuer'] }),
    (r) => r.body.state === 'committed', 10_000,
  );
  expect(committed.body).toEqual(expect.objectContaining({ state: 'committed', kind: 'revocation', evidence: expect.objectContaining({ endorsedBy: ['GuangdongMSP', 'MacauMSP'] }) }));
  const anchored = await eventually(
    () => call('GET', `${gd().url}/v1/outbox/${anchorId}`, { token: gd().tokens['issuer'] }),
    (r) => r.body.state === 'committed', 10_000,
  );
  expect(anchored.body.kind).toBe('anchor');

  const verdict = await eventually(
    () => call('POST', `${mo().url}/v1/verifications`, { token: mo().tokens['checkpoint'], body: { qr: issued.body.qr } }),
    (r) => r.body.reason === 'CREDENTIAL_REVOKED',
  );
  expect(verdict.body.reason).toBe('CREDENTIAL_REVOKED');

  const running = child!;
  running.kill('SIGTERM');
  expect(await exited(running)).toEqual({ code: 0, signal: null });
}, 60_000);
