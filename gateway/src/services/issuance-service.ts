/**
 * Issuance: pseudonymise and mask the holder's data, sign with the issuer's current key, and anchor credentials in
 * Merkle batches (one ledger transaction per batch, design principle 5). The batch root goes through the durable
 * outbox; a credential is handed out only once its root is committed, with the commit's evidence. If the commit
 * does not come within `commitWaitMs` the request fails with the outbox id — no credential of that batch is issued,
 * and the orphan root, committed later, proves nothing about anyone.
 *
 * One request never harms another: every request is checked (issuer, type, key, and the SDK signer's protocol
 * limits) before it is signed into a batch, and refused alone with its code; the SDK's batcher checks every QR with
 * the SDK's decoder before the root is anchored. A bulk request is all-or-nothing before batching: the first item
 * that fails its checks refuses the call (its code, `details.index`) and nothing of it is signed or queued.
 */
import { keyUsableAt, type IssuerKey } from '@hutong/chaincode/domain';
import {
  documentHint, encodeQrsInProcess, HutongSdkError, maskName, newBatcher, newCredentialSigner, normaliseId, pseudonym,
  type Batcher, type CredentialSigner, type HexInclusionProof, type HutongSdkErrorCode, type PrivateJwk, type QrEncoder,
} from '@hutong/verifier-sdk/issuer';
import type { TrustCache } from '../cache/trust-cache.js';
import type { IssuerSecret } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { CommitEvidence } from '@hutong/ledger';
import { LedgerError, type LedgerErrorCode } from '@hutong/ledger';
import type { GatewayMetrics } from '../http/metrics.js';
import type { Logger } from '../logging/logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { CryptoPool, SignItem, WorkerSigningKey } from '../workers/crypto-pool.js';

/** Requests at least this large are signed on the crypto pool (if there is one); smaller ones cost less than the hop. */
const POOL_MIN_REQUESTS = 32;

export interface CredentialRequest {
  issuerId: string;
  credentialType: string;
  status: string;
  /** The holder as the issuer knows them: used to derive `sub`, the masked name and the document hint, never stored. */
  holder: { name: string; documentType: string; documentNumber: string };
  validitySeconds: number;
  /** Sign with this key instead of the newest usable one. */
  kid?: string | undefined;
  claims?: Record<string, string | number | boolean> | undefined;
}

export interface IssuedCredentialView {
  jws: string;
  qr: string;
  leafHash: string;
  root: string;
  proof: HexInclusionProof;
  anchor: CommitEvidence & { outboxId: string };
}

export interface IssuanceService {
  /** Issues in request order. With `bulk`, the refusal of one request names it (`details.index`). */
  issue(requests: readonly CredentialRequest[], options?: Readonly<{ bulk?: boolean }>): Promise<IssuedCredentialView[]>;
  close(): Promise<void>;
}

