/**
 * Credential revocation by the issuer's own gateway: the leaf hash and its inclusion proof (never the credential) go
 * to the ledger through the durable outbox. The caller gets the commit evidence if it comes within `commitWaitMs`,
 * otherwise the outbox id to poll; either way the revocation is committed eventually.
 *
 * An issuer revokes only its own credentials: the proof must lead from the leaf to a root this issuer anchored with
 * that many leaves. The chaincode enforces it on every peer (`LEAF_NOT_ANCHORED`); the gateway checks first against
 * its trust cache (or one look-up on its peer), so such a request is refused at once and never enters the outbox.
 * Only when the root is unknown to the cache and the peer cannot be asked is the write queued unchecked: revocations
 * stay durable while the ledger is down, and the chaincode decides when it is back.
 */
import type { Anchor, Revocation, RevocationReason } from '@hutong/chaincode/domain';
import { decodeQr } from '@hutong/verifier-sdk';
import { impliedRootOfLeaf, leafHashOf, type HexInclusionProof } from '@hutong/verifier-sdk/issuer';
import type { TrustCache } from '../cache/trust-cache.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { LedgerError, type Ledger, type LedgerErrorCode } from '@hutong/ledger';
import type { Outbox, OutboxEntry } from '../outbox/outbox.js';

export interface RevocationRequest {
  issuerId: string;
  reason: RevocationReason;
  leafHash?: string | undefined;
  jws?: string | undefined;
  qr?: string | undefined;
  /** Required with `leafHash` or `jws` (the issuance response's `proof`); a QR carries its own. */
  proof?: HexInclusionProof | undefined;
}

export interface RevocationOutcome {
  leafHash: string;
  /** The anchored batch root the proof leads to. */
  root: string;
  outboxId: string;
  state: 'committed' | 'pending';
  revocation?: Revocation;
  evidence?: OutboxEntry['evidence'];
  lastErrorCode?: string;
}

export interface RevocationService {
  revoke(request: RevocationRequest): Promise<RevocationOutcome>;
}

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The leaf hash and inclusion proof a request names. */
async function leafOfRequest(r: RevocationRequest): Promise<{ leafHash: string; proof: HexInclusionProof }> {
  try {
    if (r.qr !== undefined) {
      const decoded = await decodeQr(r.qr);
      const { leafIndex, treeSize, path } = decoded.proof;
      return { leafHash: leafHashOf(decoded.jws), proof: { leafIndex, treeSize, path: path.map(toHex) } };
    }
    return { leafHash: r.leafHash ?? leafHashOf(r.jws as string), proof: r.proof as HexInclusionProof };
  } catch (e) {
    throw new GatewayError('QR_UNDECODABLE', 'the credential to revoke cannot be decoded', { reason: (e as { code?: string }).code ?? 'INVALID' });
  }
}

export function newRevocationService(
  options: Readonly<{ outbox: Outbox; cache: TrustCache; ledger: Ledger; logger: Logger; commitWaitMs: number }>,
): RevocationService {
  const { cache, ledger } = options;

  /** The anchor of `root`: from the cache, else from the peer; `unknown` when the peer cannot answer now. */
  async function anchorOf(root: string): Promise<Anchor | undefined | 'unknown'> {
    const cached = cache.anchor(root);
    if (cached) return cached;
    try {
      return await ledger.evaluate<Anchor>('GetAnchor', { root }, { deadlineMs: 2000 });
    } catch (e) {
      return e instanceof LedgerError && e.code === 'ANCHOR_NOT_FOUND' ? undefined : 'unknown';
    }
  }

  return {
    async revoke(request) {
      const { leafHash, proof } = await leafOfRequest(request);
      const root = impliedRootOfLeaf(leafHash, proof);
      const anchor = root === undefined ? undefined : await anchorOf(root);
      if (anchor === undefined || (anchor !== 'unknown' && (anchor.issuerId !== request.issuerId || anchor.leafCount !== proof.treeSize))) {
        throw new GatewayError('LEAF_NOT_ANCHORED', `the proof does not show the credential in a batch that issuer '${request.issuerId}' anchored`, { issuerId: request.issuerId });
      }
      const entry = await options.outbox.enqueue({
        kind: 'revocation', issuerId: request.issuerId, tx: 'RevokeCredential',
        input: { issuerId: request.issuerId, leafHash, reason: request.reason, proof },
      });
      options.logger.info({ event: 'revocation.accepted', id: entry.id, issuerId: request.issuerId, leafHash, reason: request.reason, checked: anchor !== 'unknown' }, 'revocation queued');
      const settled = await options.outbox.waitSettled(entry.id, options.commitWaitMs);
      if (settled.state === 'failed') throw new LedgerError((settled.lastErrorCode ?? 'INTERNAL') as LedgerErrorCode, `the ledger refused the revocation (outbox ${entry.id})`);
      const base = { leafHash, root: root as string, outboxId: entry.id };
      if (settled.state === 'committed') {
        return { ...base, state: 'committed', revocation: settled.result as Revocation, ...(settled.evidence ? { evidence: settled.evidence } : {}) };
      }
      return { ...base, state: 'pending', ...(settled.lastErrorCode ? { lastErrorCode: settled.lastErrorCode } : {}) };
    },
  };
}
