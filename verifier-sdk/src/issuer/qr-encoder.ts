// Credential + proof → QR text: DEFLATE(credential text, preset dictionary) ‖ proof section ‖ CRC-16, Base45, prefix (docs/protocol.md §QR).
import { deflateRawSync } from 'node:zlib';
import { HutongSdkError } from '../errors.js';
import { base45Encode } from '../lib/base45.js';
import { crc16 } from '../lib/crc16.js';
import { encodeCredentialText, encodeProofSection, encodeVarint, SIGNATURE_BYTES } from '../lib/envelope.js';
import { fromHex } from '../lib/hex.js';
import { QR_DICTIONARY } from '../lib/qr-dictionary.js';
import { MAX_PROOF_HASHES, MAX_QR_CHARS, QR_PREFIX, ROOT_TAG_BYTES } from '../lib/limits.js';
import { splitJws } from './credential-signer.js';
import type { HexInclusionProof } from './merkle-batch.js';

/**
 * Encodes a credential, the root of its batch and its inclusion proof as QR text (`HT1:` + Base45). It encodes what
 * it is given (tests use it to craft credentials a verifier refuses); the batcher checks every QR with the SDK's
 * decoder before it anchors the batch. Throws `CREDENTIAL_TOO_LARGE` past 4,296 characters.
 *
 * @example
 * ```ts
 * const qr = encodeQr({ jws, root, proof: inclusionProof(leafHashes, i) });
 * ```
 */
export function encodeQr(input: Readonly<{ jws: string; root: string; proof: HexInclusionProof }>): string {
  const { header, payload, signature } = splitJws(input.jws);
  const root = fromHex(input.root);
  const path = input.proof.path.map(fromHex);
  if (!root || root.length !== 32 || path.some((p) => !p || p.length !== 32) || path.length > MAX_PROOF_HASHES) {
    throw new HutongSdkError('INVALID_CLAIMS', 'root and proof hashes are 64 lower-case hex characters');
  }
  if (signature.length !== SIGNATURE_BYTES) throw new HutongSdkError('INVALID_CLAIMS', 'signature must be 64 bytes');
  const deflated = deflateRawSync(encodeCredentialText({ header, payload }), { level: 9, dictionary: QR_DICTIONARY });
  const proofSection = encodeProofSection({
    signature, treeSize: input.proof.treeSize, leafIndex: input.proof.leafIndex,
    rootTag: root.subarray(0, ROOT_TAG_BYTES), path: path as Uint8Array[],
  });
  const len = encodeVarint(deflated.length);
  const framed = new Uint8Array(len.length + deflated.length + proofSection.length + 2);
  framed.set(len, 0);
  framed.set(deflated, len.length);
  framed.set(proofSection, len.length + deflated.length);
  const crc = crc16(framed, framed.length - 2);
  framed[framed.length - 2] = crc >> 8;
  framed[framed.length - 1] = crc & 0xff;
  const qr = QR_PREFIX + base45Encode(framed);
  if (qr.length > MAX_QR_CHARS) {
    throw new HutongSdkError('CREDENTIAL_TOO_LARGE', `QR text of ${qr.length} characters exceeds ${MAX_QR_CHARS}`, { details: { qrChars: qr.length, limit: MAX_QR_CHARS } });
  }
  return qr;
}
