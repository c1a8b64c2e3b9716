// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF). It detects every single- and double-bit error of a damaged QR. It
// does not make the compressed bytes canonical: DEFLATE padding bits are ignored, so an encoder that sets them makes
// another valid QR of the same credential (docs/protocol.md §5.2) — the credential, not its QR text, is canonical.
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[n] = c;
}

// Two bytes per step: with x = crc ^ (b0 << 8 | b1), two table steps give TABLE2[x >> 8] ^ TABLE[x & 0xff], where
// TABLE2[n] = ((TABLE[n] & 0xff) << 8) ^ TABLE[TABLE[n] >> 8] (the CRC is linear over XOR).
const TABLE2 = new Uint16Array(256);
for (let n = 0; n < 256; n++) TABLE2[n] = ((TABLE[n]! & 0xff) << 8) ^ TABLE[TABLE[n]! >> 8]!;

export const CRC16_INIT = 0xffff;

export function crc16(bytes: Uint8Array, end = bytes.length): number {
  return crc16Update(CRC16_INIT, bytes, 0, end);
}

/** Continues `crc` over `bytes[from…end)`. */
export function crc16Update(crc: number, bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  for (; i + 1 < end; i += 2) crc = crc16Word(crc, (bytes[i]! << 8) | bytes[i + 1]!);
  if (i < end) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** Continues `crc` over two bytes given as one big-endian 16-bit word (one table step each, merged). */
export function crc16Word(crc: number, word: number): number {
  const x = crc ^ word;
  return TABLE2[x >> 8]! ^ TABLE[x & 0xff]!;
}
