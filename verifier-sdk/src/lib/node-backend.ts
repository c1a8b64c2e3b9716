// Node fast path: node:crypto verify with IEEE P1363 signatures and cached KeyObjects, one-shot SHA-256.
// The proof fold runs in the optional native addon (package @hutong/verifier-sdk-native, native/merkle-fold.c) when it
// is installed and built: one call instead of one
// node:crypto call per hash (docs/sdk-performance.md).
import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';
import native from '../../optional-native.cjs';
import type { CryptoBackend } from './crypto-backend.js';

/** Options of {@link newNodeBackend}. */
export interface NodeBackendOptions {
  /** Use the native fold when it is built (default true); false folds with node:crypto. */
  nativeFold?: boolean;
}

/** Whether the native fold is built and loaded in this process (and why not, when it failed to load). */
export function nativeFoldStatus(): { loaded: boolean; loadError: string | null } {
  return { loaded: native.fold !== null, loadError: native.loadError };
}

export function newNodeBackend(options: NodeBackendOptions = {}): CryptoBackend {
  const sha256 = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');
  const nativeFold = options.nativeFold === false ? null : native.fold;
  const folded = Buffer.alloc(64);
  // One scratch buffer 0x01 ‖ L ‖ R, digests kept as latin1 strings: node:crypto returns a string about twice as
  // fast as a Buffer, and writing it back into the scratch buffer allocates nothing.
  const work = Buffer.alloc(65);
  work[0] = 0x01;
  return {
    name: nativeFold ? 'node+native-fold' : 'node',
    sha256,
    foldProof(leafInput, hashes, at, sides, count) {
      if (nativeFold !== null) {
        nativeFold(leafInput, hashes, at, sides, count, folded);
        return { leafHash: folded.toString('hex', 0, 32), root: folded.toString('hex', 32, 64) };
      }
      const leaf = hash('sha256', leafInput, 'latin1');
      let r = leaf;
      for (let k = 0; k < count; k++) {
        // sibling ‖ r or r ‖ sibling after the 0x01 prefix, both written byte by byte in one loop: the latin1
        // digest string's code units are its bytes (Buffer#write costs more than the loop for 32 bytes).
        const s = at + 32 * k, left = sides[k] === 1;
        const o = left ? 1 : 33, ro = left ? 33 : 1;
        for (let j = 0; j < 32; j++) {
          work[o + j] = hashes[s + j]!;
          work[ro + j] = r.charCodeAt(j);
        }
        r = hash('sha256', work, 'latin1');
      }
      for (let j = 0; j < 32; j++) {
        work[1 + j] = leaf.charCodeAt(j);
        work[33 + j] = r.charCodeAt(j);
      }
      return { leafHash: work.toString('hex', 1, 33), root: work.toString('hex', 33, 65) };
    },
    async importKey(_alg, jwk) {
      return createPublicKey({ key: jwk, format: 'jwk' });
    },
    verify(alg, key, signature, data) {
      try {
        const k = key as KeyObject;
        return alg === 'ES256'
          ? verify('sha256', data, { key: k, dsaEncoding: 'ieee-p1363' }, signature)
          : verify(null, data, k, signature);
      } catch {
        return false;
      }
    },
    base64url(data) {
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
    },
  };
}
