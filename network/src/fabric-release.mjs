// The pinned Fabric release and where its binaries are cached. The commit is the v3.1.5 release commit:
// Fabric's module path has no /v3 suffix, so the go command refuses the tag and needs the commit.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const FABRIC_MODULE = 'github.com/hyperledger/fabric';
export const FABRIC_VERSION = '3.1.5';
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
/** Fallbacks named by the issue, tried in order when the proxy refuses the pinned commit. */
export const FABRIC_FALLBACKS = [
  { version: '2.5.16', ref: 'f871cf92a026aba7b12e6f06d71ded3e6e659d71' },
  { version: 'pseudo', ref: 'v1.4.0-rc1.0.20251104071554-c6e65c6704fe' },
];
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen'];
export const MIN_GO = [1, 26, 4];

export function cacheRoot() {
  return process.env.HUTONG_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hutong');
}

/** Binaries live under a directory keyed by the commit they were built from, so a new pin never reuses old ones. */
export function binDir(ref = FABRIC_COMMIT) {
  return join(cacheRoot(), `fabric-${ref}`, 'bin');
}
