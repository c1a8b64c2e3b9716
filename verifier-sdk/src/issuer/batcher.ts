// Batch anchoring: collect credentials, encode and check every QR, anchor one Merkle root per batch, then hand out
// each credential with its proof. One credential never fails the others: a credential the protocol's limits refuse
// is refused alone, when it is added or (for a QR the SDK's decoder would refuse) before the root is built again
// without it. Only the anchor itself is all-or-nothing: if it fails, every credential of the batch is rejected.
import { HutongSdkError } from '../errors.js';
import { toHex } from '../lib/hex.js';
import { MAX_HEADER_BYTES, MAX_PAYLOAD_BYTES, ROOT_TAG_BYTES } from '../lib/limits.js';
import { auditPath, treeLevels } from '../lib/merkle.js';
import { decodeFrame, type Frame } from '../qr-decoder.js';
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
export type AnchorFn = (request: Readonly<{ root: string; leafCount: number; kid: string; issuerId: string; notAfter?: string }>) => Promise<AnchorReceipt>;

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
  /**
   * Queues a signed credential; resolves once its batch root is committed on the ledger. Rejects this credential
   * alone with `INVALID_CLAIMS` (not from this issuer key, not a JWS) or `CREDENTIAL_TOO_LARGE` (header or payload
   * past the protocol's limits) at once, or with a `CREDENTIAL_TOO_LARGE` / `INVALID_CLAIMS` before its batch is
   * anchored when the SDK's decoder would refuse its QR; with `ANCHOR_FAILED` when its batch's anchor failed.
   */
  add(jws: string): Promise<IssuedCredential>;
  /** Anchors whatever is queued now; resolves when that batch has settled (success or failure). */
  flush(): Promise<void>;
  /** Flushes, waits for every batch in flight and refuses further `add`s. */
  close(): Promise<void>;
  /** Credentials queued and not yet handed to `anchor`. */
  readonly pending: number;
}

/**
 * Encodes the QR texts of one batch, in order, before its root is anchored. The default encodes in-process with
 * {@link encodeQr}; a server can hand the work to worker threads, since it is most of the CPU an issuance costs.
 * The batcher decodes every text it returns; a text that is missing or wrong (or a failed call) is encoded again
 * in-process, so an encoder's failure never fails a credential.
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
  resolve: (c: IssuedCredential) => void;
  reject: (e: unknown) => void;
}

type QrItem = Readonly<{ jws: string; root: string; proof: HexInclusionProof }>;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Decode failures that are the protocol's size limits (§5.5) for a credential and proof of the right shape. */
const SIZE_DEFECTS: ReadonlySet<string> = new Set(['DECODE_TOO_LARGE', 'DECODE_ENVELOPE']);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Why the SDK's decoder would refuse `qr` as the QR of `item`, or null: it must decode, and to this credential
 * (signing input, signature) with this proof (tree size, index, root tag, path length).
 */
function qrDefect(qr: unknown, item: QrItem): HutongSdkError | null {
  let f: Frame;
  try {
    f = decodeFrame(qr);
  } catch (e) {
    const code = e instanceof HutongSdkError ? e.code : 'DECODE_ENVELOPE';
    return SIZE_DEFECTS.has(code)
      ? new HutongSdkError('CREDENTIAL_TOO_LARGE', 'the credential exceeds the QR limits of the protocol', { cause: e, details: { reason: code } })
      : new HutongSdkError('INVALID_CLAIMS', 'a verifier could not decode this credential', { cause: e, details: { reason: code } });
  }
  const parts = splitJws(item.jws);
  const rootTag = item.root.slice(0, 2 * ROOT_TAG_BYTES);
  const same = sameBytes(f.signingInput, encoder.encode(parts.signingInput)) && sameBytes(f.signature, parts.signature)
    && f.treeSize === item.proof.treeSize && f.leafIndex === item.proof.leafIndex && f.pathLength === item.proof.path.length
    && toHex(f.raw.subarray(f.rootTagAt, f.rootTagAt + ROOT_TAG_BYTES)) === rootTag;
  return same ? null : new HutongSdkError('INVALID_CLAIMS', 'the QR encodes another credential or proof');
}

/**
 * The checks a credential passes before it may join a batch of issuer key `issuerId`/`kid`, and its leaf hash:
 * a JWS of this issuer key within the protocol's size limits (§5.5). Throws `CREDENTIAL_TOO_LARGE` or
 * `INVALID_CLAIMS` for this credential alone.
 */
