/** Domain-core behaviour that the two-member conformance suite cannot reach, and the pure building blocks. */
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { ChaincodeStub } from 'fabric-shim';
import { canonicalJson, compositeKey, DomainError, executeTransaction, parseChaincodeErrorCode, splitCompositeKey } from '../src/domain';
import type { ClientIdentity, Issuer, IssuerKey } from '../src/domain';
import { domainErrorCode, MemoryWorldState, sequentialExecutor } from './memory-world-state';

const THREE = [
  { mspId: 'GuangdongMSP', jurisdiction: 'guangdong' },
  { mspId: 'MacauMSP', jurisdiction: 'macau' },
  { mspId: 'HongKongMSP', jurisdiction: 'hongkong' },
];
const admin = (mspId: string): ClientIdentity => ({ mspId, role: 'admin' });

async function ledger() {
  const ws = new MemoryWorldState();
  const exec = sequentialExecutor(ws, Date.UTC(2026, 10, 26, 5, 0, 0));
  await exec(admin('HongKongMSP'), 'InitLedger', { members: THREE });
  return { ws, exec };
}

const code = domainErrorCode;

describe('governance with a third member (configuration, not code)', () => {
  it('needs every other member’s approval; a repeated approval is ALREADY_APPROVED', async () => {
    const { ws, exec } = await ledger();
    await exec(admin('GuangdongMSP'), 'ProposeIssuer', { issuerId: 'gd-hc', displayName: 'GD health code', credentialTypes: ['health-code'] });
    const endorse = ws.effects.find((e) => e.op === 'endorse');
    expect(endorse).toEqual({ op: 'endorse', key: compositeKey('issuer', ['gd-hc']), msps: ['GuangdongMSP', 'HongKongMSP', 'MacauMSP'] });
    const once = await exec<Issuer>(admin('MacauMSP'), 'ApproveIssuer', { issuerId: 'gd-hc' });
    expect(once.state).toBe('proposed');
    expect(await code(exec(admin('MacauMSP'), 'ApproveIssuer', { issuerId: 'gd-hc' }))).toBe('ALREADY_APPROVED');
    const twice = await exec<Issuer>(admin('HongKongMSP'), 'ApproveIssuer', { issuerId: 'gd-hc' });
    expect(twice.state).toBe('active');
    const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    await exec(admin('GuangdongMSP'), 'ProposeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', jwk, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' });
    expect((await exec<IssuerKey>(admin('HongKongMSP'), 'ApproveIssuerKey', { issuerId: 'gd-hc', kid: 'k1' })).state).toBe('proposed');
    expect(await code(exec(admin('HongKongMSP'), 'ApproveIssuerKey', { issuerId: 'gd-hc', kid: 'k1' }))).toBe('ALREADY_APPROVED');
    expect((await exec<IssuerKey>(admin('MacauMSP'), 'ApproveIssuerKey', { issuerId: 'gd-hc', kid: 'k1' })).state).toBe('active');
  });

  it('a domain failure writes nothing and emits no event', async () => {
    const { ws } = await ledger();
    const ctx = ws.context(admin('MacauMSP'), 'bad', '2026-11-26T06:00:00.000Z');
    await expect(executeTransaction(ctx, 'ApproveIssuer', { issuerId: 'missing' })).rejects.toMatchObject({ code: 'ISSUER_NOT_FOUND' });
    expect(ws.effects).toEqual([]);
  });
});

describe('error codes inside messages', () => {
  it('are found after any wrapping, and only known codes count', () => {
    const e = new DomainError('ANCHOR_EXISTS', 'root already anchored');
    expect(e.message).toBe('[ANCHOR_EXISTS] root already anchored');
    expect(parseChaincodeErrorCode(`10 ABORTED: failed to endorse transaction, see attached details for more info: chaincode response 500, ${e.message}`)).toBe('ANCHOR_EXISTS');
    expect(parseChaincodeErrorCode('[NOT_A_CODE] [KEY_NOT_FOUND] x')).toBe('KEY_NOT_FOUND');
    expect(parseChaincodeErrorCode('plain failure')).toBeUndefined();
  });
});

describe('canonical JSON', () => {
  it('is independent of key insertion order and round-trips', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reversed = JSON.parse(text, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
        expect(canonicalJson(reversed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined] })).toBe('{"b":1,"c":[null]}');
  });
});

