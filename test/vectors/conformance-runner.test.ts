// The conformance runner (docs/protocol.md §12) as a second implementation would use it: the built SDK passes it
// through its JSON-lines adapter on every backend, and the runner fails an implementation that answers wrongly,
// crashes, writes a bad line or falls silent.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const RUNNER = join(__dirname, 'conformance-runner.mjs');
const ADAPTER = join(__dirname, 'sdk-conformance-adapter.mjs');
const VECTORS = join(__dirname, 'verification-v1.json');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RUNNER, ...args], { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** An implementation given as a `node -e` script: `lines` is every request line, read as they come. */
const inline = (script: string): string[] => ['--', process.execPath, '-e', `const lines = require('node:readline').createInterface({ input: process.stdin });\n${script}`];

test.each(['node', 'web', 'web-noble'])('the built SDK (%s backend) agrees with every vector through the runner', async (backend) => {
  const r = await run(['--', process.execPath, ADAPTER, '--backend', backend]);
  expect(r.stdout).toMatch(/^conformance: all \d+ cases agree/);
  expect(r.code).toBe(0);
});

test('an implementation that accepts everything fails, with every mismatch named', async () => {
  const r = await run(inline("lines.on('line', (l) => console.log(JSON.stringify({ id: JSON.parse(l).id, decision: 'ACCEPT', reason: 'ACCEPTED' })));"));
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/^conformance: FAILED — \d+ of \d+ cases agree/);
  expect(r.stdout).toMatch(/mismatch +#\d+ wrong prefix: expected RESCAN DECODE_PREFIX, got ACCEPT ACCEPTED/);
  expect(r.stdout).toMatch(/mismatch +#\d+ Ed25519: key of small order 1 \(0100000000000000000000000000000000000000000000000000000000000000\), R = identity, S = 0: expected REJECT KEY_ALG_MISMATCH, got ACCEPT ACCEPTED/);
});

test('answers may come in any order: they are matched by id', async () => {
  // Reads every request, then answers them last to first (with the expected results, read from the vector file).
  const r = await run(inline(`const v = require(${JSON.stringify(VECTORS)}); const ids = [];
lines.on('line', (l) => ids.push(JSON.parse(l).id));
lines.on('close', () => { for (const id of ids.reverse()) console.log(JSON.stringify({ id, ...v.cases[id].expected })); });`));
  expect(r.stdout).toMatch(/^conformance: all \d+ cases agree/);
  expect(r.code).toBe(0);
});

test('a crash fails the run and says how many cases went unanswered', async () => {
  const r = await run(inline("lines.once('line', (l) => { console.log(JSON.stringify({ id: JSON.parse(l).id, decision: 'RESCAN', reason: 'DECODE_PREFIX' })); process.stderr.write('boom\\n'); process.exit(3); });"));
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/protocol +the command exited \(status 3\) with \d+ of \d+ cases unanswered/);
  expect(r.stdout).toMatch(/unanswered #1 /);
  expect(r.stdout).toContain('boom'); // the command's stderr is shown
});

test('a line that is not an answer is a protocol error', async () => {
  const r = await run(inline("lines.on('line', (l) => { const { id } = JSON.parse(l); console.log(id === 0 ? 'verified!' : id === 1 ? JSON.stringify({ id, decision: 'ACCEPT' }) : JSON.stringify({ id: 0, decision: 'REJECT', reason: 'EXPIRED' })); });"));
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('protocol   bad line (not JSON): verified!');
  expect(r.stdout).toContain('bad line (needs string "decision" and "reason", or "error")');
  expect(r.stdout).toContain('bad line (second answer for id 0)');
});

test('an implementation that falls silent fails at the timeout', async () => {
  const r = await run(['--timeout-ms', '500', ...inline("lines.on('line', () => {}); lines.on('close', () => setTimeout(() => {}, 60_000));")]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/protocol +timeout: no answer within 500 ms \(\d+ of \d+ cases unanswered\)/);
});

test('usage errors exit with status 2', async () => {
  expect((await run([])).code).toBe(2);
  expect((await run(['--vectors', join(__dirname, 'no-such-file.json'), '--', 'true'])).stderr).toContain('cannot read vectors');
  const missing = await run(['--', '/nonexistent/implementation']);
  expect(missing.stdout).toContain('cannot run /nonexistent/implementation');
  expect(missing.code).toBe(2);
});