export function newIssuanceService(
  options: Readonly<{
    cache: TrustCache; outbox: Outbox; secrets: readonly IssuerSecret[]; logger: Logger; metrics?: GatewayMetrics;
    maxLeaves: number; maxDelayMs: number; commitWaitMs: number; pool?: CryptoPool | undefined; poolMinRequests?: number;
  }>,
): IssuanceService {
  const { cache, outbox, logger, metrics, pool } = options;
  const poolMinRequests = options.poolMinRequests ?? POOL_MIN_REQUESTS;
  const signers = new Map<string, { signer: CredentialSigner; secret: IssuerSecret }>();
  const batchers = new Map<string, Batcher>();
  /** Commit evidence of recent batch roots, for the responses (the SDK's receipt carries fewer fields). */
  const evidenceByRoot = new Map<string, CommitEvidence & { outboxId: string }>();

  function signerFor(issuerId: string, kid: string | undefined): { signer: CredentialSigner; secret: IssuerSecret } {
    const now = new Date().toISOString();
    const usable = (k: IssuerKey | undefined) => k !== undefined && k.state === 'active' && keyUsableAt(k, now);
    const ledgerKeys = new Map(cache.keysOf(issuerId).map((k) => [k.kid, k]));
    const candidates = options.secrets
      .filter((s) => s.issuerId === issuerId && (kid === undefined || s.kid === kid) && usable(ledgerKeys.get(s.kid)))
      .sort((a, b) => ((ledgerKeys.get(b.kid)?.validFrom ?? '') < (ledgerKeys.get(a.kid)?.validFrom ?? '') ? -1 : 1));
    const secret = candidates[0];
    if (!secret) {
      throw new GatewayError('SIGNING_KEY_UNAVAILABLE', `this gateway holds no active, valid key${kid ? ` '${kid}'` : ''} for issuer '${issuerId}'`, { issuerId, ...(kid ? { kid } : {}) });
    }
    const id = `${secret.issuerId}/${secret.kid}`;
    let entry = signers.get(id);
    if (!entry) {
      const key = ledgerKeys.get(secret.kid) as IssuerKey;
      try {
        entry = { signer: newCredentialSigner({ issuerId, kid: secret.kid, alg: key.alg, privateJwk: secret.privateJwk as unknown as PrivateJwk }), secret };
      } catch (e) {
        throw new GatewayError('SIGNING_KEY_UNAVAILABLE', `the configured private key of ${id} is unusable`, { issuerId, kid: secret.kid }, { cause: e });
      }
      signers.set(id, entry);
    }
    return entry;
  }

  async function anchor(request: Readonly<{ root: string; leafCount: number; kid: string; issuerId: string }>) {
    const entry = await outbox.enqueue({
      kind: 'anchor', issuerId: request.issuerId, tx: 'AnchorBatch',
      input: { issuerId: request.issuerId, kid: request.kid, root: request.root, leafCount: request.leafCount },
    });
    const settled = await outbox.waitSettled(entry.id, options.commitWaitMs);
    if (settled.state === 'committed' && settled.evidence) {
      evidenceByRoot.set(request.root, { ...settled.evidence, outboxId: entry.id });
      if (evidenceByRoot.size > 10_000) evidenceByRoot.delete(evidenceByRoot.keys().next().value as string);
      logger.info({ event: 'issuance.batch_anchored', issuerId: request.issuerId, kid: request.kid, root: request.root, leafCount: request.leafCount, txId: settled.evidence.txId }, 'batch anchored');
      return { txId: settled.evidence.txId, blockNumber: settled.evidence.blockNumber, anchoredAt: settled.evidence.timestamp };
    }
    if (settled.state === 'failed') {
      throw new LedgerError((settled.lastErrorCode ?? 'INTERNAL') as LedgerErrorCode, `the ledger refused the batch anchor (outbox ${entry.id})`);
    }
    throw new GatewayError('LEDGER_UNAVAILABLE', `the batch anchor is queued but was not committed within ${options.commitWaitMs} ms; no credential of the batch was issued — retry`, {
      outboxId: entry.id, lastErrorCode: settled.lastErrorCode ?? null,
    });
  }

  /** QR texts of an anchored batch: on the pool's workers for large batches, in-process for small ones. */
  const encode: QrEncoder = (items) => (pool !== undefined && items.length >= poolMinRequests ? pool.encodeQrs(items) : encodeQrsInProcess(items));

  function batcherFor(issuerId: string, kid: string): Batcher {
    const id = `${issuerId}/${kid}`;
    let b = batchers.get(id);
    if (!b) {
      b = newBatcher({ issuerId, kid, maxLeaves: options.maxLeaves, maxDelayMs: options.maxDelayMs, anchor, encode });
      batchers.set(id, b);
    }
    return b;
  }

  function unwrap(e: unknown): unknown {
    if (e instanceof HutongSdkError) {
      if (e.code === 'ANCHOR_FAILED' && (e.cause instanceof GatewayError || e.cause instanceof LedgerError)) return e.cause;
      const message = e.message.replace(/^[A-Z_]+: /, '');
      if (e.code === 'INVALID_CLAIMS') return new GatewayError('CLAIMS_INVALID', message, e.details, { cause: e });
      if (e.code === 'CREDENTIAL_TOO_LARGE') return new GatewayError('CREDENTIAL_TOO_LARGE', message, e.details, { cause: e });
    }
    return e;
  }

  /** The refusal of request `index` of a bulk call: its own code and details, plus which request it was. */
  function ofItem(e: unknown, index: number, bulk: boolean): unknown {
    const err = unwrap(e);
    if (!bulk || !(err instanceof GatewayError || err instanceof LedgerError)) return err;
    return new GatewayError(err.code, err.message, { ...err.details, index }, { cause: err });
  }

  /** The issuer checks of one request and the key it is signed with. */
  function plan(r: CredentialRequest): { signer: CredentialSigner; secret: IssuerSecret } {
    const issuer = cache.issuer(r.issuerId);
    if (!issuer) throw new LedgerError('ISSUER_NOT_FOUND', `issuer '${r.issuerId}' is not registered`);
    if (issuer.state !== 'active') throw new LedgerError('ISSUER_NOT_ACTIVE', `issuer '${r.issuerId}' is ${issuer.state}`);
    if (!issuer.credentialTypes.includes(r.credentialType)) {
      throw new LedgerError('CREDENTIAL_TYPE_NOT_ALLOWED', `issuer '${r.issuerId}' does not issue '${r.credentialType}'`);
    }
    return signerFor(r.issuerId, r.kid);
  }

  function sign(r: CredentialRequest): { jws: string; kid: string } {
    const { signer, secret } = plan(r);
    try {
      const id = normaliseId(r.holder.documentType, r.holder.documentNumber);
      const jws = signer.sign({
        vct: r.credentialType,
        st: r.status,
        sub: pseudonym(secret.pseudonymKey, id),
        name: maskName(r.holder.name),
        doc: documentHint(r.holder.documentType, r.holder.documentNumber),
        validitySeconds: r.validitySeconds,
        ...(r.claims ? { extra: r.claims } : {}),
      });
      metrics?.credentialsIssued.inc({ issuer: r.issuerId });
      return { jws, kid: signer.kid };
    } catch (e) {
      throw unwrap(e);
    }
  }

  /**
   * Signs on the crypto pool: the checks and key choice here, pseudonym, masking and the signature in the workers.
   * Same outcome as `requests.map(sign)`: the first failing request (in order) fails the call; a request that fails
   * its checks here sends the whole call down the in-process path, which then fails exactly as before.
   */
  async function signOnPool(p: CryptoPool, requests: readonly CredentialRequest[], bulk: boolean): Promise<Array<{ jws: string; kid: string }>> {
    const keys = new Map<string, WorkerSigningKey>();
    const items: SignItem[] = [];
    const kids: string[] = [];
    for (const r of requests) {
      let planned;
      try {
        planned = plan(r);
      } catch {
        return signAll(requests, bulk);
      }
      const { signer, secret } = planned;
      const keyId = `${secret.issuerId}/${secret.kid}`;
      if (!keys.has(keyId)) {
        keys.set(keyId, { id: keyId, issuerId: secret.issuerId, kid: secret.kid, alg: signer.alg, privateJwk: secret.privateJwk, pseudonymKey: secret.pseudonymKey });
      }
      items.push({ keyId, credentialType: r.credentialType, status: r.status, holder: r.holder, validitySeconds: r.validitySeconds, claims: r.claims });
      kids.push(signer.kid);
    }
    const outcomes = await p.sign(keys, items);
    return outcomes.map((o, i) => {
      if ('error' in o) {
        const { sdkCode, message, details } = o.error;
        throw ofItem(sdkCode ? new HutongSdkError(sdkCode as HutongSdkErrorCode, message, details ? { details } : undefined) : new Error(message), i, bulk);
      }
      metrics?.credentialsIssued.inc({ issuer: (requests[i] as CredentialRequest).issuerId });
      return { jws: o.jws, kid: kids[i] as string };
    });
  }

  /** `requests.map(sign)`, the first refusal naming its request. */
  function signAll(requests: readonly CredentialRequest[], bulk: boolean): Array<{ jws: string; kid: string }> {
    return requests.map((r, i) => {
      try {
        return sign(r);
      } catch (e) {
        throw ofItem(e, i, bulk);
      }
    });
  }

  return {
    async issue(requests, how) {
      const bulk = how?.bulk === true;
      // A just-approved issuer or key may not have reached the cache through events yet: ask the peer once.
      for (const issuerId of new Set(requests.map((r) => r.issuerId))) {
        const now = new Date().toISOString();
        const ready = cache.issuer(issuerId)?.state === 'active' && cache.keysOf(issuerId).some((k) => keyUsableAt(k, now) && options.secrets.some((s) => s.issuerId === issuerId && s.kid === k.kid));
        if (!ready) await cache.fetchIssuer(issuerId);
      }
      // Sign everything first: a bad request fails the call before anything is queued for anchoring.
      const signed = pool !== undefined && requests.length >= poolMinRequests ? await signOnPool(pool, requests, bulk) : signAll(requests, bulk);
      const issued = await Promise.all(signed.map(({ jws, kid }, i) => batcherFor((requests[i] as CredentialRequest).issuerId, kid).add(jws).catch((e: unknown) => {
        throw ofItem(e, i, bulk);
      })));
      return issued.map((c) => {
        const evidence = evidenceByRoot.get(c.root);
        return {
          jws: c.jws, qr: c.qr, leafHash: c.leafHash, root: c.root, proof: c.proof,
          anchor: evidence ?? { txId: c.anchor.txId, blockNumber: c.anchor.blockNumber, timestamp: c.anchor.anchoredAt, endorsedBy: [], outboxId: '' },
        };
      });
    },
    async close() {
      await Promise.allSettled([...batchers.values()].map((b) => b.close()));
    },
  };
}
