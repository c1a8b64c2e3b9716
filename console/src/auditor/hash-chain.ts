import type { Api } from '../api/gateway-api';

/** The page's own check of the blocks it shows: numbers consecutive and each previousHash the header hash before it. */
export interface BlockLink { number: number; hash: string; previousHash: string }

/** For each block (in ascending order): true when it links to the block shown before it (the first is unknown: null). */
export function linksOf(blocks: readonly BlockLink[]): Array<boolean | null> {
  return blocks.map((b, i) => {
    const before = blocks[i - 1];
    return before === undefined ? null : b.number === before.number + 1 && b.previousHash === before.hash;
  });
}

export interface ChainCheck { height: number; from: number; to: number; valid: boolean; tipHash: string; firstBreak?: { blockNumber: number } }

/** The gateway's check of its whole chain, page by page (GET /v1/audit/chain-verification), up to the first break. */
export async function checkWholeChain(api: Api): Promise<ChainCheck & { from: 0 }> {
  let from = 0;
  let last: ChainCheck;
  do {
    last = await api<ChainCheck>('GET', `/v1/audit/chain-verification?from=${from}`);
    from = last.to;
  } while (last.valid && last.to < last.height);
  return { ...last, from: 0 };
}
