/**
 * A small pool of worker threads for crypto-heavy bulk work — the chunks of a verification batch, the signatures
 * of a bulk issuance — so a gateway uses every core for it while its main thread keeps serving requests. Workers
 * start on first use (a gateway that never sees bulk work starts none), are unref'd, and are terminated by
 * `close()`; a worker that dies fails only its own chunks and is replaced on the next task.
 *
 * Each worker keeps its own copy of the trust cache's index (the SDK's TrustIndex, built by the same functions:
 * cache/trust-records.ts). A verify task carries what the worker's copy lacks — the records applied since the
 * version it holds, or a whole snapshot when it holds none or is further behind than the cache's change log — and
 * the time the state was last known current. Signing keys likewise go once per worker.
 */
import { Worker } from 'node:worker_threads';
import type { VerificationResult } from '@hutong/verifier-sdk';
import type { HexInclusionProof } from '@hutong/verifier-sdk/issuer';
import type { IssuerKey } from '@hutong/chaincode/domain';
import type { TrustDelta } from '../cache/trust-cache.js';
import type { SignableRequest } from '../issuance/credential-request.js';
import { workerScript } from './worker-script.js';

/** Where a verify task's trust state comes from (the verification service, over the trust cache). */
export interface TrustSource {
  jurisdiction: string;
  maxSnapshotAgeSeconds: number;
  version(): number;
  generatedAtMs(): number;
  /** What a copy of the state at `held` (undefined: none) lacks. */
  deltaSince(held: number | undefined): TrustDelta;
}

/** The trust part of a verify task: settings, freshness, and (when the worker's copy is behind) the delta. */
export interface WorkerTrust {
  jurisdiction: string;
  maxSnapshotAgeSeconds: number;
  generatedAtMs: number;
  /** The version the worker's copy must be at after the delta (if any) is applied. */
  version: number;
  delta?: TrustDelta;
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

export interface SignItem extends SignableRequest {
  keyId: string;
}

/** An SDK refusal, as it crosses the thread boundary (an Error does not keep its code through a structured clone). */
export interface WorkerSdkError { sdkCode?: string; message: string; details?: Record<string, unknown> }

export type SignOutcome = { jws: string } | { error: WorkerSdkError };

/** A QR text checked with the SDK's decoder, or why a verifier would refuse it. */
export type QrOutcome = { qr: string } | { error: WorkerSdkError };

export type PoolRequest =
  | { kind: 'verify'; id: number; trust: WorkerTrust; qrs: string[]; nowMs: number }
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
  | { id: number; qrs: QrOutcome[] }
  | { id: number; failure: string };

export interface CryptoPool {
  readonly size: number;
  /** Verifies `qrs` in chunks across the workers; results in input order. */
  verify(trust: TrustSource, qrs: readonly string[], now?: Date): Promise<VerificationResult[]>;
  /** Signs `items` in chunks across the workers; outcomes in input order. */
  sign(keys: ReadonlyMap<string, WorkerSigningKey>, items: readonly SignItem[], now?: Date): Promise<SignOutcome[]>;
  /** Encodes and checks (SDK `encodeCheckedQrs`) the QR texts of a batch in chunks across the workers; in input order. */
  encodeQrs(items: readonly QrItem[]): Promise<QrOutcome[]>;
  /** Terminates every worker; pending tasks reject. */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: PoolResponse) => void; reject: (e: Error) => void; size: number }>;
  load: number;
  /** The trust cache version of the worker's copy, as of the tasks posted to it. */
  trustVersion: number | undefined;
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
    const slot: Slot = { worker, pending: new Map(), load: 0, trustVersion: undefined, keys: new Set() };
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
        const version = trust.version();
        const behind = slot.trustVersion !== version;
        const workerTrust: WorkerTrust = {
          jurisdiction: trust.jurisdiction, maxSnapshotAgeSeconds: trust.maxSnapshotAgeSeconds, generatedAtMs: trust.generatedAtMs(), version,
          ...(behind ? { delta: trust.deltaSince(slot.trustVersion) } : {}),
        };
        // Tasks run in order in a worker: the next task's delta starts from this one's version.
        slot.trustVersion = version;
        return post(slot, { kind: 'verify', id: nextId++, trust: workerTrust, qrs: qrs.slice(from, to), nowMs: now.getTime() }, to - from).catch((e: unknown) => {
          slot.trustVersion = undefined; // whatever the worker holds now, the next task brings a whole snapshot
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
      return parts.flatMap((p) => (p as { qrs: QrOutcome[] }).qrs);
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
