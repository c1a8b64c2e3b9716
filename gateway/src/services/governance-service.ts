/**
 * Trust governance by this organisation's admin identity: propose and approve issuers and keys, suspend, resume
 * and retire issuers, revoke keys, write and withdraw recognition policies. The chaincode enforces who may do what
 * (owner proposes, every other member approves); the gateway only adds read-your-writes: it answers once its own
 * trust cache has applied the committed record.
 */
import type { SubmitTxName } from '@hutong/chaincode/domain';
import type { TrustCache } from '../cache/trust-cache.js';
import type { CommitEvidence, Ledger } from '@hutong/ledger';
import type { Logger } from '../logging/logger.js';

export interface GovernanceService {
  submit(tx: SubmitTxName, input: Record<string, unknown>): Promise<{ record: unknown; evidence: CommitEvidence }>;
}

export function newGovernanceService(options: Readonly<{ adminLedger: Ledger; cache: TrustCache; logger: Logger; deadlineMs: number }>): GovernanceService {
  return {
    async submit(tx, input) {
      const { result, evidence } = await options.adminLedger.submit(tx, input, { deadlineMs: options.deadlineMs });
      options.logger.info({ event: 'governance.committed', tx, txId: evidence.txId, block: evidence.blockNumber }, 'governance write committed');
      await options.cache
        .waitUntil(() => (options.cache.status().checkpoint?.blockNumber ?? -1) >= evidence.blockNumber, 3000)
        .catch(() => undefined);
      return { record: result, evidence };
    },
  };
}
