// The block log behind trust-pack deltas: records by block, a record cap, and dead records forgotten.
import { newTrustBlockLog } from '../src/cache/trust-block-log';
import type { StoredRecord } from '../src/cache/trust-records';

const anchor = (root: string, notAfter?: string): StoredRecord => ({ type: 'anchor', key: root, value: { root, ...(notAfter ? { notAfter } : {}) } });

test('since(b) gives every record of block b and later; past the cap, old bases are no longer served', () => {
  const log = newTrustBlockLog(3, 0);
  log.append(1, [anchor('a')]);
  log.append(2, [anchor('b'), anchor('c')]);
  expect(log.since(2)!.map((r) => r.key)).toEqual(['b', 'c']);
  expect(log.since(0)!.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  log.append(3, [anchor('d')]);
  expect(log.reachesBackTo).toBe(1);
  expect(log.since(0)).toBeUndefined();
  expect(log.since(1)!.map((r) => r.key)).toEqual(['b', 'c', 'd']);
});

test('dropDead forgets dead records, keeps live ones and the bases it serves', () => {
  const log = newTrustBlockLog(100, 0);
  log.append(1, [anchor('a', '2026-01-01T00:00:00.000Z'), anchor('b')]);
  log.append(2, [anchor('c', '2026-01-01T00:00:00.000Z')]);
  log.append(3, [anchor('d', '2027-01-01T00:00:00.000Z')]);
  log.dropDead((r) => (r.value as { notAfter?: string }).notAfter === '2026-01-01T00:00:00.000Z');
  expect(log.since(0)!.map((r) => r.key)).toEqual(['b', 'd']);
  expect(log.since(2)!.map((r) => r.key)).toEqual(['d']);
  expect(log.reachesBackTo).toBe(0);
  // The cap now counts live records only: three more fit before anything old is dropped.
  log.append(4, [anchor('e'), anchor('f')]);
  expect(log.since(0)!.map((r) => r.key)).toEqual(['b', 'd', 'e', 'f']);
});
