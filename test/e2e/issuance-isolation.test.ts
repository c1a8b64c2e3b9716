/**
 * One issuance request never harms another: every request is checked against the protocol's limits before it joins
 * a batch and is refused alone with its own 4xx code; every request that passes gets a credential that the SDK's
 * verifier accepts, offline and at the other jurisdiction's gateway. Random good requests and hostile ones are sent
 * concurrently (single and bulk routes) into the same batch; nothing may answer 5xx.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { newVerifier, openSignedSnapshot, type VerificationResult } from '@hutong/verifier-sdk';
import { call, eventually, healthCode, startHarness, type Harness, type JsonResponse } from './harness';

let h: Harness;
let gd: string;
let mo: string;
beforeAll(async () => {
  // A long batch window: everything one test sends at once lands in the same batch.
  h = await startHarness({ overrides: () => ({ issuance: { maxDelayMs: 150, commitWaitMs: 10_000 } }) });
  gd = h.url('guangdong');
  mo = h.url('macau');
});
afterAll(async () => { await h?.dispose(); });

/** Registered claim names (docs/protocol.md §2.3): an extra claim may not reuse them. */
const REGISTERED = ['iss', 'jti', 'iat', 'nbf', 'exp', 'vct', 'st', 'sub', 'name', 'doc'];
/** Incompressible claim text: base64url of random bytes (fixed-Huffman DEFLATE spends 8 bits on each character). */
const noise = (chars: number): string => randomBytes(chars).toString('base64url').slice(0, chars);
const manyClaims = (count: number, chars: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}`, noise(chars)]));

interface Hostile {
  name: string; body: Record<string, unknown>; status: number; code: string;
  /** Another refusal that is as good (a different layer may refuse first). */
  or?: { status: number; code: string };
}
const HOSTILE: Hostile[] = [
  { name: 'too many extra claims', body: healthCode({ claims: manyClaims(33, 4) }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'hundreds of large claims', body: healthCode({ claims: manyClaims(400, 256) }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'an object as a claim value', body: healthCode({ claims: { lot: { n: 1 } } }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'null as a claim value', body: healthCode({ claims: { lot: null } }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'an array as a claim value', body: healthCode({ claims: { lot: [1] } }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'a claim string over 256 characters', body: healthCode({ claims: { lot: 'x'.repeat(257) } }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'a claim name outside the pattern', body: healthCode({ claims: { 'Lot-No': 1 } }), status: 400, code: 'REQUEST_INVALID' },
  { name: 'a registered claim name', body: healthCode({ claims: { sub: 'someone-else' } }), status: 422, code: 'CLAIMS_INVALID' },
  // The strict JSON parser of the HTTP boundary refuses an unpaired surrogate; behind it, the SDK's signer does.
  { name: 'a lone surrogate in a claim', body: healthCode({ claims: { lot: 'a\ud800b' } }), status: 400, code: 'REQUEST_MALFORMED_JSON', or: { status: 422, code: 'CLAIMS_INVALID' } },
  // 32 × 256 incompressible characters: past every QR limit (the QR cannot even be encoded).
  { name: 'a payload that cannot fit any QR', body: healthCode({ claims: manyClaims(32, 256) }), status: 422, code: 'CREDENTIAL_TOO_LARGE' },
  // ~2.3 kB of payload: the QR still fits in 4,296 characters, but the payload is past the 2,048-byte limit.
  { name: 'a payload just past 2,048 bytes', body: healthCode({ claims: manyClaims(8, 250) }), status: 422, code: 'CREDENTIAL_TOO_LARGE' },
  { name: 'a key this gateway does not hold', body: healthCode({ kid: 'no-such-key' }), status: 409, code: 'SIGNING_KEY_UNAVAILABLE' },
  { name: 'a type the issuer may not issue', body: healthCode({ credentialType: 'driving-licence' }), status: 422, code: 'CREDENTIAL_TYPE_NOT_ALLOWED' },
  { name: 'another organisation’s issuer', body: healthCode({ issuerId: 'mo-health-bureau' }), status: 403, code: 'ISSUER_FORBIDDEN' },
];

type Submission =
  | { kind: 'good'; route: 'single' | 'bulk'; bodies: Array<Record<string, unknown>> }
  | { kind: 'hostile'; route: 'single' | 'bulk'; hostile: Hostile; bodies: Array<Record<string, unknown>> };

async function submit(s: Submission): Promise<JsonResponse> {
  const token = h.token('guangdong', 'issuer');
  if (s.route === 'single') return call('POST', `${gd}/v1/credentials`, { token, body: s.bodies[0] });
  return call('POST', `${gd}/v1/credentials/bulk`, { token, body: { credentials: s.bodies } });
}

/** Verifies QRs at Macau's gateway and, offline, with the SDK and Macau's signed snapshot. */
async function verifyAtMacau(qrs: string[]): Promise<{ online: string[]; offline: string[] }> {
  const online = await call('POST', `${mo}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs } });
  expect(online.status).toBe(200);
  const offline = await eventually(async () => {
    const snap = await call('GET', `${mo}/v1/trust/snapshot`, { token: h.token('macau', 'checkpoint') });
    const jwks = (await call('GET', `${mo}/v1/trust/snapshot-keys`)).body;
    const verifier = newVerifier({ trust: await openSignedSnapshot(snap.body.jws, { jwks, jurisdiction: 'MacauMSP' }), jurisdiction: 'MacauMSP' });
    return Promise.all(qrs.map((qr) => verifier.verify(qr)));
  }, (rs: VerificationResult[]) => rs.every((r) => r.reason === 'ACCEPTED'));
  return { online: online.body.results.map((r: { reason: string }) => r.reason), offline: offline.map((r) => r.reason) };
}

