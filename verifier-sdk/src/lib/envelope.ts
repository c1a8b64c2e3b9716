// The QR frame (docs/protocol.md §QR frame): varint(len) ‖ DEFLATE(credential text) ‖ proof section ‖ CRC-16.
// Only the JSON is compressed; signature and hashes are incompressible and stored raw.
import {
  CREDENTIAL_TYP, MAX_HEADER_BYTES, MAX_KID_BYTES, MAX_PAYLOAD_BYTES, MAX_PROOF_HASHES, MAX_TREE_SIZE, ROOT_TAG_BYTES,
} from './limits.js';
import { leafInputStart } from './leaf-input.js';

export const SIGNATURE_BYTES = 64;
const FLAG_COMPACT_HEADER = 0x01;
const ALG_CODES = ['ES256', 'EdDSA'] as const;
const EMPTY = new Uint8Array(0);

export interface CredentialText {
  header: Uint8Array;
  payload: Uint8Array;
}

export interface ProofSection {
  signature: Uint8Array;
  treeSize: number;
  leafIndex: number;
  /** First 8 bytes of the anchored Merkle root (the anchor reference). */
  rootTag: Uint8Array;
  path: Uint8Array[];
}

const encoder = new TextEncoder();
// ignoreBOM: bytes EF BB BF are a character like any other, never silently dropped (kid bytes ↔ header bytes 1:1).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The one header the compact form stands for: `{"alg":…,"kid":…,"typ":"hutong-vc+jws;v=1"}`, exactly these bytes. */
export function compactHeaderBytes(alg: string, kid: string): Uint8Array {
  const key = `${alg}\u0000${kid}`;
  let bytes = headerCache.get(key);
  if (!bytes) {
    bytes = encoder.encode(JSON.stringify({ alg, kid, typ: CREDENTIAL_TYP }));
    if (headerCache.size >= 256) headerCache.clear(); // bounded: kids are few, but input is hostile
    headerCache.set(key, bytes);
  }
  return bytes;
}
// Header bytes per (alg, kid): a checkpoint sees a handful of kids, and rebuilding the JSON costs a few µs per scan.
// Callers never mutate the returned bytes.
const headerCache = new Map<string, Uint8Array>();

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class Writer {
  readonly bytes: number[] = [];
  u8(n: number): void { this.bytes.push(n); }
  raw(b: Uint8Array): void { for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!); }
  varint(n: number): void {
    while (n >= 0x80) { this.bytes.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
    this.bytes.push(n);
  }
  done(): Uint8Array { return Uint8Array.from(this.bytes); }
}

export class Reader {
  i: number;
  constructor(readonly b: Uint8Array, start = 0, readonly end = b.length) { this.i = start; }
  has(n: number): boolean { return this.i + n <= this.end; }
  u8(): number | null { return this.has(1) ? this.b[this.i++]! : null; }
  take(n: number): Uint8Array | null {
    if (!this.has(n)) return null;
    const s = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return s;
  }
  /** Unsigned LEB128, canonical (no over-long encodings), at most 6 bytes, ≤ max. */
  varint(max: number): number | null {
    let n = 0, mul = 1;
    for (let k = 0; k < 6; k++) {
      const byte = this.u8();
      if (byte === null || (k > 0 && byte === 0)) return null;
      n += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return n <= max ? n : null;
      mul *= 0x80;
    }
    return null;
  }
}

export function encodeVarint(n: number): Uint8Array {
  const w = new Writer();
  w.varint(n);
  return w.done();
}

export function encodeCredentialText(t: CredentialText): Uint8Array {
  const w = new Writer();
  let compact: { alg: number; kid: Uint8Array } | null = null;
  try {
    const h = JSON.parse(decoder.decode(t.header)) as { alg?: unknown; kid?: unknown };
    const alg = ALG_CODES.indexOf(h.alg as (typeof ALG_CODES)[number]);
    if (alg >= 0 && typeof h.kid === 'string' && equal(compactHeaderBytes(h.alg as string, h.kid), t.header)) {
      const kid = encoder.encode(h.kid);
      if (kid.length <= MAX_KID_BYTES) compact = { alg: alg + 1, kid };
    }
  } catch {
    compact = null;
  }
  if (compact) {
    w.u8(FLAG_COMPACT_HEADER); w.u8(compact.alg); w.u8(compact.kid.length); w.raw(compact.kid);
  } else {
    w.u8(0); w.varint(t.header.length); w.raw(t.header);
  }
  w.raw(t.payload);
  return w.done();
}

// The compact header of the previous frame: consecutive scans at a checkpoint nearly always name the same kid, and
// comparing up to 64 bytes is cheaper than decoding the kid and looking the header up by a (alg, kid) string.
let lastAlg: string | undefined;
let lastKid: Uint8Array = new Uint8Array(0);
let lastCompact: CompactHeader | null = null;

/** What a compact header gives without further work; shared by every frame with the same (alg, kid). */
export interface CompactHeader {
  /** The header bytes it stands for: `JSON.stringify({ alg, kid, typ })`. */
  readonly bytes: Uint8Array;
  /** The parsed form: what parsing the header bytes as JSON gives, frozen. */
  readonly object: Readonly<{ alg: string; kid: string; typ: string }>;
  /** `leafInputStart(header bytes)`: the leaf input up to the payload. */
  readonly leafStart: Uint8Array;
}

