/**
 * Issuance: check each request, sign it (pseudonymise and mask the holder's data, sign with the issuer's current
 * key), then anchor the credentials in Merkle batches (batch-anchoring.ts: tree, QR codes, one ledger transaction
 * per batch through the durable outbox, design principle 5) and hand each out with its commit's evidence.
 *
 * One request never harms another: every request is checked (issuer, type, key, and the SDK signer's protocol
 * limits) before it is signed into a batch, and refused alone with its code; the SDK's batch preparation checks every
 * QR with the SDK's decoder before the root is anchored. A bulk request is all-or-nothing before batching: the first
 * item that fails its checks refuses the call (its code, `details.index`) and nothing of it is signed or queued.
 */
import { encodeCheckedQrs, HutongSdkError, type CheckedQrEncoder, type HutongSdkErrorCode } from '@hutong/verifier-sdk/issuer';
import { LedgerError } from '@hutong/ledger';
import type { TrustCache } from '../cache/trust-cache.js';
import type { IssuerSecret } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { Logger } from '../logging/logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { CryptoPool, SignItem, WorkerSdkError, WorkerSigningKey } from '../workers/crypto-pool.js';
import { newBatchAnchoring, type AnchoredCredential } from './batch-anchoring.js';
import { signCredentialRequest, type CredentialRequest } from './credential-request.js';
import { newSigningKeys, type SigningKey } from './signing-keys.js';

export type { CredentialRequest };
export type IssuedCredentialView = AnchoredCredential;

/** Requests at least this large are signed on the crypto pool (if there is one); smaller ones cost less than the hop. */
const POOL_MIN_REQUESTS = 32;

export interface IssuanceService {
  /** Issues in request order. With `bulk`, the refusal of one request names it (`details.index`). */
  issue(requests: readonly CredentialRequest[], options?: Readonly<{ bulk?: boolean }>): Promise<IssuedCredentialView[]>;
  close(): Promise<void>;
}

/** The SDK error a worker reported. */
function sdkErrorOf({ sdkCode, message, details }: WorkerSdkError): Error {
  return sdkCode ? new HutongSdkError(sdkCode as HutongSdkErrorCode, message, details ? { details } : undefined) : new Error(message);
}

/** The gateway's error for an SDK refusal of one credential. */
function fromSdk(e: unknown): unknown {
  if (!(e instanceof HutongSdkError)) return e;
  const message = e.message.replace(/^[A-Z_]+: /, '');
  if (e.code === 'INVALID_CLAIMS') return new GatewayError('CLAIMS_INVALID', message, e.details, { cause: e });
  if (e.code === 'CREDENTIAL_TOO_LARGE') return new GatewayError('CREDENTIAL_TOO_LARGE', message, e.details, { cause: e });
  return e;
}

/** The refusal of request `index` of a bulk call: its own code and details, plus which request it was. */
function ofItem(e: unknown, index: number, bulk: boolean): unknown {
  const err = fromSdk(e);
  if (!bulk || !(err instanceof GatewayError || err instanceof LedgerError)) return err;
  return new GatewayError(err.code, err.message, { ...err.details, index }, { cause: err });
}