export function checkedLeaf(jws: string, issuerId: string, kid: string): Uint8Array {
  try {
    const parts = splitJws(jws);
    if (parts.header.length > MAX_HEADER_BYTES || parts.payload.length > MAX_PAYLOAD_BYTES) {
      throw new HutongSdkError('CREDENTIAL_TOO_LARGE', `header and payload are limited to ${MAX_HEADER_BYTES} and ${MAX_PAYLOAD_BYTES} bytes`, {
        details: { headerBytes: parts.header.length, payloadBytes: parts.payload.length },
      });
    }
    const header = JSON.parse(decoder.decode(parts.header)) as { kid?: unknown };
    const claims = JSON.parse(decoder.decode(parts.payload)) as { iss?: unknown };
    if (header.kid !== kid || claims.iss !== issuerId) throw new HutongSdkError('INVALID_CLAIMS', 'credential is not from this issuer key');
    return leafHashBytes(jws);
  } catch (e) {
    throw e instanceof HutongSdkError ? e : new HutongSdkError('INVALID_CLAIMS', 'not a hutong credential', { cause: e });
  }
}

/**
 * The QR of every item, checked with the SDK's decoder, or the error of the item whose own QR cannot be made
 * acceptable. Whatever the injected encoder got wrong (a failed call, a missing or wrong text) is encoded again
 * in-process, so only a credential's own defect fails it.
 */
async function encodeChecked(items: readonly QrItem[], encode: QrEncoder): Promise<Array<string | HutongSdkError>> {
  let qrs: unknown;
  try {
    qrs = await encode(items);
  } catch {
    qrs = undefined;
  }
  const given = Array.isArray(qrs) && qrs.length === items.length ? qrs : [];
  return items.map((item, i) => {
    return qrDefect(given[i], item) === null ? (given[i] as string) : (encodeCheckedQrs([item])[0] as string | HutongSdkError);
  });
}

/**
 * The QR texts of `items`, each encoded and checked with the SDK's decoder in this thread, or the error of the item
 * whose QR a verifier would refuse. What {@link prepareBatch} does with an encoder's output, for a server that runs
 * the whole step on worker threads of its own (`checked` option): the check then costs the calling thread nothing.
 */
export function encodeCheckedQrs(items: readonly QrItem[]): Array<string | HutongSdkError> {
  return items.map((item) => {
    try {
      const qr = encodeQr(item);
      return qrDefect(qr, item) ?? qr;
    } catch (e) {
      return e instanceof HutongSdkError ? e : new HutongSdkError('INVALID_CLAIMS', 'the credential cannot be encoded as a QR', { cause: e });
    }
  });
}

/** Runs {@link encodeCheckedQrs} elsewhere (worker threads of the same process); must keep the order of `items`. */
export type CheckedQrEncoder = (items: ReadonlyArray<Readonly<{ jws: string; root: string; proof: HexInclusionProof }>>) => Promise<Array<string | HutongSdkError>>;

/** One credential of a prepared batch, ready to hand out once the batch's root is anchored. */
export interface PreparedCredential {
  /** Position in the `jwss` given to {@link prepareBatch}. */
  index: number;
  jws: string;
  leafHash: string;
  proof: HexInclusionProof;
  qr: string;
}

/** A batch ready to anchor: its root, the credentials under it, and those refused (each alone, with its error). */
export interface PreparedBatch {
  /** Root of the tree of `credentials` (empty string when none is left). */
  root: string;
  /**
   * The latest `exp` of `credentials`, ISO-8601 UTC (`AnchorBatch`'s `notAfter`: a verifier rejects a credential of
   * the batch that expires later, and caches drop the anchor once it has passed). Absent when no credential has an
   * `exp` a verifier would accept (such a credential fails at the claim checks anyway).
   */
  notAfter?: string;
  credentials: PreparedCredential[];
  refused: Array<{ index: number; error: HutongSdkError }>;
}

