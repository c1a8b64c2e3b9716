/**
 * Anchoring signed credentials in Merkle batches, in one direction: credentials of one issuer key are collected (up
 * to `maxLeaves`, at most `maxDelayMs` after the first), the SDK builds the tree and every QR and checks them
 * (`prepareBatch`: a credential a verifier would refuse is refused alone), the root goes to the durable outbox, and
 * once it is committed each credential is handed out with the commit's evidence. If the commit does not come within
 * `commitWaitMs` the credentials of the batch fail with the outbox id: none of them is issued, and the orphan root,
 * committed later, proves nothing about anyone.
 */
import { prepareBatch, type CheckedQrEncoder, type HexInclusionProof } from '@hutong/verifier-sdk/issuer';
import { LedgerError, type CommitEvidence, type LedgerErrorCode } from '@hutong/ledger';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import type { Outbox } from '../outbox/outbox.js';

export interface AnchoredCredential {
  jws: string;
  qr: string;
  leafHash: string;
  root: string;
  proof: HexInclusionProof;
  anchor: CommitEvidence & { outboxId: string };
}

export interface BatchAnchoring {
  /** Queues a credential signed by `issuerId`/`kid` (checked by the caller); resolves once its root is committed. */
  add(issuerId: string, kid: string, jws: string): Promise<AnchoredCredential>;
  /** Anchors what is queued and waits for every batch in flight. */
  close(): Promise<void>;
}

export interface BatchAnchoringOptions {
  outbox: Outbox;
  logger: Logger;
  /** QR encoding and the SDK's check of a batch (the crypto pool for large ones). */
  encode: CheckedQrEncoder;
  maxLeaves: number;
  maxDelayMs: number;
  commitWaitMs: number;
}

interface Waiting {
  jws: string;
  resolve(c: AnchoredCredential): void;
  reject(e: unknown): void;
}

interface Queue {
  issuerId: string;
  kid: string;
  waiting: Waiting[];
  timer: NodeJS.Timeout | undefined;
}

export function newBatchAnchoring(options: Readonly<BatchAnchoringOptions>): BatchAnchoring {
  const { outbox, logger } = options;
  const queues = new Map<string, Queue>();
  const inFlight = new Set<Promise<void>>();

  /** Submits the root through the outbox and waits for its commit (or fails saying what happened). */
  async function commitRoot(issuerId: string, kid: string, root: string, leafCount: number, notAfter: string | undefined): Promise<CommitEvidence & { outboxId: string }> {
    // notAfter (the batch's latest exp) lets every cache drop the anchor once none of its credentials can be valid.
    const input = { issuerId, kid, root, leafCount, ...(notAfter !== undefined ? { notAfter } : {}) };
    const entry = await outbox.enqueue({ kind: 'anchor', issuerId, tx: 'AnchorBatch', input });
    const settled = await outbox.waitSettled(entry.id, options.commitWaitMs);
    if (settled.state === 'committed' && settled.evidence) {
      logger.info({ event: 'issuance.batch_anchored', issuerId, kid, root, leafCount, txId: settled.evidence.txId }, 'batch anchored');
      return { ...settled.evidence, outboxId: entry.id };
    }
    if (settled.state === 'failed') {
      throw new LedgerError((settled.lastErrorCode ?? 'INTERNAL') as LedgerErrorCode, `the ledger refused the batch anchor (outbox ${entry.id})`);
    }
    throw new GatewayError('LEDGER_UNAVAILABLE', `the batch anchor is queued but was not committed within ${options.commitWaitMs} ms; no credential of the batch was issued — retry`, {
      outboxId: entry.id, lastErrorCode: settled.lastErrorCode ?? null,
    });
  }

  async function anchorBatch(issuerId: string, kid: string, batch: Waiting[]): Promise<void> {
    let prepared;
    try {
      prepared = await prepareBatch(batch.map((w) => w.jws), { checked: options.encode });
    } catch (cause) {
      const err = new GatewayError('INTERNAL_ERROR', 'the batch was not anchored: its tree or QR codes could not be built', { issuerId, kid }, { cause });
      for (const w of batch) w.reject(err);
      return;
    }
    for (const r of prepared.refused) (batch[r.index] as Waiting).reject(r.error);
    if (prepared.credentials.length === 0) return;
    let evidence: CommitEvidence & { outboxId: string };
    try {
      evidence = await commitRoot(issuerId, kid, prepared.root, prepared.credentials.length, prepared.notAfter);
    } catch (e) {
      for (const c of prepared.credentials) (batch[c.index] as Waiting).reject(e);
      return;
    }
    for (const c of prepared.credentials) {
      (batch[c.index] as Waiting).resolve({ jws: c.jws, qr: c.qr, leafHash: c.leafHash, root: prepared.root, proof: c.proof, anchor: evidence });
    }
  }

  function flush(q: Queue): void {
    if (q.timer !== undefined) clearTimeout(q.timer);
    q.timer = undefined;
    const batch = q.waiting;
    q.waiting = [];
    if (batch.length === 0) return;
    const p = anchorBatch(q.issuerId, q.kid, batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  let closed = false;
  return {
    add(issuerId, kid, jws) {
      if (closed) return Promise.reject(new GatewayError('NOT_READY', 'the gateway is shutting down; retry at another moment'));
      const id = `${issuerId}/${kid}`;
      let q = queues.get(id);
      if (!q) queues.set(id, (q = { issuerId, kid, waiting: [], timer: undefined }));
      const queue = q;
      return new Promise<AnchoredCredential>((resolve, reject) => {
        queue.waiting.push({ jws, resolve, reject });
        if (queue.waiting.length >= options.maxLeaves) flush(queue);
        else queue.timer ??= setTimeout(() => flush(queue), options.maxDelayMs);
      });
    },
    async close() {
      closed = true;
      for (const q of queues.values()) flush(q);
      await Promise.allSettled([...inFlight]);
    },
  };
}
