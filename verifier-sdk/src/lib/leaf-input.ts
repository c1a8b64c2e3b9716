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

// The leaf input's start, 0x00 ‖ leaf domain ‖ b64u(header) ‖ '.', for the last compact header seen: consecutive
// scans at a checkpoint nearly always carry the same header, whose bytes never change (envelope.ts hands out one
// array per (alg, kid)), so only the payload needs encoding.
let stableHeader: Uint8Array | null = null;
let stableStart: Uint8Array = new Uint8Array(0);

/**
 * The same leaf input built straight from the header and payload bytes: their base64url ASCII is written into the
 * buffer, so the signing input `b64u(header).b64u(payload)` is `result.subarray(LEAF_PREFIX.length)` and no string
 * is built on the verification path. `headerIsStable`: the header array is never modified (a compact header), so its
 * encoding may be reused when the same array comes again.
 */
export function leafInputOf(header: Uint8Array, payload: Uint8Array, headerIsStable = false): Uint8Array {
  const h = base64urlLength(header.length);
  const buf = pooledBytes(LEAF_PREFIX.length + h + 1 + base64urlLength(payload.length));
  let o: number;
  if (headerIsStable && header === stableHeader) {
    buf.set(stableStart, 0);
    o = stableStart.length;
  } else {
    buf.set(LEAF_PREFIX, 0);
    o = base64urlInto(header, buf, LEAF_PREFIX.length);
    buf[o++] = 0x2e; // '.'
    if (headerIsStable) {
      stableHeader = header;
      stableStart = buf.slice(0, o);
    }
  }
  base64urlInto(payload, buf, o);
  return buf;
}
