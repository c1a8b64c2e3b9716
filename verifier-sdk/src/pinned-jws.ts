// The signature check shared by everything a gateway publishes for offline verifiers (trust snapshots, trust packs):
// a compact JWS, ES256 only, of the expected `typ`, signed by a key of the organisation's pinned JWKS.
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { HutongSdkError } from './errors.js';

/**
 * The payload of `jws` once its signature, algorithm and `typ` check out against `jwks`; throws HutongSdkError
 * `SNAPSHOT_SIGNATURE_INVALID` otherwise, and before any decoding for a text longer than `maxChars`.
 */
export async function verifyPinnedJws(
  jws: string,
  options: Readonly<{ jwks: JSONWebKeySet; typ: string; maxChars: number; what: string }>,
): Promise<Uint8Array> {
  if (typeof jws !== 'string' || jws.length > options.maxChars) throw new HutongSdkError('SNAPSHOT_SIGNATURE_INVALID', `not a signed ${options.what} of acceptable size`);
  try {
    const verified = await compactVerify(jws, createLocalJWKSet(options.jwks), { algorithms: ['ES256'] });
    if (verified.protectedHeader.typ !== options.typ) throw new Error(`typ is not ${options.typ}`);
    return verified.payload;
  } catch (cause) {
    throw new HutongSdkError('SNAPSHOT_SIGNATURE_INVALID', `the ${options.what} is not signed by a pinned snapshot key`, { cause });
  }
}
