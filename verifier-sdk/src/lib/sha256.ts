// SHA-256 (FIPS 180-4) in plain TypeScript, synchronous, allocation-free: for the Merkle fold, where each hash is
// 65 bytes (two blocks) and a native call (argument checks, algorithm lookup, result conversion) costs more than
// the compression itself. Checked against node:crypto by the tests.
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

// Scratch (the functions below are synchronous and not re-entrant).
const W = new Int32Array(64);
const H = new Int32Array(8);
const tail = new Uint8Array(128);

/** One compression of the 64-byte block at `b[at…]` into H. */
function compress(b: Uint8Array, at: number): void {
  for (let t = 0; t < 16; t++) {
    const j = at + 4 * t;
    W[t] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15]!, y = W[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = H[0]!, bb = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0; H[1] = (H[1]! + bb) | 0; H[2] = (H[2]! + c) | 0; H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0; H[5] = (H[5]! + f) | 0; H[6] = (H[6]! + g) | 0; H[7] = (H[7]! + h) | 0;
}

/** SHA-256 of `data[at…at+len)`, written as 32 bytes at `out[outAt…]` (out may overlap the input). */
export function sha256Into(data: Uint8Array, at: number, len: number, out: Uint8Array, outAt: number): void {
  H.set(IV);
  let i = 0;
  for (; i + 64 <= len; i += 64) compress(data, at + i);
  const rest = len - i;
  tail.fill(0);
  for (let k = 0; k < rest; k++) tail[k] = data[at + i + k]!;
  tail[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const end = 64 * blocks;
  // Bit length, big-endian 64-bit (inputs here are far below 2^32 bits).
  const bitsHi = Math.floor(len / 0x20000000), bitsLo = (len * 8) >>> 0;
  tail[end - 8] = bitsHi >>> 24; tail[end - 7] = bitsHi >>> 16; tail[end - 6] = bitsHi >>> 8; tail[end - 5] = bitsHi;
  tail[end - 4] = bitsLo >>> 24; tail[end - 3] = bitsLo >>> 16; tail[end - 2] = bitsLo >>> 8; tail[end - 1] = bitsLo;
  compress(tail, 0);
  if (blocks === 2) compress(tail, 64);
  for (let k = 0; k < 8; k++) {
    const v = H[k]!, o = outAt + 4 * k;
    out[o] = v >>> 24; out[o + 1] = v >>> 16; out[o + 2] = v >>> 8; out[o + 3] = v;
  }
}

/** SHA-256 of `data`, a new 32-byte array. */
export function sha256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(data, 0, data.length, out, 0);
  return out;
}
