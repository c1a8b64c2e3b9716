// RFC 4648 §5 base64url without padding (RFC 7515 §2 "Base64url Encoding").
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64urlEncode(b: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = b[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** Unpadded base64url length of n bytes. */
export function base64urlLength(n: number): number {
  return Math.floor(n / 3) * 4 + [0, 2, 3][n % 3]!;
}

/** Writes the base64url ASCII of `b` into `out` at `at`; returns the end offset. No string is built. */
export function base64urlInto(b: Uint8Array, out: Uint8Array, at: number): number {
  let o = at, i = 0;
  const n3 = b.length - 2;
  for (; i < n3; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    out[o] = CODES[n >>> 18]!;
    out[o + 1] = CODES[(n >>> 12) & 63]!;
    out[o + 2] = CODES[(n >>> 6) & 63]!;
    out[o + 3] = CODES[n & 63]!;
    o += 4;
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = b[i]!;
    out[o++] = CODES[n >>> 2]!;
    out[o++] = CODES[(n & 3) << 4]!;
  } else if (rest === 2) {
    const n = (b[i]! << 8) | b[i + 1]!;
    out[o++] = CODES[n >>> 10]!;
    out[o++] = CODES[(n >>> 4) & 63]!;
    out[o++] = CODES[(n & 15) << 2]!;
  }
  return o;
}

// Char code → 6-bit value (-1 for anything outside the base64url alphabet).
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Strict decoder: rejects padding, foreign characters and non-zero trailing bits (non-canonical encodings). */
export function base64urlDecode(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0, acc = 0, bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? VALUES[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}
