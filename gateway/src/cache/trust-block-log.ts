/**
 * The records the trust cache applied, by the ledger block that wrote them, so the gateway can serve a trust-pack
 * delta (docs/protocol.md §6.5) since a block: every record of that block and after. Bounded by records kept; a base
 * older than the log reaches is answered with a full pack. Records fetched on a cache miss (no event) are logged
 * under the cache's current block, so a delta since that block carries them too.
 */
import type { StoredRecord } from './trust-records.js';

export interface TrustBlockLog {
  /** Records applied from `block` (the event's block, or the current checkpoint block for a fill). */
  append(block: number, records: readonly StoredRecord[]): void;
  /** Every record of block `since` and later, in order; undefined if the log no longer reaches back that far. */
  since(since: number): StoredRecord[] | undefined;
  /**
   * Forgets the records `dead` says can no longer matter (a delta need not carry them: both sides drop them), so
   * the log holds only live records whatever its record cap — with time compressed, the cap alone would keep days.
   */
  dropDead(dead: (r: StoredRecord) => boolean): void;
  /** The oldest base a delta can be served for. */
  readonly reachesBackTo: number;
}

export function newTrustBlockLog(maxRecords: number, startBlock: number): TrustBlockLog {
  let entries: Array<{ block: number; records: readonly StoredRecord[] }> = [];
  let held = 0;
  let reachesBackTo = startBlock;
  return {
    append(block, records) {
      if (records.length === 0) return;
      entries.push({ block, records });
      held += records.length;
      if (held <= maxRecords) return;
      let drop = 0;
      while (held > maxRecords && drop < entries.length) held -= (entries[drop++] as { records: readonly StoredRecord[] }).records.length;
      // Part of that block may be gone: a base at it is still served (its records are sent again from the log, and
      // the state digest tells a client that missed one to take a full pack).
      reachesBackTo = Math.max(reachesBackTo, (entries[drop - 1] as { block: number }).block);
      entries = entries.slice(drop);
    },
    dropDead(dead) {
      held = 0;
      const kept: typeof entries = [];
      for (const e of entries) {
        const live = e.records.filter((r) => !dead(r));
        held += live.length;
        // An emptied block needs no entry: `since` reads every later block anyway, and reachesBackTo is unchanged.
        if (live.length > 0) kept.push(live.length === e.records.length ? e : { block: e.block, records: live });
      }
      entries = kept;
    },
    since(since) {
      if (since < reachesBackTo) return undefined;
      const out: StoredRecord[] = [];
      for (const e of entries) if (e.block >= since) out.push(...e.records);
      return out;
    },
    get reachesBackTo() {
      return reachesBackTo;
    },
  };
}
