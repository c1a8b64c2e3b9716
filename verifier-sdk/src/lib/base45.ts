// Base45, RFC 9285 §4: 2 bytes → 3 characters (little-endian digits), a trailing byte → 2 characters.
import { pooledBytes } from './pool.js';
import { CRC16_INIT, crc16Update, crc16Word } from './crc16.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
// Byte → its digit times 1, 45 and 45² (the three positions of a group); bytes outside the alphabet map to 65536,
// so that one comparison per group (value ≤ 65535, or ≤ 255 for a final pair) refuses both a bad character and
// an overflowing group.
const BAD = 0x10000;
const D0 = new Int32Array(256).fill(BAD), D1 = new Int32Array(256).fill(BAD), D2 = new Int32Array(256).fill(BAD);
for (let i = 0; i < ALPHABET.length; i++) {
  const c = ALPHABET.charCodeAt(i);
  D0[c] = i;
  D1[c] = i * 45;
  D2[c] = i * 2025;
}
// The text's code units as bytes: TextEncoder.encodeInto is native and far faster than charCodeAt per character.
// Shared scratch, used synchronously within one call. Anything outside ASCII encodes to 2+ bytes (≥ 0x80, never
// a digit), and is caught by the length check below before the table is consulted.
const encoder = new TextEncoder();
const SCRATCH = new Uint8Array(3 * 4400); // 3 × (MAX_QR_CHARS rounded up): UTF-8 worst case

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

/** Where `base45Decode` leaves the CRC-16 of the decoded bytes but the last two (-1 if there are fewer than 2). */
export interface CrcSink {
  crc: number;
}

/**
 * Returns null on any invalid input (bad length, character outside the alphabet, group value overflow). With a
 * `sink`, also computes the CRC-16/CCITT-FALSE of all decoded bytes but the last two (a QR frame's checksum covers
 * everything before it) in the same pass, while the bytes are in registers.
 */
export function base45Decode(text: string, start = 0, sink?: CrcSink): Uint8Array | null {
  const len = text.length - start;
  if (len % 3 === 1 || len < 0) return null;
  const t = text.length * 3 <= SCRATCH.length ? SCRATCH : new Uint8Array(text.length * 3); // longer: not kept
  const { written } = encoder.encodeInto(text, t);
  if (written !== text.length) return null; // a character outside ASCII
  const end = text.length;
  const outLen = Math.floor(len / 3) * 2 + (len % 3 === 2 ? 1 : 0);
  const out = pooledBytes(outLen);
  let o = 0;
  let i = start;
  // Groups whose two bytes both precede the checksum (outLen − 2) feed the CRC as they are decoded.
  const crcGroupsEnd = sink ? start + 3 * Math.max(0, Math.floor((outLen - 2) / 2)) : start;
  let crc = CRC16_INIT;
  for (; i < crcGroupsEnd; i += 3) {
    const n = D0[t[i]!]! + D1[t[i + 1]!]! + D2[t[i + 2]!]!;
    if (n > 0xffff) return null;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
    crc = crc16Word(crc, n);
  }
  for (; i + 2 < end; i += 3) {
    const n = D0[t[i]!]! + D1[t[i + 1]!]! + D2[t[i + 2]!]!;
    if (n > 0xffff) return null;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (i < end) {
    const n = D0[t[i]!]! + D1[t[i + 1]!]!;
    if (n > 0xff) return null;
    out[o] = n;
  }
  // At most one byte (odd length) lies between the CRC-fed pairs and the checksum.
  if (sink) sink.crc = outLen < 2 ? -1 : crc16Update(crc, out, (2 * (crcGroupsEnd - start)) / 3, outLen - 2);
  return out;
}
