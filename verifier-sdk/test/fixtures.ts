// Shared test scenario: one Guangdong health-code issuer with an ES256 and an EdDSA key, Macau's recognition
// policy, and credentials issued through the real batcher with an in-memory anchor.
import { generateSigningKey, newBatcher, newCredentialSigner, pseudonym, normaliseId, type PrivateJwk, type IssuedCredential } from '@hutong/verifier-sdk/issuer';
import type { TrustSnapshot, SnapshotAnchor, CredentialAlg } from '@hutong/verifier-sdk';

export const ISSUER_ID = 'gd-health-code';
export const NOW = new Date('2026-11-26T08:00:00.000Z');
export const PERIOD_KEY = new Uint8Array(32).fill(7);

export interface Scenario {
  /** The live snapshot; `snapshot()` returns a fresh copy (compiled snapshots are cached per object). */
  trust: TrustSnapshot;
  snapshot(patch?: Partial<TrustSnapshot>): TrustSnapshot;
  keys: Record<CredentialAlg, { kid: string; privateJwk: PrivateJwk }>;
  issue(alg: CredentialAlg, count?: number, overrides?: Partial<{ st: string; now: Date; validitySeconds: number; vct: string }>): Promise<IssuedCredential[]>;
}

export function newScenario(): Scenario {
  const es = generateSigningKey('ES256');
  const ed = generateSigningKey('EdDSA');
  const keys = { ES256: { kid: 'gd-hc-es-2026', privateJwk: es.privateJwk }, EdDSA: { kid: 'gd-hc-ed-2026', privateJwk: ed.privateJwk } };
  const anchors: SnapshotAnchor[] = [];
  const trust: TrustSnapshot = {
    version: 1,
    jurisdiction: 'MacauMSP',
    generatedAt: '2026-11-26T07:00:00.000Z',
    issuers: [{ id: ISSUER_ID, ownerMsp: 'GuangdongMSP', jurisdiction: 'guangdong', displayName: '广东省健康码中心', credentialTypes: ['health-code'], state: 'active' }],
    keys: [
      { issuerId: ISSUER_ID, kid: keys.ES256.kid, jwk: es.publicJwk, alg: 'ES256', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', state: 'active' },
      { issuerId: ISSUER_ID, kid: keys.EdDSA.kid, jwk: ed.publicJwk, alg: 'EdDSA', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', state: 'active' },
    ],
    policies: [{
      recognisingMsp: 'MacauMSP', issuerId: ISSUER_ID, credentialType: 'health-code',
      statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 6 * 3600,
      validFrom: '2026-01-01T00:00:00.000Z', version: 1, withdrawn: false,
    }],
    anchors,
    revocations: [],
  };
  let block = 100;
  return {
    trust,
    snapshot: (patch = {}) => ({ ...structuredClone(trust), ...patch }),
    keys,
    async issue(alg, count = 1, o = {}) {
      const { kid, privateJwk } = keys[alg];
      const signer = newCredentialSigner({ issuerId: ISSUER_ID, kid, alg, privateJwk });
      const at = o.now ?? new Date(NOW.getTime() - 3600_000);
      const batcher = newBatcher({
        issuerId: ISSUER_ID, kid, maxLeaves: count, maxDelayMs: 10_000,
        anchor: async (a) => {
          const receipt = { txId: `tx-${a.root.slice(0, 16)}`, blockNumber: ++block, anchoredAt: new Date(at.getTime() + 1000).toISOString() };
          anchors.push({ root: a.root, issuerId: a.issuerId, kid: a.kid, leafCount: a.leafCount, anchoredAt: receipt.anchoredAt, txId: receipt.txId, anchoredBy: 'GuangdongMSP', blockNumber: receipt.blockNumber });
          return receipt;
        },
      });
      const jobs: Promise<IssuedCredential>[] = [];
      for (let i = 0; i < count; i++) {
        jobs.push(batcher.add(signer.sign({
          vct: o.vct ?? 'health-code', st: o.st ?? 'green', sub: pseudonym(PERIOD_KEY, normaliseId('HRP', `H1234${String(i).padStart(4, '0')}`)),
          name: '陈*明', doc: `HRP-${String(i).padStart(4, '0')}`, validitySeconds: o.validitySeconds ?? 86_400,
        }, at)));
      }
      return Promise.all(jobs);
    },
  };
}
