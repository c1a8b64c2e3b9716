/**
 * When each cached anchor and revocation stops mattering (its `notAfter` + 600 s, docs/protocol.md §6 "Live
 * records"), as a binary min-heap: a pruning pass takes only the records that are due, O(log n) each, never a walk
 * over every record held. An entry is a hint, not the record: a record replaced since (or already gone) is checked
 * again when its entry comes due, so a stale entry costs one look-up and nothing else. Holds one entry per record
 * with a `notAfter` that the cache holds, plus at most one per replacement of such a record (replays after a restart).
 */
export interface ExpiryEntry {
  deadFromMs: number;
  type: string;
  key: string;
}

export interface ExpiryQueue {
  push(entry: ExpiryEntry): void;
  /** Removes and returns every entry due at `nowMs` (deadFromMs ≤ nowMs), earliest first. */
  popDue(nowMs: number): ExpiryEntry[];
  /** The earliest instant an entry comes due, or undefined when empty. */
  readonly nextDueMs: number | undefined;
  readonly size: number;
}

export function newExpiryQueue(): ExpiryQueue {
  const heap: ExpiryEntry[] = [];
  const less = (i: number, j: number): boolean => heap[i]!.deadFromMs < heap[j]!.deadFromMs;
  const swap = (i: number, j: number): void => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  function up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  }
  function down(i: number): void {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  }
  return {
    push(entry) {
      heap.push(entry);
      up(heap.length - 1);
    },
    popDue(nowMs) {
      const due: ExpiryEntry[] = [];
      while (heap.length > 0 && heap[0]!.deadFromMs <= nowMs) {
        due.push(heap[0]!);
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          down(0);
        }
      }
      return due;
    },
    get nextDueMs() {
      return heap[0]?.deadFromMs;
    },
    get size() {
      return heap.length;
    },
  };
}
