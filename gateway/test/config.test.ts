import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** Configuration fails fast with every problem listed; every error code maps to an HTTP error status. */
import { CHAINCODE_ERROR_CODES } from '@hutong/chaincode/domain';
import { parseConfig } from '../src/config/config';
import { DEMO_CONSORTIUM, parseConsortium } from '../src/config/consortium';
import { GATEWAY_ERROR_CODES, GatewayError } from '../src/errors/gateway-error';
import { ERROR_STATUS } from '../src/http/error-status';
import { openLedgerBackend } from '../src/config/open-ledger-backend';

const valid = {
  org: { name: 'guangdong', mspId: 'GuangdongMSP', jurisdiction: 'guangdong', displayName: 'Guangdong' },
  ledger: { kind: 'embedded', path: '/tmp/x.sqlite' },
  dataDir: '/tmp/gd',
  auth: { issuer: 'urn:idp', audience: 'urn:gw', jwks: { keys: [{ kty: 'EC' }] } },
};

test('a valid configuration gets its defaults (loopback, batching, outbox)', () => {
  const config = parseConfig(valid);
  expect(config.http).toEqual(expect.objectContaining({ host: '127.0.0.1', port: 0 }));
  expect(config.issuance).toEqual({ maxLeaves: 4096, maxDelayMs: 25, commitWaitMs: 10_000 });
});

test('the ledger configuration has no fault switch: test-only fault injection lives in test code', () => {
  expect(() => parseConfig({ ...valid, ledger: { ...valid.ledger, unavailableWhileFileExists: '/tmp/flag' } })).toThrow(GatewayError);
});

test('an invalid configuration fails with CONFIG_INVALID naming each bad path', () => {
  let error: unknown;
  try {
    parseConfig({ ...valid, org: { ...valid.org, mspId: 'bad msp' }, ledger: { kind: 'carrier-pigeon' }, surprise: true }, 'test.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GatewayError);
  expect((error as GatewayError).code).toBe('CONFIG_INVALID');
  expect((error as GatewayError).message).toMatch(/test\.json is invalid/);
  expect((error as GatewayError).message).toMatch(/org\.mspId/);
  expect((error as GatewayError).message).toMatch(/ledger/);
  expect((error as GatewayError).message).toMatch(/surprise/);
});

test('a Fabric ledger needs a readable connection profile of the gateway’s own organisation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hutong-profile-'));
  try {
    const missing = join(dir, 'missing.json');
    expect(() => openLedgerBackend({ kind: 'fabric', connectionProfile: missing }, 'MacauMSP')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/missing\.json.*npm run network -- up/s) }));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ version: 1, org: 'macau' }));
    expect(() => openLedgerBackend({ kind: 'fabric', connectionProfile: broken }, 'MacauMSP')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/mspId/) }));
    const other = join(dir, 'guangdong.json');
    const peer = { name: 'peer0.guangdong', endpoint: '127.0.0.1:7100', tlsServerName: 'localhost', tlsCaCertPath: '/x/ca.crt' };
    const id = { certPath: '/x/cert.pem', keyPath: '/x/key' };
    writeFileSync(other, JSON.stringify({ version: 1, org: 'guangdong', mspId: 'GuangdongMSP', channel: 'gba', chaincode: 'hutong', peers: [peer], identities: { admin: id, client: id } }));
    expect(() => openLedgerBackend({ kind: 'fabric', connectionProfile: other }, 'MacauMSP')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/GuangdongMSP's, not MacauMSP's/) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a consortium file naming an unknown org is refused', () => {
  expect(() => parseConsortium({ ...DEMO_CONSORTIUM, policies: [{ ...DEMO_CONSORTIUM.policies[0], org: 'atlantis' }] }, 'c.json')).toThrow(/policies\.0\.org: unknown org 'atlantis'/);
});

test('every gateway and chaincode code maps to a 4xx or 5xx status', () => {
  for (const code of [...GATEWAY_ERROR_CODES, ...CHAINCODE_ERROR_CODES]) {
    expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(ERROR_STATUS[code]).toBeLessThan(600);
  }
});

describe('auth: inline keys or a provider’s JWKS URL', () => {
  const auth = { issuer: 'urn:idp', audience: 'urn:gw' };
  const issuesOf = (raw: unknown): string => {
    try {
      parseConfig(raw);
    } catch (e) {
      return (e as GatewayError).message;
    }
    return '';
  };

  test('exactly one of jwks and jwksUrl', () => {
    expect(issuesOf({ ...valid, auth })).toMatch(/auth\.jwks: give exactly one of jwks \(inline keys\) or jwksUrl/);
    expect(issuesOf({ ...valid, auth: { ...valid.auth, jwksUrl: 'https://idp.example.test/jwks' } })).toMatch(/exactly one/);
  });

  test('jwksUrl is https, or http to a loopback address only; fetch defaults are documented numbers', () => {
    const parsed = parseConfig({ ...valid, auth: { ...auth, jwksUrl: 'https://idp.example.test/certs' } });
    expect(parsed.auth.jwksFetch).toEqual({ timeoutMs: 5000, cooldownMs: 30_000, maxAgeMs: 600_000, maxBytes: 256 * 1024 });
    expect(parsed.auth.algorithms).toEqual(['ES256', 'EdDSA']);
    for (const url of ['http://127.0.0.1:8080/certs', 'http://127.8.9.1/certs', 'http://[::1]:9000/certs']) {
      expect([url, issuesOf({ ...valid, auth: { ...auth, jwksUrl: url } })]).toEqual([url, '']);
    }
    for (const url of ['http://idp.example.test/certs', 'http://localhost/certs', 'http://10.0.0.1/certs', 'ftp://127.0.0.1/certs', 'not a url']) {
      expect([url, issuesOf({ ...valid, auth: { ...auth, jwksUrl: url } })]).toEqual([url, expect.stringMatching(/auth\.jwksUrl/)]);
    }
    expect(issuesOf({ ...valid, auth: { ...auth, jwksUrl: 'https://idp.example.test/certs', jwksFetch: { cooldownMs: 700_000 } } })).toMatch(/cooldownMs cannot exceed maxAgeMs/);
  });
});

describe('http.tls', () => {
  test('client certificates for a role need the CA bundle they are verified against; roles are the known ones', () => {
    const tls = { certFile: '/x/server.crt', keyFile: '/x/server.key' };
    expect(parseConfig({ ...valid, http: { tls } }).http.tls).toEqual({ ...tls, requireClientCertificateFor: [], minVersion: 'TLSv1.2' });
    expect(() => parseConfig({ ...valid, http: { tls: { ...tls, requireClientCertificateFor: ['checkpoint'] } } })).toThrow(/http\.tls\.clientCaFile: requireClientCertificateFor needs clientCaFile/);
    expect(() => parseConfig({ ...valid, http: { tls: { ...tls, clientCaFile: '/x/ca.crt', requireClientCertificateFor: ['superuser'] } } })).toThrow(/requireClientCertificateFor/);
  });

});