async function expectIsolation(submissions: Submission[]): Promise<void> {
  const responses = await Promise.all(submissions.map(submit));
  const qrs: string[] = [];
  responses.forEach((r, i) => {
    const s = submissions[i] as Submission;
    expect(r.status).toBeLessThan(500);
    if (s.kind === 'hostile') {
      const { status, code, or } = s.hostile;
      const expected = or !== undefined && r.status === or.status && r.body?.code === or.code ? or : { status, code };
      expect({ hostile: s.hostile.name, route: s.route, status: r.status, code: r.body?.code }).toEqual({ hostile: s.hostile.name, route: s.route, ...expected });
      if (s.route === 'bulk' && r.body.code !== 'REQUEST_MALFORMED_JSON') {
        // The refusal names the hostile item: its index, or (schema failures) the path of every issue.
        const index = s.bodies.indexOf(s.hostile.body);
        if (r.body.code === 'REQUEST_INVALID') {
          for (const issue of r.body.details.issues) expect(issue.path).toMatch(new RegExp(`^credentials\\.${index}\\.`));
        } else {
          expect(r.body.details).toEqual(expect.objectContaining({ index }));
        }
      }
      return;
    }
    expect({ route: s.route, status: r.status, code: r.body?.code }).toEqual({ route: s.route, status: 201, code: undefined });
    const issued = s.route === 'single' ? [r.body] : r.body.credentials;
    expect(issued).toHaveLength(s.bodies.length);
    for (const c of issued) qrs.push(c.qr);
  });
  if (qrs.length === 0) return;
  const { online, offline } = await verifyAtMacau(qrs);
  expect(online).toEqual(qrs.map(() => 'ACCEPTED'));
  expect(offline).toEqual(qrs.map(() => 'ACCEPTED'));
}

const goodBody = (i: number): Record<string, unknown> => healthCode({ holder: { name: `Holder ${i}`, documentType: 'HRP', documentNumber: `H${20_000_000 + i}` } });

test.each(HOSTILE)('$name: refused alone ($status $code), the batch-mates on both routes are issued and accepted', async (hostile) => {
  await expectIsolation([
    { kind: 'good', route: 'single', bodies: [goodBody(1)] },
    { kind: 'hostile', route: 'single', hostile, bodies: [hostile.body] },
    { kind: 'good', route: 'bulk', bodies: [goodBody(2), goodBody(3)] },
    { kind: 'hostile', route: 'bulk', hostile, bodies: [goodBody(4), hostile.body] },
    { kind: 'good', route: 'single', bodies: [goodBody(5)] },
  ]);
});

test('bulk requests large enough for the crypto pool: a hostile item refuses its own call, with its index; the other call is issued', async () => {
  for (const hostile of HOSTILE.filter((x) => x.status !== 400 && x.code !== 'ISSUER_FORBIDDEN')) {
    const withHostile = Array.from({ length: 40 }, (_, i) => goodBody(100 + i));
    withHostile.splice(33, 0, hostile.body);
    await expectIsolation([
      { kind: 'hostile', route: 'bulk', hostile, bodies: withHostile },
      { kind: 'good', route: 'bulk', bodies: Array.from({ length: 40 }, (_, i) => goodBody(200 + i)) },
    ]);
  }
}, 60_000);

test('the largest request the limits allow is issued and accepted', async () => {
  // 1,900 bytes of payload at most the signer accepts; this one is near it and still fits every QR limit.
  const claims = manyClaims(7, 240);
  const r = await call('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode({ claims }) });
  expect(r.status).toBe(201);
  const payload = Buffer.from((r.body.jws as string).split('.')[1] as string, 'base64url');
  expect(payload.length).toBeGreaterThan(1900);
  expect(payload.length).toBeLessThanOrEqual(2048);
  const { online, offline } = await verifyAtMacau([r.body.qr]);
  expect([...online, ...offline]).toEqual(['ACCEPTED', 'ACCEPTED']);
});

describe('property: random good requests mixed with hostile ones in one batch', () => {
  const claimName = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,11}$/).filter((n) => !REGISTERED.includes(n));
  const text = (max: number) => fc.string({ minLength: 0, maxLength: max, unit: 'grapheme' }).filter((s) => s.length <= max);
  const claimValue = fc.oneof(text(24), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
  const goodRequest = fc.record({
    name: text(30).filter((s) => s.length >= 1),
    documentNumber: fc.stringMatching(/^[A-Z0-9]{4,20}$/),
    claims: fc.dictionary(claimName, claimValue, { maxKeys: 6 }),
  }).map(({ name, documentNumber, claims }) => healthCode({ holder: { name, documentType: 'HRP', documentNumber }, claims }));
  const submission: fc.Arbitrary<Submission> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('good' as const), route: fc.constant('single' as const), bodies: fc.tuple(goodRequest).map((t) => [...t]) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('good' as const), route: fc.constant('bulk' as const), bodies: fc.array(goodRequest, { minLength: 1, maxLength: 4 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({ hostile: fc.constantFrom(...HOSTILE), route: fc.constantFrom('single' as const, 'bulk' as const), mates: fc.array(goodRequest, { maxLength: 3 }), at: fc.nat() })
        .map(({ hostile, route, mates, at }) => {
          const bodies = route === 'single' ? [hostile.body] : [...mates];
          if (route === 'bulk') bodies.splice(at % (mates.length + 1), 0, hostile.body);
          return { kind: 'hostile' as const, route, hostile, bodies };
        }),
    },
  );

  test('every good request verifies ACCEPT at Macau (gateway and offline SDK); every hostile one gets its own 4xx', async () => {
    await fc.assert(fc.asyncProperty(fc.array(submission, { minLength: 2, maxLength: 10 }), expectIsolation), { numRuns: 20, seed: 20_261_126 });
  }, 120_000);
});
