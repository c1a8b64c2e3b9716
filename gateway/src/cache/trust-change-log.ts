/**
 * The records the trust cache applied lately, by cache version, so a reader holding an older copy of the state (a
 * crypto-pool worker) can be brought up to date with what changed instead of the whole state. Bounded by records
 * kept: a reader further behind than the log reaches gets undefined and starts again from a full snapshot.
 */
import type { StoredRecord } from './trust-records.js';

export interface TrustChangeLog {
  /** Records the change that made the cache `version`. */
  append(version: number, records: readonly StoredRecord[]): void;
  /** Every record applied after `version`, in order; undefined if the log no longer reaches back that far. */
  since(version: number): StoredRecord[] | undefined;
}

export function newTrustChangeLog(maxRecords: number): TrustChangeLog {
  let entries: Array<{ version: number; records: readonly StoredRecord[] }> = [];
  let held = 0;
  /** The oldest version a reader may hold and still be brought forward from the log. */
  let reachesBackTo = 0;
  return {
    append(version, records) {
      entries.push({ version, records });
      held += records.length;
      if (held <= maxRecords) return;
      let drop = 0;
      while (held > maxRecords && drop < entries.length) held -= (entries[drop++] as { records: readonly StoredRecord[] }).records.length;
      reachesBackTo = (entries[drop - 1] as { version: number }).version;
      entries = entries.slice(drop);
    },
    since(version) {
      if (version < reachesBackTo) return undefined;
      const out: StoredRecord[] = [];
      // Item by item: spreading an entry's records into push() overflows the stack for a large entry.
      for (const e of entries) if (e.version > version) for (const r of e.records) out.push(r);
      return out;
    },
  };
}
