import { LEAF_DOMAIN } from './limits.js';

const encoder = new TextEncoder();
const LEAF_PREFIX = encoder.encode(`\u0000${LEAF_DOMAIN}`);

/**
 * RFC 6962 leaf input for a credential: 0x00 ‖ "hutong/vc-leaf/v1" 0x00 ‖ ASCII `b64u(header).b64u(payload)`.
 * The signature is excluded (ECDSA signatures are malleable), and so is any raw personal data.
 */
export function leafInput(signingInput: string): Uint8Array {
  const buf = new Uint8Array(LEAF_PREFIX.length + signingInput.length);
  buf.set(LEAF_PREFIX, 0);
  encoder.encodeInto(signingInput, buf.subarray(LEAF_PREFIX.length));
  return buf;
}
