/**
 * The offline trust a CLI keeps: the gateway's signed snapshot in `<trust dir>/snapshot.jws` (the SDK's trust store
 * with its file storage) and a copy of the pinned snapshot keys it was checked with in `<trust dir>/pinned-keys.json`.
 * The snapshot's jurisdiction is read from its payload; the signature check against the pinned keys is what makes
 * that payload trustworthy (`openSignedSnapshot` refuses anything else).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileTrustStorage, newTrustStore, type TrustStore } from '@hutong/verifier-sdk';
import { CliError, EXIT } from './cli-error.js';
import { hutongHome, loadConfigFile, type GlobalOptions } from './cli-config.js';

export interface Jwks {
  keys: Array<Record<string, unknown>>;
}

export function trustDir(dir: string | undefined, options: GlobalOptions): string {
  return resolve(dir ?? loadConfigFile(options).trustDir ?? join(hutongHome(), 'trust'));
}

export function readJwks(file: string): Jwks {
  let jwks: unknown;
  try {
    jwks = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError('KEYS_UNREADABLE', `the pinned keys ${file} are not readable JSON (${(e as NodeJS.ErrnoException).code ?? 'syntax error'})`);
  }
  if (!Array.isArray((jwks as Jwks)?.keys) || (jwks as Jwks).keys.length === 0) throw new CliError('KEYS_INVALID', `${file} is not a JWKS ({ "keys": [...] })`);
  if ((jwks as Jwks).keys.some((k) => 'd' in k)) throw new CliError('KEYS_INVALID', `${file} holds a private key: pin the public JWKS only`);
  return jwks as Jwks;
}

/** The jurisdiction a compact JWS's payload names (trusted only once its signature is checked). */
export function jurisdictionOf(jws: string): string {
  try {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jurisdiction?: unknown };
    if (typeof payload.jurisdiction === 'string') return payload.jurisdiction;
  } catch {
    // refused below
  }
  throw new CliError('SNAPSHOT_INVALID', 'the snapshot names no jurisdiction', EXIT.UNAVAILABLE);
}

/** Saves a fetched snapshot after checking it against `jwks`; returns the store holding it. */
export async function saveSnapshot(dir: string, jws: string, jwks: Jwks): Promise<TrustStore> {
  mkdirSync(dir, { recursive: true });
  const store = newTrustStore({
    fetchSnapshot: async () => jws, jwks: jwks as never, jurisdiction: jurisdictionOf(jws), storage: fileTrustStorage(join(dir, 'snapshot.jws')),
    refreshIntervalSeconds: 0,
  });
  try {
    await store.refresh();
  } catch (e) {
    throw new CliError((e as { code?: string }).code ?? 'SNAPSHOT_INVALID', `the snapshot was refused: ${(e as Error).message}`, EXIT.USAGE);
  }
  writeFileSync(join(dir, 'pinned-keys.json'), `${JSON.stringify(jwks, null, 2)}\n`);
  return store;
}

/** The saved snapshot, opened with the pinned keys (`keysFile`, else the copy saved beside it), offline. */
export async function openSavedSnapshot(dir: string, keysFile: string | undefined, maxAgeSeconds: number | undefined): Promise<TrustStore> {
  const file = join(dir, 'snapshot.jws');
  if (!existsSync(file)) throw new CliError('SNAPSHOT_NOT_SAVED', `no saved snapshot in ${dir}: run hutong trust snapshot first`);
  const jwks = readJwks(keysFile ?? join(dir, 'pinned-keys.json'));
  const store = newTrustStore({
    fetchSnapshot: () => Promise.reject(new Error('offline')), jwks: jwks as never, jurisdiction: jurisdictionOf(readFileSync(file, 'utf8')),
    storage: fileTrustStorage(file), refreshIntervalSeconds: 0, ...(maxAgeSeconds !== undefined ? { maxSnapshotAgeSeconds: maxAgeSeconds } : {}),
  });
  try {
    await store.ready();
  } catch {
    throw new CliError('SNAPSHOT_INVALID', `the saved snapshot in ${dir} is not signed by the pinned keys: fetch it again`, EXIT.UNAVAILABLE);
  }
  return store;
}