export function newIssuanceService(
  options: Readonly<{
    cache: TrustCache; outbox: Outbox; secrets: readonly IssuerSecret[]; logger: Logger; metrics?: GatewayMetrics;
    maxLeaves: number; maxDelayMs: number; commitWaitMs: number; pool?: CryptoPool | undefined; poolMinRequests?: number;
  }>,
): IssuanceService {
  const { cache, metrics, pool } = options;
  const poolMinRequests = options.poolMinRequests ?? POOL_MIN_REQUESTS;
  const keys = newSigningKeys({ cache, secrets: options.secrets });
  /** Checked QR texts of a batch: on the pool's workers for large batches, in-process for small ones. */
  const encode: CheckedQrEncoder = async (items) => {
    if (pool === undefined || items.length < poolMinRequests) return encodeCheckedQrs(items);
    return (await pool.encodeQrs(items)).map((o) => ('qr' in o ? o.qr : (sdkErrorOf(o.error) as HutongSdkError)));
  };
  const anchoring = newBatchAnchoring({ outbox: options.outbox, logger: options.logger, encode, maxLeaves: options.maxLeaves, maxDelayMs: options.maxDelayMs, commitWaitMs: options.commitWaitMs });

  /** `keys.forRequest` for the requests of one call: a bulk call asks about one issuer, type and key a thousand times. */
  function keyChoice(): (r: CredentialRequest) => SigningKey {
    const chosen = new Map<string, SigningKey>();
    return (r) => {
      const id = `${r.issuerId}\u0000${r.credentialType}\u0000${r.kid ?? ''}`;
      let k = chosen.get(id);
      if (k === undefined) chosen.set(id, (k = keys.forRequest(r)));
      return k;
    };
  }

  /** `requests` signed in-process, the first refusal naming its request. */
  function signHere(requests: readonly CredentialRequest[], bulk: boolean): Array<{ jws: string; kid: string }> {
    const choose = keyChoice();
    return requests.map((r, i) => {
      try {
        const { signer, secret } = choose(r);
        const jws = signCredentialRequest(signer, secret.pseudonymKey, r);
        metrics?.credentialsIssued.inc({ issuer: r.issuerId });
        return { jws, kid: signer.kid };
      } catch (e) {
        throw ofItem(e, i, bulk);
      }
    });
  }

  /**
   * Signs on the crypto pool: the checks and key choice here, pseudonym, masking and the signature in the workers.
   * Same outcome as `signHere`: a request that fails its checks sends the whole call down the in-process path,
   * which then fails exactly as there.
   */
  async function signOnPool(p: CryptoPool, requests: readonly CredentialRequest[], bulk: boolean): Promise<Array<{ jws: string; kid: string }>> {
    const workerKeys = new Map<string, WorkerSigningKey>();
    const items: SignItem[] = [];
    const kids: string[] = [];
    const choose = keyChoice();
    for (const r of requests) {
      let chosen;
      try {
        chosen = choose(r);
      } catch {
        return signHere(requests, bulk);
      }
      const { signer, secret } = chosen;
      const keyId = `${secret.issuerId}/${secret.kid}`;
      if (!workerKeys.has(keyId)) {
        workerKeys.set(keyId, { id: keyId, issuerId: secret.issuerId, kid: secret.kid, alg: signer.alg, privateJwk: secret.privateJwk, pseudonymKey: secret.pseudonymKey });
      }
      items.push({ keyId, credentialType: r.credentialType, status: r.status, holder: r.holder, validitySeconds: r.validitySeconds, claims: r.claims });
      kids.push(signer.kid);
    }
    const outcomes = await p.sign(workerKeys, items);
    return outcomes.map((o, i) => {
      if ('error' in o) throw ofItem(sdkErrorOf(o.error), i, bulk);
      metrics?.credentialsIssued.inc({ issuer: (requests[i] as CredentialRequest).issuerId });
      return { jws: o.jws, kid: kids[i] as string };
    });
  }

  return {
    async issue(requests, how) {
      const bulk = how?.bulk === true;
      // A just-approved issuer or key may not have reached the cache through events yet: ask the peer once.
      for (const issuerId of new Set(requests.map((r) => r.issuerId))) {
        if (!keys.ready(issuerId)) await cache.fetchIssuer(issuerId);
      }
      // Sign everything first: a bad request fails the call before anything is queued for anchoring.
      const signed = pool !== undefined && requests.length >= poolMinRequests ? await signOnPool(pool, requests, bulk) : signHere(requests, bulk);
      return Promise.all(signed.map(({ jws, kid }, i) => anchoring.add((requests[i] as CredentialRequest).issuerId, kid, jws).catch((e: unknown) => {
        throw ofItem(e, i, bulk);
      })));
    },
    close: () => anchoring.close(),
  };
}
