/**
 * The Merkle root an inclusion proof implies (RFC 9162 §2.1.3.2), for the cache-miss path only: it names the root
 * to look up on the ledger. The decision itself is always the SDK's.
 */
import { createHash } from 'node:crypto';
import type { DecodedCredential } from '@hutong/verifier-sdk';
import { leafHashOf } from '@hutong/verifier-sdk/issuer';

function node(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(0x01)).update(left).update(right).digest();
}

/** Root (hex) implied by the credential's proof, or undefined if the proof has the wrong shape. */
export function impliedRoot(cred: DecodedCredential): string | undefined {
  const { leafIndex, treeSize, path } = cred.proof;
  if (leafIndex >= treeSize) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = Buffer.from(leafHashOf(cred.jws), 'hex');
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      r = node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? Buffer.from(r).toString('hex') : undefined;
}
