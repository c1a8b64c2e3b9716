// Builds the pinned Fabric binaries with `go install` into a cache keyed by the commit; a present cache is reused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { binDir, FABRIC_COMMIT, FABRIC_FALLBACKS, FABRIC_MODULE, FABRIC_TOOLS, FABRIC_VERSION, MIN_GO } from './fabric-release.mjs';

export class NetworkError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function goVersion() {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new NetworkError('GO_NOT_FOUND', 'Go is not on PATH: the Fabric binaries are built with `go install` (Go >= 1.26.4).');
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(r.stdout.trim());
  if (!m) throw new NetworkError('GO_NOT_FOUND', `cannot read the Go version from '${r.stdout.trim()}'`);
  const v = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  for (let i = 0; i < 3; i++) {
    if (v[i] > MIN_GO[i]) break;
    if (v[i] < MIN_GO[i]) throw new NetworkError('GO_TOO_OLD', `Go ${v.join('.')} is too old: Fabric ${FABRIC_VERSION} needs Go >= ${MIN_GO.join('.')}.`);
  }
  return v.join('.');
}

export function installedBinDir() {
  for (const ref of [FABRIC_COMMIT, ...FABRIC_FALLBACKS.map((f) => f.ref)]) {
    const dir = binDir(ref);
    if (FABRIC_TOOLS.every((t) => existsSync(join(dir, t)))) return dir;
  }
  return undefined;
}

/** Asks the module proxy whether it serves `ref` (cheap: no build). Returns the refusal text, or undefined. */
function proxyRefusal(ref) {
  const r = spawnSync('go', ['list', '-m', '-json', `${FABRIC_MODULE}@${ref}`], { encoding: 'utf8', cwd: dirname(binDir(ref)) });
  return r.status === 0 ? undefined : (r.stderr.trim().split('\n').pop() ?? 'refused');
}

export function install({ log = console.log } = {}) {
  const cached = installedBinDir();
  if (cached) {
    log(`fabric: binaries cached in ${cached}`);
    return cached;
  }
  log(`fabric: Go ${goVersion()}`);
  const refusals = [];
  for (const { version, ref } of [{ version: FABRIC_VERSION, ref: FABRIC_COMMIT }, ...FABRIC_FALLBACKS]) {
    const target = binDir(ref);
    mkdirSync(dirname(target), { recursive: true });
    const refusal = proxyRefusal(ref);
    if (refusal) {
      refusals.push(`${ref} (${version}): ${refusal}`);
      log(`fabric: the module proxy refuses ${FABRIC_MODULE}@${ref}`);
      continue;
    }
    const staging = `${target}.partial`;
    rmSync(staging, { recursive: true, force: true });
    log(`fabric: building ${FABRIC_TOOLS.join(', ')} at ${ref} (first run only; several minutes on 2 cores)`);
    const r = spawnSync('go', ['install', '-ldflags', `-X ${FABRIC_MODULE}/common/metadata.Version=${version}`, ...FABRIC_TOOLS.map((t) => `${FABRIC_MODULE}/cmd/${t}@${ref}`)], {
      stdio: 'inherit',
      cwd: dirname(target),
      env: { ...process.env, GOBIN: staging },
    });
    if (r.status !== 0) throw new NetworkError('FABRIC_BUILD_FAILED', `go install of Fabric ${ref} failed (exit ${r.status})`);
    renameSync(staging, target); // the cache appears whole or not at all
    log(`fabric: binaries ready in ${target}`);
    return target;
  }
  throw new NetworkError(
    'FABRIC_UNAVAILABLE',
    `the Go module proxy serves no Fabric release this project can build:\n  ${refusals.join('\n  ')}\n` +
      'The real network needs these binaries; the embedded dev ledger (npm start) runs the same chaincode logic without them.',
  );
}
