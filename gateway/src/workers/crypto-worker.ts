/**
 * One thread of the crypto pool (`crypto-pool.ts`): verifies chunks of a verification batch with an SDK verifier
 * over its own copy of the trust cache's index (kept current by the deltas the main thread sends with each task),
 * and signs chunks of a bulk issuance with signers built from the keys the main thread posted. Stateless apart from
 * those two; every decision about *what* to verify or sign (cache misses, issuer state, key choice) stays in the
 * main thread.
 */
import { parentPort } from 'node:worker_threads';
import { indexTrust, newVerifierOnIndex, type Verifier } from '@hutong/verifier-sdk';
import { encodeCheckedQrs, HutongSdkError, newCredentialSigner, type CredentialSigner, type PrivateJwk } from '@hutong/verifier-sdk/issuer';
import { putRecord, type TrustRecordsTarget } from '../cache/trust-records.js';
import { signCredentialRequest } from '../issuance/credential-request.js';
import type { PoolRequest, PoolResponse, SignOutcome, WorkerSdkError, WorkerSigningKey, WorkerTrust } from './crypto-pool.js';

if (!parentPort) throw new Error('crypto-worker runs as a worker thread');
const port = parentPort;

let trust: { version: number; target: TrustRecordsTarget; verifier: Verifier; settings: string } | undefined;

/** An error as the main thread can rebuild it: the SDK's code, message and details. */
function crossable(e: unknown): WorkerSdkError {
  return e instanceof HutongSdkError
    ? { sdkCode: e.code, message: e.message.replace(/^[A-Z_]+: /, ''), ...(e.details ? { details: { ...e.details } } : {}) }
    : { message: (e as Error)?.message ?? 'signing failed' };
}

/** Brings this worker's copy of the trust state to the task's version. */
function catchUp(t: WorkerTrust): Verifier {
  const settings = `${t.jurisdiction}/${t.maxSnapshotAgeSeconds}`;
  if (t.delta !== undefined && 'snapshot' in t.delta) {
    const index = indexTrust(t.delta.snapshot);
    trust = { version: t.delta.version, target: { index, consortium: t.delta.consortium }, settings, verifier: newVerifierOnIndex(index, t) };
  } else if (t.delta !== undefined && trust !== undefined) {
    for (const r of t.delta.records) {
      try {
        putRecord(trust.target, r);
      } catch {
        // A record the SDK cannot index; the main thread left it out of its own index too.
      }
    }
    trust.version = t.delta.version;
  }
  if (trust === undefined || trust.version !== t.version) throw new Error(`crypto-worker: trust state ${t.version} was never posted`);
  if (trust.settings !== settings) trust = { ...trust, settings, verifier: newVerifierOnIndex(trust.target.index, t) };
  trust.target.index.generatedAtMs = t.generatedAtMs;
  return trust.verifier;
}
const signers = new Map<string, { signer: CredentialSigner; pseudonymKey: Uint8Array }>();

function addKey(k: WorkerSigningKey): void {
  signers.set(k.id, { signer: newCredentialSigner({ issuerId: k.issuerId, kid: k.kid, alg: k.alg, privateJwk: k.privateJwk as unknown as PrivateJwk }), pseudonymKey: k.pseudonymKey });
}

async function handle(m: PoolRequest): Promise<PoolResponse> {
  if (m.kind === 'verify') {
    const verifier = catchUp(m.trust);
    const now = new Date(m.nowMs);
    const results = [];
    for (const qr of m.qrs) results.push(await verifier.verify(qr, { now }));
    return { id: m.id, results };
  }
  if (m.kind === 'qr') return { id: m.id, qrs: encodeCheckedQrs(m.items).map((o) => (typeof o === 'string' ? { qr: o } : { error: crossable(o) })) };
  for (const k of m.keys) addKey(k);
  const now = new Date(m.nowMs);
  const outcomes: SignOutcome[] = m.items.map((r) => {
    try {
      const entry = signers.get(r.keyId);
      if (!entry) throw new Error(`crypto-worker: key ${r.keyId} was never posted`);
      const jws = signCredentialRequest(entry.signer, entry.pseudonymKey, r, now);
      return { jws };
    } catch (e) {
      return { error: crossable(e) };
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
