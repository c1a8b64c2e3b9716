import { LEAF_DOMAIN } from './limits.js';
import { base64urlInto, base64urlLength } from './base64url.js';
import { pooledBytes } from './pool.js';

const encoder = new TextEncoder();
export const LEAF_PREFIX = encoder.encode(`\u0000${LEAF_DOMAIN}`);

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

/** The start of the leaf input for a header: 0x00 ‖ leaf domain ‖ `b64u(header)` ‖ '.'. */
export function leafInputStart(header: Uint8Array): Uint8Array {
  const buf = new Uint8Array(LEAF_PREFIX.length + base64urlLength(header.length) + 1);
  buf.set(LEAF_PREFIX, 0);
  buf[base64urlInto(header, buf, LEAF_PREFIX.length)] = 0x2e; // '.'
  return buf;
}

/**
 * The same leaf input built straight from the header and payload bytes: their base64url ASCII is written into the
 * buffer, so the signing input `b64u(header).b64u(payload)` is `result.subarray(LEAF_PREFIX.length)` and no string
 * is built on the verification path. `start`: `leafInputStart(header)`, passed when the caller already has it (a
 * compact header's is computed once per kid).
 */
export function leafInputOf(header: Uint8Array, payload: Uint8Array, start: Uint8Array = leafInputStart(header)): Uint8Array {
  const buf = pooledBytes(start.length + base64urlLength(payload.length));
  buf.set(start, 0);
  base64urlInto(payload, buf, start.length);
  return buf;
}
