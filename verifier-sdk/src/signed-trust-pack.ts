// A gateway publishes trust packs (docs/protocol.md §6.5) as compact JWSs signed with its organisation's snapshot
// key, the pack bytes as the payload. An app pins that organisation's JWKS and opens each pack with it.
import type { JSONWebKeySet } from 'jose';
import { verifyPinnedJws } from './pinned-jws.js';
import type { TrustIndex } from './trust-index.js';
import { openTrustPack, TRUST_PACK_LIMITS, type OpenedTrustPack } from './trust-pack.js';

/** `typ` of a signed trust pack. */
export const TRUST_PACK_JWS_TYP = 'hutong-trust-pack+jws;v=1';

/** A compact JWS of a pack of the largest size: base64url of the payload plus header and signature. */
const MAX_PACK_JWS_CHARS = Math.ceil((TRUST_PACK_LIMITS.maxPackBytes * 4) / 3) + 1024;

/**
 * Checks a signed trust pack against the pinned JWKS (ES256 only, `typ` {@link TRUST_PACK_JWS_TYP}) and opens it
 * into the trust index of the state it leads to — a delta on `base`, which it leaves unchanged. Throws
 * {@link HutongSdkError} `SNAPSHOT_SIGNATURE_INVALID` (signature, key, algorithm, type) or `SNAPSHOT_INVALID`
 * (`details.check`: `BASE_MISMATCH`, `DIGEST_MISMATCH`, `BOUND`, `JURISDICTION`, `FORMAT`).
 *
 * @example
 * ```ts
 * import { newVerifierOnIndex, openSignedTrustPack } from '@hutong/verifier-sdk';
 * const { jws } = await (await fetch(`${gateway}/v1/trust/pack`, { headers })).json();
 * const full = await openSignedTrustPack(jws, { jwks: pinnedJwks, jurisdiction: 'MacauMSP' });
 * const next = await openSignedTrustPack(deltaJws, { jwks: pinnedJwks, jurisdiction: 'MacauMSP', base: full });
 * const verifier = newVerifierOnIndex(next.index, { jurisdiction: 'MacauMSP' });
 * ```
 */
export async function openSignedTrustPack(
  jws: string,
  options: Readonly<{ jwks: JSONWebKeySet; jurisdiction: string; base?: { index: TrustIndex; sequence: number } }>,
): Promise<OpenedTrustPack> {
  const payload = await verifyPinnedJws(jws, { jwks: options.jwks, typ: TRUST_PACK_JWS_TYP, maxChars: MAX_PACK_JWS_CHARS, what: 'trust pack' });
  return openTrustPack(payload, { jurisdiction: options.jurisdiction, ...(options.base ? { base: options.base } : {}) });
}
