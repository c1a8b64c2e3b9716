// Raw DEFLATE (RFC 1951) decoder, strict and bounded, in plain TypeScript: the same code in every backend, no
// stream objects, no per-call allocation beyond the copied-out result.
//
// Strict where zlib is strict (invalid block type 3, stored LEN/NLEN mismatch, over-subscribed or incomplete code
// trees — except the single one-bit code RFC 1951 §3.2.7 allows for distances and that zlib allows for both —,
// literal/length code 286/287, distance code 30/31, distance beyond the output so far, a repeat with no previous
// length or past the declared count, a missing end-of-block code, input ending early), and stricter in one place:
// bytes after the final block are refused (zlib ignores them; DecompressionStream implementations disagree).
// Output is capped: every write is checked against the cap *before* it happens, so a bomb stops at the cap.
import { MAX_COMPRESSED_BYTES, MAX_INFLATED_BYTES } from './limits.js';

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
/** Symbols with a code (non-zero length), in symbol order: scratch of `build`. */
const used = new Uint16Array(288);

/**
 * Builds `h` from `n` code lengths at `lengths[start…]`. Returns 0 for a complete code, > 0 for an incomplete one
 * (the number of unused codes at MAX_BITS scale), < 0 for an over-subscribed one.
 */
function build(h: Huffman, lengths: Uint8Array, start: number, n: number): number {
  const count = h.count;
  count.fill(0);
  let m = 0;
  for (let s = 0; s < n; s++) {
    const len = lengths[start + s]!;
    if (len !== 0) { count[len]!++; used[m++] = s; }
  }
  return buildCounted(h, lengths, start, n, used, m);
}

/**
 * As `build`, with `h.count[1…MAX_BITS]` already counted and the `m` symbols that have a code listed in symbol
 * order in `syms` (the dynamic-block reader does both while it reads the lengths, so the up to 286 lengths are not
 * scanned again here).
 */
function buildCounted(h: Huffman, lengths: Uint8Array, start: number, n: number, syms: Uint16Array, m: number): number {
  const count = h.count;
  count[0] = n - m;
  if (m === 0) { h.mask = 0; h.fast[0] = 0; return 1 << MAX_BITS; } // no codes: incomplete (caller decides)
  let left = 1, maxLen = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) return left;
    if (count[len] !== 0) maxLen = len;
  }
  // The fast table: canonical codes in symbol order within each length, bit-reversed. A complete code whose codes
  // all fit fills every entry of its table and never reaches the slow path, so its canonical symbol list is not
  // needed; otherwise the list is built, and entries of long codes' prefixes and of unused patterns (incomplete
  // codes) are 0, which sends the decoder to the slow path.
  const fastBits = maxLen < FAST_BITS ? maxLen : FAST_BITS;
  const size = 1 << fastBits;
  const fast = h.fast, symbol = h.symbol;
  h.mask = size - 1;
  const slow = left !== 0 || maxLen > FAST_BITS;
  if (slow) fast.fill(0, 0, size);
  offs[1] = 0;
  nextCode[1] = 0;
  for (let len = 1; len < MAX_BITS; len++) {
    offs[len + 1] = offs[len]! + count[len]!;
    nextCode[len + 1] = (nextCode[len]! + count[len]!) << 1;
  }
  for (let j = 0; j < m; j++) {
    const s = syms[j]!;
    const len = lengths[start + s]!;
    if (slow) symbol[offs[len]!++] = s;
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
const usedLen = new Uint16Array(286);
const usedDist = new Uint16Array(30);
/** Output scratch for the common cap (MAX_INFLATED_BYTES); results are copied out before returning. */
const SCRATCH_BYTES = MAX_INFLATED_BYTES;
/** The largest preset dictionary: the DEFLATE window (RFC 1951 §2: distances reach at most 32,768 bytes back). */
export const MAX_DICTIONARY_BYTES = 32 * 1024;
/** Room for the largest preset dictionary (the window's history) in front of the output. */
const scratch = new Uint8Array(MAX_DICTIONARY_BYTES + SCRATCH_BYTES);
const EMPTY = new Uint8Array(0);

// Bit reading: the input is copied into a zero-padded buffer and read at a bit position `p` (LSB first), 32 bits at
// a time, so no bit-buffer state is kept between calls and no read needs a bounds check. Past the end zero bits
// are read; `p > bitLen` detects consuming any of them. Every loop that reads checks `p` at least every PAD_BYTES
// bytes of input, so reads stay inside the padding.
const PAD_BYTES = 64;
const inputScratch = new Uint8Array(MAX_COMPRESSED_BYTES + PAD_BYTES);

/**
 * At least 25 bits of `src` from bit `p` (LSB first): enough for any one read (a code is at most 15 bits, extra
 * bits at most 13, a code-length code and its repeat count at most 14).
 */
function peek(src: Uint8Array, p: number): number {
  const o = p >>> 3;
  return (src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24)) >>> (p & 7);
}

