/**
 * HTTP fuzzer driven by the gateway's own /openapi.json (in the spirit of Schemathesis). For every operation it
 * draws requests from the documented schemas — valid ones (boundary values and live ids included), invalid ones
 * broken in one place, and malformed ones (bodies under each Content-Encoding, garbage, duplicate members,
 * truncated JSON, byte-order marks, bad UTF-8, deep nesting, wrong media types, malformed percent-encoding, wrong
 * and missing tokens) — and checks each answer: no 5xx; only documented statuses and, per status, documented codes;
 * bodies valid against their documented schemas; a valid request is never refused for what the schema allows;
 * and a refused request writes nothing (the ledger's height is unchanged). Afterwards no log line is at error level
 * and none repeats what the requests carried.
 * Runs and seed: fuzz-settings.ts (`npm test`: fixed seed, bounded; `npm run fuzz`: long, fresh seed).
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { call, healthCode, startEmbeddedHarness, type EmbeddedHarness } from '../e2e/harness';
import { apiContract, type ApiContract, type Operation } from './api-contract';
import { budgetMs, fuzzSettings } from './fuzz-settings';
import { sendRequest, type RawRequest } from './raw-http';
import { invalidOf, validOf, type ArbitraryOptions } from './schema-arbitrary';

const ORG = 'guangdong';
/** Planted in whatever a request carries besides valid values: no log line may ever contain it. */
const CANARY = 'qz7CANARYx9';
const ROLES = ['checkpoint', 'issuer', 'auditor', 'admin', 'partner'] as const;
type Role = (typeof ROLES)[number];

interface Case {
  request: RawRequest;
  /** Every part valid per the document, the right token, a documented method. */
  valid: boolean;
  what: string;
}

let h: EmbeddedHarness;
let contract: ApiContract;
let port: number;
let options: ArbitraryOptions;

beforeAll(async () => {
  h = await startEmbeddedHarness();
  const gd = h.url(ORG);
  port = Number(new URL(gd).port);
  contract = apiContract((await call('GET', `${gd}/openapi.json`)).body);
  // Live values, so that valid requests reach past "not found" into the services.
  const issued = (await call('POST', `${gd}/v1/credentials`, { token: h.token(ORG, 'issuer'), body: healthCode() })).body;
  const issuers = (await call('GET', `${gd}/v1/trust/issuers`)).body.issuers as Array<{ issuerId: string; credentialTypes: string[]; jwks: { keys: Array<{ kid: string }> } }>;
  options = {
    known: {
      issuerId: issuers.map((i) => i.issuerId),
      kid: issuers.flatMap((i) => i.jwks.keys.map((k) => k.kid)),
      credentialType: issuers.flatMap((i) => i.credentialTypes),
      mspId: ['GuangdongMSP', 'MacauMSP'],
      status: ['green', 'yellow', 'red'],
      qr: [issued.qr], qrs: [issued.qr], jws: [issued.jws], leafHash: [issued.leafHash], root: [issued.root],
      id: [issued.anchor.outboxId], txId: [issued.anchor.txId], number: [0, issued.anchor.blockNumber],
    },
  };
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

async function height(): Promise<number> {
  // A write accepted earlier may still be committing from the outbox: wait for it, or it would look like ours.
  const outbox = h.gateways.get(ORG)?.outbox;
  for (let i = 0; i < 200 && (outbox?.depth().pending ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 10));
  const r = await call('GET', `${h.url(ORG)}/v1/audit/blocks?limit=1`, { token: h.token(ORG, 'auditor') });
  return r.body.height as number;
}

function pathOf(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => values[name] ?? 'x');
}

const MALFORMED_SEGMENTS = ['%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%FF', `%${CANARY}`, '%u0041'];
const ODD_SEGMENTS = ['%00', '%2F', '..', '%2E%2E', '.', '%20', encodeURIComponent('é'), 'A'.repeat(2000)];

/** The path: valid parameters, one parameter broken per its schema, or one malformed or odd segment. */
function pathArb(op: Operation): fc.Arbitrary<{ path: string; valid: boolean }> {
  const params = op.parameters.filter((p) => p.in === 'path');
  if (params.length === 0) return fc.constant({ path: op.path, valid: true });
  const valid = fc.tuple(...params.map((p) => validOf(p.schema, options, p.name))).map((vs) => Object.fromEntries(params.map((p, i) => [p.name, encodeURIComponent(String(vs[i]))])));
  return fc.oneof(
    { weight: 6, arbitrary: valid.map((v) => ({ path: pathOf(op, v), valid: true })) },
    {
      weight: 2,
      // An empty segment would address another operation (`/v1/audit/blocks/` is `/v1/audit/blocks`): not this one's case.
      arbitrary: fc.tuple(valid, fc.constantFrom(...params)).chain(([v, p]) => invalidOf(p.schema, options)
        .map((bad) => encodeURIComponent(typeof bad === 'string' ? bad : JSON.stringify(bad) ?? ''))
        .filter((segment) => segment !== '')
        .map((segment) => ({ path: pathOf(op, { ...v, [p.name]: segment }), valid: false }))),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...params), fc.constantFrom(...MALFORMED_SEGMENTS, ...ODD_SEGMENTS)).map(([v, p, seg]) => ({ path: pathOf(op, { ...v, [p.name]: seg }), valid: false })),
    },
  );
}

