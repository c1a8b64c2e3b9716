// Base45, RFC 9285 §4: 2 bytes → 3 characters (little-endian digits), a trailing byte → 2 characters.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
// Code unit (≤ 0xff) → digit; 0xff = not in the alphabet.
const DECODE = new Uint8Array(256).fill(0xff);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    const n = bytes[i]! * 256 + bytes[i + 1]!; // RFC 9285 §4.2: n = (a × 256) + b
    out += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45) % 45]! + ALPHABET[Math.floor(n / 2025)]!;
  }
  if (i < bytes.length) {
    const n = bytes[i]!;
    out += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/** Returns null on any invalid input (bad length, character outside the alphabet, group value overflow). */
export function base45Decode(text: string, start = 0): Uint8Array | null {
  const len = text.length - start;
  if (len % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(len / 3) * 2 + (len % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = start;
  for (; i + 2 < text.length; i += 3) {
    const c0 = text.charCodeAt(i), c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2);
    if ((c0 | c1 | c2) > 0xff) return null;
    const c = DECODE[c0]!, d = DECODE[c1]!, e = DECODE[c2]!;
    if (c === 0xff || d === 0xff || e === 0xff) return null;
    const n = c + d * 45 + e * 2025;
    if (n > 0xffff) return null;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (i < text.length) {
    const c = digit(text, i), d = digit(text, i + 1);
    if (c === 0xff || d === 0xff) return null;
    const n = c + d * 45;
    if (n > 0xff) return null;
    out[o++] = n;
  }
  return out;
}

function digit(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code <= 0xff ? DECODE[code]! : 0xff;
}
