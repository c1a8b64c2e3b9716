/**
 * `@hutong/verifier-sdk/trust-pack` — trust packs (docs/protocol.md §6.5) for browsers: opening signed packs into a
 * trust index, for `newTrustStore({ packUrl, openPack: openSignedTrustPack })` or by hand. A subpath of its own, so
 * an app that verifies against JSON snapshots does not carry the pack decoder. The Node entry point exports the same
 * names (and the encoder) and gives the trust store its opener itself.
 * @packageDocumentation
 */
export {
  openTrustPack, trustStateDigest, TRUST_PACK_LIMITS, type TrustPackHeader, type TrustPackKind, type OpenedTrustPack,
} from '../trust-pack.js';
export { openSignedTrustPack, TRUST_PACK_JWS_TYP } from '../signed-trust-pack.js';
