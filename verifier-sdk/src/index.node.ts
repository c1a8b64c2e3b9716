/**
 * hutong verifier SDK — trust snapshot in, decision out. This entry point is the Node build
 * selected by the `node` export condition: the same API as index.ts on node:crypto (cached KeyObjects,
 * IEEE P1363 signatures) and the built-in raw DEFLATE decoder. See docs/protocol.md for the formats and the check order.
 * @packageDocumentation
 */
import { createVerifierApi } from './verifier.js';
import { newNodeBackend } from './lib/node-backend.js';
import { newTrustStoreWith, type TrustStore, type TrustStoreOptions } from './trust-store.js';
import { openSignedTrustPack } from './signed-trust-pack.js';

export * from './public-exports.js';

const api = createVerifierApi(newNodeBackend());

// The same functions as index.ts, on the Node backend; their documentation lives in index.ts. Under the `node`
// condition this file's declarations are the types (they add fileTrustStorage).
export const verify: (qr: string, options: import('./verifier.js').VerifyOptions) => Promise<import('./verifier.js').VerificationResult> = api.verify;
export const newVerifier: (options: import('./verifier.js').VerifierOptions) => import('./verifier.js').Verifier = api.newVerifier;
export const newVerifierOnIndex: (index: import('./trust-index.js').TrustIndex, options: import('./verifier.js').VerifierSettings) => import('./verifier.js').Verifier = api.newVerifierOnIndex;
export const decodeQr: (qr: string) => Promise<import('./qr-decoder.js').DecodedCredential> = api.decodeQr;
export const newTrustStore = (options: TrustStoreOptions): TrustStore => newTrustStoreWith({ ...api, openPack: openSignedTrustPack }, options);
/** Node only: the trust store's snapshot in a file (trust-storage-file.ts). */
export { fileTrustStorage } from './trust-storage-file.js';
/** Trust packs (the browser build has them at `@hutong/verifier-sdk/trust-pack`); Node only: the encoder a gateway serves. */
export * from './trust-pack/index.js';
export { encodeTrustPack, prepareTrustState, type TrustChanges, type EncodeTrustPackOptions, type PreparedTrustState } from './trust-pack-encoder.js';
