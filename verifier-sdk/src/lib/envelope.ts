// The binary envelope carried (DEFLATE-compressed) in the QR code; layout in docs/protocol.md §Envelope.
import {
  ENVELOPE_VERSION, MAX_HEADER_BYTES, MAX_PAYLOAD_BYTES, MAX_PROOF_HASHES, MAX_TREE_SIZE, ROOT_TAG_BYTES,
} from './limits.js';

export interface Envelope {
  header: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  treeSize: number;
  leafIndex: number;
  /** First 8 bytes of the anchored Merkle root (the anchor reference). */
  rootTag: Uint8Array;
  path: Uint8Array[];
}

export const SIGNATURE_BYTES = 64;

export function encodeEnvelope(e: Envelope): Uint8Array {
  const parts: number[] = [ENVELOPE_VERSION];
  const pushBytes = (b: Uint8Array): void => { for (let i = 0; i < b.length; i++) parts.push(b[i]!); };
  const pushVarint = (n: number): void => {
    while (n >= 0x80) { parts.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
    parts.push(n);
  };
  pushVarint(e.header.length); pushBytes(e.header);
  pushVarint(e.payload.length); pushBytes(e.payload);
  parts.push(e.signature.length); pushBytes(e.signature);
  pushVarint(e.treeSize); pushVarint(e.leafIndex);
  pushBytes(e.rootTag);
  parts.push(e.path.length);
  for (const h of e.path) pushBytes(h);
  return Uint8Array.from(parts);
}

/** Parses and bounds-checks an envelope; returns a description of the first defect instead of throwing. */
export function decodeEnvelope(b: Uint8Array): Envelope | string {
  let i = 0;
  const need = (n: number): boolean => i + n <= b.length;
  const varint = (max: number): number | null => {
    let n = 0, mul = 1;
    for (let k = 0; k < 6; k++) {
      if (!need(1)) return null;
      const byte = b[i++]!;
      if (k > 0 && byte === 0) return null; // over-long encodings are not canonical
      n += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return n <= max ? n : null;
      mul *= 0x80;
    }
    return null;
  };
  const take = (n: number): Uint8Array => { const s = b.subarray(i, i + n); i += n; return s; };
  if (!need(1) || b[i++] !== ENVELOPE_VERSION) return 'unsupported envelope version';
  const hLen = varint(MAX_HEADER_BYTES);
  if (hLen === null || !need(hLen)) return 'bad header length';
  const header = take(hLen);
  const pLen = varint(MAX_PAYLOAD_BYTES);
  if (pLen === null || !need(pLen)) return 'bad payload length';
  const payload = take(pLen);
  if (!need(1) || b[i++] !== SIGNATURE_BYTES || !need(SIGNATURE_BYTES)) return 'bad signature length';
  const signature = take(SIGNATURE_BYTES);
  const treeSize = varint(MAX_TREE_SIZE);
  if (treeSize === null || treeSize < 1) return 'bad tree size';
  const leafIndex = varint(MAX_TREE_SIZE);
  if (leafIndex === null || leafIndex >= treeSize) return 'bad leaf index';
  if (!need(ROOT_TAG_BYTES)) return 'truncated root tag';
  const rootTag = take(ROOT_TAG_BYTES);
  if (!need(1)) return 'truncated proof';
  const n = b[i++]!;
  if (n > MAX_PROOF_HASHES || i + n * 32 !== b.length) return 'bad proof length';
  const path: Uint8Array[] = [];
  for (let k = 0; k < n; k++) path.push(take(32));
  return { header, payload, signature, treeSize, leafIndex, rootTag, path };
}