function queryString(entries: Array<[string, unknown]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, typeof one === 'string' ? one : JSON.stringify(one));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The query: valid parameters, one broken, an unknown one, one repeated, or malformed percent-encoding. */
function queryArb(op: Operation): fc.Arbitrary<{ query: string; valid: boolean }> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const validEntries = op.query
    ? validOf(op.query, options).map((q) => Object.entries(q as Record<string, unknown>))
    : params.length === 0
    ? fc.constant([] as Array<[string, unknown]>)
    : fc.tuple(...params.map((p) => (p.required ? validOf(p.schema, options, p.name) : fc.option(validOf(p.schema, options, p.name), { nil: undefined }))))
      .map((vs) => params.map((p, i) => [p.name, vs[i]] as [string, unknown]));
  const choices: Array<fc.WeightedArbitrary<{ query: string; valid: boolean }>> = [
    { weight: 6, arbitrary: validEntries.map((e) => ({ query: queryString(e), valid: true })) },
    { weight: 1, arbitrary: validEntries.map((e) => ({ query: queryString([...e, [`x${CANARY}`, CANARY]]), valid: false })) },
    { weight: 1, arbitrary: validEntries.map((e) => ({ query: `${queryString(e) || '?'}&%E0%A4%A=%ZZ&${CANARY}=%`, valid: false })) },
  ];
  if (params.length > 0) {
    choices.push(
      { weight: 2, arbitrary: fc.tuple(validEntries, fc.nat(params.length - 1)).chain(([e, i]) => invalidOf(params[i]!.schema, options).map((bad) => ({ query: queryString(e.map(([k, v], j) => [k, j === i ? bad ?? '' : v])), valid: false }))) },
      { weight: 1, arbitrary: fc.tuple(validEntries, fc.nat(params.length - 1)).map(([e, i]) => ({ query: queryString([...e, [params[i]!.name, 'again']]), valid: false })) },
    );
  }
  return fc.oneof(...choices);
}

