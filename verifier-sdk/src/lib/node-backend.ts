// Node fast path: node:crypto verify with IEEE P1363 signatures and cached KeyObjects, one-shot SHA-256, and
// zlib.inflateRawSync with maxOutputLength so a decompression bomb stops at the cap.
import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { Buffer } from 'node:buffer';
import type { CryptoBackend } from './crypto-backend.js';

export function newNodeBackend(): CryptoBackend {
  const sha256 = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');
  // One scratch buffer 0x01 ‖ L ‖ R, digests kept as latin1 strings: node:crypto returns a string about twice as
  // fast as a Buffer, and writing it back into the scratch buffer allocates nothing.
  const work = Buffer.alloc(65);
  work[0] = 0x01;
  return {
    name: 'node',
    sha256,
    foldProof(leafInput, steps) {
      const leaf = hash('sha256', leafInput, 'latin1');
      let r = leaf;
      for (const { sibling, siblingOnLeft } of steps) {
        work.set(sibling, siblingOnLeft ? 1 : 33);
        work.write(r, siblingOnLeft ? 33 : 1, 32, 'latin1');
        r = hash('sha256', work, 'latin1');
      }
      work.write(leaf, 1, 32, 'latin1');
      work.write(r, 33, 32, 'latin1');
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
    inflateRaw(data, maxOutput) {
      try {
        const { buffer, engine } = inflateRawSync(data, { maxOutputLength: maxOutput, info: true });
        // Bytes after the final block would be ignored by zlib but refused by DecompressionStream: refuse here too.
        return engine.bytesWritten === data.length ? buffer : 'invalid';
      } catch (e) {
        return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'invalid';
      }
    },
    base64url(data) {
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
    },
  };
}
