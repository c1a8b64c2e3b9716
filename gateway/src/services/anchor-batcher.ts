/**
 * The gateway's batcher: the SDK batcher's contract (`newBatcher` of `@hutong/verifier-sdk/issuer`: one Merkle root
 * per batch, all-or-nothing, the same `IssuedCredential` results and `HutongSdkError` codes) with one difference —
 * the QR texts of an anchored batch are encoded by an injected `encode` (the crypto pool's workers), so only the
 * tree, the anchor and the commit run on the main thread. The tree is the SDK's (RFC 6962-style levels, an odd node
 * promoted; node = SHA-256(0x01 ‖ L ‖ R)); `anchor-batcher.test.ts` checks roots and proofs against the SDK's
 * `merkleRoot`/`inclusionProof` and results against `newBatcher`.
 */
import { hash } from 'node:crypto';
import {
  encodeQr, HutongSdkError, leafHashOf, type AnchorFn, type AnchorReceipt, type Batcher, type HexInclusionProof, type IssuedCredential,
} from '@hutong/verifier-sdk/issuer';

export type QrEncoder = (items: ReadonlyArray<{ jws: string; root: string; proof: HexInclusionProof }>) => Promise<string[]>;

/** In-process encoding, one after the other. */
export const encodeInProcess: QrEncoder = async (items) => items.map((i) => encodeQr(i));

const work = Buffer.alloc(65);
work[0] = 0x01;
function hashNode(l: Buffer, r: Buffer): Buffer {
  l.copy(work, 1);
  r.copy(work, 33);
  return hash('sha256', work, 'buffer');
}

/** Every level of the tree, leaves first; an odd last node is promoted unchanged. */
export function treeLevels(leaves: readonly Buffer[]): Buffer[][] {
  const levels: Buffer[][] = [leaves.slice()];
  let cur = levels[0] as Buffer[];
  while (cur.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < cur.length; i += 2) next.push(hashNode(cur[i] as Buffer, cur[i + 1] as Buffer));
    if (cur.length % 2 === 1) next.push(cur[cur.length - 1] as Buffer);
    levels.push(next);
    cur = next;
  }
  return levels;
}

export function auditPath(levels: readonly Buffer[][], index: number): string[] {
  const path: string[] = [];
  let i = index;
  for (let l = 0; l < levels.length - 1; l++) {
    const level = levels[l] as Buffer[];
    const sibling = i ^ 1;
    if (sibling < level.length) path.push((level[sibling] as Buffer).toString('hex'));
    i >>>= 1;
  }
  return path;
}

interface Entry {
  jws: string;
  leaf: Buffer;
  resolve: (c: IssuedCredential) => void;
  reject: (e: unknown) => void;
}

function claimsOf(jws: string): { kid?: unknown; iss?: unknown } {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) throw new Error('not a compact JWS');
  const header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as { kid?: unknown };
  const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { iss?: unknown };
  return { kid: header.kid, iss: claims.iss };
}

export function newAnchorBatcher(options: Readonly<{ issuerId: string; kid: string; maxLeaves: number; maxDelayMs: number; anchor: AnchorFn; encode: QrEncoder }>): Batcher {
  const { issuerId, kid, maxLeaves, maxDelayMs, anchor, encode } = options;
  if (!Number.isSafeInteger(maxLeaves) || maxLeaves < 1 || maxLeaves > 65_536) throw new HutongSdkError('INVALID_OPTIONS', 'maxLeaves must be 1…65536');
  if (!(maxDelayMs >= 0) || typeof anchor !== 'function' || !issuerId || !kid) throw new HutongSdkError('INVALID_OPTIONS', 'issuerId, kid, maxDelayMs and anchor are required');
  let queue: Entry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  async function anchorBatch(batch: Entry[]): Promise<void> {
    let results: IssuedCredential[];
    try {
      const levels = treeLevels(batch.map((e) => e.leaf));
      const root = ((levels[levels.length - 1] as Buffer[])[0] as Buffer).toString('hex');
      const receipt = await anchor({ root, leafCount: batch.length, kid, issuerId });
      if (typeof receipt?.txId !== 'string' || !Number.isFinite(Date.parse(receipt.anchoredAt))) {
        throw new Error('anchor returned no txId / anchoredAt');
      }
      const anchorInfo: AnchorReceipt = { txId: receipt.txId, blockNumber: receipt.blockNumber, anchoredAt: receipt.anchoredAt };
      const items = batch.map((e, i) => ({ jws: e.jws, root, proof: { leafIndex: i, treeSize: batch.length, path: auditPath(levels, i) } }));
      const qrs = await encode(items);
      // Build every result before resolving any, so a failure cannot leave the batch half-delivered.
      results = items.map((item, i) => {
        const qr = qrs[i];
        if (typeof qr !== 'string') throw new Error('QR encoding returned too few results');
        return { jws: item.jws, leafHash: (batch[i] as Entry).leaf.toString('hex'), root, proof: item.proof, qr, anchor: anchorInfo };
      });
    } catch (cause) {
      const err = new HutongSdkError('ANCHOR_FAILED', 'batch was not anchored; no credential of it is valid', { cause, details: { issuerId, kid, leafCount: batch.length } });
      for (const e of batch) e.reject(err);
      return;
    }
    batch.forEach((e, i) => e.resolve(results[i] as IssuedCredential));
  }

  function flushNow(): Promise<void> {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
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
      let leaf: Buffer;
      try {
        const { kid: headerKid, iss } = claimsOf(jws);
        if (headerKid !== kid || iss !== issuerId) throw new HutongSdkError('INVALID_CLAIMS', 'credential is not from this issuer key');
        leaf = Buffer.from(leafHashOf(jws), 'hex');
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
