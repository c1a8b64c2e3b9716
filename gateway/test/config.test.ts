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
