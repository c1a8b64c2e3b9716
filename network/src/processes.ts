/**
 * Native daemons: each started in its own session (so that no shell, npm or `timeout` process group takes it down),
 * its output appended to its own log, its PID recorded. A recorded process counts as running only while its
 * command line still names the binary it was started from, so a recycled PID is never mistaken for it, and every
 * stop signals exactly the recorded PID.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NetworkError } from './network-error.js';

export interface ProcessRecord {
  name: string;
  pid: number;
  /** A string the process's command line contains (the binary or script path). */
  match: string;
  log: string;
  startedAt: string;
}

export interface DaemonSpec {
  name: string;
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  log: string;
  /** Defaults to `command`. */
  match?: string;
}

export function startDaemon(spec: Readonly<DaemonSpec>): ProcessRecord {
  mkdirSync(dirname(spec.log), { recursive: true });
  const fd = openSync(spec.log, 'a');
  try {
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new NetworkError('PROCESS_FAILED', `${spec.name} could not be started (${spec.command})`);
    child.unref();
    return { name: spec.name, pid: child.pid, match: spec.match ?? spec.command, log: spec.log, startedAt: new Date().toISOString() };
  } finally {
    closeSync(fd);
  }
}

export function isRunning(record: Pick<ProcessRecord, 'pid' | 'match'>): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    // A zombie has an empty command line: it is not running any more.
    return cmdline.includes(record.match);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the PID is gone (or no longer this process). */
export async function stopProcess(record: ProcessRecord, graceMs = 5000): Promise<'stopped' | 'not-running'> {
  if (!isRunning(record)) return 'not-running';
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(record) && Date.now() < deadline) await sleep(50);
  if (isRunning(record)) {
    process.kill(record.pid, 'SIGKILL');
    while (isRunning(record)) await sleep(20);
  }
  return 'stopped';
}

/** The last lines of a log, for error messages. */
export function logTail(log: string, lines = 8): string {
  if (!existsSync(log)) return '(no log)';
  return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n    ');
}

/** The PID file of a network: name → record. */
export class ProcessTable {
  private readonly file: string;
  private records: Record<string, ProcessRecord>;

  constructor(dir: string) {
    this.file = join(dir, 'processes.json');
    this.records = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, ProcessRecord>) : {};
  }

  get(name: string): ProcessRecord | undefined {
    return this.records[name];
  }

  all(): ProcessRecord[] {
    return Object.values(this.records);
  }

  set(record: ProcessRecord): void {
    this.records[record.name] = record;
    this.save();
  }

  delete(name: string): void {
    delete this.records[name];
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.records, null, 2)}\n`);
  }
}
