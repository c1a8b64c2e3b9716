// Node-side Merkle helpers for issuers and the gateway: lower-case hex in and out, as the ledger stores them.
import { hash } from 'node:crypto';
import { HutongSdkError } from '../errors.js';
import { Buffer } from 'node:buffer';
import { toHex } from '../lib/hex.js';
import { leafInput } from '../lib/leaf-input.js';
import { auditPath, proofSteps, treeLevels } from '../lib/merkle.js';
import { splitJws } from './credential-signer.js';

const sha256 = (d: Uint8Array): Uint8Array => hash('sha256', d, 'buffer');
// One scratch buffer 0x01 ‖ L ‖ R and a latin1 digest: about 2.5× faster than a Buffer digest per node.
const work = Buffer.alloc(65);
work[0] = 0x01;
export const hashNodeSync = (l: Uint8Array, r: Uint8Array): Uint8Array => {
  work.set(l, 1);
  work.set(r, 33);
  return Buffer.from(hash('sha256', work, 'latin1'), 'latin1');
};
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Inclusion proof with hex hashes (RFC 9162 §2.1.3).
 *
 * @example
 * ```ts
 * const proof: HexInclusionProof = { leafIndex: 2, treeSize: 3, path: ['d4b771e2…'] };
 * ```
 */
export interface HexInclusionProof {
  leafIndex: number;
  treeSize: number;
  path: string[];
}

export function leafHashBytes(jws: string): Uint8Array {
  return sha256(leafInput(splitJws(jws).signingInput));
}

/**
 * The leaf hash of a credential (what anchors commit to and revocations name), lower-case hex.
 *
 * @example
 * ```ts
 * await ledger.submit('RevokeCredential', issuerId, leafHashOf(jws), 'status-change');
 * ```
 */
export function leafHashOf(jws: string): string {
  return toHex(leafHashBytes(jws));
}

function leafBytes(leafHashes: readonly string[]): Uint8Array[] {
  if (!Array.isArray(leafHashes) || leafHashes.length === 0) throw new HutongSdkError('INVALID_CLAIMS', 'at least one leaf hash is required');
  return leafHashes.map((h) => {
    const b = typeof h === 'string' && HEX64.test(h) ? Buffer.from(h, 'hex') : null;
    if (!b) throw new HutongSdkError('INVALID_CLAIMS', 'leaf hashes are 64 lower-case hex characters');
    return b;
  });
}

/**
 * RFC 6962 Merkle tree hash of leaf hashes (in order), lower-case hex.
 *
 * @example
 * ```ts
 * const root = merkleRoot(jwsList.map(leafHashOf));
 * ```
 */
export function merkleRoot(leafHashes: readonly string[]): string {
  const levels = treeLevels(leafBytes(leafHashes), hashNodeSync);
  return toHex(levels[levels.length - 1]![0]!);
}

/**
 * RFC 6962 audit path for the leaf at `leafIndex`.
 *
 * @example
 * ```ts
 * const proof = inclusionProof(leafHashes, 3); // { leafIndex: 3, treeSize: leafHashes.length, path: [...] }
 * ```
 */
export function inclusionProof(leafHashes: readonly string[], leafIndex: number): HexInclusionProof {
  const leaves = leafBytes(leafHashes);
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= leaves.length) throw new HutongSdkError('INVALID_CLAIMS', 'leafIndex out of range');
  return { leafIndex, treeSize: leaves.length, path: auditPath(treeLevels(leaves, hashNodeSync), leafIndex).map(toHex) };
}

/**
 * The Merkle root (hex) that a credential's inclusion proof implies (RFC 9162 §2.1.3.2), or `undefined` when the proof
 * has the wrong shape. For looking a root up on the ledger; whether to trust it is `verify`'s decision.
 *
 * @example
 * ```ts
 * const { jws, proof } = await decodeQr(qr);
 * const root = impliedRoot(jws, proof); // then: GetAnchor { root }
 * ```
 */
export function impliedRoot(jws: string, proof: Readonly<{ leafIndex: number; treeSize: number; path: readonly Uint8Array[] }>): string | undefined {
  return fold(leafHashBytes(jws), proof.leafIndex, proof.treeSize, proof.path);
}

/**
 * The Merkle root (hex) that an inclusion proof implies for a leaf hash (both as the ledger and the issuance
 * response write them), or `undefined` when a hash is not 64 lower-case hex characters or the proof has the wrong
 * shape. What a revocation must show: that the leaf is in a batch the issuer anchored.
 *
 * @example
 * ```ts
 * const { leafHash, proof } = issued; // from POST /v1/credentials
 * const root = impliedRootOfLeaf(leafHash, proof); // === issued.root
 * ```
 */
export function impliedRootOfLeaf(leafHash: string, proof: Readonly<HexInclusionProof>): string | undefined {
  const hashes = [leafHash, ...(Array.isArray(proof?.path) ? proof.path : [])];
  if (!hashes.every((h) => typeof h === 'string' && HEX64.test(h))) return undefined;
  if (!Number.isSafeInteger(proof.leafIndex) || !Number.isSafeInteger(proof.treeSize) || proof.leafIndex < 0) return undefined;
  const [leaf, ...path] = hashes.map((h) => Buffer.from(h, 'hex'));
  return fold(leaf!, proof.leafIndex, proof.treeSize, path);
}

function fold(leaf: Uint8Array, leafIndex: number, treeSize: number, path: readonly Uint8Array[]): string | undefined {
  const steps = proofSteps(leafIndex, treeSize, path);
  if (!steps) return undefined;
  let r = leaf;
  for (const { sibling, siblingOnLeft } of steps) r = siblingOnLeft ? hashNodeSync(sibling, r) : hashNodeSync(r, sibling);
  return toHex(r);
}