/**
 * The next code of `h` in the bits `v`: `(symbol << 4) | length`, or -1 when the bits match no code (unused
 * pattern of an incomplete code).
 */
function lookup(h: Huffman, v: number): number {
  const e = h.fast[v & h.mask]!;
  return e !== 0 ? e : decodeSlow(h, v);
}

/** Codes longer than the fast table, or no code at all: canonical decoding one bit at a time (as puff.c). */
function decodeSlow(h: Huffman, v: number): number {
  const count = h.count;
  let code = 0, first = 0, index = 0;
  let b = v;
  for (let len = 1; len <= MAX_BITS; len++) {
    code |= b & 1;
    b >>>= 1;
    const c = count[len]!;
    if (code - c < first) return (h.symbol[index + (code - first)]! << 4) | len;
    index += c;
    first = (first + c) << 1;
    code <<= 1;
  }
  return -1;
}

/**
 * Reads a dynamic block's code descriptions from bit `p` into dynLen / dynDist; returns the bit position after
 * them, or INFLATE_INVALID.
 */
function dynamic(src: Uint8Array, p: number, bitLen: number): number {
  const hdr = peek(src, p);
  p += 14;
  const nlen = (hdr & 31) + 257, ndist = ((hdr >>> 5) & 31) + 1, ncode = ((hdr >>> 10) & 15) + 4;
  if (nlen > 286 || ndist > 30) return INFLATE_INVALID;
  clLengths.fill(0);
  for (let k = 0; k < ncode; k++, p += 3) clLengths[CL_ORDER[k]!] = peek(src, p) & 7;
  if (p > bitLen) return INFLATE_INVALID;
  if (build(clCode, clLengths, 0, 19) !== 0) return INFLATE_INVALID; // the code length code must be complete
  const total = nlen + ndist;
  // Counts per length and the symbols that have a code, per table, gathered as the lengths are read.
  const cLen = dynLen.count, cDist = dynDist.count;
  cLen.fill(0);
  cDist.fill(0);
  // Only non-zero lengths are written to `lengths` (nothing reads the others); `prev` is the last length read.
  let mLen = 0, mDist = 0, prev = 0, eob = false;
  let k = 0;
  while (k < total) {
    // Running past the input is refused here rather than after the loop (the outcome is the same: invalid).
    if (p > bitLen) return INFLATE_INVALID;
    const v = peek(src, p);
    const e = lookup(clCode, v);
    if (e < 0) return INFLATE_INVALID;
    const sym = e >>> 4, n = e & 15;
    p += n;
    if (sym < 16) {
      if (sym !== 0) {
        lengths[k] = sym;
        if (k < nlen) { cLen[sym]!++; usedLen[mLen++] = k; if (k === 256) eob = true; } else { cDist[sym]!++; usedDist[mDist++] = k - nlen; }
      }
      prev = sym;
      k++;
      continue;
    }
    const x = v >>> n;
    let len = 0, rep: number;
    if (sym === 16) {
      if (k === 0) return INFLATE_INVALID; // repeat with no previous length
      len = prev;
      rep = 3 + (x & 3);
      p += 2;
    } else if (sym === 17) {
      rep = 3 + (x & 7);
      p += 3;
    } else {
      rep = 11 + (x & 127);
      p += 7;
    }
    if (k + rep > total) return INFLATE_INVALID;
    if (len !== 0) {
      for (const end = k + rep; k < end; k++) {
        lengths[k] = len;
        if (k < nlen) { cLen[len]!++; usedLen[mLen++] = k; if (k === 256) eob = true; } else { cDist[len]!++; usedDist[mDist++] = k - nlen; }
      }
    } else {
      k += rep;
    }
    prev = len;
  }
  if (p > bitLen) return INFLATE_INVALID;
  if (!eob) return INFLATE_INVALID; // no end-of-block code
  // Incomplete codes are allowed only as a single one-bit code (zlib inflate_table: `left > 0 && max != 1`).
  const l = buildCounted(dynLen, lengths, 0, nlen, usedLen, mLen);
  if (l < 0 || (l > 0 && !singleOneBitCode(dynLen))) return INFLATE_INVALID;
  const d = buildCounted(dynDist, lengths, nlen, ndist, usedDist, mDist);
  if (d < 0 || (d > 0 && dynDist.count[0] !== ndist && !singleOneBitCode(dynDist))) return INFLATE_INVALID;
  return p;
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
  return inflateAt(data, out, 0, cap);
}

