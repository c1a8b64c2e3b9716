// A gateway publishes its trust snapshot as a compact JWS signed with its organisation's snapshot key
// (docs/protocol.md §6). An app pins that organisation's JWKS and opens the snapshot before verifying offline.
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { HutongSdkError } from './errors.js';
import type { TrustSnapshot } from './trust-snapshot.js';

/** `typ` of a signed trust snapshot. */
export const SNAPSHOT_JWS_TYP = 'hutong-trust-snapshot+jws;v=1';

/** Largest signed snapshot accepted, in characters (checked before any decoding). */
const MAX_SNAPSHOT_JWS_CHARS = 32 * 1024 * 1024;

/**
 * Checks a signed trust snapshot against the pinned JWKS of the organisation that published it (ES256 only, `typ`
 * {@link SNAPSHOT_JWS_TYP}) and returns the snapshot. Throws {@link HutongSdkError} `SNAPSHOT_SIGNATURE_INVALID`
 * when the signature, key, algorithm or type is wrong, and `SNAPSHOT_INVALID` when the payload is not a snapshot of
 * the expected jurisdiction. Freshness is judged later by the verifier (`maxSnapshotAgeSeconds`).
 *
 * @example
 * ```ts
 * import { newVerifier, openSignedSnapshot } from '@hutong/verifier-sdk';
 * const { jws } = await (await fetch(`${gateway}/v1/trust/snapshot`, { headers })).json();
 * const trust = await openSignedSnapshot(jws, { jwks: pinnedMacauSnapshotJwks, jurisdiction: 'MacauMSP' });
 * const verifier = newVerifier({ trust, jurisdiction: 'MacauMSP' });
 * ```
 */
export async function openSignedSnapshot(jws: string, options: Readonly<{ jwks: JSONWebKeySet; jurisdiction: string }>): Promise<TrustSnapshot> {
  if (typeof jws !== 'string' || jws.length > MAX_SNAPSHOT_JWS_CHARS) throw new HutongSdkError('SNAPSHOT_SIGNATURE_INVALID', 'not a signed snapshot of acceptable size');
  let payload: Uint8Array;
  try {
    const verified = await compactVerify(jws, createLocalJWKSet(options.jwks), { algorithms: ['ES256'] });
    if (verified.protectedHeader.typ !== SNAPSHOT_JWS_TYP) throw new Error(`typ is not ${SNAPSHOT_JWS_TYP}`);
    payload = verified.payload;
  } catch (cause) {
    throw new HutongSdkError('SNAPSHOT_SIGNATURE_INVALID', 'the snapshot is not signed by a pinned snapshot key', { cause });
  }
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(payload)); // a BOM is not JSON
  } catch (cause) {
    throw new HutongSdkError('SNAPSHOT_INVALID', 'the signed payload is not JSON', { cause });
  }
  const s = snapshot as Partial<TrustSnapshot> | null;
  if (!s || typeof s !== 'object' || s.version !== 1 || s.jurisdiction !== options.jurisdiction) {
    throw new HutongSdkError('SNAPSHOT_INVALID', `the signed payload is not a version-1 snapshot for ${options.jurisdiction}`);
  }
  return s as TrustSnapshot;
}
