/** The page's own check of the blocks it shows: numbers consecutive and each previousHash the header hash before it. */
export interface BlockLink { number: number; hash: string; previousHash: string }

/** For each block (in ascending order): true when it links to the block shown before it (the first is unknown: null). */
export function linksOf(blocks: readonly BlockLink[]): Array<boolean | null> {
  return blocks.map((b, i) => {
    const before = blocks[i - 1];
    return before === undefined ? null : b.number === before.number + 1 && b.previousHash === before.hash;
  });
}
