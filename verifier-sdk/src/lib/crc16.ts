// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF). It detects every single- and double-bit error, which makes the
// compressed bytes canonical: DEFLATE ignores padding bits, so without it a flipped padding bit would still decode.
const TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[n] = c;
}

export function crc16(bytes: Uint8Array, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = 0; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}
