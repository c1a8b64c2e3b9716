/**
 * hutong verifier SDK — trust snapshot in, decision out. This entry point is the browser / default build
 * (WebCrypto, @noble/curves, a built-in raw DEFLATE decoder); Node resolves the `node` export condition to `index.node.js`,
 * which exports the same API on node:crypto. See docs/protocol.md for the formats and the check order.
 * @packageDocumentation
 */
import { createVerifierApi } from './verifier.js';
import { newWebBackend } from './lib/web-backend.js';
import { newTrustStoreWith, type TrustStore, type TrustStoreOptions } from './trust-store.js';

export * from './public-exports.js';

const api = createVerifierApi(newWebBackend());

/**
 * Verifies a hutong QR text offline against a trust snapshot. Never throws for any QR input: every outcome is a
 * {@link VerificationResult} with one reason code (it throws {@link HutongSdkError} `INVALID_OPTIONS` only for
 * programming errors such as a missing `jurisdiction`). The compiled snapshot is cached per snapshot object.
 *
 * @example
 * ```ts
 * import { verify } from '@hutong/verifier-sdk';
 * const r = await verify(scannedText, { trust: snapshot, jurisdiction: 'MacauMSP' });
 * if (r.decision === 'ACCEPT') show(r.display?.maskedName, r.mappedStatus);
 * else show(r.reason); // e.g. 'CREDENTIAL_TOO_OLD'
 * ```
 */
export const verify: (qr: string, options: import('./verifier.js').VerifyOptions) => Promise<import('./verifier.js').VerificationResult> = api.verify;

/**
 * Compiles a trust snapshot once (lookup maps, public keys imported and cached per kid) for fast repeated
 * verification, e.g. at a checkpoint lane. Throws {@link HutongSdkError} `SNAPSHOT_INVALID` or `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * import { newVerifier } from '@hutong/verifier-sdk';
 * const verifier = newVerifier({ trust: snapshot, jurisdiction: 'MacauMSP', maxSnapshotAgeSeconds: 3600 });
 * for await (const text of scanner) console.log((await verifier.verify(text)).reason);
 * ```
 */
export const newVerifier: (options: import('./verifier.js').VerifierOptions) => import('./verifier.js').Verifier = api.newVerifier;

/**
 * A verifier over a {@link TrustIndex} that its owner keeps current (putting the records a ledger follower receives,
 * moving `generatedAtMs` when the state is confirmed current): every verification reads the index as it is then.
 *
 * @example
 * ```ts
 * import { newTrustIndex, newVerifierOnIndex, putAnchor } from '@hutong/verifier-sdk';
 * const index = newTrustIndex(Date.now());
 * const verifier = newVerifierOnIndex(index, { jurisdiction: 'MacauMSP' });
 * onLedgerAnchor((a) => { putAnchor(index, a); index.generatedAtMs = Date.now(); });
 * ```
 */
export const newVerifierOnIndex: (index: import('./trust-index.js').TrustIndex, options: import('./verifier.js').VerifierSettings) => import('./verifier.js').Verifier = api.newVerifierOnIndex;

/**
 * Decodes a QR text into its JWS parts, claims and inclusion proof without verifying anything. Throws
 * {@link HutongSdkError} with a `DECODE_*` code on any malformed input, and nothing else.
 *
 * @example
 * ```ts
 * import { decodeQr } from '@hutong/verifier-sdk';
 * const { header, claims, proof } = await decodeQr('HT1:...');
 * console.log(header.kid, claims.vct, proof.treeSize);
 * ```
 */
export const decodeQr: (qr: string) => Promise<import('./qr-decoder.js').DecodedCredential> = api.decodeQr;

/**
 * A trust store: fetches the gateway's signed snapshot, checks it against the pinned snapshot keys, keeps it in a
 * storage (memory, IndexedDB, localStorage; a file on Node), refreshes it in the background and verifies offline
 * until the snapshot is older than `maxSnapshotAgeSeconds`. Throws {@link HutongSdkError} `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * import { newTrustStore, indexedDbTrustStorage } from '@hutong/verifier-sdk';
 * const store = newTrustStore({ url: `${gateway}/v1/trust/snapshot`, headers: { authorization: `Bearer ${partnerToken}` },
 *   jwks: pinnedJwks, jurisdiction: 'MacauMSP', storage: indexedDbTrustStorage('hutong') });
 * await store.ready();
 * const r = await store.verify(scannedText);
 * ```
 */
export const newTrustStore = (options: TrustStoreOptions): TrustStore => newTrustStoreWith(api, options);
