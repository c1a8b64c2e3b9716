// Preloaded into a benchmark's consortium process (consortium-process.mjs, `heapProbe`): on SIGUSR2, a full garbage
// collection, then the heap in use written to $HUTONG_BENCH_HEAP_FILE — the memory the process really keeps, not
// what the collector has yet to reclaim (which grows and shrinks with the allocation rate).
import { renameSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.on('SIGUSR2', () => {
    globalThis.gc();
    const file = process.env.HUTONG_BENCH_HEAP_FILE;
    writeFileSync(`${file}.tmp`, JSON.stringify({ heapUsed: process.memoryUsage().heapUsed }));
    renameSync(`${file}.tmp`, file); // the reader sees the whole file or none
  });
}
