/**
 * Route-independent malformed HTTP against every path of /openapi.json: every method, bodies under every
 * Content-Encoding (garbage, truncated, a decompression bomb, unknown codings), malformed percent-encoding in every
 * path segment, odd headers (Expect, oversized, conflicting lengths, broken chunking, no Host), truncated and
 * oversized bodies, slow clients. Every answer is a 4xx with a `{ code, message }` body whose status the document
 * gives for the operation or for the transport; nothing reaches 5xx, nothing is written, nothing is logged at error
 * level, and no log line repeats what a request carried. Each case here was a 500 or a non-JSON answer before.
 */
import { gzipSync } from 'node:zlib';
import { call, healthCode, startEmbeddedHarness, type EmbeddedHarness } from '../e2e/harness';
import { apiContract, type Answer, type ApiContract, type Operation } from './api-contract';
import { sendBytes, sendRequest, type RawRequest } from './raw-http';

const ORG = 'guangdong';
const CANARY = 'qz7CANARYx9';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'get'];
const MALFORMED = ['%', '%Z', `%${CANARY}`, '%E0%A4%A', '%C0%AF', '%FF%FE', '%u0041', '%%', '%0'];

let h: EmbeddedHarness;
let contract: ApiContract;
let port: number;
let examples: Record<string, string>;

beforeAll(async () => {
  h = await startEmbeddedHarness();
  port = Number(new URL(h.url(ORG)).port);
  contract = apiContract((await call('GET', `${h.url(ORG)}/openapi.json`)).body);
  const issued = (await call('POST', `${h.url(ORG)}/v1/credentials`, { token: h.token(ORG, 'issuer'), body: healthCode() })).body;
  examples = { issuerId: 'gd-health-code', kid: 'gd-hc-2026-1', credentialType: 'health-code', id: issued.anchor.outboxId, number: '1', txId: issued.anchor.txId };
}, 60_000);

afterAll(async () => {
  await h?.dispose();
});

function pathOf(op: Operation, replace?: { name: string; segment: string }): string {
  return op.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => (replace?.name === name ? replace.segment : encodeURIComponent(examples[name] ?? 'x')));
}

function tokenFor(op: Operation): Record<string, string> {
  return op.roles === 'public' ? {} : { authorization: `Bearer ${h.token(ORG, op.roles[0] as 'checkpoint')}` };
}

async function height(): Promise<number> {
  return (await call('GET', `${h.url(ORG)}/v1/audit/blocks?limit=1`, { token: h.token(ORG, 'auditor') })).body.height as number;
}

const failures: string[] = [];

/** Sends a request and records every way its answer breaks the contract of `op` (or of the transport, for no operation). */
async function expectRefusedWithinContract(op: Operation | undefined, what: string, send: () => Promise<Answer | undefined>, method?: string): Promise<Answer | undefined> {
  const before = await height();
  const answer = await send();
  if (answer === undefined) {
    failures.push(`${what}: no answer`);
    return undefined;
  }
  const problems = contract.problemsOf(op, answer, { method: method ?? op?.method, transport: true });
  if (answer.status < 400) problems.push(`accepted (${answer.status})`);
  if ((await height()) !== before) problems.push('the ledger grew');
  if (problems.length > 0) failures.push(`${what}: ${problems.join('; ')} — ${answer.status} ${answer.text.slice(0, 200)}`);
  return answer;
}

function request(op: Operation, changes: Partial<RawRequest> & { extraHeaders?: Record<string, string> } = {}): RawRequest {
  return {
    method: changes.method ?? op.method,
    target: changes.target ?? pathOf(op),
    headers: { ...tokenFor(op), ...(op.body ? { 'content-type': 'application/json' } : {}), ...changes.headers, ...changes.extraHeaders },
    ...(changes.body !== undefined ? { body: changes.body } : {}),
  };
}

afterEach(() => {
  const found = failures.splice(0);
  expect(found).toEqual([]);
});