describe('composite keys', () => {
  it('are laid out exactly as fabric-shim lays them out', () => {
    const stub = Object.create(ChaincodeStub.prototype) as ChaincodeStub;
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z]{1,12}$/), fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\u0000')), { maxLength: 4 }), (type, attrs) => {
        const key = compositeKey(type, attrs);
        expect(key).toBe(stub.createCompositeKey(type, attrs));
        expect(splitCompositeKey(key)).toEqual({ objectType: type, attributes: attrs });
      }),
    );
    expect(() => compositeKey('a', ['x\u0000y'])).toThrow(TypeError);
    expect(() => compositeKey('a', [''])).toThrow(TypeError);
    expect(() => stub.createCompositeKey('a', [''])).toThrow();
  });
});

describe('anchoring under a key near its revocation (the ledger time window)', () => {
  it('is refused from one window (900 s) before the revocation time, so no backdated anchor passes', async () => {
    const { ws, exec } = await ledger();
    const at = (who: ClientIdentity, tx: string, input: unknown, timestamp: string) => {
      const ctx = ws.context(who, `${tx}-${timestamp}`, timestamp);
      return executeTransaction(ctx, tx, input).then((r) => { ws.commit(); return r; });
    };
    await exec(admin('GuangdongMSP'), 'ProposeIssuer', { issuerId: 'gd-hc', displayName: 'GD health code', credentialTypes: ['health-code'] });
    await exec(admin('MacauMSP'), 'ApproveIssuer', { issuerId: 'gd-hc' });
    await exec(admin('HongKongMSP'), 'ApproveIssuer', { issuerId: 'gd-hc' });
    const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    for (const kid of ['k1', 'k2']) {
      await exec(admin('GuangdongMSP'), 'ProposeIssuerKey', { issuerId: 'gd-hc', kid, jwk, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' });
      await exec(admin('MacauMSP'), 'ApproveIssuerKey', { issuerId: 'gd-hc', kid });
      await exec(admin('HongKongMSP'), 'ApproveIssuerKey', { issuerId: 'gd-hc', kid });
    }
    const client = { mspId: 'GuangdongMSP', role: 'client' } as const;
    const root = (n: number) => n.toString(16).padStart(64, '0');
    // k1 revoked from 10:00 (a scheduled rotation, written at 06:00).
    await at(admin('GuangdongMSP'), 'RevokeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', reason: 'superseded', effectiveAt: '2026-11-26T10:00:00Z' }, '2026-11-26T06:00:00.000Z');
    expect(await code(at(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: root(1), leafCount: 1 }, '2026-11-26T09:44:59.999Z'))).toBeUndefined();
    expect(await code(at(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: root(2), leafCount: 1 }, '2026-11-26T09:45:00.000Z'))).toBe('KEY_NOT_ACTIVE');
    // k2 revoked at once at 11:00; an anchor stamped 20 s earlier (a client clock set back) is refused.
    await at(admin('GuangdongMSP'), 'RevokeIssuerKey', { issuerId: 'gd-hc', kid: 'k2', reason: 'key-compromise' }, '2026-11-26T11:00:00.000Z');
    expect(await code(at(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k2', root: root(3), leafCount: 1 }, '2026-11-26T10:59:40.000Z'))).toBe('KEY_NOT_ACTIVE');
    expect(await code(at(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k2', root: root(4), leafCount: 1 }, '2026-11-26T10:44:59.999Z'))).toBeUndefined();
  });
});
