/**
 * Where the gateway is and which token to send, resolved once per command, first found wins:
 * 1. `--gateway URL` / `--token TOKEN`;
 * 2. environment: HUTONG_GATEWAY_URL, HUTONG_TOKEN;
 * 3. `--org NAME`: the demo's runtime file (`$HUTONG_HOME/runtime.json`, written by `npm start`): that organisation's
 *    URL and the token of the role the command needs;
 * 4. the config file: `--config FILE`, else HUTONG_CLI_CONFIG, else `~/.config/hutong/cli.json` (if it exists):
 *    `{ "gateway": URL, "token": TOKEN, "tokens": { ROLE: TOKEN }, "snapshotKeys": FILE, "trustDir": DIR }`.
 * Tokens never appear in output or errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from './cli-error.js';

/** The gateway roles a command may need (gateway/src/auth/principal.ts). */
export type Role = 'checkpoint' | 'issuer' | 'auditor' | 'admin' | 'partner';

export interface GlobalOptions {
  gateway?: string;
  token?: string;
  org?: string;
  config?: string;
  json?: boolean;
  lang?: string;
}

export interface CliConfigFile {
  gateway?: string;
  token?: string;
  tokens?: Partial<Record<Role, string>>;
  snapshotKeys?: string;
  trustDir?: string;
}

export interface GatewayTarget {
  url: string;
  token: string | undefined;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError('CONFIG_INVALID', `${what} ${file} is not readable JSON (${(e as NodeJS.ErrnoException).code ?? 'syntax error'})`);
  }
}

/** The demo's home (`npm start` writes runtime.json and the pinned snapshot keys there). */
export function hutongHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['HUTONG_HOME'] ?? '.hutong');
}

export function loadConfigFile(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliConfigFile {
  const explicit = options.config ?? env['HUTONG_CLI_CONFIG'];
  const file = explicit ?? join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'hutong', 'cli.json');
  if (!existsSync(file)) {
    if (explicit) throw new CliError('CONFIG_NOT_FOUND', `no config file at ${file}`);
    return {};
  }
  const c = readJson(file, 'the config file');
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new CliError('CONFIG_INVALID', `the config file ${file} is not a JSON object`);
  return c as CliConfigFile;
}

interface RuntimeFile {
  gateways?: Record<string, { url?: string; tokens?: Partial<Record<Role, string>> }>;
}

function fromRuntime(org: string, role: Role, env: NodeJS.ProcessEnv): GatewayTarget {
  const file = join(hutongHome(env), 'runtime.json');
  if (!existsSync(file)) throw new CliError('CONFIG_NOT_FOUND', `--org needs the runtime file of a running demo (${file}): run npm start first`);
  const runtime = readJson(file, 'the runtime file') as RuntimeFile;
  const g = runtime.gateways?.[org];
  if (!g?.url) throw new CliError('CONFIG_INVALID', `--org must be one of: ${Object.keys(runtime.gateways ?? {}).join(', ')}`);
  return { url: g.url, token: g.tokens?.[role] };
}

/** The gateway a command talks to, with the token of `role`. */
export function gatewayTarget(options: GlobalOptions, role: Role, env: NodeJS.ProcessEnv = process.env): GatewayTarget {
  const file = loadConfigFile(options, env);
  const runtime = options.org !== undefined ? fromRuntime(options.org, role, env) : undefined;
  const url = options.gateway ?? env['HUTONG_GATEWAY_URL'] ?? runtime?.url ?? file.gateway;
  if (!url) {
    throw new CliError('GATEWAY_NOT_CONFIGURED', 'no gateway: give --gateway URL, set HUTONG_GATEWAY_URL, use --org NAME with a running demo, or write a config file');
  }
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new CliError('CONFIG_INVALID', `the gateway URL must be http(s)://host[:port], not '${url}'`);
  const token = options.token ?? env['HUTONG_TOKEN'] ?? runtime?.token ?? file.tokens?.[role] ?? file.token;
  return { url: url.replace(/\/+$/, ''), token };
}
