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
export { leafHashOf, merkleRoot, inclusionProof, impliedRoot, impliedRootOfLeaf, type HexInclusionProof } from './merkle-batch.js';
export { encodeQr } from './qr-encoder.js';
export {
  newBatcher, prepareBatch, checkedLeaf, encodeQrsInProcess, encodeCheckedQrs, type CheckedQrEncoder, type PreparedBatch, type PreparedCredential, type Batcher, type BatcherOptions, type AnchorFn, type AnchorReceipt, type IssuedCredential, type QrEncoder,
} from './batcher.js';
export { HutongSdkError, type HutongSdkErrorCode } from '../errors.js';
/** The protocol's limits that issuing enforces (docs/protocol.md §2.3, §5.5): one source for the SDK and the gateway. */
export {
  EXTRA_CLAIM_NAME, MAX_CLAIM_CHARS, MAX_EXTRA_CLAIMS, MAX_HEADER_BYTES, MAX_KID_BYTES, MAX_PAYLOAD_BYTES, MAX_PROOF_HASHES, MAX_QR_CHARS,
  REGISTERED_CLAIMS,
} from '../lib/limits.js';
