// Merkle trees as RFC 6962 §2.1 (= RFC 9162 §2.1): leaf = H(0x00 ‖ d), node = H(0x01 ‖ L ‖ R), any leaf count.
export type NodeHasher = (left: Uint8Array, right: Uint8Array) => Uint8Array;
export type AsyncNodeHasher = (left: Uint8Array, right: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export function nodeInput(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(65);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 33);
  return buf;
}

/**
 * All levels of the tree, leaves first. Pairing left to right and promoting a lone last node unchanged yields the
 * RFC 6962 MTH (the left subtree is always the largest power of two smaller than n).
 */
export function treeLevels(leaves: readonly Uint8Array[], hashNode: NodeHasher): Uint8Array[][] {
  if (leaves.length === 0) throw new RangeError('empty tree');
  const levels: Uint8Array[][] = [leaves.slice()];
  let cur = levels[0]!;
  while (cur.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < cur.length; i += 2) next.push(hashNode(cur[i]!, cur[i + 1]!));
    if (cur.length % 2 === 1) next.push(cur[cur.length - 1]!);
    levels.push(next);
    cur = next;
  }
  return levels;
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) read off the levels. */
export function auditPath(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
  const path: Uint8Array[] = [];
  let i = index;
  for (let l = 0; l < levels.length - 1; l++) {
    const level = levels[l]!;
    const sibling = i ^ 1;
    if (sibling < level.length) path.push(level[sibling]!);
    i >>>= 1;
  }
  return path;
}

/** One step of an inclusion proof: hash the sibling on the left (`0x01 ‖ sibling ‖ r`) or on the right. */
export interface ProofStep {
  sibling: Uint8Array;
  siblingOnLeft: boolean;
}

/**
 * RFC 9162 §2.1.3.2, shape part: which side each audit-path hash goes on, or null when the index is out of range or
 * the path is too long or too short. Hashing is left to the caller (sync on Node, async on WebCrypto).
 */
export function proofSteps(leafIndex: number, treeSize: number, path: readonly Uint8Array[]): ProofStep[] | null {
  const sides = new Uint8Array(path.length);
  if (!proofSidesInto(leafIndex, treeSize, path.length, sides)) return null;
  return path.map((p, k) => ({ sibling: p, siblingOnLeft: sides[k] === 1 }));
}

/**
 * The same shape check without allocating: writes 1 (sibling on the left) or 0 into `sides[0…count)` and returns
 * false when the index is out of range or the path is too long or too short.
 */
export function proofSidesInto(leafIndex: number, treeSize: number, count: number, sides: Uint8Array): boolean {
  if (leafIndex >= treeSize) return false;
  // Indices may exceed 2^31, so use arithmetic rather than bit operators.
  let fn = leafIndex, sn = treeSize - 1;
  for (let k = 0; k < count; k++) {
    if (sn === 0) return false; // path too long
    if (fn % 2 === 1 || fn === sn) {
      sides[k] = 1;
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      sides[k] = 0;
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0; // sn ≠ 0: path too short
}

/** RFC 9162 §2.1.3.2: the root implied by an inclusion proof, or null if the path has the wrong shape. */
export async function rootFromProof(
  leafIndex: number, treeSize: number, leafHash: Uint8Array, path: readonly Uint8Array[], hashNode: AsyncNodeHasher,
): Promise<Uint8Array | null> {
  const steps = proofSteps(leafIndex, treeSize, path);
  if (!steps) return null;
  let r = leafHash;
  for (const { sibling, siblingOnLeft } of steps) r = await (siblingOnLeft ? hashNode(sibling, r) : hashNode(r, sibling));
  return r;
}