test('every method on every path: the documented answer, or 405 with Allow, or a transport refusal', async () => {
  const byPath = new Map<string, Operation[]>();
  for (const op of contract.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [path, ops] of byPath) {
    const documented = new Set(ops.map((o) => o.method));
    for (const method of METHODS) {
      if (documented.has(method) || (method === 'HEAD' && documented.has('GET'))) continue;
      const op = ops[0] as Operation;
      // node:http cannot send an invalid method token: those go on the wire as they are.
      const send = /^[A-Z]+$/.test(method) && method !== 'FOO' && method !== 'PROPFIND'
        ? () => sendRequest(port, { method, target: pathOf(op), headers: tokenFor(op) })
        : () => sendBytes(port, `${method} ${pathOf(op)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const answer = await expectRefusedWithinContract(undefined, `${method} ${path}`, send, method);
      if (answer && method !== 'HEAD' && answer.status === 405 && !/GET|POST|PUT|DELETE/.test(String(answer.headers['allow']))) failures.push(`${method} ${path}: Allow ${String(answer.headers['allow'])}`);
    }
  }
}, 60_000);

test('malformed percent-encoding in any path segment is a 400 (or 404 for a path that cannot exist), never a 500', async () => {
  for (const op of contract.operations) {
    const params = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    for (const segment of MALFORMED) {
      for (const name of params) {
        const answer = await expectRefusedWithinContract(op, `${op.method} ${op.path} with ${name}=${segment}`, () => sendRequest(port, request(op, { target: pathOf(op, { name, segment }), ...(op.body ? { body: Buffer.from('{}') } : {}) })));
        if (answer && !['REQUEST_MALFORMED_PATH', 'REQUEST_INVALID'].includes(JSON.parse(answer.text).code)) failures.push(`${op.path} ${name}=${segment}: ${answer.text}`);
      }
      // A static segment: no route has it, whatever it decodes to.
      const target = op.path.replace(/^\/v1\/([a-z]+)/, `/v1/$1${segment}`).replace(/\{[A-Za-z]+\}/g, 'x');
      await expectRefusedWithinContract(undefined, `${op.method} ${target}`, () => sendRequest(port, request(op, { target })), op.method);
    }
  }
}, 60_000);

test('a body under any Content-Encoding that does not decode is a 400 or 415 (authenticated or not), never a 500', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces in ~64 KiB: inflation stops at the limit
  const truncated = gzipSync(Buffer.from('{"qr":"HT1:AAAA"}')).subarray(0, 12);
  const cases: Array<[string, Buffer, string[]]> = [
    ['gzip', Buffer.from(`not gzip ${CANARY}`), ['REQUEST_ENCODING_INVALID']],
    ['deflate', Buffer.from(`not deflate ${CANARY}`), ['REQUEST_ENCODING_INVALID']],
    ['br', Buffer.from(`not brotli ${CANARY}`), ['REQUEST_ENCODING_INVALID']],
    ['gzip', truncated, ['REQUEST_ENCODING_INVALID']],
    ['gzip', bomb, ['REQUEST_TOO_LARGE']],
    ['zstd', Buffer.from('{}'), ['REQUEST_ENCODING_UNSUPPORTED']],
    ['gzip, gzip', gzipSync(gzipSync(Buffer.from('{}'))), ['REQUEST_ENCODING_UNSUPPORTED']],
    [CANARY, Buffer.from('{}'), ['REQUEST_ENCODING_UNSUPPORTED']],
  ];
  for (const op of contract.operations.filter((o) => o.body)) {
    for (const [coding, body, codes] of cases) {
      for (const authenticated of [true, false]) {
        const r = request(op, { body, extraHeaders: { 'content-encoding': coding } });
        if (!authenticated) delete r.headers['authorization'];
        const answer = await expectRefusedWithinContract(op, `${op.method} ${op.path} ${coding}${authenticated ? '' : ' (no token)'}`, () => sendRequest(port, r));
        const code = answer ? (JSON.parse(answer.text) as { code: string }).code : undefined;
        const expected = authenticated || op.roles === 'public' ? codes : ['AUTH_TOKEN_MISSING'];
        if (answer && !expected.includes(code as string)) failures.push(`${op.path} ${coding}${authenticated ? '' : ' (no token)'}: ${code}, expected ${expected.join('|')}`);
      }
    }
  }
}, 60_000);

test('odd heads and bodies: Expect, oversized heads, conflicting lengths, broken chunking, no Host, truncated and oversized bodies', async () => {
  const op = contract.operations.find((o) => o.path === '/v1/verifications') as Operation;
  const auth = `Authorization: Bearer ${h.token(ORG, 'checkpoint')}\r\n`;
  const body = '{"qr":"HT1:AAAA"}';
  const raw: Array<[string, string, boolean?]> = [
    ['both lengths', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 17\r\nTransfer-Encoding: chunked\r\n\r\n${body}`],
    ['two lengths', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 17\r\nContent-Length: 5\r\n\r\n${body}`],
    ['bad chunk size', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n${body}\r\n0\r\n\r\n`],
    ['chunked not last', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked, gzip\r\n\r\n11\r\n${body}\r\n0\r\n\r\n`],
    ['no Host', `POST /v1/verifications HTTP/1.1\r\n${auth}Content-Type: application/json\r\nContent-Length: 17\r\n\r\n${body}`],
    ['header without colon', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}${CANARY}\r\nContent-Length: 17\r\n\r\n${body}`],
    ['space before colon', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type : application/json\r\nContent-Length: 17\r\n\r\n${body}`],
    ['control character in a header', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}X-${CANARY}: a\u0001b\r\nContent-Length: 17\r\n\r\n${body}`],
    ['broken request line', `POST  /v1/verifications  HTTP/1.1 ${CANARY}\r\nHost: x\r\n\r\n`],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['an HTTP/9 request', 'GET /v1/trust/issuers HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['a head too large', `GET /v1/trust/issuers HTTP/1.1\r\nHost: x\r\nX-Big: ${CANARY}${'a'.repeat(20_000)}\r\n\r\n`],
    ['a target too long', `GET /v1/trust/issuers?q=${'a'.repeat(20_000)}${CANARY} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['a body cut off (client half-closes)', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"qr":"${CANARY}`, true],
    ['a declared body beyond the limit', `POST /v1/verifications HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"qr":`],
  ];
  for (const [what, bytes, halfClose] of raw) {
    await expectRefusedWithinContract(op, what, () => sendBytes(port, bytes, { halfClose: halfClose === true }), 'POST');
  }
  const viaClient: Array<[string, RawRequest]> = [
    ['Expect: something', request(op, { body: Buffer.from(body), extraHeaders: { expect: `${CANARY}-continue` } })],
    ['a body beyond the limit', request(op, { body: Buffer.alloc(8 * 1024 * 1024 + 16, 0x20) })],
    ['150 headers', request(op, { body: Buffer.from(`{"qr":"${CANARY}","${CANARY}":1}`), extraHeaders: Object.fromEntries(Array.from({ length: 150 }, (_v, i) => [`x-h${i}`, CANARY])) })],
    ['a byte-order mark', request(op, { body: Buffer.from(`\uFEFF${body}`) })],
    ['invalid UTF-8', request(op, { body: Buffer.concat([Buffer.from('{"qr":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) })],
    ['a duplicate member', request(op, { body: Buffer.from(`{"qr":"HT1:AAAA","qr":"${CANARY}"}`) })],
    ['a body on a GET', request(contract.operations.find((o) => o.path === '/v1/trust/issuers') as Operation, { body: Buffer.from(`{"x":"${CANARY}"}`), extraHeaders: { 'content-type': 'application/json' } })],
  ];
  for (const [what, r] of viaClient) {
    const target = contract.operations.find((o) => o.method === r.method && pathOf(o) === r.target) ?? op;
    await expectRefusedWithinContract(target, what, () => sendRequest(port, r));
  }
}, 60_000);

test('no log line is at error level or repeats request content', () => {
  expect(h.logs.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);
  expect(h.logs.filter((l) => l.includes(CANARY))).toEqual([]);
});

describe('slow clients', () => {
  let slow: EmbeddedHarness;
  beforeAll(async () => {
    slow = await startEmbeddedHarness({ overrides: () => ({ http: { headersTimeoutMs: 1000, requestTimeoutMs: 1500 } }) });
  }, 60_000);
  afterAll(async () => {
    await slow?.dispose();
  });

  it.each([
    ['a head never finished', () => 'POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Type: applic'],
    ['a body never finished', () => `POST /v1/verifications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${slow.token(ORG, 'checkpoint')}\r\n`
      + `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"qr":"${CANARY}`],
  ])('%s: 408 REQUEST_TIMEOUT once its deadline passes', async (_what, make) => {
    const bytes = make();
    const started = Date.now();
    const answer = await sendBytes(Number(new URL(slow.url(ORG)).port), bytes, { timeoutMs: 10_000 });
    expect({ status: answer?.status, body: JSON.parse(answer?.text ?? 'null') }).toEqual({ status: 408, body: { code: 'REQUEST_TIMEOUT', message: expect.any(String) } });
    expect(Date.now() - started).toBeLessThan(5000);
  }, 15_000);
});
