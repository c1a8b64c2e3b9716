/**
 * HTTPS and mutual TLS per role (config `http.tls`, auth/client-certificate.ts) over real servers on 127.0.0.1, with
 * certificates the test makes: a credential issued and verified end to end over HTTPS; checkpoint requests refused
 * without a client certificate, or with one from another CA, on the fast path and on Express alike; public routes
 * and roles that need no certificate served without one; plain HTTP, garbage and silent clients on the HTTPS port
 * refused cleanly, within the configured bounds, without a trace of their bytes in the logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayAudience } from '../../gateway/src/auth/demo-token-issuer';
import { resolveTlsCredentials } from '../../gateway/src/config/config';
import type { GatewayError } from '../../gateway/src/errors/gateway-error';
import { healthCode, startEmbeddedHarness, type EmbeddedHarness, type JsonResponse } from './harness';
import { makeTestPki, type PemPair, type TestPki } from './test-pki';

let pki: TestPki;
let dir: string;
let h: EmbeddedHarness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hutong-https-'));
  pki = makeTestPki(dir);
  h = await startEmbeddedHarness({
    overrides: () => ({
      issuance: { maxDelayMs: 5, commitWaitMs: 5000 },
      // Debug: the handshake failures' lines too, to check what they carry.
      logLevel: 'debug',
      http: {
        host: '127.0.0.1', port: 0, headersTimeoutMs: 1000, requestTimeoutMs: 2000,
        tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, clientCaFile: pki.caFile, requireClientCertificateFor: ['checkpoint'] },
      },
    }),
  });
});
afterAll(async () => {
  await h?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One request over HTTPS, trusting only the test CA, with a client certificate or none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function httpsCall(method: string, url: string, options: { token?: string; body?: unknown; cert?: PemPair } = {}): Promise<JsonResponse<any>> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpsRequest(url, {
      method, ca: pki.ca, agent: false,
      ...(options.cert ? { cert: options.cert.cert, key: options.cert.key } : {}),
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: callers look at `text`
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (r: JsonResponse): { status: number; code: unknown } => ({ status: r.status, code: r.body?.code });
const port = (org: string): number => Number(new URL(h.url(org)).port);

test('the gateways listen on https://127.0.0.1', () => {
  expect(h.url('macau')).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(h.url('guangdong')).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});

test('a credential issued over HTTPS (issuer: no client certificate needed) verifies over mutual TLS', async () => {
  const issued = await httpsCall('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
  expect(issued.status).toBe(201);
  const verified = await httpsCall('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: issued.body.qr }, cert: pki.client });
  expect(verified.status).toBe(200);
  expect(verified.body.decision).toBe('ACCEPT');
  const batch = await httpsCall('POST', `${h.url('macau')}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs: [issued.body.qr] }, cert: pki.client });
  expect(batch.body.results.map((r: { decision: string }) => r.decision)).toEqual(['ACCEPT']);
});

describe('a checkpoint request needs a client certificate from the configured CA', () => {
  // The fast path (/v1/verifications), Express (the trailing slash) and a route of every role (/v1/trust/snapshot).
  const targets = [['POST', '/v1/verifications', { qr: 'HT1:AAAA' }], ['POST', '/v1/verifications/', { qr: 'HT1:AAAA' }], ['GET', '/v1/trust/snapshot', undefined]] as const;

  test.each(targets)('%s %s: none → 401 CLIENT_CERTIFICATE_REQUIRED', async (method, path, body) => {
    const r = await httpsCall(method, `${h.url('macau')}${path}`, { token: h.token('macau', 'checkpoint'), body });
    expect(codeOf(r)).toEqual({ status: 401, code: 'CLIENT_CERTIFICATE_REQUIRED' });
    expect(r.body.details).toEqual({ roles: ['checkpoint'] });
  });

  test.each(targets)('%s %s: another CA’s → 401 CLIENT_CERTIFICATE_INVALID', async (method, path, body) => {
    const r = await httpsCall(method, `${h.url('macau')}${path}`, { token: h.token('macau', 'checkpoint'), body, cert: pki.foreignClient });
    expect(codeOf(r)).toEqual({ status: 401, code: 'CLIENT_CERTIFICATE_INVALID' });
    expect(r.body.details).toEqual({ roles: ['checkpoint'], reason: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  test.each(targets)('%s %s: the CA’s client certificate → 200', async (method, path, body) => {
    const r = await httpsCall(method, `${h.url('macau')}${path}`, { token: h.token('macau', 'checkpoint'), body, cert: pki.client });
    expect(r.status).toBe(200);
  });

  test('a certificate of the right CA but not for client authentication → CLIENT_CERTIFICATE_INVALID', async () => {
    const r = await httpsCall('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: 'HT1:AAAA' }, cert: pki.serverAsClient });
    expect(codeOf(r)).toEqual({ status: 401, code: 'CLIENT_CERTIFICATE_INVALID' });
    expect(r.body.details.reason).toBe('INVALID_PURPOSE');
  });

  test('the token is checked first: no token, or the wrong role, is refused as before', async () => {
    expect(codeOf(await httpsCall('POST', `${h.url('macau')}/v1/verifications`, { body: { qr: 'HT1:AAAA' } }))).toEqual({ status: 401, code: 'AUTH_TOKEN_MISSING' });
    expect(codeOf(await httpsCall('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'auditor'), body: { qr: 'HT1:AAAA' } })))
      .toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
  });

  test('a role that needs no certificate admits its requests without one — also when the token grants checkpoint too', async () => {
    expect((await httpsCall('GET', `${h.url('macau')}/v1/trust/snapshot`, { token: h.token('macau', 'auditor') })).status).toBe(200);
    const both = await h.tokenIssuer.mint({ subject: 'https-test-both', audience: gatewayAudience('macau'), roles: ['checkpoint', 'auditor'] });
    expect((await httpsCall('GET', `${h.url('macau')}/v1/trust/snapshot`, { token: both })).status).toBe(200);
    // …but not on a route only the checkpoint role may use.
    expect(codeOf(await httpsCall('POST', `${h.url('macau')}/v1/verifications`, { token: both, body: { qr: 'HT1:AAAA' } })))
      .toEqual({ status: 401, code: 'CLIENT_CERTIFICATE_REQUIRED' });
  });
});

test('public routes answer without a client certificate', async () => {
  for (const path of ['/healthz', '/openapi.json', '/v1/trust/snapshot-keys', '/v1/trust/issuers']) {
    expect([path, (await httpsCall('GET', `${h.url('macau')}${path}`)).status]).toEqual([path, 200]);
  }
  const ready = await httpsCall('GET', `${h.url('macau')}/readyz`);
  expect([200, 503]).toContain(ready.status);
});

test('/openapi.json lists the client-certificate codes on the operations whose roles need one, and only there', async () => {
  const doc = (await httpsCall('GET', `${h.url('macau')}/openapi.json`)).body;
  const codes401 = (path: string, method: string): string[] => doc.paths[path][method].responses['401']['x-error-codes'];
  expect(codes401('/v1/verifications', 'post')).toEqual(expect.arrayContaining(['CLIENT_CERTIFICATE_REQUIRED', 'CLIENT_CERTIFICATE_INVALID']));
  expect(doc.paths['/v1/verifications'].post['x-client-certificate-roles']).toEqual(['checkpoint']);
  expect(codes401('/v1/trust/snapshot', 'get')).toContain('CLIENT_CERTIFICATE_REQUIRED');
  expect(codes401('/v1/credentials', 'post')).not.toContain('CLIENT_CERTIFICATE_REQUIRED');
  expect(doc.paths['/v1/credentials'].post['x-client-certificate-roles']).toBeUndefined();
});

describe('what is not HTTPS is refused cleanly', () => {
  const MARKER = 'zq-https-marker-7731';

  test('a plain HTTP request to the HTTPS port → 400 HTTPS_REQUIRED in plain HTTP, and the gateway serves on', async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: port('macau'), path: `/v1/verifications?${MARKER}`, method: 'GET', agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ code: 'HTTPS_REQUIRED', message: expect.any(String) });
    expect((await httpsCall('GET', `${h.url('macau')}/healthz`)).status).toBe(200);
  });

  test('garbage bytes are dropped; a client that never completes its handshake is cut off within headersTimeoutMs', async () => {
    const closed = (write?: string): Promise<number> => new Promise((resolve) => {
      const start = Date.now();
      const socket = netConnect(port('macau'), '127.0.0.1', () => {
        if (write !== undefined) socket.write(write);
      });
      socket.on('error', () => undefined);
      socket.resume(); // a TLS alert may come first; 'close' needs the end of what was sent to be read
      socket.on('close', () => resolve(Date.now() - start));
    });
    expect(await closed(`\x16\x03\x01\x00\x05${MARKER}`)).toBeLessThan(1500);
    const silent = await closed();
    expect(silent).toBeGreaterThanOrEqual(900);
    expect(silent).toBeLessThan(3000);
    expect((await httpsCall('GET', `${h.url('macau')}/healthz`)).status).toBe(200);
  });

  test('the request bounds hold over TLS: a head not finished in time → 408 REQUEST_TIMEOUT', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: port('macau'), ca: pki.ca }, () => socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-${MARKER}: 1\r\n`));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"REQUEST_TIMEOUT"');
  });

  test('none of it reaches the logs: the handshake failures are logged at debug level with their code only', () => {
    const failures = h.logs.filter((l) => l.includes('https.handshake_failed')).map((l) => JSON.parse(l) as { code: string });
    expect(failures.map((f) => f.code)).toEqual(expect.arrayContaining(['ERR_SSL_HTTP_REQUEST', 'ERR_TLS_HANDSHAKE_TIMEOUT']));
    expect(h.logs.filter((l) => l.includes(MARKER))).toEqual([]);
    // …and not a second time as HTTP parse errors (node:https passes handshake failures on as clientError too).
    expect(h.logs.filter((l) => l.includes('http.client_error') && !l.includes('REQUEST_TIMEOUT'))).toEqual([]);
    expect(h.logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });
});

test('unreadable or mismatched PEM files fail at start with CONFIG_INVALID naming the files, never their contents', () => {
  expect(resolveTlsCredentials({ certFile: pki.server.certFile, keyFile: pki.server.keyFile, requireClientCertificateFor: [], minVersion: 'TLSv1.2' }).cert)
    .toEqual(pki.server.cert);
  expect(() => resolveTlsCredentials({ certFile: join(dir, 'missing.crt'), keyFile: pki.server.keyFile, requireClientCertificateFor: [], minVersion: 'TLSv1.2' }))
    .toThrow(/cannot read http\.tls file .*missing\.crt/);
  let error: GatewayError | undefined;
  try {
    resolveTlsCredentials({ certFile: pki.server.certFile, keyFile: pki.client.keyFile, requireClientCertificateFor: [], minVersion: 'TLSv1.2' });
  } catch (e) {
    error = e as GatewayError;
  }
  expect(error?.code).toBe('CONFIG_INVALID');
  expect(error?.message).toMatch(/do not form a TLS context/);
  expect(error?.message).not.toContain('PRIVATE KEY');
});