interface BodyPart {
  headers: Record<string, string>;
  body?: Buffer;
  valid: boolean;
  what: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** `{"k":v,...}` with its first member written twice. */
function duplicateFirst(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const [first] = Object.entries(value as Record<string, unknown>);
  if (!first) return undefined;
  const text = JSON.stringify(value);
  return `{${JSON.stringify(first[0])}:${JSON.stringify(first[1])},${text.slice(1)}`;
}

function bodyArb(op: Operation): fc.Arbitrary<BodyPart> {
  if (!op.body) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant({ headers: {}, valid: true, what: 'no body' }) },
      { weight: 1, arbitrary: fc.constant({ headers: JSON_TYPE, body: Buffer.from(`{"reason":"${CANARY}"}`), valid: false, what: 'a body where none is taken' }) },
    );
  }
  const schema = op.body;
  const valid = validOf(schema, options);
  const json = (what: string, isValid: boolean, text: fc.Arbitrary<string | Buffer>): fc.Arbitrary<BodyPart> =>
    text.map((t) => ({ headers: JSON_TYPE, body: Buffer.from(t), valid: isValid, what }));
  return fc.oneof(
    { weight: 8, arbitrary: json('valid', true, valid.map((v) => JSON.stringify(v))) },
    { weight: 4, arbitrary: json('invalid', false, invalidOf(schema, options).map((v) => JSON.stringify(v) ?? '')) },
    { weight: 1, arbitrary: json('duplicate member', false, valid.map((v) => duplicateFirst(v) ?? `{"a":1,"a":"${CANARY}"}`)) },
    { weight: 1, arbitrary: json('truncated', false, fc.tuple(valid, fc.nat()).map(([v, n]) => { const t = JSON.stringify(v); return t.slice(0, n % Math.max(1, t.length)); })) },
    { weight: 1, arbitrary: json('byte-order mark', false, valid.map((v) => `\uFEFF${JSON.stringify(v)}`)) },
    { weight: 1, arbitrary: json('not UTF-8', false, valid.map((v) => Buffer.concat([Buffer.from(JSON.stringify(v).slice(0, -1)), Buffer.from(`,"${CANARY}":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]))) },
    { weight: 1, arbitrary: json('deep', false, fc.integer({ min: 9, max: 100_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`)) },
    { weight: 1, arbitrary: json('garbage', false, fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }).map((s) => `${s}${CANARY}`), fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)))) },
    { weight: 1, arbitrary: json('long number', false, fc.constant(`{"n":${'9'.repeat(400)}}`)) },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.constantFrom('gzip', 'deflate', 'br', 'GZIP', 'x-gzip')).map(([v, coding]) => {
        const raw = Buffer.from(JSON.stringify(v));
        const c = coding.toLowerCase();
        const body = c === 'br' ? brotliCompressSync(raw) : c === 'deflate' ? deflateSync(raw) : gzipSync(raw);
        return { headers: { ...JSON_TYPE, 'content-encoding': coding }, body, valid: true, what: `valid under ${coding}` };
      }),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.constantFrom('gzip', 'deflate', 'br'), fc.constantFrom('garbage', 'truncated', 'plain')).map(([v, coding, how]) => {
        const raw = Buffer.from(JSON.stringify(v));
        const packed = coding === 'br' ? brotliCompressSync(raw) : coding === 'deflate' ? deflateSync(raw) : gzipSync(raw);
        const body = how === 'garbage' ? Buffer.from(`garbage ${CANARY} garbage`) : how === 'truncated' ? packed.subarray(0, Math.max(1, packed.length >> 1)) : raw;
        return { headers: { ...JSON_TYPE, 'content-encoding': coding }, body, valid: false, what: `${how} under ${coding}` };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom('zstd', 'compress', 'gzip, gzip', 'identity, gzip', CANARY, 'br;q=1')).map(([v, coding]) => (
        { headers: { ...JSON_TYPE, 'content-encoding': coding }, body: Buffer.from(JSON.stringify(v)), valid: false, what: `unknown coding ${coding}` })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom<string | undefined>(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
        'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jsonx', `application/json; ${CANARY}=1`, 'application/problem+json'))
        .map(([v, type]) => ({ headers: type === undefined ? {} : { 'content-type': type }, body: Buffer.from(JSON.stringify(v)), valid: false, what: `content type ${String(type)}` })),
    },
  );
}

type TokenPlan = 'right' | 'none' | 'garbage' | 'wrong role' | 'other gateway';

function tokenArb(op: Operation): fc.Arbitrary<{ headers: Record<string, string>; valid: boolean }> {
  if (op.roles === 'public') return fc.constant({ headers: {}, valid: true });
  const roles = op.roles as readonly Role[];
  const others = ROLES.filter((r) => !roles.includes(r));
  const plans: Array<fc.WeightedArbitrary<TokenPlan>> = [
    { weight: 12, arbitrary: fc.constant('right') }, { weight: 1, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: fc.constant('garbage') },
    { weight: 1, arbitrary: fc.constant('other gateway') },
  ];
  if (others.length > 0) plans.push({ weight: 1, arbitrary: fc.constant('wrong role') });
  return fc.tuple(fc.oneof(...plans), fc.constantFrom(...roles), fc.constantFrom(...(others.length ? others : roles)), fc.constantFrom('Bearer a.b.c', `Bearer ${CANARY}`, `Basic ${CANARY}`, 'Bearer', 'bearer x.y.z', `Bearer ${'A'.repeat(3000)}.B.C`))
    .map(([plan, right, wrong, garbage]) => {
      switch (plan) {
        case 'right': return { headers: { authorization: `Bearer ${h.token(ORG, right)}` }, valid: true };
        case 'none': return { headers: {}, valid: false };
        case 'garbage': return { headers: { authorization: garbage }, valid: false };
        case 'wrong role': return { headers: { authorization: `Bearer ${h.token(ORG, wrong)}` }, valid: false };
        default: return { headers: { authorization: `Bearer ${h.token('macau', right)}` }, valid: false };
      }
    });
}

