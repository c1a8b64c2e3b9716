/**
 * Test support: a plain in-memory WorldState that records every effect of one transaction (writes, endorsement
 * metadata, event) in call order, so properties can compare two executions byte for byte.
 */
import { compositeKey, DomainError, executeTransaction } from '../src/domain';
import type { ClientIdentity, KeyModification, StatePage, TxContext, WorldState } from '../src/domain';

export type Effect =
  | { op: 'put'; key: string; value: string }
  | { op: 'delete'; key: string }
  | { op: 'endorse'; key: string; msps: string[] }
  | { op: 'event'; name: string; payload: string };

const text = new TextDecoder();

export class MemoryWorldState implements WorldState {
  readonly committed = new Map<string, Uint8Array>();
  readonly history = new Map<string, KeyModification[]>();
  effects: Effect[] = [];
  private pending = new Map<string, Uint8Array | null>();
  private currentTx = { txId: '', timestamp: '' };

  async get(key: string): Promise<Uint8Array | undefined> {
    const p = this.pending.get(key);
    if (p !== undefined) return p ?? undefined;
    return this.committed.get(key);
  }
  async put(key: string, value: Uint8Array): Promise<void> {
    this.pending.set(key, value);
    this.effects.push({ op: 'put', key, value: text.decode(value) });
  }
  async delete(key: string): Promise<void> {
    this.pending.set(key, null);
    this.effects.push({ op: 'delete', key });
  }
  async getByPartialCompositeKey(objectType: string, attributes: string[], pageSize: number, bookmark: string): Promise<StatePage> {
    // Fabric semantics: reads see committed state only, ordered by key; bookmark = first key of the page.
    const prefix = compositeKey(objectType, attributes);
    const keys = [...this.committed.keys()].filter((k) => k.startsWith(prefix) && (bookmark === '' || Buffer.from(k) >= Buffer.from(bookmark)));
    keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = keys.slice(0, pageSize);
    return { entries: page.map((key) => ({ key, value: this.committed.get(key)! })), bookmark: keys[pageSize] ?? '' };
  }
  async getHistory(key: string): Promise<KeyModification[]> {
    return [...(this.history.get(key) ?? [])];
  }
  setEvent(name: string, payload: Uint8Array): void {
    this.effects.push({ op: 'event', name, payload: text.decode(payload) });
  }
  async setKeyEndorsement(key: string, mspIds: string[]): Promise<void> {
    this.effects.push({ op: 'endorse', key, msps: mspIds });
  }

  context(client: ClientIdentity, txId: string, timestamp: string): TxContext {
    this.pending = new Map();
    this.effects = [];
    this.currentTx = { txId, timestamp };
    return { state: this, txId, timestamp, client };
  }
  commit(): void {
    for (const [key, value] of this.pending) {
      if (value === null) this.committed.delete(key);
      else this.committed.set(key, value);
      const list = this.history.get(key) ?? [];
      list.push({ txId: this.currentTx.txId, timestamp: this.currentTx.timestamp, isDelete: value === null, ...(value ? { value } : {}) });
      this.history.set(key, list);
    }
    this.pending = new Map();
  }
}

/**
 * Runs transactions on `ws` one after another, each committed: ids tx0, tx1, …, each at `startMs` plus one second
 * per transaction before it, unless `at` (ms) says otherwise.
 */
export function sequentialExecutor(ws: MemoryWorldState, startMs: number) {
  let n = 0;
  return async <T>(who: ClientIdentity, tx: string, input: unknown, at = startMs + 1000 * n): Promise<T> => {
    const ctx = ws.context(who, `tx${n++}`, new Date(at).toISOString());
    const result = (await executeTransaction(ctx, tx, input)) as T;
    ws.commit();
    return result;
  };
}

/** The DomainError code the transaction failed with; undefined when it succeeded. */
export async function domainErrorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'NOT_A_DOMAIN_ERROR';
  }
}