/** Where decoding writes the credential text: header and payload bytes. */
export interface CredentialTextTarget {
  /** A literal header's bytes (empty for a compact header). */
  header: Uint8Array;
  payload: Uint8Array;
  /** A compact header's algorithm, or null for a literal header. */
  compactAlg: string | null;
  /** A compact header's kid bytes, not yet known to be UTF-8 (docs/protocol.md §5.7: that is a header check). */
  compactKid: Uint8Array;
}

// `{"alg":"ES256","kid":"","typ":"hutong-vc+jws;v=1"}` (both algorithm names have 5 characters).
const COMPACT_HEADER_FIXED_BYTES = 50;

/**
 * The length of the header a compact kid stands for, from its bytes alone (JSON.stringify escapes `"` and `\`, and
 * the bytes below 0x20 as `\b \t \n \f \r` or `\u00XX`; every other byte is copied): the header-length check
 * comes before the kid is decoded as UTF-8 (docs/protocol.md §5.3, §5.7).
 */
export function compactHeaderLength(kid: Uint8Array): number {
  let n = COMPACT_HEADER_FIXED_BYTES;
  for (let i = 0; i < kid.length; i++) {
    const c = kid[i]!;
    n += c >= 0x20 ? (c === 0x22 || c === 0x5c ? 2 : 1) : c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
  }
  return n;
}

/**
 * Reads the structure of a credential text into `t` — flags, compact algorithm byte, kid length, header and payload
 * lengths — and returns null or a description of the first defect (DECODE_ENVELOPE). Nothing is decoded as text.
 */
export function readCredentialText(b: Uint8Array, t: CredentialTextTarget): string | null {
  const end = b.length;
  let i = 0;
  const flags = end > 0 ? b[i++]! : null;
  if (flags === FLAG_COMPACT_HEADER) {
    const alg = i < end ? ALG_CODES[b[i++]! - 1] : undefined;
    if (!alg) return 'bad compact algorithm';
    const kidLen = i < end ? b[i++]! : null;
    const kid = kidLen === null || kidLen > MAX_KID_BYTES || i + kidLen > end ? null : b.subarray(i, (i += kidLen));
    if (!kid) return 'bad compact kid length';
    // A kid of escaped characters (U+0001 is six bytes of JSON) can stand for a header over the 256-byte limit.
    if (compactHeaderLength(kid) > MAX_HEADER_BYTES) return 'compact header stands for more than 256 bytes';
    t.header = EMPTY;
    t.compactAlg = alg;
    t.compactKid = kid;
  } else if (flags === 0) {
    const r = new Reader(b, i);
    const hLen = r.varint(MAX_HEADER_BYTES);
    const header = hLen === null ? null : r.take(hLen);
    if (!header) return 'bad header length';
    i = r.i;
    t.header = header;
    t.compactAlg = null;
  } else {
    return 'unknown flags';
  }
  const payload = b.subarray(i);
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_BYTES) return 'bad payload length';
  t.payload = payload;
  return null;
}

/**
 * The header a compact (alg, kid bytes) stands for, or null when the kid is not UTF-8. The returned object is shared
 * (frozen; callers never mutate its bytes).
 */
export function compactHeader(alg: string, kidBytes: Uint8Array): CompactHeader | null {
  if (alg === lastAlg && equal(kidBytes, lastKid)) return lastCompact;
  let kid: string;
  try { kid = decoder.decode(kidBytes); } catch { return null; }
  const bytes = compactHeaderBytes(alg, kid);
  lastCompact = Object.freeze({ bytes, object: Object.freeze({ alg, kid, typ: CREDENTIAL_TYP }), leafStart: leafInputStart(bytes) });
  lastAlg = alg;
  lastKid = kidBytes.slice();
  return lastCompact;
}

export function encodeProofSection(p: ProofSection): Uint8Array {
  const w = new Writer();
  w.raw(p.signature);
  w.varint(p.treeSize); w.varint(p.leafIndex);
  w.raw(p.rootTag);
  w.u8(p.path.length);
  for (const h of p.path) w.raw(h);
  return w.done();
}

/** Where decoding writes the proof section: the audit path stays in the frame bytes (`count` hashes at `pathAt`). */
export interface ProofSectionTarget {
  signature: Uint8Array;
  treeSize: number;
  leafIndex: number;
  rootTagAt: number;
  pathAt: number;
  pathLength: number;
}

/** Reads the proof section into `t` (the path is not copied); returns null or a description of the first defect. */
export function readProofSection(r: Reader, t: ProofSectionTarget): string | null {
  const signature = r.take(SIGNATURE_BYTES);
  if (!signature) return 'truncated signature';
  const treeSize = r.varint(MAX_TREE_SIZE);
  if (treeSize === null || treeSize < 1) return 'bad tree size';
  const leafIndex = r.varint(MAX_TREE_SIZE);
  if (leafIndex === null || leafIndex >= treeSize) return 'bad leaf index';
  if (!r.has(ROOT_TAG_BYTES)) return 'truncated root tag';
  const rootTagAt = r.i;
  r.i += ROOT_TAG_BYTES;
  const n = r.u8();
  if (n === null || n > MAX_PROOF_HASHES || r.i + n * 32 !== r.end) return 'bad proof length';
  t.signature = signature;
  t.treeSize = treeSize;
  t.leafIndex = leafIndex;
  t.rootTagAt = rootTagAt;
  t.pathAt = r.i;
  t.pathLength = n;
  r.i = r.end;
  return null;
}
