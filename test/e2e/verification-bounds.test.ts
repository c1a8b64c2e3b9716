/**
 * What made-up ids may cost a gateway (class 3 of issue #10): a verification naming an issuer, key or root the trust
 * cache lacks may cause a ledger look-up, and its answer is remembered. Both are bounded — the remembered answers by
 * count (`cache.missLookups.rememberMax`), the look-ups by a token bucket and a concurrency limit, with concurrent
 * look-ups of one id sharing one ledger call — whatever the number of distinct ids. Checked through HTTP and the
 * ledger calls the gateways make; no timing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { encodeQr, generateSigningKey, impliedRoot, inclusionProof, leafHashOf, merkleRoot, newCredentialSigner } from '@hutong/verifier-sdk/issuer';
import { decodeQr } from '@hutong/verifier-sdk';
import { DEMO_CONSORTIUM, parseConsortium } from '../../gateway/src/config/consortium';
import { startConsortium, type RunningConsortium } from '../../gateway/src/consortium/start-consortium';
import { call, healthCode } from './harness';

/**
 * Evaluations per MSP and transaction name, counted as the gateways' ledger connections make them. Each takes 20 ms,
 * as a peer's answer would (the embedded ledger answers within the same turn, so look-ups would never overlap).
 */
const evaluations = new Map<string, number>();
const evaluated = (mspId: string, tx: string) => evaluations.get(`${mspId}:${tx}`) ?? 0;

function counting(backend: LedgerBackend): LedgerBackend {
  return {
    kind: backend.kind,
    async connect(identity) {
      const ledger = await backend.connect(identity);
      return new Proxy(ledger, {
        get(target, property, receiver) {
          if (property !== 'evaluate') return Reflect.get(target, property, receiver);
          const evaluate: Ledger['evaluate'] = async (tx, input, options) => {
            evaluations.set(`${identity.mspId}:${tx}`, evaluated(identity.mspId, tx) + 1);
            await new Promise((r) => setTimeout(r, 20));
            return target.evaluate(tx, input, options);
          };
          return evaluate;
        },
      });
    },
    close: () => backend.close(),
  };
}

const REMEMBER_MAX = 50;
const BURST = 5;
let home: string;
let consortium: RunningConsortium;
const url = (org: string) => consortium.gateways.get(org)!.url;
const checkpoint = (org: string) => consortium.tokens.get(org)!.checkpoint;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'hutong-bounds-'));
  consortium = await startConsortium({
    consortium: parseConsortium(DEMO_CONSORTIUM, 'demo'), home, ephemeralPorts: true, logLevel: 'silent', wrapBackend: counting,
    // Macau: a small memory and no effective rate limit, to fill the memory; Guangdong: a bucket of 5 that does not
    // refill within the test, to see the limit. Answers are remembered long enough not to expire during the test.
    overrides: (org) => ({
      issuance: { maxDelayMs: 5, commitWaitMs: 5000 },
      cache: {
        missLookups: org === 'macau'
          ? { rememberMax: REMEMBER_MAX, rememberMs: 600_000, perSecond: 10_000, burst: 10_000, maxInFlight: 256 }
          : { rememberMs: 600_000, perSecond: 0.001, burst: BURST, maxInFlight: 2 },
      },
    }),
  });
});

afterAll(async () => {
  await consortium.close();
  rmSync(home, { recursive: true, force: true });
});

const hostileKey = generateSigningKey('ES256').privateJwk;

/** A well-formed credential of an issuer nobody registered (the verifier looks the issuer up before any signature). */
function madeUpIssuer(issuerId: string): string {
  const jws = newCredentialSigner({ issuerId, kid: 'k1', alg: 'ES256', privateJwk: hostileKey }).sign({ vct: 'health-code', st: 'green', sub: 'nobody', validitySeconds: 3600 });
  const leaf = leafHashOf(jws);
  return encodeQr({ jws, root: merkleRoot([leaf]), proof: inclusionProof([leaf], 0) });
}

async function verify(org: string, qr: string): Promise<string> {
  const r = await call('POST', `${url(org)}/v1/verifications`, { token: checkpoint(org), body: { qr } });
  expect(r.status).toBe(200);
  return r.body.reason as string;
}

