/**
 * What auditors ask the ledger: anchors of an issuer by time, whether a given credential was anchored (with the
 * proof of it: transaction, block, endorsing organisations, time) and revoked, the history of any record, blocks.
 * Everything is read from the org's own peer (evaluate / block queries), never from the cache.
 */
import type { Anchor, HistoryEntry, Page, Revocation } from '@hutong/chaincode/domain';
import { decodeQr } from '@hutong/verifier-sdk';
import { impliedRoot, leafHashOf } from '@hutong/verifier-sdk/issuer';
import { GatewayError } from '../errors/gateway-error.js';
import type { BlockSummary, Ledger } from '@hutong/ledger';
import { LedgerError } from '@hutong/ledger';

export interface LeafStatus {
  leafHash: string;
  issuerId: string;
  root: string | null;
  proofValid: boolean;
  anchored: boolean;
  anchor?: Anchor;
  anchoring?: { txId: string; blockNumber: number; endorsedBy: string[]; timestamp: string; creatorMsp: string; validationCode: string };
  revoked: boolean;
  revocation?: Revocation;
}

export interface ChainVerification {
  height: number;
  from: number;
  to: number;
  valid: boolean;
  tipHash: string;
  firstBreak?: { blockNumber: number; expectedPreviousHash: string; previousHash: string };
}

export interface AuditService {
  anchors(input: Record<string, unknown>): Promise<Page<Anchor>>;
  leafStatus(qr: string): Promise<LeafStatus>;
  history(input: Record<string, unknown>): Promise<HistoryEntry[]>;
  blocks(from: number | undefined, limit: number): Promise<{ height: number; blocks: BlockSummary[] }>;
  block(n: number): Promise<BlockSummary>;
  /** The hash-chain check over blocks from ≤ n < from + limit (and the link from block from-1). */
  verifyChain(from: number, limit: number): Promise<ChainVerification>;
  transaction(txId: string): Promise<unknown>;
}

export function newAuditService(options: Readonly<{ ledger: Ledger; deadlineMs: number }>): AuditService {
  const { ledger } = options;
  const o = { deadlineMs: options.deadlineMs };
  return {
    anchors: (input) => ledger.evaluate<Page<Anchor>>('ListAnchors', input, o),
    async leafStatus(qr) {
      let cred;
      try {
        cred = await decodeQr(qr);
      } catch (e) {
        throw new GatewayError('QR_UNDECODABLE', 'the QR cannot be decoded', { reason: (e as { code?: string }).code ?? 'INVALID' });
      }
      const issuerId = typeof cred.claims['iss'] === 'string' ? cred.claims['iss'] : '';
      const leafHash = leafHashOf(cred.jws);
      const root = impliedRoot(cred.jws, cred.proof) ?? null;
      const proofValid = root !== null && root.startsWith(cred.rootTag);
      const out: LeafStatus = { leafHash, issuerId, root, proofValid, anchored: false, revoked: false };
      if (proofValid && root) {
        try {
          const anchor = await ledger.evaluate<Anchor>('GetAnchor', { root }, o);
          out.anchored = anchor.issuerId === issuerId && anchor.leafCount === cred.proof.treeSize;
          out.anchor = anchor;
          const tx = await ledger.getTransaction(anchor.txId);
          out.anchoring = { txId: tx.txId, blockNumber: tx.blockNumber, endorsedBy: tx.endorsedBy, timestamp: tx.timestamp, creatorMsp: tx.creatorMsp, validationCode: tx.validationCode };
        } catch (e) {
          if (!(e instanceof LedgerError && e.code === 'ANCHOR_NOT_FOUND')) throw e;
        }
      }
      if (/^[a-z0-9][a-z0-9-]{1,63}$/.test(issuerId)) {
        const r = await ledger.evaluate<{ revoked: boolean; revocation?: Revocation }>('GetRevocation', { issuerId, leafHash }, o);
        out.revoked = r.revoked;
        if (r.revocation) out.revocation = r.revocation;
      }
      return out;
    },
    history: (input) => ledger.evaluate<HistoryEntry[]>('GetHistory', input, o),
    async blocks(from, limit) {
      const height = await ledger.height();
      const start = from ?? Math.max(0, height - limit);
      const blocks: BlockSummary[] = [];
      for (let n = start; n < Math.min(height, start + limit); n++) blocks.push(await ledger.getBlock(n));
      return { height, blocks };
    },
    block: (n) => ledger.getBlock(n),
    async verifyChain(from, limit) {
      const height = await ledger.height();
      const start = Math.min(from, height);
      const to = Math.min(height, start + limit);
      // The block before the range anchors its first link; block 0's previousHash is whatever genesis holds.
      let previous = start > 0 ? await ledger.getBlock(start - 1) : undefined;
      const out: ChainVerification = { height, from: start, to, valid: true, tipHash: previous?.hash ?? '' };
      for (let n = start; n < to; n++) {
        const block = await ledger.getBlock(n);
        if (block.number !== n || (previous && block.previousHash !== previous.hash)) {
          out.valid = false;
          out.firstBreak = { blockNumber: n, expectedPreviousHash: previous?.hash ?? '', previousHash: block.previousHash };
          out.to = n + 1;
          break;
        }
        previous = block;
        out.tipHash = block.hash;
      }
      return out;
    },
    transaction: (txId) => ledger.getTransaction(txId),
  };
}
