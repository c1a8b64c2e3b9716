/**
 * The few ASN.1 DER encodings (X.690) the Fabric adapter needs: a block header to hash (block-reader.ts) and an
 * ECDSA signature to send (transaction-signer.ts).
 */

/** DER length octets (X.690 §8.1.3). */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: `tag`, length, `content`. */
export const der = (tag: number, content: Uint8Array): Buffer => Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);

/** Minimal two's-complement big-endian encoding of a non-negative integer (X.690 §8.3). */
export function derUnsigned(n: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return Buffer.from(bytes);
}