/**
 * The decoder. `out[0…base)` is the window's history before the stream starts (a preset dictionary, RFC 1950
 * §2.2 FDICT, as zlib's inflateSetDictionary): matches may reach into it, and output is written from `base` up to
 * `cap` (exclusive, an index into `out`). Returns the output length (not counting `base`) or INFLATE_INVALID / INFLATE_TOO_LARGE.
 */
function inflateAt(data: Uint8Array, out: Uint8Array, base: number, cap: number): number {
  const n = data.length;
  // Longer than any QR can carry: a padded copy of its own, not kept.
  const src = n <= MAX_COMPRESSED_BYTES ? inputScratch : new Uint8Array(n + PAD_BYTES);
  src.set(data);
  src.fill(0, n, n + PAD_BYTES);
  const bitLen = n * 8;
  let p = 0, o = base, last: number;
  do {
    const hdr = peek(src, p);
    p += 3;
    last = hdr & 1;
    const type = (hdr >>> 1) & 3;
    if (p > bitLen) return INFLATE_INVALID;
    if (type === 0) {
      // Stored: skip to a byte boundary.
      let pos = (p + 7) >>> 3;
      if (pos + 4 > n) return INFLATE_INVALID;
      const len = src[pos]! | (src[pos + 1]! << 8);
      const nlen = src[pos + 2]! | (src[pos + 3]! << 8);
      pos += 4;
      if (len !== (~nlen & 0xffff)) return INFLATE_INVALID;
      if (pos + len > n) return INFLATE_INVALID;
      if (o + len > cap) return INFLATE_TOO_LARGE;
      out.set(src.subarray(pos, pos + len), o);
      o += len;
      p = (pos + len) * 8;
      continue;
    }
    let lenCode: Huffman, distCode: Huffman;
    if (type === 1) {
      lenCode = FIXED_LEN; distCode = FIXED_DIST;
    } else if (type === 2) {
      p = dynamic(src, p, bitLen);
      if (p < 0) return INFLATE_INVALID;
      lenCode = dynLen; distCode = dynDist;
    } else {
      return INFLATE_INVALID; // reserved block type 3
    }
    // The Huffman-coded data of the block.
    const lenFast = lenCode.fast, lenMask = lenCode.mask;
    for (;;) {
      let v = peek(src, p);
      let e = lenFast[v & lenMask]!;
      if (e === 0) e = decodeSlow(lenCode, v);
      if (e < 0) return INFLATE_INVALID;
      p += e & 15;
      if (p > bitLen) return INFLATE_INVALID;
      const sym = e >>> 4;
      if (sym < 256) {
        if (o >= cap) return INFLATE_TOO_LARGE;
        out[o++] = sym;
        continue;
      }
      if (sym === 256) break;
      const li = sym - 257;
      if (li >= 29) return INFLATE_INVALID; // 286, 287
      const le = LEN_EXTRA[li]!;
      const len = LEN_BASE[li]! + (peek(src, p) & ((1 << le) - 1));
      p += le;
      v = peek(src, p);
      e = lookup(distCode, v);
      if (e < 0) return INFLATE_INVALID;
      p += e & 15;
      const ds = e >>> 4;
      if (ds >= 30) return INFLATE_INVALID;
      const de = DIST_EXTRA[ds]!;
      const dist = DIST_BASE[ds]! + (peek(src, p) & ((1 << de) - 1));
      p += de;
      if (p > bitLen) return INFLATE_INVALID;
      if (dist > o) return INFLATE_INVALID; // distance too far back
      if (o + len > cap) return INFLATE_TOO_LARGE;
      // Byte by byte: source and destination may overlap (dist < len repeats the last dist bytes).
      for (let k = 0; k < len; k++, o++) out[o] = out[o - dist]!;
    }
  } while (last === 0);
  // Anything after the final block's last byte is refused.
  return (p + 7) >>> 3 === n ? o - base : INFLATE_INVALID;
}