/** The credential's `exp` claim when it is one a verifier accepts (a safe integer ≥ 0), else undefined. */
function expOf(jws: string): number | undefined {
  try {
    const exp = (JSON.parse(decoder.decode(splitJws(jws).payload)) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isSafeInteger(exp) && exp >= 0 ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** `notAfter` of a batch: its latest `exp`, in the ledger's time form. */
function notAfterOf(exps: ReadonlyArray<number | undefined>): string | undefined {
  let max: number | undefined;
  for (const e of exps) if (e !== undefined && (max === undefined || e > max)) max = e;
  if (max === undefined) return undefined;
  const d = new Date(max * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Builds the Merkle tree of signed credentials and every QR, checked with the SDK's decoder, before anything goes
 * to the ledger: a credential whose QR a verifier would refuse is refused alone and the tree is built again without
 * it (its proofs change), so an anchored root never holds a leaf nobody can verify. Anchoring the root is the
 * caller's next step; the credentials are valid once it is committed.
 *
 * With `checked`, the encoding *and* the check run where that function runs (the SDK's {@link encodeCheckedQrs} on
 * a worker thread of the same process); with `encode`, only the encoding does and the check runs here.
 *
 * @example
 * ```ts
 * const batch = await prepareBatch(signedJwss);
 * const receipt = await ledger.anchorRoot({ root: batch.root, leafCount: batch.credentials.length, notAfter: batch.notAfter });
 * ```
 */
export async function prepareBatch(jwss: readonly string[], options: Readonly<{ encode?: QrEncoder; checked?: CheckedQrEncoder }> = {}): Promise<PreparedBatch> {
  const encode = options.encode ?? encodeQrsInProcess;
  const { checked } = options;
  /** The checked QR of every item: from `checked` when given (the in-process check if that call fails), else `encode` + check. */
  const outcomesOf = async (items: readonly QrItem[]): Promise<Array<string | HutongSdkError>> => {
    if (checked === undefined) return encodeChecked(items, encode);
    try {
      const out = await checked(items);
      if (Array.isArray(out) && out.length === items.length) return out;
    } catch {
      // fall through: the check runs here
    }
    return encodeCheckedQrs(items);
  };
  const refused: PreparedBatch['refused'] = [];
  let members = jwss.map((jws, index) => ({ index, jws, leaf: leafHashBytes(jws), exp: expOf(jws) }));
  while (members.length > 0) {
    const levels = treeLevels(members.map((e) => e.leaf), hashNodeSync);
    const root = toHex(levels[levels.length - 1]![0]!);
    const size = members.length;
    const items: QrItem[] = members.map((e, i) => ({ jws: e.jws, root, proof: { leafIndex: i, treeSize: size, path: auditPath(levels, i).map(toHex) } }));
    const outcomes = await outcomesOf(items);
    if (outcomes.every((o) => typeof o === 'string')) {
      const credentials = members.map((e, i) => ({ index: e.index, jws: e.jws, leafHash: toHex(e.leaf), proof: items[i]!.proof, qr: outcomes[i] as string }));
      const notAfter = notAfterOf(members.map((e) => e.exp));
      return { root, ...(notAfter !== undefined ? { notAfter } : {}), credentials, refused: refused.sort((a, b) => a.index - b.index) };
    }
    const kept: typeof members = [];
    members.forEach((e, i) => {
      const o = outcomes[i]!;
      if (typeof o === 'string') kept.push(e);
      else refused.push({ index: e.index, error: o });
    });
    members = kept;
  }
  return { root: '', credentials: [], refused: refused.sort((a, b) => a.index - b.index) };
}

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
    let prepared: PreparedBatch;
    try {
      prepared = await prepareBatch(batch.map((e) => e.jws), { encode });
    } catch (cause) {
      const err = new HutongSdkError('ANCHOR_FAILED', 'the batch was not anchored: its tree or QR codes could not be built', { cause, details: { issuerId, kid, leafCount: batch.length } });
      for (const e of batch) e.reject(err);
      return;
    }
    for (const r of prepared.refused) batch[r.index]!.reject(r.error);
    const members = prepared.credentials;
    if (members.length === 0) return;
    const root = prepared.root;
    let receipt: AnchorReceipt;
    try {
      receipt = await anchor({ root, leafCount: members.length, kid, issuerId, ...(prepared.notAfter !== undefined ? { notAfter: prepared.notAfter } : {}) });
    } catch (cause) {
      const err = new HutongSdkError('ANCHOR_FAILED', 'the batch was not anchored; no credential of it is valid', { cause, details: { issuerId, kid, leafCount: members.length } });
      for (const m of members) batch[m.index]!.reject(err);
      return;
    }
    if (typeof receipt?.txId !== 'string' || !Number.isFinite(Date.parse(receipt.anchoredAt))) {
      // The anchor call returned, so the root may well be on the ledger: say so rather than "not anchored".
      const err = new HutongSdkError('ANCHOR_FAILED', 'the anchor call returned no receipt (txId, anchoredAt); whether the root is on the ledger is unknown', {
        details: { issuerId, kid, root, leafCount: members.length },
      });
      for (const m of members) batch[m.index]!.reject(err);
      return;
    }
    const anchorInfo: AnchorReceipt = { txId: receipt.txId, blockNumber: receipt.blockNumber, anchoredAt: receipt.anchoredAt };
    for (const m of members) batch[m.index]!.resolve({ jws: m.jws, leafHash: m.leafHash, root, proof: m.proof, qr: m.qr, anchor: anchorInfo });
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
      try {
        checkedLeaf(jws, issuerId, kid);
      } catch (e) {
        return Promise.reject(e);
      }
      return new Promise<IssuedCredential>((resolve, reject) => {
        queue.push({ jws, resolve, reject });
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
