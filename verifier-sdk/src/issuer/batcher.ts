// Batch anchoring: collect credentials, anchor one Merkle root per batch, then hand out each credential with its
// proof. A batch is all-or-nothing: if the anchor fails, every credential of the batch is rejected.
import { HutongSdkError } from '../errors.js';
import { toHex } from '../lib/hex.js';
import { auditPath, treeLevels } from '../lib/merkle.js';
import { splitJws } from './credential-signer.js';
import { hashNodeSync, leafHashBytes, type HexInclusionProof } from './merkle-batch.js';
import { encodeQr } from './qr-encoder.js';

/**
 * What the ledger says about an anchored root.
 *
 * @example
 * ```ts
 * const receipt: AnchorReceipt = { txId, blockNumber: 1234, anchoredAt: '2026-11-26T07:00:02.000Z' };
 * ```
 */
export interface AnchorReceipt {
  txId: string;
  blockNumber: number;
  /** Ledger (transaction) time of the anchor, ISO-8601. */
  anchoredAt: string;
}

/**
 * The injected ledger call: submit `AnchorRoot` and resolve once the transaction is committed.
 *
 * @example
 * ```ts
 * const anchor: AnchorFn = async ({ root, leafCount, kid, issuerId }) => ledger.submitAnchor(issuerId, root, leafCount, kid);
 * ```
 */
export type AnchorFn = (request: Readonly<{ root: string; leafCount: number; kid: string; issuerId: string }>) => Promise<AnchorReceipt>;

/**
 * One anchored credential, ready to hand to its holder.
 *
 * @example
 * ```ts
 * const { qr, leafHash, anchor }: IssuedCredential = await batcher.add(jws);
 * ```
 */
export interface IssuedCredential {
  jws: string;
  /** Leaf hash, lower-case hex. */
  leafHash: string;
  /** Batch root, lower-case hex. */
  root: string;
  proof: HexInclusionProof;
  /** QR text (`HT1:…`). */
  qr: string;
  anchor: AnchorReceipt;
}

/**
 * Collects credentials of one issuer key and anchors them in batches.
 *
 * @example
 * ```ts
 * process.on('SIGTERM', () => void batcher.close()); // anchor what is queued before exiting
 * ```
 */
export interface Batcher {
  /** Queues a signed credential; resolves once its batch root is committed on the ledger. */
  add(jws: string): Promise<IssuedCredential>;
  /** Anchors whatever is queued now; resolves when that batch has settled (success or failure). */
  flush(): Promise<void>;
  /** Flushes, waits for every batch in flight and refuses further `add`s. */
  close(): Promise<void>;
  /** Credentials queued and not yet handed to `anchor`. */
  readonly pending: number;
}

/**
 * Encodes the QR texts of one anchored batch, in order. The default encodes in-process with {@link encodeQr};
 * a server can hand the work to worker threads, since it is most of the CPU an issuance costs.
 *
 * @example
 * ```ts
 * const encode: QrEncoder = (items) => pool.run('encodeQrs', items); // must keep the order of `items`
 * ```
 */
export type QrEncoder = (items: ReadonlyArray<Readonly<{ jws: string; root: string; proof: HexInclusionProof }>>) => Promise<string[]>;

/** In-process encoding, one after the other: the default {@link QrEncoder}. */
export const encodeQrsInProcess: QrEncoder = async (items) => items.map((i) => encodeQr(i));

/**
 * Options of {@link newBatcher}.
 *
 * @example
 * ```ts
 * const options: BatcherOptions = { issuerId, kid, maxLeaves: 4096, maxDelayMs: 2000, anchor };
 * ```
 */
export interface BatcherOptions {
  issuerId: string;
  kid: string;
  /** Flush when this many credentials are queued (1 … 65,536: the proof must fit in a QR code). */
  maxLeaves: number;
  /** Flush at most this long after the first credential of a batch was queued. */
  maxDelayMs: number;
  anchor: AnchorFn;
  /** QR encoding of an anchored batch; default {@link encodeQrsInProcess}. */
  encode?: QrEncoder;
}

interface Entry {
  jws: string;
  leaf: Uint8Array;
  resolve: (c: IssuedCredential) => void;
  reject: (e: unknown) => void;
}

