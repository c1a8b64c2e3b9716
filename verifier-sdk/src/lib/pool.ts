// Byte arrays carved from a shared slab, as Node's Buffer pool does: `new Uint8Array(n)` past V8's on-heap limit
// (64 bytes) allocates and registers a separate backing store, about 1.5 µs each, twice per verification (frame
// bytes, leaf input). A view into a slab costs a tenth of that. A view stays valid (and keeps its slab alive) for as
// long as it is referenced, across awaits, like any other array; a full slab is dropped and a new, zero-filled one
// started.
//
// A caller that has finished, synchronously, with everything it took since `poolMark()` — no view of it kept or
// handed out — may give it back with `poolRelease(mark)`: the bytes are zeroed and the next request reuses them.
// The verifier does this when a verification completes without awaiting (the Node fast path): the next scan then
// writes into memory that is still in cache instead of walking through fresh slabs.
const SLAB_BYTES = 32 * 1024;
/** Requests above this get an array of their own (not worth a slab's space). */
const MAX_POOLED = 4096;
/** Marks encode (slab generation, offset); offsets are ≤ SLAB_BYTES < MARK_SCALE. */
const MARK_SCALE = 2 * SLAB_BYTES;

let slab = new ArrayBuffer(SLAB_BYTES);
let slabBytes = new Uint8Array(slab);
let generation = 0;
let used = 0;

/** A new zero-filled `Uint8Array` of `n` bytes (a view into a slab when small). */
export function pooledBytes(n: number): Uint8Array {
  if (n > MAX_POOLED) return new Uint8Array(n);
  if (used + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabBytes = new Uint8Array(slab);
    generation++;
    used = 0;
  }
  const bytes = new Uint8Array(slab, used, n);
  used = (used + n + 7) & ~7; // 8-byte aligned starts
  return bytes;
}

/** The current position of the pool, for `poolRelease`. */
export function poolMark(): number {
  return generation * MARK_SCALE + used;
}

/**
 * Gives back everything taken since `mark` (zeroed, to be handed out again). Only for a caller that keeps no view
 * of those bytes and let no one else take any in between (i.e. synchronous code). A no-op if a new slab was started
 * since the mark.
 */
export function poolRelease(mark: number): void {
  const at = mark - generation * MARK_SCALE;
  if (at < 0 || at > used) return;
  slabBytes.fill(0, at, used);
  used = at;
}
