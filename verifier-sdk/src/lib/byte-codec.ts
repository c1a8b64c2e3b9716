// A growing byte buffer with canonical unsigned LEB128 varints, and the bounded reader for the same encoding: the
// trust pack's (docs/protocol.md §6.5) serialisation, written by its encoder and read by its decoder.

/** Largest varint value: a JavaScript number holds integers exactly up to 2^53 − 1. */
const MAX_VARINT = Number.MAX_SAFE_INTEGER;

export class ByteWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Unsigned LEB128 of a safe non-negative integer (arithmetic, not 32-bit bit operators). */
  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint out of range: ${v}`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** A varint length, then the bytes. */
  lengthPrefixed(b: Uint8Array): void {
    this.varint(b.length);
    this.bytes(b);
  }

  /** The bytes written (a view: copy before writing more). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Thrown by {@link ByteReader} for any malformed input; its caller turns it into its own error code. */
export class ByteReaderError extends Error {
  /** @param bound the value is well-formed but above the caller's bound */
  constructor(message: string, readonly bound = false) {
    super(message);
  }
}

export class ByteReader {
  at = 0;
  constructor(readonly bytes: Uint8Array, readonly end = bytes.length) {}

  get remaining(): number {
    return this.end - this.at;
  }

  byte(): number {
    if (this.at >= this.end) throw new ByteReaderError('truncated');
    return this.bytes[this.at++]!;
  }

  /** `n` bytes as a view (no copy). */
  take(n: number): Uint8Array {
    if (n > this.remaining) throw new ByteReaderError('truncated');
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  /**
   * A canonical unsigned LEB128 varint of at most `max`: the shortest encoding only (no final 0x00 continuation
   * byte), at most 8 bytes, at most 2^53 − 1 — so every value has exactly one encoding.
   */
  varint(max: number = MAX_VARINT): number {
    let v = 0, scale = 1;
    for (let k = 0; k < 8; k++) {
      const b = this.byte();
      v += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && k > 0) throw new ByteReaderError('varint not in its shortest form');
        if (v > max || v > MAX_VARINT) throw new ByteReaderError(`varint above ${Math.min(max, MAX_VARINT)}`, true);
        return v;
      }
      scale *= 0x80;
    }
    throw new ByteReaderError('varint longer than 8 bytes');
  }
}
