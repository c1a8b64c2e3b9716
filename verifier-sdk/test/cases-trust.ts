// Vectors of the trust snapshot and of the verification's time rules (docs/protocol.md §6, §7; #15 items 2, 3, 4,
// 5, 13, 14, 16): snapshot validity in each documented way, identity duplicates, key revocation times, the ledger
// time window, credential revocations, and every time boundary with and without the clock skew.
import { LEDGER_TIME_WINDOW_SECONDS, type ReasonCode, type TrustSnapshot } from '@hutong/verifier-sdk';
import type { IssuedCredential } from '@hutong/verifier-sdk/issuer';
import { ISSUER_ID, NOW, type Scenario } from './fixtures';
import { baseClaims } from './craft';

type Mutable = Record<string, unknown>;
type Add = (name: string, qr: string, reason: ReasonCode, o?: { trust?: (t: TrustSnapshot) => void; now?: string }) => void;
type Craft = (header: object, payload: object) => string;

export function addTrustCases(o: { s: Scenario; add: Add; crafted: Craft; valid: IssuedCredential }): void {
  const { s, add, crafted, valid } = o;
  const qr = valid.qr;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const nowMs = NOW.getTime();
  const anchoredAt = Date.parse(s.trust.anchors.find((a) => a.root === valid.root)!.anchoredAt);
  const W = LEDGER_TIME_WINDOW_SECONDS * 1000;
  const SKEW = 60_000; // the default clock skew
  const esHeader = { alg: 'ES256', kid: s.keys.ES256.kid, typ: 'hutong-vc+jws;v=1' };
  const key0 = (t: TrustSnapshot): Mutable => t.keys[0] as unknown as Mutable;
  const validAnchor = (t: TrustSnapshot): Mutable => t.anchors.find((a) => a.root === valid.root) as unknown as Mutable;
  const revocation = { issuerId: ISSUER_ID, leafHash: valid.leafHash, reason: 'status-change', revokedAt: iso(nowMs) };

  // Item 2: a key's revocation time is `revokedAt` whatever its state; `revoked` without it means from the beginning.
  add('key active with revokedAt before the anchor: revoked from that time', qr, 'KEY_REVOKED', { trust: (t) => { key0(t).revokedAt = iso(anchoredAt - 1000); } });
  add('key active with revokedAt more than a window after the anchor: past credentials stay valid', qr, 'ACCEPTED', { trust: (t) => { key0(t).revokedAt = iso(anchoredAt + W + 60_000); } });
  add('key revoked without revokedAt: revoked from the beginning', qr, 'KEY_REVOKED', { trust: (t) => { key0(t).state = 'revoked'; } });

  // Item 16: anchoredAt is the client's clock within the ledger time window W; a key revoked at T distrusts anchors at or after T − W.
  add('anchor 10 min before the key revocation (inside the ledger time window)', qr, 'KEY_REVOKED', { trust: (t) => { Object.assign(key0(t), { state: 'revoked', revokedAt: iso(anchoredAt + 10 * 60_000) }); } });
  add('anchor 16 min before the key revocation (outside the ledger time window)', qr, 'ACCEPTED', { trust: (t) => { Object.assign(key0(t), { state: 'revoked', revokedAt: iso(anchoredAt + 16 * 60_000) }); } });
  add('anchor exactly one ledger time window before the key revocation', qr, 'KEY_REVOKED', { trust: (t) => { Object.assign(key0(t), { state: 'revoked', revokedAt: iso(anchoredAt + W) }); } });
  add('anchor one window and 1 ms before the key revocation', qr, 'ACCEPTED', { trust: (t) => { Object.assign(key0(t), { state: 'revoked', revokedAt: iso(anchoredAt + W + 1) }); } });

  // Items 3 and 14: a snapshot holds at most one record per identity; one anchor per root, checked in order.
  add('snapshot: two issuers with one id', qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.issuers as unknown[]).push({ ...t.issuers[0]!, state: 'suspended' }); } });
  add('snapshot: two keys with one issuer and kid', qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.keys as unknown[]).push({ ...t.keys[0]!, state: 'proposed' }); } });
  add('snapshot: two anchors with one root', qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.anchors as unknown[]).push({ ...validAnchor(t), txId: 'tx-again' }); } });
  add('snapshot: two revocations with one issuer and leaf hash', qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.revocations as unknown[]).push(revocation, { ...revocation, reason: 'fraud' }); } });
  add('snapshot: two policies sharing the highest version', qr, 'SNAPSHOT_INVALID', { trust: (t) => { (t.policies as unknown[]).push({ ...t.policies[0]!, acceptedStatuses: [] }); } });
  add('two versions of one policy: the highest (withdrawn) applies', qr, 'POLICY_INACTIVE', { trust: (t) => { (t.policies as unknown[]).push({ ...t.policies[0]!, version: 2, withdrawn: true }); } });
  add('two versions of one policy, the highest listed first: it applies', qr, 'ACCEPTED', { trust: (t) => { (t.policies as unknown[]).unshift({ ...t.policies[0]!, version: 2 }); t.policies[1]!.withdrawn = true; } });
  add('the anchor of the root has another leaf count', qr, 'PROOF_INVALID', { trust: (t) => { validAnchor(t).leafCount = 6; } });
  add('the anchor of the root has another issuer and kid: the issuer is checked first', qr, 'ROOT_NOT_ANCHORED', { trust: (t) => { Object.assign(validAnchor(t), { issuerId: 'mo-ssm', kid: s.keys.EdDSA.kid }); } });
  add('the anchor of the root has another leaf count and kid: the leaf count is checked first', qr, 'PROOF_INVALID', { trust: (t) => { Object.assign(validAnchor(t), { leafCount: 6, kid: s.keys.EdDSA.kid }); } });
  add('the anchor of the root has another kid and the key is revoked: no anchor proves an earlier time', qr, 'KEY_REVOKED', {
    trust: (t) => { validAnchor(t).kid = s.keys.EdDSA.kid; Object.assign(key0(t), { state: 'revoked', revokedAt: iso(anchoredAt + 2 * W) }); },
  });

  // Item 4: a listed revocation rejects whatever `now` is.
  add('credential revocation dated after now still rejects', qr, 'CREDENTIAL_REVOKED', { trust: (t) => { (t.revocations as unknown[]).push({ ...revocation, revokedAt: iso(nowMs + 86_400_000) }); } });

  // Item 5: the validity table of §6.1, each way a snapshot can break it; members not in the table are ignored.
  const invalid = (name: string, change: (t: TrustSnapshot) => void): void => add(`snapshot: ${name}`, qr, 'SNAPSHOT_INVALID', { trust: change });
  const doc = (t: TrustSnapshot): Mutable => t as unknown as Mutable;
  const issuer0 = (t: TrustSnapshot): Mutable => t.issuers[0] as unknown as Mutable;
  const policy0 = (t: TrustSnapshot): Mutable => t.policies[0] as unknown as Mutable;
  const put = (pick: (t: TrustSnapshot) => Mutable, member: string, value: unknown) => (t: TrustSnapshot): void => {
    if (value === undefined) delete pick(t)[member];
    else pick(t)[member] = value;
  };
  invalid('version 2', put(doc, 'version', 2));
  invalid('version "1" (a string)', put(doc, 'version', '1'));
  invalid('jurisdiction missing', put(doc, 'jurisdiction', undefined));
  invalid('jurisdiction empty', put(doc, 'jurisdiction', ''));
  invalid('generatedAt missing', put(doc, 'generatedAt', undefined));
  for (const list of ['issuers', 'keys', 'policies', 'anchors', 'revocations']) {
    invalid(`${list} missing`, put(doc, list, undefined));
    invalid(`${list} not an array`, put(doc, list, {}));
    invalid(`${list} holding null`, (t) => { (doc(t)[list] as unknown[]).push(null); });
  }
  // Times: exactly YYYY-MM-DDTHH:mm:ss.sssZ naming a real instant (30 February, 24:00, other formats: cases.ts).
  invalid('generatedAt with an offset (+00:00)', (t) => { t.generatedAt = '2026-11-26T07:00:00.000+00:00'; });
  invalid('generatedAt without milliseconds', (t) => { t.generatedAt = '2026-11-26T07:00:00Z'; });
  invalid('generatedAt with a lower-case z', (t) => { t.generatedAt = '2026-11-26T07:00:00.000z'; });
  invalid('generatedAt with microseconds', (t) => { t.generatedAt = '2026-11-26T07:00:00.000000Z'; });
  invalid('generatedAt as a number of milliseconds', put(doc, 'generatedAt', Date.parse('2026-11-26T07:00:00.000Z')));
  invalid('key revokedAt without milliseconds', put(key0, 'revokedAt', '2026-12-01T00:00:00Z'));
  invalid('anchor anchoredAt in local time (no Z)', put(validAnchor, 'anchoredAt', '2026-11-26T07:00:01.000'));
  invalid('revocation revokedAt on 31 April', (t) => { (t.revocations as unknown[]).push({ ...revocation, revokedAt: '2026-04-31T00:00:00.000Z' }); });
  invalid('issuer recognisedUntil null', put(issuer0, 'recognisedUntil', null));
  invalid('policy validUntil with an offset', put(policy0, 'validUntil', '2027-01-01T08:00:00.000+08:00'));
  // Issuers.
  invalid('issuer id empty', put(issuer0, 'id', ''));
  invalid('issuer ownerMsp missing', put(issuer0, 'ownerMsp', undefined));
  invalid('issuer jurisdiction missing', put(issuer0, 'jurisdiction', undefined));
  invalid('issuer displayName a number', put(issuer0, 'displayName', 7));
  invalid('issuer displayNames without pt', put(issuer0, 'displayNames', { en: 'GD', 'zh-Hans': '广东', 'zh-Hant': '廣東' }));
  invalid('issuer credentialTypes a string', put(issuer0, 'credentialTypes', 'health-code'));
  invalid('issuer credentialTypes holding a number', put(issuer0, 'credentialTypes', ['health-code', 1]));
  invalid('issuer state unknown (paused)', put(issuer0, 'state', 'paused'));
  // Keys.
  invalid('key issuerId missing', put(key0, 'issuerId', undefined));
  invalid('key kid empty', put(key0, 'kid', ''));
  invalid('key jwk a string', put(key0, 'jwk', 'eyJrdHkiOiJFQyJ9'));
  invalid('key alg RS256', put(key0, 'alg', 'RS256'));
  invalid('key state unknown (expired)', put(key0, 'state', 'expired'));
  invalid('key validFrom missing', put(key0, 'validFrom', undefined));
  // Policies.
  invalid('policy recognisingMsp empty', put(policy0, 'recognisingMsp', ''));
  invalid('policy credentialType missing', put(policy0, 'credentialType', undefined));
  invalid('policy statusMapping an array', put(policy0, 'statusMapping', [['green', 'green']]));
  invalid('policy statusMapping to a number', put(policy0, 'statusMapping', { green: 1 }));
  invalid('policy acceptedStatuses a string', put(policy0, 'acceptedStatuses', 'green'));
  invalid('policy maxAgeSeconds negative', put(policy0, 'maxAgeSeconds', -1));
  invalid('policy maxAgeSeconds not an integer', put(policy0, 'maxAgeSeconds', 21_600.5));
  invalid('policy maxAgeSeconds a string', put(policy0, 'maxAgeSeconds', '21600'));
  invalid('policy version 0', put(policy0, 'version', 0));
  invalid('policy version 1.5', put(policy0, 'version', 1.5));
  invalid('policy withdrawn a string', put(policy0, 'withdrawn', 'false'));
  invalid('policy validFrom missing', put(policy0, 'validFrom', undefined));
  // Anchors.
  invalid('anchor root in upper-case hex', put(validAnchor, 'root', valid.root.toUpperCase()));
  invalid('anchor root of 63 hex digits', put(validAnchor, 'root', valid.root.slice(1)));
  invalid('anchor issuerId missing', put(validAnchor, 'issuerId', undefined));
  invalid('anchor kid missing', put(validAnchor, 'kid', undefined));
  invalid('anchor leafCount 0', put(validAnchor, 'leafCount', 0));
  invalid('anchor leafCount 2^40 + 1', put(validAnchor, 'leafCount', 2 ** 40 + 1));
  invalid('anchor leafCount 4.5', put(validAnchor, 'leafCount', 4.5));
  invalid('anchor txId missing', put(validAnchor, 'txId', undefined));
  invalid('anchor anchoredBy a number', put(validAnchor, 'anchoredBy', 1));
  invalid('anchor blockNumber negative', put(validAnchor, 'blockNumber', -1));
  // Revocations.
  invalid('revocation leafHash in upper-case hex', (t) => { (t.revocations as unknown[]).push({ ...revocation, leafHash: valid.leafHash.toUpperCase() }); });
  invalid('revocation issuerId empty', (t) => { (t.revocations as unknown[]).push({ ...revocation, issuerId: '' }); });
  invalid('revocation reason missing', (t) => { (t.revocations as unknown[]).push({ issuerId: ISSUER_ID, leafHash: valid.leafHash, revokedAt: revocation.revokedAt }); });
  invalid('revocation revokedAt missing', (t) => { (t.revocations as unknown[]).push({ issuerId: ISSUER_ID, leafHash: valid.leafHash, reason: 'fraud' }); });
  add('snapshot: members not in the table are ignored, in every record', qr, 'ACCEPTED', {
    trust: (t) => {
      (t as unknown as Mutable).exportedBy = { gateway: 'mo-1' };
      for (const r of [issuer0(t), key0(t), policy0(t), validAnchor(t)]) Object.assign(r, { approvals: { MacauMSP: iso(nowMs) }, createdAt: 'not checked', note: null });
    },
  });
  add('snapshot: an anchor of 2^40 leaves (the largest tree) is valid', qr, 'ACCEPTED', { trust: (t) => { (t.anchors as unknown[]).push({ ...validAnchor(t), root: 'ab'.repeat(32), leafCount: 2 ** 40 }); } });
  add('snapshot: a proposed key is valid (and not trusted)', qr, 'ACCEPTED', { trust: (t) => { (t.keys as unknown[]).push({ ...t.keys[0]!, kid: 'gd-hc-es-2027', state: 'proposed' }); } });

  // Item 13: time boundaries. Claims are whole seconds compared in ms; the skew (60 s) widens nbf, iat, exp and a
  // future generatedAt only.
  const sec = Math.floor(nowMs / 1000);
  const skewS = SKEW / 1000;
  add('exp exactly at now − skew', crafted(esHeader, baseClaims({ exp: sec - skewS })), 'EXPIRED');
  add('exp 1 s after now − skew', crafted(esHeader, baseClaims({ exp: sec - skewS + 1 })), 'ACCEPTED');
  const exp = sec - skewS + 1;
  add('exp against a millisecond now: 1 ms past exp + skew', crafted(esHeader, baseClaims({ exp })), 'EXPIRED', { now: iso(exp * 1000 + SKEW) });
  add('exp against a millisecond now: 1 ms before exp + skew', crafted(esHeader, baseClaims({ exp })), 'ACCEPTED', { now: iso(exp * 1000 + SKEW - 1) });
  add('nbf = now + skew', crafted(esHeader, baseClaims({ nbf: sec + skewS })), 'ACCEPTED');
  add('nbf = now + skew + 1 s', crafted(esHeader, baseClaims({ nbf: sec + skewS + 1 })), 'NOT_YET_VALID');
  add('iat = now + skew', crafted(esHeader, baseClaims({ iat: sec + skewS })), 'ACCEPTED');
  add('iat = now + skew + 1 s', crafted(esHeader, baseClaims({ iat: sec + skewS + 1 })), 'NOT_YET_VALID');
  add('key validUntil = anchoredAt', qr, 'KEY_NOT_VALID_AT_ANCHOR', { trust: put(key0, 'validUntil', iso(anchoredAt)) });
  add('key validUntil 1 ms after anchoredAt', qr, 'ACCEPTED', { trust: put(key0, 'validUntil', iso(anchoredAt + 1)) });
  add('key validFrom = anchoredAt', qr, 'ACCEPTED', { trust: put(key0, 'validFrom', iso(anchoredAt)) });
  add('key validFrom 1 ms after anchoredAt (no skew)', qr, 'KEY_NOT_VALID_AT_ANCHOR', { trust: put(key0, 'validFrom', iso(anchoredAt + 1)) });
  add('issuer recognisedUntil 1 ms before now (no skew)', qr, 'ISSUER_INACTIVE', { trust: put(issuer0, 'recognisedUntil', iso(nowMs - 1)) });
  add('policy validFrom = now', qr, 'ACCEPTED', { trust: put(policy0, 'validFrom', iso(nowMs)) });
  add('policy validFrom 1 ms after now (no skew)', qr, 'POLICY_INACTIVE', { trust: put(policy0, 'validFrom', iso(nowMs + 1)) });
  add('policy validUntil = now', qr, 'POLICY_INACTIVE', { trust: put(policy0, 'validUntil', iso(nowMs)) });
  add('policy validUntil 1 ms after now', qr, 'ACCEPTED', { trust: put(policy0, 'validUntil', iso(nowMs + 1)) });
  const iat = nowMs - 3600_000; // fixtures.ts issues an hour before NOW
  add('now − iat = maxAgeSeconds', qr, 'ACCEPTED', { now: iso(iat + 6 * 3600_000) });
  add('now − iat = maxAgeSeconds + 1 ms (no skew)', qr, 'CREDENTIAL_TOO_OLD', { now: iso(iat + 6 * 3600_000 + 1) });
  add('snapshot generatedAt = now + skew', qr, 'ACCEPTED', { trust: (t) => { t.generatedAt = iso(nowMs + SKEW); } });
  add('snapshot generatedAt 1 ms after now + skew', qr, 'SNAPSHOT_INVALID', { trust: (t) => { t.generatedAt = iso(nowMs + SKEW + 1); } });
  const generatedAt = Date.parse(s.trust.generatedAt);
  add('snapshot exactly the maximum age (24 h) old', qr, 'ACCEPTED', { now: iso(generatedAt + 86_400_000), trust: (t) => { Object.assign(policy0(t), { maxAgeSeconds: 2 * 86_400 }); } });
  add('snapshot the maximum age and 1 ms old (no skew)', qr, 'SNAPSHOT_STALE', { now: iso(generatedAt + 86_400_000 + 1), trust: (t) => { Object.assign(policy0(t), { maxAgeSeconds: 2 * 86_400 }); } });
}