/** The sum of a metric's series that carry every label of `labels` (comma-separated `name="value"`). */
async function metric(org: string, name: string, labels: string): Promise<number> {
  const text = (await call('GET', `${url(org)}/metrics`)).text;
  return text.split('\n')
    .filter((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

test('the remembered answers stay within their bound under many distinct unknown issuers; each is looked up once', async () => {
  expect(await metric('macau', 'hutong_cache_capacity', 'cache="miss_answers"')).toBe(REMEMBER_MAX);
  const before = evaluated('MacauMSP', 'GetIssuer');
  const waves = 10;
  const perWave = 40;
  let largest = 0;
  for (let w = 0; w < waves; w++) {
    const reasons = await Promise.all(Array.from({ length: perWave }, (_, i) => verify('macau', madeUpIssuer(`made-up-${w}-${i}`))));
    expect(new Set(reasons)).toEqual(new Set(['ISSUER_UNKNOWN']));
    largest = Math.max(largest, await metric('macau', 'hutong_cache_entries', 'cache="miss_answers"'));
  }
  expect(largest).toBe(REMEMBER_MAX);
  expect(await metric('macau', 'hutong_cache_evictions_total', 'cache="miss_answers"')).toBe(waves * perWave - REMEMBER_MAX);
  expect(evaluated('MacauMSP', 'GetIssuer') - before).toBe(waves * perWave);

  // The most recent answers are remembered: asking again costs no ledger call.
  const again = evaluated('MacauMSP', 'GetIssuer');
  await Promise.all(Array.from({ length: 20 }, (_, i) => verify('macau', madeUpIssuer(`made-up-${waves - 1}-${perWave - 1 - i}`))));
  expect(evaluated('MacauMSP', 'GetIssuer')).toBe(again);
});

test('concurrent verifications of one unknown issuer share one ledger look-up', async () => {
  const before = evaluated('MacauMSP', 'GetIssuer');
  const qr = madeUpIssuer('made-up-once');
  const reasons = await Promise.all(Array.from({ length: 50 }, () => verify('macau', qr)));
  expect(new Set(reasons)).toEqual(new Set(['ISSUER_UNKNOWN']));
  expect(evaluated('MacauMSP', 'GetIssuer') - before).toBe(1);
});

test('look-ups are rate-limited: a flood of distinct unknown issuers and roots costs at most the bucket', async () => {
  // Honest traffic first: a Macau credential Guangdong's cache holds, and a genuine one to forge proofs from.
  const genuine = await call('POST', `${url('macau')}/v1/credentials`, {
    token: consortium.tokens.get('macau')!.issuer, body: healthCode({ issuerId: 'mo-health-bureau' }),
  });
  expect(genuine.status).toBe(201);
  const before = evaluated('GuangdongMSP', 'GetIssuer') + evaluated('GuangdongMSP', 'GetAnchor');

  // The same signed credential under made-up roots: each proof implies a root no one anchored.
  const { jws } = await decodeQr(genuine.body.qr as string);
  const forged = (i: number) => {
    const sibling = i.toString(16).padStart(64, '0');
    const root = impliedRoot(jws, { leafIndex: 0, treeSize: 2, path: [Buffer.from(sibling, 'hex')] })!;
    return encodeQr({ jws, root, proof: { leafIndex: 0, treeSize: 2, path: [sibling] } });
  };
  const flood = await Promise.all([
    ...Array.from({ length: 100 }, (_, i) => verify('guangdong', madeUpIssuer(`flood-${i}`))),
    ...Array.from({ length: 100 }, (_, i) => verify('guangdong', forged(i + 1))),
  ]);
  expect(new Set(flood)).toEqual(new Set(['ISSUER_UNKNOWN', 'ROOT_NOT_ANCHORED']));
  const lookups = evaluated('GuangdongMSP', 'GetIssuer') + evaluated('GuangdongMSP', 'GetAnchor') - before;
  expect(lookups).toBeLessThanOrEqual(BURST);
  expect(await metric('guangdong', 'hutong_trust_miss_lookups_total', 'outcome="shed"')).toBeGreaterThanOrEqual(200 - BURST);

  // Honest verification is untouched: the credential the cache knows needs no look-up.
  expect(await verify('guangdong', genuine.body.qr as string)).toBe('ACCEPTED');
});
