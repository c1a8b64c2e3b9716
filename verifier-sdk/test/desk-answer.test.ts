// The desk answer: decision per reason, the message catalogue, the facts that explain a decision, no status beside a
// refusal it contradicts, and scanner input normalised one way (docs/protocol.md §5.6, §7).
import { decisionOf, normaliseScan, REASON_CODES, verify, type VerificationResult } from '@hutong/verifier-sdk';
import { LOCALES, MESSAGES, reasonMessage } from '@hutong/verifier-sdk/messages';
import { buildCases, type VectorCase } from './cases';
import type { TrustSnapshot } from '@hutong/verifier-sdk';

let base: TrustSnapshot;
let cases: VectorCase[];
beforeAll(async () => ({ base, cases } = await buildCases()));

const run = (c: VectorCase): Promise<VerificationResult> => verify(c.qr, { trust: c.trust ?? base, jurisdiction: c.jurisdiction, now: new Date(c.now) });
const byReason = (reason: string): VectorCase => cases.find((c) => c.expected.reason === reason)!;

test('every reason code has its decision: ACCEPT only for ACCEPTED, RESCAN for exactly the DECODE_* codes', () => {
  expect(REASON_CODES.filter((r) => decisionOf(r) === 'ACCEPT')).toEqual(['ACCEPTED']);
  expect(REASON_CODES.filter((r) => decisionOf(r) === 'RESCAN')).toEqual(REASON_CODES.filter((r) => r.startsWith('DECODE_')));
});

test('the catalogue has a non-empty message for every reason, decision, fact and revocation reason in every locale', () => {
  expect(Object.keys(MESSAGES).sort()).toEqual([...LOCALES].sort());
  for (const l of LOCALES) {
    for (const r of REASON_CODES) expect(MESSAGES[l].reasons[r]).toMatch(/\S/);
    for (const d of ['ACCEPT', 'REJECT', 'RESCAN'] as const) expect(MESSAGES[l].decisions[d]).toMatch(/\S/);
    expect(Object.keys(MESSAGES[l].facts)).toEqual(Object.keys(MESSAGES.en.facts));
    expect(Object.keys(MESSAGES[l].revocationReasons)).toEqual(Object.keys(MESSAGES.en.revocationReasons));
  }
  // The Chinese catalogues are not copies of each other where the scripts differ.
  expect(MESSAGES['zh-Hant'].reasons.CREDENTIAL_REVOKED).not.toBe(MESSAGES['zh-Hans'].reasons.CREDENTIAL_REVOKED);
});

test('every result carries its reason’s message in every locale and the decision of its reason', async () => {
  for (const c of cases) {
    const r = await run(c);
    expect(r.decision).toBe(decisionOf(r.reason));
    expect(r.message).toEqual(reasonMessage(r.reason));
    expect(Object.keys(r.message)).toEqual([...LOCALES]);
  }
});

test('a revoked credential: REJECT with the revocation time and reason, and no status that reads as green', async () => {
  const r = await run(byReason('CREDENTIAL_REVOKED'));
  expect(r).toMatchObject({ decision: 'REJECT', reason: 'CREDENTIAL_REVOKED', revocation: { revokedAt: expect.stringMatching(/Z$/), reason: expect.any(String) } });
  expect(r).not.toHaveProperty('claimedStatus');
  expect(r).not.toHaveProperty('mappedStatus');
  expect(r).not.toHaveProperty('status');
  expect(r.display?.issuerName).toBeTruthy();
});

test('an expired credential: REJECT with its expiry time; a credential too old: the policy’s maximum age', async () => {
  const expired = await run(byReason('EXPIRED'));
  expect(expired.validity!.expiresAt < byReason('EXPIRED').now).toBe(true);
  expect(expired).not.toHaveProperty('claimedStatus');
  const old = await run(byReason('CREDENTIAL_TOO_OLD'));
  expect(old.policy).toMatchObject({ recognisingMsp: 'MacauMSP', maxAgeSeconds: expect.any(Number), version: expect.any(Number) });
});

test('statuses appear with ACCEPT and with the status reasons they explain, nowhere else', async () => {
  for (const c of cases) {
    const r = await run(c);
    if (r.claimedStatus !== undefined) expect(['ACCEPTED', 'STATUS_UNMAPPED', 'STATUS_NOT_ACCEPTED']).toContain(r.reason);
    if (r.mappedStatus !== undefined) expect(['ACCEPTED', 'STATUS_NOT_ACCEPTED']).toContain(r.reason);
  }
  expect((await run(byReason('STATUS_NOT_ACCEPTED'))).claimedStatus).toBeDefined();
});

test.each([
  ['CR LF', (q: string) => `${q}\r\n`], ['LF', (q: string) => `${q}\n`], ['a trailing space', (q: string) => `${q} `],
  ['a tab and spaces around', (q: string) => `\t ${q}  `], ['a lower-case prefix', (q: string) => `ht1:${q.slice(4)}`],
  ['every letter lower-case (Caps Lock)', (q: string) => q.toLowerCase()],
])('a scan with %s verifies as the QR itself', async (_, scan) => {
  const c = byReason('ACCEPTED');
  expect(normaliseScan(scan(c.qr))).toBe(c.qr);
  expect((await verify(scan(c.qr), { trust: base, jurisdiction: c.jurisdiction, now: new Date(c.now) })).reason).toBe('ACCEPTED');
});

test('normalisation leaves a genuine QR text and inner characters alone', () => {
  const q = byReason('ACCEPTED').qr;
  expect(normaliseScan(q)).toBe(q);
  expect(normaliseScan('HT1:AB CD')).toBe('HT1:AB CD');
  expect(normaliseScan('HT1:A\nB')).toBe('HT1:A\nB');
  expect(normaliseScan('  ')).toBe('');
});
