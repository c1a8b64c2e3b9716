// Vector cases of anchor lifetimes (docs/protocol.md §6 "Live records", §7 step 10): an anchor's notAfter bounds the
// exp of the credentials under it, and the snapshot's new members are validated like the others.
import type { IssuedCredential } from '@hutong/verifier-sdk/issuer';
import type { ReasonCode, TrustSnapshot } from '@hutong/verifier-sdk';
import { ISSUER_ID, NOW, type Scenario } from './fixtures';
import { anchorAndEncode, baseClaims, signRaw } from './craft';

type AddCase = (name: string, qr: string, reason: ReasonCode, o?: { trust?: (t: TrustSnapshot) => void; jurisdiction?: string; now?: string }) => void;

/** The `exp` claim of a compact JWS. */
function expOf(jws: string): number {
  return (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
}

export function lifetimeCases(s: Scenario, add: AddCase, valid: IssuedCredential): void {
  const es = s.keys.ES256;
  const exp = expOf(valid.jws);
  const at = (ms: number) => new Date(ms).toISOString();
  const setNotAfter = (t: TrustSnapshot, root: string, notAfter: string): void => {
    for (const a of t.anchors) if (a.root === root) Object.assign(a, { notAfter });
  };
  add('anchor notAfter equal to the credential’s exp', valid.qr, 'ACCEPTED', { trust: (t) => setNotAfter(t, valid.root, at(exp * 1000)) });
  add('anchor notAfter one millisecond before the credential’s exp', valid.qr, 'EXPIRY_BEYOND_ANCHOR', { trust: (t) => setNotAfter(t, valid.root, at(exp * 1000 - 1)) });
  add('anchor notAfter before exp, and the anchor under another kid: the kid check comes first', valid.qr, 'ANCHOR_KID_MISMATCH', {
    trust: (t) => { setNotAfter(t, valid.root, at(exp * 1000 - 1000)); for (const a of t.anchors) if (a.root === valid.root) a.kid = s.keys.EdDSA.kid; },
  });
  // An expired credential under an anchor whose notAfter has long passed: step 8 decides, whether or not a cache
  // still holds the anchor — what makes dropping it safe.
  const iat = Math.floor(NOW.getTime() / 1000);
  const expired = anchorAndEncode(s.trust, signRaw({ alg: 'ES256', kid: es.kid, typ: 'hutong-vc+jws;v=1' }, baseClaims({ iat: iat - 90_000, nbf: iat - 90_000, exp: iat - 3600 }), es.privateJwk), es.kid);
  add('expired credential under an anchor whose notAfter passed', expired.qr, 'EXPIRED', { trust: (t) => setNotAfter(t, expired.root, at((iat - 3600) * 1000)) });
  add('expired credential whose anchor was dropped as no longer live', expired.qr, 'EXPIRED', {
    trust: (t) => { (t as { anchors: unknown[] }).anchors = t.anchors.filter((a) => a.root !== expired.root); },
  });
  const revocation = { issuerId: ISSUER_ID, leafHash: valid.leafHash, reason: 'status-change', revokedAt: NOW.toISOString(), root: valid.root, leafIndex: valid.proof.leafIndex, notAfter: at(exp * 1000) };
  add('revocation carrying its root, leaf index and notAfter', valid.qr, 'CREDENTIAL_REVOKED', { trust: (t) => { (t.revocations as unknown[]).push(revocation); } });
  add('snapshot: anchor notAfter not a time of the ledger’s form', valid.qr, 'SNAPSHOT_INVALID', { trust: (t) => setNotAfter(t, valid.root, '2026-11-27T08:00:00Z') });
  add('snapshot: revocation root not 64 lower-case hex', valid.qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.revocations as unknown[]).push({ ...revocation, root: valid.root.toUpperCase() }); } });
  add('snapshot: revocation leafIndex negative', valid.qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.revocations as unknown[]).push({ ...revocation, leafIndex: -1 }); } });
  add('snapshot: revocation leafIndex not an integer', valid.qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.revocations as unknown[]).push({ ...revocation, leafIndex: 1.5 }); } });
  add('snapshot: revocation notAfter on 30 February', valid.qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.revocations as unknown[]).push({ ...revocation, notAfter: '2027-02-30T00:00:00.000Z' }); } });
}
