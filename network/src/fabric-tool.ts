/**
 * Runs one of the Fabric home's command-line tools. The binaries read every CORE_* / ORDERER_* / FABRIC_* variable as a
 * configuration override, so a tool gets a clean environment: PATH and HOME, then exactly the variables passed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FabricHome, FabricTool } from './fabric-home.js';
import { NetworkError } from './network-error.js';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** Kill the tool after this many ms (default 60 s). */
  timeoutMs?: number;
}

/** The environment a Fabric binary starts with: nothing inherited that it could read as configuration. */
export function fabricEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...extra };
}

export function runTool(home: FabricHome, tool: FabricTool, args: readonly string[], options: Readonly<ToolOptions> = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(home.binDir, tool), args, {
      env: fabricEnv({ FABRIC_CFG_PATH: home.configDir, ...options.env }),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new NetworkError('TOOL_FAILED', `${tool} could not start: ${e.message}`, { cause: e }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const tail = (stderr || stdout).trim().split('\n').slice(-4).join('\n    ');
      reject(new NetworkError('TOOL_FAILED', `${tool} ${args.slice(0, 3).join(' ')} failed (${signal ?? `exit ${code}`}):\n    ${tail}`));
    });
  });
}
