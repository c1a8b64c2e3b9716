// Raw DEFLATE (RFC 1951) decoder, strict and bounded, in plain TypeScript: the same code in every backend, no
// stream objects, no per-call allocation beyond the copied-out result.
//
// Strict where zlib is strict (invalid block type 3, stored LEN/NLEN mismatch, over-subscribed or incomplete code
// trees — except the single one-bit code RFC 1951 §3.2.7 allows for distances and that zlib allows for both —,
// literal/length code 286/287, distance code 30/31, distance beyond the output so far, a repeat with no previous
// length or past the declared count, a missing end-of-block code, input ending early), and stricter in one place:
// bytes after the final block are refused (zlib ignores them; DecompressionStream implementations disagree).
// Output is capped: every write is checked against the cap *before* it happens, so a bomb stops at the cap.
import { MAX_INFLATED_BYTES } from './limits.js';

/** Decoder outcome in `inflateRawInto`: ≥ 0 is the output length. */
export const INFLATE_INVALID = -1;
export const INFLATE_TOO_LARGE = -2;

const MAX_BITS = 15;
const FAST_BITS = 9;
const FAST_SIZE = 1 << FAST_BITS;

// RFC 1951 §3.2.5: base lengths / extra bits for codes 257..285, base distances / extra bits for codes 0..29.
const LEN_BASE = Uint16Array.from([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LEN_EXTRA = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = Uint16Array.from([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA = Uint8Array.from([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
// RFC 1951 §3.2.7: order of the code length code lengths.
const CL_ORDER = Uint8Array.from([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

/**
 * A canonical Huffman code: counts per length and symbols in canonical order (puff-style slow path), plus a
 * FAST_BITS lookup table indexed by the next input bits (LSB first): `(symbol << 4) | length`, 0 = use the slow path.
 */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
  fast: Int32Array;
  /** Index mask of `fast`: 2^min(longest code, FAST_BITS) − 1 (small codes fill small tables). */
  mask: number;
}

function newHuffman(symbols: number): Huffman {
  return { count: new Uint16Array(MAX_BITS + 1), symbol: new Uint16Array(symbols), fast: new Int32Array(FAST_SIZE), mask: 0 };
}

// Bit reversal of 9-bit values: DEFLATE sends Huffman codes most-significant bit first, the reader is LSB first.
const REV = new Uint16Array(FAST_SIZE);
for (let v = 0; v < FAST_SIZE; v++) {
  let r = 0;
  for (let k = 0; k < FAST_BITS; k++) r |= ((v >>> k) & 1) << (FAST_BITS - 1 - k);
  REV[v] = r;
}

const offs = new Uint16Array(MAX_BITS + 2);
const nextCode = new Uint16Array(MAX_BITS + 2);

/**
 * Builds `h` from `n` code lengths at `lengths[start…]`. Returns 0 for a complete code, > 0 for an incomplete one
 * (the number of unused codes at MAX_BITS scale), < 0 for an over-subscribed one.
 */
function build(h: Huffman, lengths: Uint8Array, start: number, n: number): number {
  const count = h.count;
  count.fill(0);
  for (let s = 0; s < n; s++) count[lengths[start + s]!]!++;
  if (count[0] === n) { h.mask = 0; h.fast[0] = 0; return 1 << MAX_BITS; } // no codes: incomplete (caller decides)
  let left = 1, maxLen = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) return left;
    if (count[len] !== 0) maxLen = len;
  }
  // Symbols in canonical order (slow path) and the fast table: canonical codes in symbol order within each length,
  // bit-reversed. Entries of long codes' prefixes and of unused patterns (incomplete codes) stay 0, which sends the
  // decoder to the slow path.
  const fastBits = maxLen < FAST_BITS ? maxLen : FAST_BITS;
  const size = 1 << fastBits;
  const fast = h.fast, symbol = h.symbol;
  h.mask = size - 1;
  if (left !== 0 || maxLen > FAST_BITS) fast.fill(0, 0, size);
  offs[1] = 0;
  nextCode[1] = 0;
  for (let len = 1; len < MAX_BITS; len++) {
    offs[len + 1] = offs[len]! + count[len]!;
    nextCode[len + 1] = (nextCode[len]! + count[len]!) << 1;
  }
  for (let s = 0; s < n; s++) {
    const len = lengths[start + s]!;
    if (len === 0) continue;
    symbol[offs[len]!++] = s;
    if (len > fastBits) continue;
    const step = 1 << len;
    const entry = (s << 4) | len;
    for (let r = REV[nextCode[len]!++]! >>> (FAST_BITS - len); r < size; r += step) fast[r] = entry;
  }
  return left;
}

// Fixed codes (RFC 1951 §3.2.6), built once. Symbols 286/287 and distance codes 30/31 have codes but are invalid.
const FIXED_LEN = newHuffman(288);
const FIXED_DIST = newHuffman(30);
{
  const l = new Uint8Array(288);
  l.fill(8, 0, 144); l.fill(9, 144, 256); l.fill(7, 256, 280); l.fill(8, 280, 288);
  build(FIXED_LEN, l, 0, 288);
  build(FIXED_DIST, new Uint8Array(30).fill(5), 0, 30);
}
// Distance codes 30 and 31 complete the fixed distance code; they decode to "invalid" through the slow path.
// (build() above saw 30 five-bit codes, an incomplete code whose two unused patterns are exactly 30 and 31.)

// Per-call scratch, reused: one decoder runs at a time (it is synchronous), and results are copied out.
const dynLen = newHuffman(288);
const dynDist = newHuffman(32);
const clCode = newHuffman(19);
const lengths = new Uint8Array(286 + 30);
const clLengths = new Uint8Array(19);
const NO_INPUT = new Uint8Array(0);
/** Output scratch for the common cap (MAX_INFLATED_BYTES); results are copied out before returning. */
const SCRATCH_BYTES = MAX_INFLATED_BYTES;
const scratch = new Uint8Array(SCRATCH_BYTES);

/**
 * Bit reader, LSB first. `pos` may run past the input (zero bits are loaded so that a short final code can be
 * looked up); `overran` detects consuming any of them. Passed explicitly: module-level `let`s are slower to reach.
 */
class Bits {
  src: Uint8Array = NO_INPUT;
  len = 0;
  pos = 0;
  buf = 0;
  cnt = 0;
}
const reader = new Bits();

function need(r: Bits, n: number): void {
  let cnt = r.cnt;
  if (cnt >= n) return;
  let buf = r.buf, pos = r.pos;
  const src = r.src, len = r.len;
  do {
    buf |= (pos < len ? src[pos]! : 0) << cnt;
    pos++;
    cnt += 8;
  } while (cnt < n);
  r.buf = buf;
  r.pos = pos;
  r.cnt = cnt;
}

/** True when more bits were consumed than the input holds. */
function overran(r: Bits): boolean {
  return r.pos > r.len && (r.pos - r.len) * 8 > r.cnt;
}

function bits(r: Bits, n: number): number {
  need(r, n);
  const v = r.buf & ((1 << n) - 1);
  r.buf >>>= n;
  r.cnt -= n;
  return v;
}

/** Next symbol of `h`, or -1 when the bits match no code (unused pattern of an incomplete code). */
function decodeSymbol(r: Bits, h: Huffman): number {
  need(r, MAX_BITS);
  const e = h.fast[r.buf & h.mask]!;
  if (e !== 0) {
    const len = e & 15;
    r.buf >>>= len;
    r.cnt -= len;
    return e >>> 4;
  }
  return decodeSlow(r, h);
}

/** Codes longer than the fast table, or no code at all: canonical decoding one bit at a time (as puff.c). */
function decodeSlow(r: Bits, h: Huffman): number {
  const count = h.count;
  let code = 0, first = 0, index = 0;
  let b = r.buf;
  for (let len = 1; len <= MAX_BITS; len++) {
    code |= b & 1;
    b >>>= 1;
    const c = count[len]!;
    if (code - c < first) {
      r.buf >>>= len;
      r.cnt -= len;
      return h.symbol[index + (code - first)]!;
    }
    index += c;
    first = (first + c) << 1;
    code <<= 1;
  }
  return -1;
}

/** Decodes one Huffman-coded block into `out` from `o`; returns the new output position or a negative outcome. */
function codes(r: Bits, lenCode: Huffman, distCode: Huffman, out: Uint8Array, o: number, cap: number): number {
  for (;;) {
    const sym = decodeSymbol(r, lenCode);
    if (sym < 0 || overran(r)) return INFLATE_INVALID;
    if (sym < 256) {
      if (o >= cap) return INFLATE_TOO_LARGE;
      out[o++] = sym;
      continue;
    }
    if (sym === 256) return o;
    const li = sym - 257;
    if (li >= 29) return INFLATE_INVALID; // 286, 287
    const len = LEN_BASE[li]! + bits(r, LEN_EXTRA[li]!);
    const ds = decodeSymbol(r, distCode);
    if (ds < 0 || ds >= 30) return INFLATE_INVALID;
    const dist = DIST_BASE[ds]! + bits(r, DIST_EXTRA[ds]!);
    if (overran(r)) return INFLATE_INVALID;
    if (dist > o) return INFLATE_INVALID; // distance too far back
    if (o + len > cap) return INFLATE_TOO_LARGE;
    // Byte by byte: source and destination may overlap (dist < len repeats the last dist bytes).
    for (let k = 0; k < len; k++, o++) out[o] = out[o - dist]!;
  }
}

function stored(r: Bits, out: Uint8Array, o: number, cap: number): number {
  // Skip to a byte boundary; whole bytes still in the bit buffer are given back.
  let pos = r.pos - (r.cnt >>> 3);
  r.buf = 0;
  r.cnt = 0;
  const src = r.src;
  if (pos + 4 > r.len) return INFLATE_INVALID;
  const len = src[pos]! | (src[pos + 1]! << 8);
  const nlen = src[pos + 2]! | (src[pos + 3]! << 8);
  pos += 4;
  if (len !== (~nlen & 0xffff)) return INFLATE_INVALID;
  if (pos + len > r.len) return INFLATE_INVALID;
  if (o + len > cap) return INFLATE_TOO_LARGE;
  out.set(src.subarray(pos, pos + len), o);
  r.pos = pos + len;
  return o + len;
}

function dynamic(r: Bits, out: Uint8Array, o: number, cap: number): number {
  const nlen = bits(r, 5) + 257, ndist = bits(r, 5) + 1, ncode = bits(r, 4) + 4;
  if (nlen > 286 || ndist > 30) return INFLATE_INVALID;
  clLengths.fill(0);
  for (let k = 0; k < ncode; k++) clLengths[CL_ORDER[k]!] = bits(r, 3);
  if (overran(r)) return INFLATE_INVALID;
  if (build(clCode, clLengths, 0, 19) !== 0) return INFLATE_INVALID; // the code length code must be complete
  const total = nlen + ndist;
  let k = 0;
  while (k < total) {
    const sym = decodeSymbol(r, clCode);
    if (sym < 0) return INFLATE_INVALID;
    if (sym < 16) { lengths[k++] = sym; continue; }
    let len = 0, rep: number;
    if (sym === 16) {
      if (k === 0) return INFLATE_INVALID; // repeat with no previous length
      len = lengths[k - 1]!;
      rep = 3 + bits(r, 2);
    } else if (sym === 17) {
      rep = 3 + bits(r, 3);
    } else {
      rep = 11 + bits(r, 7);
    }
    if (k + rep > total) return INFLATE_INVALID;
    while (rep-- > 0) lengths[k++] = len;
  }
  if (overran(r)) return INFLATE_INVALID;
  if (lengths[256] === 0) return INFLATE_INVALID; // no end-of-block code
  // Incomplete codes are allowed only as a single one-bit code (zlib inflate_table: `left > 0 && max != 1`).
  const l = build(dynLen, lengths, 0, nlen);
  if (l < 0 || (l > 0 && !singleOneBitCode(dynLen))) return INFLATE_INVALID;
  const d = build(dynDist, lengths, nlen, ndist);
  if (d < 0 || (d > 0 && dynDist.count[0] !== ndist && !singleOneBitCode(dynDist))) return INFLATE_INVALID;
  return codes(r, dynLen, dynDist, out, o, cap);
}

/** An incomplete code zlib still accepts: its longest code has one bit (i.e. exactly one code, of length 1). */
function singleOneBitCode(h: Huffman): boolean {
  for (let len = 2; len <= MAX_BITS; len++) if (h.count[len] !== 0) return false;
  return true;
}

/**
 * Inflates `data` into `out[0…cap)` (cap ≤ out.length). Returns the output length, `INFLATE_INVALID` or
 * `INFLATE_TOO_LARGE` (the output would pass the cap; nothing at or past the cap is ever written).
 */
export function inflateRawInto(data: Uint8Array, out: Uint8Array, cap = out.length): number {
  if (!(cap >= 0 && cap <= out.length)) throw new RangeError('cap exceeds the output buffer');
  const r = reader;
  r.src = data;
  r.len = data.length;
  r.pos = 0;
  r.buf = 0;
  r.cnt = 0;
  let o = 0;
  try {
    let last = 0;
    do {
      last = bits(r, 1);
      const type = bits(r, 2);
      if (overran(r)) return INFLATE_INVALID;
      if (type === 0) o = stored(r, out, o, cap);
      else if (type === 1) o = codes(r, FIXED_LEN, FIXED_DIST, out, o, cap);
      else if (type === 2) o = dynamic(r, out, o, cap);
      else return INFLATE_INVALID; // reserved block type 3
      if (o < 0) return o;
    } while (last === 0);
    // Whole bytes left in the bit buffer were never consumed; anything after the final block's last byte is refused.
    const consumed = r.pos - (r.cnt >>> 3);
    return consumed === r.len ? o : INFLATE_INVALID;
  } finally {
    r.src = NO_INPUT; // drop the reference to the caller's bytes
  }
}

/**
 * Raw DEFLATE with a hard output cap: a fresh copy of the output, 'too-large' when the output would pass
 * `maxOutput` (decoding stops there), 'invalid' for any malformed stream or bytes after the final block.
 */
export function inflateRaw(data: Uint8Array, maxOutput: number): Uint8Array | 'too-large' | 'invalid' {
  // The common cap decodes into the shared scratch (safe: decoding is synchronous, the result is copied out);
  // a larger cap gets a buffer of exactly that size, never more.
  if (!(maxOutput >= 0)) throw new RangeError('maxOutput must be a non-negative number');
  const out = maxOutput <= SCRATCH_BYTES ? scratch : new Uint8Array(maxOutput);
  const n = inflateRawInto(data, out, Math.min(maxOutput, out.length));
  if (n === INFLATE_INVALID) return 'invalid';
  if (n === INFLATE_TOO_LARGE) return 'too-large';
  return out.slice(0, n);
}

/**
 * As inflateRaw, but the bytes are a view of the shared scratch, valid only until the next call: for callers that
 * consume them synchronously (the frame decoder), saving a copy and an allocation per scan.
 */
export function inflateRawView(data: Uint8Array, maxOutput: number): Uint8Array | 'too-large' | 'invalid' {
  if (!(maxOutput >= 0 && maxOutput <= SCRATCH_BYTES)) return inflateRaw(data, maxOutput);
  const n = inflateRawInto(data, scratch, maxOutput);
  if (n === INFLATE_INVALID) return 'invalid';
  if (n === INFLATE_TOO_LARGE) return 'too-large';
  return scratch.subarray(0, n);
}
