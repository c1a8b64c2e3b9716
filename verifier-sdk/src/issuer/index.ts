/**
 * hutong issuing library (Node only: node:crypto, node:zlib). Used by the gateway and by issuers to sign
 * credentials, derive pseudonyms, batch and anchor Merkle roots, and encode QR codes. Never bundled for browsers.
 * @packageDocumentation
 */
export {
  newCredentialSigner, generateSigningKey, normaliseLowS,
  type CredentialSigner, type CredentialInput, type PrivateJwk,
} from './credential-signer.js';
export { pseudonym, normaliseId, maskName, documentHint } from './pseudonym.js';
export { leafHashOf, merkleRoot, inclusionProof, impliedRoot, type HexInclusionProof } from './merkle-batch.js';
export { encodeQr } from './qr-encoder.js';
export {
  newBatcher, encodeQrsInProcess, type Batcher, type BatcherOptions, type AnchorFn, type AnchorReceipt, type IssuedCredential, type QrEncoder,
} from './batcher.js';
export { HutongSdkError, type HutongSdkErrorCode } from '../errors.js';
