/**
 * Finds the Fabric home the network runs from: the layout of Fabric's release archive (`bin/` with the six tools,
 * `config/` with the sample core.yaml and orderer.yaml). Looked for, in order: an explicit directory (`--fabric-home`),
 * `FABRIC_HOME`, the project's cache folder (`~/.cache/hutong/fabric-3.1.5`, `HUTONG_CACHE_DIR` respected), then
 * `peer` on PATH with `config/` beside its `bin/`. Only Fabric 3.1.x is accepted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { NetworkError } from './network-error.js';

export const FABRIC_VERSION = '3.1.5';
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen', 'configtxlator'] as const;
export type FabricTool = (typeof FABRIC_TOOLS)[number];
const CONFIG_FILES = ['core.yaml', 'orderer.yaml'] as const;

export interface FabricHome {
  readonly dir: string;
  readonly binDir: string;
  readonly configDir: string;
  /** As the binaries report it: `3.1.5`, or `latest` for a build from the v3.1.5 tag without a version stamp. */
  readonly version: string;
  /** Where it was found. */
  readonly source: 'flag' | 'FABRIC_HOME' | 'cache' | 'PATH';
}

type Env = Readonly<Record<string, string | undefined>>;

export function cacheRoot(env: Env = process.env): string {
  return env['HUTONG_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'hutong');
}

/** Where `install` puts a Fabric home and where the CLI looks by default. */
export function defaultFabricHomeDir(env: Env = process.env): string {
  return join(cacheRoot(env), `fabric-${FABRIC_VERSION}`);
}

/** What is missing from a candidate directory, or undefined when it has the release archive's layout. */
function missingParts(dir: string): string | undefined {
  if (!existsSync(dir)) return `${dir} does not exist`;
  const missing = [
    ...FABRIC_TOOLS.map((t) => join('bin', t)).filter((p) => !isExecutable(join(dir, p))),
    ...CONFIG_FILES.map((f) => join('config', f)).filter((p) => !existsSync(join(dir, p))),
  ];
  return missing.length > 0 ? `${dir} lacks ${missing.join(', ')}` : undefined;
}

function isExecutable(path: string): boolean {
  try {
    return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** `Version: 3.1.5` from `peer version` / `orderer version`. */
export function readVersion(binary: string): string {
  const r = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000, env: { PATH: process.env['PATH'] ?? '' } });
  const m = /^\s*Version:\s*(\S+)/m.exec(r.stdout ?? '');
  if (r.status !== 0 || !m?.[1]) {
    throw new NetworkError('FABRIC_VERSION_UNSUPPORTED', `cannot read the version of ${binary}: ${(r.stderr || r.error?.message || 'no output').trim()}`);
  }
  return m[1];
}

export function isSupportedVersion(version: string): boolean {
  return /^3\.1\.\d+$/.test(version) || version === 'latest';
}

export interface FabricHomeSearch {
  home?: FabricHome;
  /** Every place looked at and why it was not used; empty when the first candidate was used. */
  rejected: string[];
}

/** Looks for a Fabric home without throwing: the test suites use this to decide whether to run or skip. */
export function searchFabricHome(options: Readonly<{ dir?: string; env?: Env }> = {}): FabricHomeSearch {
  const env = options.env ?? process.env;
  const candidates: Array<{ dir: string; source: FabricHome['source'] }> = [];
  if (options.dir) candidates.push({ dir: resolve(options.dir), source: 'flag' });
  else {
    if (env['FABRIC_HOME']) candidates.push({ dir: resolve(env['FABRIC_HOME']), source: 'FABRIC_HOME' });
    candidates.push({ dir: defaultFabricHomeDir(env), source: 'cache' });
    for (const p of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
      if (isExecutable(join(p, 'peer'))) {
        candidates.push({ dir: dirname(resolve(p)), source: 'PATH' });
        break;
      }
    }
  }
  const rejected: string[] = [];
  for (const { dir, source } of candidates) {
    const missing = missingParts(dir);
    if (missing) {
      rejected.push(`${source}: ${missing}`);
      continue;
    }
    const binDir = join(dir, 'bin');
    let version: string;
    try {
      version = readVersion(join(binDir, 'peer'));
      const ordererVersion = readVersion(join(binDir, 'orderer'));
      if (ordererVersion !== version) throw new NetworkError('FABRIC_VERSION_UNSUPPORTED', `peer reports ${version} but orderer reports ${ordererVersion}`);
    } catch (e) {
      rejected.push(`${source}: ${dir}: ${(e as Error).message}`);
      continue;
    }
    if (!isSupportedVersion(version)) {
      rejected.push(`${source}: ${dir} holds Fabric ${version}; hutong needs 3.1.x`);
      continue;
    }
    return { home: { dir, binDir, configDir: join(dir, 'config'), version, source }, rejected };
  }
  return { rejected };
}

/** The Fabric home to use, or FABRIC_HOME_NOT_FOUND saying where it looked and what each place lacked. */
export function findFabricHome(options: Readonly<{ dir?: string; env?: Env }> = {}): FabricHome {
  const { home, rejected } = searchFabricHome(options);
  if (home) return home;
  throw new NetworkError(
    'FABRIC_HOME_NOT_FOUND',
    `no Fabric ${FABRIC_VERSION} home found. Looked at:\n  ${rejected.join('\n  ') || '(nothing to look at)'}\n` +
      `Run \`npm run network -- install\` for how to get one, or pass --fabric-home DIR / set FABRIC_HOME.`,
  );
}

export function describeHome(home: FabricHome): string {
  const stamp = home.version === 'latest' ? 'latest (built from source without a version stamp)' : home.version;
  return `Fabric ${stamp} at ${home.dir} (from ${home.source})`;
}
