/**
 * Credential revocation by the issuer's own gateway: the leaf hash (never the credential) goes to the ledger
 * through the durable outbox. The caller gets the commit evidence if it comes within `commitWaitMs`, otherwise the
 * outbox id to poll; either way the revocation is committed eventually.
 */
import type { Revocation, RevocationReason } from '@hutong/chaincode/domain';
import { decodeQr } from '@hutong/verifier-sdk';
import { leafHashOf } from '@hutong/verifier-sdk/issuer';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { LedgerError, type LedgerErrorCode } from '@hutong/ledger';
import type { Outbox, OutboxEntry } from '../outbox/outbox.js';

export interface RevocationRequest {
  issuerId: string;
  reason: RevocationReason;
  leafHash?: string | undefined;
  jws?: string | undefined;
  qr?: string | undefined;
}

export interface RevocationOutcome {
  leafHash: string;
  outboxId: string;
  state: 'committed' | 'pending';
  revocation?: Revocation;
  evidence?: OutboxEntry['evidence'];
  lastErrorCode?: string;
}

export interface RevocationService {
  revoke(request: RevocationRequest): Promise<RevocationOutcome>;
}

async function leafHashOfRequest(r: RevocationRequest): Promise<string> {
  if (r.leafHash !== undefined) return r.leafHash;
  try {
    if (r.jws !== undefined) return leafHashOf(r.jws);
    const decoded = await decodeQr(r.qr as string);
    return leafHashOf(decoded.jws);
  } catch (e) {
    throw new GatewayError('QR_UNDECODABLE', 'the credential to revoke cannot be decoded', { reason: (e as { code?: string }).code ?? 'INVALID' });
  }
}

export function newRevocationService(options: Readonly<{ outbox: Outbox; logger: Logger; commitWaitMs: number }>): RevocationService {
  return {
    async revoke(request) {
      const leafHash = await leafHashOfRequest(request);
      const entry = await options.outbox.enqueue({
        kind: 'revocation', issuerId: request.issuerId, tx: 'RevokeCredential',
        input: { issuerId: request.issuerId, leafHash, reason: request.reason },
      });
      options.logger.info({ event: 'revocation.accepted', id: entry.id, issuerId: request.issuerId, leafHash, reason: request.reason }, 'revocation queued');
      const settled = await options.outbox.waitSettled(entry.id, options.commitWaitMs);
      if (settled.state === 'failed') throw new LedgerError((settled.lastErrorCode ?? 'INTERNAL') as LedgerErrorCode, `the ledger refused the revocation (outbox ${entry.id})`);
      if (settled.state === 'committed') {
        return { leafHash, outboxId: entry.id, state: 'committed', revocation: settled.result as Revocation, ...(settled.evidence ? { evidence: settled.evidence } : {}) };
      }
      return { leafHash, outboxId: entry.id, state: 'pending', ...(settled.lastErrorCode ? { lastErrorCode: settled.lastErrorCode } : {}) };
    },
  };
}
