#!/usr/bin/env node
// The verification conformance runner (docs/protocol.md §12): runs every case of a vector file through any
// implementation that speaks the JSON-lines interface on its stdin and stdout, and says where it disagrees.
//
//   node test/vectors/conformance-runner.mjs [--vectors FILE] [--timeout-ms N] [--] <command> [args…]
//
// Exit status: 0 when every case agrees, 1 when any case disagrees or is not answered, 2 on a usage error (bad
// options, unreadable vector file, a command that cannot be started).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: conformance-runner.mjs [--vectors FILE] [--timeout-ms N] [--] <command> [args…]';
const DEFAULT_VECTORS = join(dirname(fileURLToPath(import.meta.url)), 'verification-v1.json');
const STDERR_TAIL = 4000;
const SHOWN_LINE = 200;

function usage(message) {
  process.stderr.write(`conformance: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** Runner options first; `--` or the first other argument starts the command (whose own options pass through). */
function parseArgs(argv) {
  const o = { vectors: DEFAULT_VECTORS, timeoutMs: 10_000, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { o.command = argv.slice(i + 1); break; }
    if (a === '--vectors') { o.vectors = argv[++i] ?? usage('--vectors needs a file'); continue; }
    if (a === '--timeout-ms') {
      o.timeoutMs = Number(argv[++i]);
      if (!Number.isInteger(o.timeoutMs) || o.timeoutMs < 1) usage('--timeout-ms needs a positive integer');
      continue;
    }
    if (a === '--help' || a === '-h') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    if (a.startsWith('--')) usage(`unknown option ${a}`);
    o.command = argv.slice(i);
    break;
  }
  if (o.command.length === 0) usage('no command to run');
  return o;
}

function loadCases(file) {
  let v;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    usage(`cannot read vectors ${file}: ${e.message}`);
  }
  if (!v || !Array.isArray(v.cases) || typeof v.base !== 'object') usage(`${file} is not a vector file ({ base, cases })`);
  return v.cases.map((c, id) => ({
    id, name: c.name, expected: c.expected,
    request: { id, qr: c.qr, trust: c.trust ?? v.base, jurisdiction: c.jurisdiction, now: c.now },
  }));
}

const shorten = (s) => (s.length > SHOWN_LINE ? `${s.slice(0, SHOWN_LINE)}…` : s);

/** Runs the cases through the command; resolves to the answers by id and what went wrong beyond them. */
function runCases(command, cases, timeoutMs) {
  return new Promise((resolve) => {
    const answers = new Map();
    const problems = [];
    let stderr = '';
    let pending = '';
    let done = false;
    let timer;
    let startFailed = false;
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });

    const finish = (why) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (why) problems.push(why);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve({ answers, problems, stderr, startFailed });
    };
    // The clock restarts at every answer: a slow start or a slow case gets the whole timeout, a silent one fails.
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(`timeout: no answer within ${timeoutMs} ms (${cases.length - answers.size} of ${cases.length} cases unanswered)`), timeoutMs);
    };

    const accept = (line) => {
      if (line.trim() === '') return;
      let a;
      try {
        a = JSON.parse(line);
      } catch {
        problems.push(`bad line (not JSON): ${shorten(line)}`);
        return;
      }
      if (typeof a !== 'object' || a === null || Array.isArray(a) || !Number.isInteger(a.id)) {
        problems.push(`bad line (not an object with an integer "id"): ${shorten(line)}`);
        return;
      }
      if (a.id < 0 || a.id >= cases.length) { problems.push(`bad line (unknown id ${a.id}): ${shorten(line)}`); return; }
      if (answers.has(a.id)) { problems.push(`bad line (second answer for id ${a.id}): ${shorten(line)}`); return; }
      if (typeof a.error === 'string') {
        answers.set(a.id, { error: a.error });
      } else if (typeof a.decision !== 'string' || typeof a.reason !== 'string') {
        problems.push(`bad line (needs string "decision" and "reason", or "error"): ${shorten(line)}`);
        return;
      } else {
        answers.set(a.id, { decision: a.decision, reason: a.reason });
      }
      arm();
      if (answers.size === cases.length) finish();
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        accept(line);
        if (done) return;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-STDERR_TAIL); });
    child.on('error', (e) => {
      startFailed = child.pid === undefined;
      finish(`cannot run ${command[0]}: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      if (pending.trim() !== '') accept(pending);
      pending = '';
      if (answers.size < cases.length) {
        finish(`the command exited (${signal ? `signal ${signal}` : `status ${code}`}) with ${cases.length - answers.size} of ${cases.length} cases unanswered`);
      } else {
        finish();
      }
    });
    // A command that stops reading is reported by its exit or the timeout, not by an EPIPE here.
    child.stdin.on('error', () => {});
    arm();
    for (const c of cases) child.stdin.write(`${JSON.stringify(c.request)}\n`);
    child.stdin.end(); // end of input: the command may exit once it has answered every line
  });
}

const { vectors, timeoutMs, command } = parseArgs(process.argv.slice(2));
const cases = loadCases(vectors);
const { answers, problems, stderr, startFailed } = await runCases(command, cases, timeoutMs);

const failures = [];
for (const c of cases) {
  const a = answers.get(c.id);
  const want = `${c.expected.decision} ${c.expected.reason}`;
  if (a === undefined) failures.push(`unanswered #${c.id} ${c.name}: expected ${want}`);
  else if (a.error !== undefined) failures.push(`error      #${c.id} ${c.name}: expected ${want}, the command answered error: ${shorten(a.error)}`);
  else if (a.decision !== c.expected.decision || a.reason !== c.expected.reason) failures.push(`mismatch   #${c.id} ${c.name}: expected ${want}, got ${a.decision} ${a.reason}`);
}

// Output goes out through process.stdout before the exit status is set, never cut short by process.exit().
const out = [];
if (failures.length === 0 && problems.length === 0) {
  out.push(`conformance: all ${cases.length} cases agree (${vectors})`);
} else {
  out.push(`conformance: FAILED — ${cases.length - failures.length} of ${cases.length} cases agree, ${failures.length} do not, ${problems.length} protocol errors (${vectors})`);
  for (const p of problems) out.push(`  protocol   ${p}`);
  if (!startFailed) for (const f of failures) out.push(`  ${f}`);
  if (stderr.trim() !== '') out.push(`--- the command's stderr (last ${STDERR_TAIL} characters) ---`, stderr.trimEnd());
}
process.stdout.write(`${out.join('\n')}\n`);
process.exitCode = startFailed ? 2 : failures.length === 0 && problems.length === 0 ? 0 : 1;
