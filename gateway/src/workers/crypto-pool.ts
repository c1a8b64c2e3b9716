/**
 * A small pool of worker threads for crypto-heavy bulk work — the chunks of a verification batch, the signatures
 * of a bulk issuance — so a gateway uses every core for it while its main thread keeps serving requests. Workers
 * start on first use (a gateway that never sees bulk work starts none), are unref'd, and are terminated by
 * `close()`; a worker that dies fails only its own chunks and is replaced on the next task.
 *
 * Trust state and signing keys are posted to a worker only when it lacks them: every verify task names the trust
 * state (`key`, bumped by the caller whenever it compiles a new verifier) and carries the snapshot only for a worker
 * that has not seen that key yet; signing keys likewise go once per worker.
 */
import { Worker } from 'node:worker_threads';
import type { VerificationResult } from '@hutong/verifier-sdk';
import type { HexInclusionProof } from '@hutong/verifier-sdk/issuer';
import type { IssuerKey } from '@hutong/chaincode/domain';
import { workerScript } from './worker-script.js';

export interface TrustState {
  /** Changes whenever the snapshot does. */
  key: number;
  snapshot: unknown;
  jurisdiction: string;
  maxSnapshotAgeSeconds: number;
}

export interface WorkerSigningKey {
  /** `issuerId/kid` */
  id: string;
  issuerId: string;
  kid: string;
  alg: IssuerKey['alg'];
  privateJwk: Record<string, unknown>;
  pseudonymKey: Uint8Array;
}

export interface SignItem {
  keyId: string;
  credentialType: string;
  status: string;
  holder: { name: string; documentType: string; documentNumber: string };
  validitySeconds: number;
  claims?: Record<string, string | number | boolean> | undefined;
}

export type SignOutcome = { jws: string } | { error: { sdkCode?: string; message: string; details?: Record<string, unknown> } };

export type PoolRequest =
  | { kind: 'verify'; id: number; trustKey: number; trust?: TrustState; qrs: string[]; nowMs: number }
  | { kind: 'sign'; id: number; keys: WorkerSigningKey[]; items: SignItem[]; nowMs: number }
  | { kind: 'qr'; id: number; items: QrItem[] };

export interface QrItem {
  jws: string;
  root: string;
  proof: HexInclusionProof;
}

export type PoolResponse =
  | { id: number; results: VerificationResult[] }
  | { id: number; outcomes: SignOutcome[] }
  | { id: number; qrs: string[] }
  | { id: number; failure: string };

export interface CryptoPool {
  readonly size: number;
  /** Verifies `qrs` in chunks across the workers; results in input order. */
  verify(trust: TrustState, qrs: readonly string[], now?: Date): Promise<VerificationResult[]>;
  /** Signs `items` in chunks across the workers; outcomes in input order. */
  sign(keys: ReadonlyMap<string, WorkerSigningKey>, items: readonly SignItem[], now?: Date): Promise<SignOutcome[]>;
  /** Encodes the QR texts of anchored credentials in chunks across the workers; in input order. */
  encodeQrs(items: readonly QrItem[]): Promise<string[]>;
  /** Terminates every worker; pending tasks reject. */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: PoolResponse) => void; reject: (e: Error) => void; size: number }>;
  load: number;
  trustKey: number | undefined;
  keys: Set<string>;
}

/** Splits `n` items into at most `parts` contiguous chunks of at least `min` items. */
function chunks(n: number, parts: number, min: number): Array<[number, number]> {
  const count = Math.max(1, Math.min(parts, Math.floor(n / min)));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) out.push([Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count)]);
  return out;
}

export function newCryptoPool(options: Readonly<{ size: number; minChunk?: number }>): CryptoPool {
  const size = Math.max(1, Math.floor(options.size));
  const minChunk = options.minChunk ?? 32;
  const slots: Array<Slot | undefined> = new Array(size).fill(undefined);
  let nextId = 1;
  let closed = false;
  let url: URL | undefined;

  function spawn(i: number): Slot {
    url ??= workerScript('./crypto-worker.js', import.meta.url);
    const worker = new Worker(url);
    worker.unref();
    const slot: Slot = { worker, pending: new Map(), load: 0, trustKey: undefined, keys: new Set() };
    const fail = (e: Error) => {
      if (slots[i] === slot) slots[i] = undefined;
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
    };
    worker.on('message', (m: PoolResponse) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      slot.load -= p.size;
      p.resolve(m);
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(new Error(`crypto worker exited (${code})`)));
    slots[i] = slot;
    return slot;
  }

  /** The least-loaded worker, spawning missing ones first. */
  function pick(): Slot {
    let best: Slot | undefined;
    for (let i = 0; i < size; i++) {
      const s = slots[i] ?? spawn(i);
      if (!best || s.load < best.load) best = s;
    }
    return best as Slot;
  }

  function post(slot: Slot, message: PoolRequest, work: number): Promise<PoolResponse> {
    return new Promise((resolve, reject) => {
      slot.pending.set(message.id, { resolve, reject, size: work });
      slot.load += work;
      slot.worker.postMessage(message);
    }).then((r) => {
      const response = r as PoolResponse;
      if ('failure' in response) throw new Error(`crypto worker: ${response.failure}`);
      return response;
    });
  }

  function ensureOpen(): void {
    if (closed) throw new Error('crypto pool is closed');
  }

  return {
    size,
    async verify(trust, qrs, now = new Date()) {
      ensureOpen();
      const parts = await Promise.all(chunks(qrs.length, size, minChunk).map(([from, to]) => {
        const slot = pick();
        const fresh = slot.trustKey !== trust.key;
        slot.trustKey = trust.key;
        const message: PoolRequest = { kind: 'verify', id: nextId++, trustKey: trust.key, ...(fresh ? { trust } : {}), qrs: qrs.slice(from, to), nowMs: now.getTime() };
        return post(slot, message, to - from).catch((e: unknown) => {
          if (slot.trustKey === trust.key) slot.trustKey = undefined;
          throw e;
        });
      }));
      return parts.flatMap((p) => (p as { results: VerificationResult[] }).results);
    },
    async sign(keys, items, now = new Date()) {
      ensureOpen();
      const parts = await Promise.all(chunks(items.length, size, minChunk).map(([from, to]) => {
        const slot = pick();
        const chunk = items.slice(from, to);
        const missing: WorkerSigningKey[] = [];
        for (const item of chunk) {
          if (slot.keys.has(item.keyId)) continue;
          const k = keys.get(item.keyId);
          if (k) missing.push(k);
          slot.keys.add(item.keyId);
        }
        return post(slot, { kind: 'sign', id: nextId++, keys: missing, items: chunk, nowMs: now.getTime() }, to - from);
      }));
      return parts.flatMap((p) => (p as { outcomes: SignOutcome[] }).outcomes);
    },
    async encodeQrs(items) {
      ensureOpen();
      const parts = await Promise.all(chunks(items.length, size, minChunk).map(([from, to]) => {
        return post(pick(), { kind: 'qr', id: nextId++, items: items.slice(from, to) }, to - from);
      }));
      return parts.flatMap((p) => (p as { qrs: string[] }).qrs);
    },
    async close() {
      closed = true;
      await Promise.all(slots.map(async (s, i) => {
        if (!s) return;
        slots[i] = undefined;
        await s.worker.terminate();
      }));
    },
  };
}

/** Pool size by default: every core the process may use. */
export { availableParallelism as defaultPoolSize } from 'node:os';
