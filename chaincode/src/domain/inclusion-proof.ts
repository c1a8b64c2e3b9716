/**
 * The Merkle root an RFC 9162 inclusion proof leads to (§2.1.3.2; trees as RFC 6962 §2.1: node = SHA-256(0x01 ‖ L ‖
 * R)), over the lower-case hex the ledger stores. The chaincode's own: the ledger depends on no client library, and
 * every peer computes the same bytes (SHA-256 and integer arithmetic only).
 */
import { createHash } from 'node:crypto';

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** Audit path, leaf to root, 64 lower-case hex characters each. */
  path: readonly string[];
}

const node = (left: Buffer, right: Buffer): Buffer => createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();

/** The root `proof` implies for `leafHash`, or undefined when the path is too long or too short for the index. */
export function rootOfInclusionProof(leafHash: string, proof: InclusionProof): string | undefined {
  if (proof.leafIndex >= proof.treeSize) return undefined;
  // Indices may exceed 2^31: arithmetic, not bit operators.
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1;
  let r: Buffer = Buffer.from(leafHash, 'hex');
  for (const hex of proof.path) {
    if (sn === 0) return undefined;
    const sibling = Buffer.from(hex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = node(sibling, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      r = node(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r.toString('hex') : undefined;
}