function caseArb(op: Operation): fc.Arbitrary<Case> {
  const method = op.method === 'GET' ? fc.constantFrom('GET', 'GET', 'GET', 'HEAD') : fc.constant(op.method);
  return fc.tuple(method, pathArb(op), queryArb(op), tokenArb(op), bodyArb(op)).map(([m, p, q, t, b]) => ({
    request: { method: m, target: `${p.path}${q.query}`, headers: { ...t.headers, ...b.headers }, ...(b.body ? { body: b.body } : {}) },
    valid: p.valid && q.valid && t.valid && b.valid,
    what: b.what,
  }));
}

/** Zod issue codes a schema-valid request may still meet: refinements JSON Schema cannot say (one of three members, calendar dates). */
const REFINEMENT_ISSUES = new Set(['custom']);

async function check(op: Operation, c: Case): Promise<void> {
  const before = await height();
  const answer = await sendRequest(port, c.request);
  const label = `${c.request.method} ${c.request.target.slice(0, 160)} [${c.what}${c.valid ? ', valid' : ''}]`;
  if (answer === undefined) throw new Error(`${label}: no answer`);
  const problems = contract.problemsOf(op, answer, { method: c.request.method, transport: !c.valid });
  if (c.valid && answer.status === 400 && c.request.method !== 'HEAD') {
    const body = JSON.parse(answer.text) as { code: string; details?: { issues?: Array<{ code: string }> } };
    const unexplained = (body.details?.issues ?? []).filter((i) => !REFINEMENT_ISSUES.has(i.code));
    if (body.code !== 'REQUEST_INVALID' && body.code !== 'INVALID_ARGUMENT' && body.code !== 'INVALID_JWK') problems.push(`a valid request refused with ${body.code}`);
    if (body.code === 'REQUEST_INVALID' && unexplained.length > 0) problems.push(`a valid request refused for what its schema allows: ${answer.text.slice(0, 300)}`);
  }
  if (answer.status >= 400) {
    const after = await height();
    if (after !== before) problems.push(`refused with ${answer.status} but the ledger grew from ${before} to ${after} blocks`);
  }
  if (problems.length > 0) throw new Error(`${label}\n  ${problems.join('\n  ')}\n  answer: ${answer.status} ${answer.text.slice(0, 300)}`);
}

test('every operation of /openapi.json answers every generated request within its contract', async () => {
  const { runs, seed } = fuzzSettings;
  if (fuzzSettings.long) console.log(`openapi fuzz: ${runs} runs per operation, seed ${seed} (HUTONG_FUZZ_SEED=${seed} replays it)`);
  expect(contract.operations.length).toBeGreaterThan(20);
  // Every operation runs, so one report names every operation that breaks its contract.
  const failures: string[] = [];
  for (const op of contract.operations) {
    const result = await fc.check(fc.asyncProperty(caseArb(op), (c) => check(op, c)), { seed, numRuns: runs });
    if (result.failed) failures.push(`${op.method} ${op.path} (seed ${seed}, path "${result.counterexamplePath}"):\n  ${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}`);
  }
  expect(failures).toEqual([]);
}, budgetMs(fuzzSettings.runs * 26 * 3));

test('no log line is at error level or repeats request content', () => {
  const errors = h.logs.filter((l) => /"level":"(error|fatal)"/.test(l));
  expect(errors).toEqual([]);
  expect(h.logs.filter((l) => l.includes(CANARY))).toEqual([]);
});
