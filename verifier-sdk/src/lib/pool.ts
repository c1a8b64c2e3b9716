// Byte arrays carved from a shared slab, as Node's Buffer pool does: `new Uint8Array(n)` past V8's on-heap limit
// (64 bytes) allocates and registers a separate backing store, about 1.5 µs each, twice per verification (frame
// bytes, leaf input). A view into a slab costs a tenth of that. Slabs are never reused: a view stays valid (and
// keeps its slab alive) for as long as it is referenced, across awaits, like any other array; a full slab is
// dropped and a new, zero-filled one started.
const SLAB_BYTES = 32 * 1024;
/** Requests above this get an array of their own (not worth a slab's space). */
const MAX_POOLED = 4096;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** A new zero-filled `Uint8Array` of `n` bytes (a view into a slab when small). */
export function pooledBytes(n: number): Uint8Array {
  if (n > MAX_POOLED) return new Uint8Array(n);
  if (used + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const bytes = new Uint8Array(slab, used, n);
  used = (used + n + 7) & ~7; // 8-byte aligned starts
  return bytes;
}