const decoder = new TextDecoder();

/**
 * Creates a batcher for one issuer key.
 *
 * @example
 * ```ts
 * const batcher = newBatcher({
 *   issuerId: 'gd-hcc', kid: 'gd-hcc-2026-01', maxLeaves: 4096, maxDelayMs: 2000,
 *   anchor: async (a) => ledger.anchorRoot(a), // → { txId, blockNumber, anchoredAt }
 * });
 * const { qr } = await batcher.add(signer.sign(input));
 * ```
 */
export function newBatcher(options: Readonly<BatcherOptions>): Batcher {
  const { issuerId, kid, maxLeaves, maxDelayMs, anchor, encode = encodeQrsInProcess } = options;
  if (!Number.isSafeInteger(maxLeaves) || maxLeaves < 1 || maxLeaves > 65_536) throw new HutongSdkError('INVALID_OPTIONS', 'maxLeaves must be 1…65536');
  if (!(maxDelayMs >= 0) || typeof anchor !== 'function' || !issuerId || !kid) throw new HutongSdkError('INVALID_OPTIONS', 'issuerId, kid, maxDelayMs and anchor are required');
  let queue: Entry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  async function anchorBatch(batch: Entry[]): Promise<void> {
    let results: IssuedCredential[];
    try {
      const levels = treeLevels(batch.map((e) => e.leaf), hashNodeSync);
      const root = toHex(levels[levels.length - 1]![0]!);
      const receipt = await anchor({ root, leafCount: batch.length, kid, issuerId });
      if (typeof receipt?.txId !== 'string' || !Number.isFinite(Date.parse(receipt.anchoredAt))) {
        throw new Error('anchor returned no txId / anchoredAt');
      }
      const anchorInfo: AnchorReceipt = { txId: receipt.txId, blockNumber: receipt.blockNumber, anchoredAt: receipt.anchoredAt };
      const items = batch.map((e, i) => ({ jws: e.jws, root, proof: { leafIndex: i, treeSize: batch.length, path: auditPath(levels, i).map(toHex) } }));
      const qrs = await encode(items);
      // Build every result before resolving any, so a failure cannot leave the batch half-delivered.
      results = items.map((item, i) => {
        const qr = qrs[i];
        if (typeof qr !== 'string') throw new Error('QR encoder returned too few results');
        return { jws: item.jws, leafHash: toHex(batch[i]!.leaf), root, proof: item.proof, qr, anchor: anchorInfo };
      });
    } catch (cause) {
      const err = new HutongSdkError('ANCHOR_FAILED', 'batch was not anchored; no credential of it is valid', { cause, details: { issuerId, kid, leafCount: batch.length } });
      for (const e of batch) e.reject(err);
      return;
    }
    batch.forEach((e, i) => e.resolve(results[i]!));
  }

  function flushNow(): Promise<void> {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    const batch = queue;
    queue = [];
    if (batch.length === 0) return Promise.resolve();
    const p = anchorBatch(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  }

  return {
    add(jws) {
      if (closed) return Promise.reject(new HutongSdkError('BATCHER_CLOSED', 'batcher is closed'));
      let leaf: Uint8Array;
      try {
        const parts = splitJws(jws);
        const header = JSON.parse(decoder.decode(parts.header)) as { kid?: unknown };
        const claims = JSON.parse(decoder.decode(parts.payload)) as { iss?: unknown };
        if (header.kid !== kid || claims.iss !== issuerId) throw new HutongSdkError('INVALID_CLAIMS', 'credential is not from this issuer key');
        leaf = leafHashBytes(jws);
      } catch (e) {
        return Promise.reject(e instanceof HutongSdkError ? e : new HutongSdkError('INVALID_CLAIMS', 'not a hutong credential', { cause: e }));
      }
      return new Promise<IssuedCredential>((resolve, reject) => {
        queue.push({ jws, leaf, resolve, reject });
        if (queue.length >= maxLeaves) void flushNow();
        else if (timer === undefined) timer = setTimeout(() => void flushNow(), maxDelayMs);
      });
    },
    flush: flushNow,
    async close() {
      closed = true;
      await flushNow();
      await Promise.all([...inFlight]);
    },
    get pending() {
      return queue.length;
    },
  };
}
