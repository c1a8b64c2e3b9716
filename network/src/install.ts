/**
 * `install`: makes sure a Fabric home exists. A found home is reported and reused. Otherwise, for users whose Go
 * module proxy serves Fabric, the tools are built with `go install` at the v3.1.5 release commit (Fabric's module
 * path has no /v3 suffix, so the go command needs the commit, not the tag) and the sample configuration is copied from
 * the module download. When the proxy refuses, it says exactly where to get the release archive and where to put it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFabricHomeDir, describeHome, FABRIC_TOOLS, FABRIC_VERSION, searchFabricHome, type FabricHome } from './fabric-home.js';
import { NetworkError } from './network-error.js';

const FABRIC_MODULE = 'github.com/hyperledger/fabric';
const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
export const RELEASE_ARCHIVE_URL = `https://github.com/hyperledger/fabric/releases/download/v${FABRIC_VERSION}/hyperledger-fabric-linux-amd64-${FABRIC_VERSION}.tar.gz`;

export function releaseArchiveInstructions(target = defaultFabricHomeDir()): string {
  return (
    `Get Fabric's release archive and unpack it into the Fabric home (it holds bin/ and config/):\n` +
    `  curl -fsSLo /tmp/fabric.tar.gz ${RELEASE_ARCHIVE_URL}\n` +
    `  mkdir -p ${target} && tar -xzf /tmp/fabric.tar.gz -C ${target}\n` +
    `or point FABRIC_HOME (or --fabric-home) at an unpacked archive elsewhere.`
  );
}

interface ModuleDownload {
  Dir?: string;
  Error?: string;
}

export function install(options: Readonly<{ dir?: string; log?: (line: string) => void }> = {}): FabricHome {
  const log = options.log ?? console.log;
  const found = searchFabricHome({ ...(options.dir ? { dir: options.dir } : {}) });
  if (found.home) {
    log(`fabric: ${describeHome(found.home)}`);
    return found.home;
  }
  for (const line of found.rejected) log(`fabric: not usable — ${line}`);
  const target = options.dir ?? defaultFabricHomeDir();
  const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new NetworkError('GO_NOT_FOUND', `Go is not on PATH, so Fabric cannot be built with go install.\n${releaseArchiveInstructions(target)}`);
  }
  log(`fabric: asking the Go module proxy for ${FABRIC_MODULE}@${FABRIC_COMMIT} (v${FABRIC_VERSION})`);
  const download = spawnSync('go', ['mod', 'download', '-json', `${FABRIC_MODULE}@${FABRIC_COMMIT}`], { encoding: 'utf8', cwd: '/' });
  let module: ModuleDownload;
  try {
    module = JSON.parse(download.stdout) as ModuleDownload;
  } catch {
    module = { Error: (download.stderr || 'no answer').trim() };
  }
  if (download.status !== 0 || !module.Dir) {
    throw new NetworkError(
      'FABRIC_UNAVAILABLE',
      `the Go module proxy does not serve Fabric here: ${module.Error ?? download.stderr.trim()}\n${releaseArchiveInstructions(target)}`,
    );
  }
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'config'), { recursive: true });
  log(`fabric: building ${FABRIC_TOOLS.join(', ')} (several minutes on 2 cores)`);
  const build = spawnSync(
    'go',
    ['install', '-ldflags', `-X ${FABRIC_MODULE}/common/metadata.Version=${FABRIC_VERSION}`, ...FABRIC_TOOLS.map((t) => `${FABRIC_MODULE}/cmd/${t}@${FABRIC_COMMIT}`)],
    { stdio: 'inherit', cwd: '/', env: { ...process.env, GOBIN: join(staging, 'bin') } },
  );
  if (build.status !== 0) throw new NetworkError('FABRIC_BUILD_FAILED', `go install of Fabric ${FABRIC_VERSION} failed (exit ${build.status})`);
  for (const file of ['core.yaml', 'orderer.yaml', 'configtx.yaml']) {
    const from = join(module.Dir, 'sampleconfig', file);
    if (existsSync(from)) copyFileSync(from, join(staging, 'config', file));
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target); // the home appears whole or not at all
  const home = searchFabricHome({ dir: target }).home;
  if (!home) throw new NetworkError('FABRIC_BUILD_FAILED', `the built Fabric home at ${target} is incomplete`);
  log(`fabric: ${describeHome(home)}`);
  return home;
}
