// A gateway publishes its trust snapshot as a compact JWS signed with its organisation's snapshot key
// (docs/protocol.md §6). An app pins that organisation's JWKS and opens the snapshot before verifying offline.
import type { JSONWebKeySet } from 'jose';
import { HutongSdkError } from './errors.js';
import { verifyPinnedJws } from './pinned-jws.js';
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
  const payload = await verifyPinnedJws(jws, { jwks: options.jwks, typ: SNAPSHOT_JWS_TYP, maxChars: MAX_SNAPSHOT_JWS_CHARS, what: 'snapshot' });
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