function checkDictionary(dictionary: Uint8Array): void {
  if (dictionary.length > MAX_DICTIONARY_BYTES) throw new RangeError('a preset dictionary is at most 32 KiB');
}

/**
 * Inflates into `out` with `dictionary` as the window's history (copied in every call: a caller may change its
 * array), at most `maxOutput` bytes: a view of `out` or the outcome.
 */
function inflateAfter(dictionary: Uint8Array, data: Uint8Array, out: Uint8Array, maxOutput: number): Uint8Array | 'too-large' | 'invalid' {
  checkDictionary(dictionary);
  const base = dictionary.length;
  out.set(dictionary);
  const n = inflateAt(data, out, base, base + maxOutput);
  if (n === INFLATE_INVALID) return 'invalid';
  if (n === INFLATE_TOO_LARGE) return 'too-large';
  return out.subarray(base, base + n);
}

/**
 * Raw DEFLATE with a hard output cap: a fresh copy of the output, 'too-large' when the output would pass
 * `maxOutput` (decoding stops there), 'invalid' for any malformed stream or bytes after the final block. With a
 * `dictionary`, the window starts out holding it (zlib's inflateSetDictionary on a raw stream): a stream that never
 * reaches back into it decodes exactly as without one.
 */
export function inflateRaw(data: Uint8Array, maxOutput: number, dictionary: Uint8Array = EMPTY): Uint8Array | 'too-large' | 'invalid' {
  if (!(maxOutput >= 0)) throw new RangeError('maxOutput must be a non-negative number');
  // The common cap decodes into the shared scratch (safe: decoding is synchronous, the result is copied out);
  // a larger cap gets a buffer of exactly that size, never more.
  let out = scratch;
  if (maxOutput > SCRATCH_BYTES) {
    checkDictionary(dictionary); // before sizing a buffer by it
    out = new Uint8Array(dictionary.length + maxOutput);
  }
  const r = inflateAfter(dictionary, data, out, maxOutput);
  return typeof r === 'string' ? r : r.slice();
}

/**
 * As inflateRaw, but the bytes are a view of the shared scratch, valid only until the next call: for callers that
 * consume them synchronously (the frame decoder), saving a copy and an allocation per scan.
 */
export function inflateRawView(data: Uint8Array, maxOutput: number, dictionary: Uint8Array = EMPTY): Uint8Array | 'too-large' | 'invalid' {
  if (!(maxOutput >= 0 && maxOutput <= SCRATCH_BYTES)) return inflateRaw(data, maxOutput, dictionary);
  return inflateAfter(dictionary, data, scratch, maxOutput);
}
