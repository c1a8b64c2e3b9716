/**
 * Node: the trust store's signed snapshot in a file, written whole to a temporary file then renamed (a crash never
 * leaves half a snapshot), mode 600.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { TrustStorage } from './trust-store.js';

/**
 * A {@link TrustStorage} in the file `path` (its folder is created).
 *
 * @example
 * ```ts
 * import { newTrustStore, fileTrustStorage } from '@hutong/verifier-sdk';
 * const store = newTrustStore({ url, headers, jwks, jurisdiction: 'MacauMSP', storage: fileTrustStorage('.hutong/trust/macau.jws') });
 * ```
 */
export function fileTrustStorage(path: string): TrustStorage {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
  return {
    async load() {
      try {
        return await readFile(path, 'utf8');
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async save(jws) {
      await mkdir(dir, { recursive: true });
      const tmp = `${path}.${Date.now()}.tmp`;
      await writeFile(tmp, jws, { mode: 0o600 });
      await rename(tmp, path);
    },
  };
}
