// Node fast path: node:crypto verify with IEEE P1363 signatures and cached KeyObjects, one-shot SHA-256, and
// zlib.inflateRawSync with maxOutputLength so a decompression bomb stops at the cap.
import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { Buffer } from 'node:buffer';
import type { CryptoBackend } from './crypto-backend.js';

export function newNodeBackend(): CryptoBackend {
  const sha256 = (data: Uint8Array): Uint8Array => hash('sha256', data, 'buffer');
  return {
    name: 'node',
    sha256,
    sha256Sync: sha256,
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
