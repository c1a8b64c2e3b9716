/**
 * One thread of the crypto pool (`crypto-pool.ts`): verifies chunks of a verification batch with an SDK verifier
 * compiled from the snapshot the main thread posted (kept until a newer one comes), and signs chunks of a bulk
 * issuance with signers built from the keys the main thread posted. Stateless apart from those two caches; every
 * decision about *what* to verify or sign (trust freshness, cache misses, issuer state, key choice) stays in the
 * main thread.
 */
import { parentPort } from 'node:worker_threads';
import { newVerifier, type TrustSnapshot, type Verifier } from '@hutong/verifier-sdk';
import {
  documentHint, encodeQr, HutongSdkError, maskName, newCredentialSigner, normaliseId, pseudonym, type CredentialSigner, type PrivateJwk,
} from '@hutong/verifier-sdk/issuer';
import type { PoolRequest, PoolResponse, SignOutcome, WorkerSigningKey } from './crypto-pool.js';

if (!parentPort) throw new Error('crypto-worker runs as a worker thread');
const port = parentPort;

let trust: { key: number; verifier: Verifier } | undefined;
const signers = new Map<string, { signer: CredentialSigner; pseudonymKey: Uint8Array }>();

function addKey(k: WorkerSigningKey): void {
  signers.set(k.id, { signer: newCredentialSigner({ issuerId: k.issuerId, kid: k.kid, alg: k.alg, privateJwk: k.privateJwk as unknown as PrivateJwk }), pseudonymKey: k.pseudonymKey });
}

async function handle(m: PoolRequest): Promise<PoolResponse> {
  if (m.kind === 'verify') {
    if (m.trust) trust = { key: m.trust.key, verifier: newVerifier({ trust: m.trust.snapshot as TrustSnapshot, jurisdiction: m.trust.jurisdiction, maxSnapshotAgeSeconds: m.trust.maxSnapshotAgeSeconds }) };
    if (!trust || trust.key !== m.trustKey) throw new Error(`crypto-worker: trust state ${m.trustKey} was never posted`);
    const now = new Date(m.nowMs);
    const results = [];
    for (const qr of m.qrs) results.push(await trust.verifier.verify(qr, { now }));
    return { id: m.id, results };
  }
  if (m.kind === 'qr') return { id: m.id, qrs: m.items.map((i) => encodeQr(i)) };
  for (const k of m.keys) addKey(k);
  const now = new Date(m.nowMs);
  const outcomes: SignOutcome[] = m.items.map((r) => {
    try {
      const entry = signers.get(r.keyId);
      if (!entry) throw new Error(`crypto-worker: key ${r.keyId} was never posted`);
      const id = normaliseId(r.holder.documentType, r.holder.documentNumber);
      const jws = entry.signer.sign({
        vct: r.credentialType,
        st: r.status,
        sub: pseudonym(entry.pseudonymKey, id),
        name: maskName(r.holder.name),
        doc: documentHint(r.holder.documentType, r.holder.documentNumber),
        validitySeconds: r.validitySeconds,
        ...(r.claims ? { extra: r.claims } : {}),
      }, now);
      return { jws };
    } catch (e) {
      return e instanceof HutongSdkError
        ? { error: { sdkCode: e.code, message: e.message.replace(/^[A-Z_]+: /, ''), ...(e.details ? { details: { ...e.details } } : {}) } }
        : { error: { message: (e as Error)?.message ?? 'signing failed' } };
    }
  });
  return { id: m.id, outcomes };
}

// One task at a time, in arrival order: a task may replace the trust state the one before it still uses.
let queue: Promise<unknown> = Promise.resolve();
port.on('message', (m: PoolRequest) => {
  queue = queue.then(() => handle(m)).then(
    (r) => port.postMessage(r),
    (e: unknown) => port.postMessage({ id: m.id, failure: (e as Error)?.message ?? 'worker failure' } satisfies PoolResponse),
  );
});
