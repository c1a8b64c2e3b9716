import { decodeQr, newVerifier, verify, REASON_CODES, reasonMessage } from '@hutong/verifier-sdk';
import { createVerifierApi } from '../src/verifier';
import { newNodeBackend } from '../src/lib/node-backend';
import { newWebBackend } from '../src/lib/web-backend';
import { buildCases } from './cases';
import { newScenario, NOW } from './fixtures';
import { anchorAndEncode, baseClaims, signRaw } from './craft';
import { leafHashOf } from '@hutong/verifier-sdk/issuer';

const backends = { web: createVerifierApi(newWebBackend()), 'web+noble': createVerifierApi(newWebBackend({ ed25519: 'noble' })), node: createVerifierApi(newNodeBackend()), 'node (node:crypto fold)': createVerifierApi(newNodeBackend({ nativeFold: false })) };

describe('verify: every outcome has its reason code (same on every backend)', () => {
  let built: Awaited<ReturnType<typeof buildCases>>;
  beforeAll(async () => { built = await buildCases(); });

  test('the cases cover every reason code', () => {
    const covered = new Set(built.cases.map((c) => c.expected.reason));
    expect(REASON_CODES.filter((r) => !covered.has(r))).toEqual([]);
  });

  test.each(Object.keys(backends))('%s backend', async (name) => {
    const api = backends[name as keyof typeof backends];
    for (const c of built.cases) {
      const r = await api.verify(c.qr, { trust: c.trust ?? built.base, jurisdiction: c.jurisdiction, now: new Date(c.now) });
      expect({ name: c.name, decision: r.decision, reason: r.reason }).toEqual({ name: c.name, ...c.expected });
    }
  });

  test('ACCEPT carries display data, mapped status and ledger evidence', async () => {
    const c = built.cases[0]!;
    const r = await newVerifier({ trust: built.base, jurisdiction: 'MacauMSP' }).verify(c.qr, { now: new Date(c.now) });
    expect(r).toMatchObject({
      decision: 'ACCEPT', reason: 'ACCEPTED', claimedStatus: 'green', mappedStatus: 'green', snapshotAgeSeconds: 3600,
      display: { issuerId: 'gd-health-code', credentialType: 'health-code', maskedName: '陈*明', documentHint: 'HRP-0000' },
      evidence: { issuerId: 'gd-health-code', blockNumber: expect.any(Number), anchorTxId: expect.stringMatching(/^tx-/) },
    });
    expect(r.evidence!.root).toMatch(/^[0-9a-f]{64}$/);
    expect(r.evidence!.leafHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a malformed snapshot is SNAPSHOT_INVALID, a snapshot from the future too', async () => {
    const c = built.cases[0]!;
    const r = await verify(c.qr, { trust: { ...built.base, generatedAt: 'yesterday' }, jurisdiction: 'MacauMSP' });
    expect(r).toEqual({ decision: 'REJECT', reason: 'SNAPSHOT_INVALID', message: reasonMessage('SNAPSHOT_INVALID'), snapshotAgeSeconds: -1 });
    const f = await verify(c.qr, { trust: built.base, jurisdiction: 'MacauMSP', now: new Date('2026-11-25T00:00:00Z') });
    expect(f.reason).toBe('SNAPSHOT_INVALID');
    expect(() => newVerifier({ trust: { ...built.base, version: 2 as 1 }, jurisdiction: 'MacauMSP' })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
  });

  test('options are validated: skew and staleness are bounded', () => {
    expect(() => newVerifier({ trust: built.base, jurisdiction: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => newVerifier({ trust: built.base, jurisdiction: 'MacauMSP', clockSkewSeconds: 3600 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => newVerifier({ trust: built.base, jurisdiction: 'MacauMSP', maxSnapshotAgeSeconds: Infinity })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  test('clock skew tolerates a credential issued slightly in the future', async () => {
    const c = built.cases.find((x) => x.name === 'nbf in the future')!;
    const r = await verify(c.qr, { trust: built.base, jurisdiction: 'MacauMSP', now: new Date(Date.parse(c.now) + 3600_000 - 30_000) });
    expect(r.reason).toBe('ACCEPTED');
  });
});

test('decoded headers: compact headers (parsed form reused per kid, frozen) and literal headers interleave correctly', async () => {
  const s = newScenario();
  const [es] = await s.issue('ES256', 1);
  const [ed] = await s.issue('EdDSA', 1);
  // A literal header: the same members in another order cannot use the compact form.
  const literal = anchorAndEncode(s.trust, signRaw({ typ: 'hutong-vc+jws;v=1', alg: 'ES256', kid: s.keys.ES256.kid }, baseClaims(), s.keys.ES256.privateJwk), s.keys.ES256.kid).qr;
  const headerOf = (jws: string): unknown => JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString());
  for (const qr of [es!.qr, literal, ed!.qr, es!.qr, ed!.qr, literal, ed!.qr]) {
    const d = await decodeQr(qr);
    expect(d.header).toEqual(headerOf(d.jws));
    expect(Object.keys(d.header)).toEqual(Object.keys(headerOf(d.jws) as object));
    if (qr !== literal) expect(Object.isFrozen(d.header)).toBe(true);
    expect((await verify(qr, { trust: s.snapshot(), jurisdiction: 'MacauMSP', now: NOW })).reason).toBe('ACCEPTED');
  }
});

test('interleaved verifications (sync node fast path, awaiting web path, first-use key import) keep their own bytes', async () => {
  const s = newScenario();
  const creds = [...await s.issue('ES256', 6), ...await s.issue('EdDSA', 6)];
  const trust = s.snapshot();
  const expected = creds.map((c) => leafHashOf(c.jws));
  // Fresh verifiers: the first verification of each key awaits its import while others run synchronously.
  const verifiers = [backends.node, backends.web, backends['web+noble']].map((api) => api.newVerifier({ trust, jurisdiction: 'MacauMSP' }));
  const runs = [];
  for (let round = 0; round < 3; round++) {
    for (const [i, c] of creds.entries()) runs.push(verifiers[(i + round) % 3]!.verify(c.qr, { now: NOW }).then((r) => [i, r] as const));
  }
  for (const [i, r] of await Promise.all(runs)) {
    expect(r.reason).toBe('ACCEPTED');
    expect(r.evidence?.leafHash).toBe(expected[i]);
  }
});
