/**
 * An anchor's lifetime (`notAfter`, the latest `exp` of its batch) and what a revocation records of the batch its
 * proof leads to (docs/ledger.md, docs/protocol.md §6 "Live records"), at exact transaction times.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { Anchor, ClientIdentity, LedgerEventPayload, Revocation } from '../src/domain';
import { domainErrorCode, MemoryWorldState, sequentialExecutor } from './memory-world-state';

const GD = 'GuangdongMSP', MO = 'MacauMSP';
const T0 = Date.UTC(2026, 10, 26, 5, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

async function ledger() {
  const ws = new MemoryWorldState();
  /** Runs a transaction at time `at` (default: one second after the previous). */
  const exec = sequentialExecutor(ws, T0);
  await exec({ mspId: GD, role: 'admin' }, 'InitLedger', { members: [{ mspId: GD, jurisdiction: 'guangdong' }, { mspId: MO, jurisdiction: 'macau' }] });
  await exec({ mspId: GD, role: 'admin' }, 'ProposeIssuer', { issuerId: 'gd-hc', displayName: 'GD health code', credentialTypes: ['health-code'] });
  await exec({ mspId: MO, role: 'admin' }, 'ApproveIssuer', { issuerId: 'gd-hc' });
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  await exec({ mspId: GD, role: 'admin' }, 'ProposeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', jwk, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-06-01T00:00:00Z' });
  await exec({ mspId: MO, role: 'admin' }, 'ApproveIssuerKey', { issuerId: 'gd-hc', kid: 'k1' });
  return { ws, exec };
}

const client: ClientIdentity = { mspId: GD, role: 'client' };
const hash = (s: string): string => createHash('sha256').update(s).digest('hex');
/** A two-leaf tree (RFC 6962): its root and the proof of leaf `index`. */
function twoLeaves(seed: string) {
  const leaves = [hash(`${seed}/0`), hash(`${seed}/1`)];
  const root = createHash('sha256').update(Buffer.of(1)).update(Buffer.from(leaves[0]!, 'hex')).update(Buffer.from(leaves[1]!, 'hex')).digest('hex');
  return { root, leaves, proof: (index: 0 | 1) => ({ leafIndex: index, treeSize: 2, path: [leaves[1 - index]!] }) };
}

const code = domainErrorCode;

describe('AnchorBatch notAfter', () => {
  it('is recorded (in the ledger form) and carried by the event; absent, the anchor has none', async () => {
    const { ws, exec } = await ledger();
    const at = T0 + 3_600_000;
    const a = await exec<Anchor>(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: hash('a'), leafCount: 2, notAfter: '2026-11-27T05:00:00Z' }, at);
    expect(a.notAfter).toBe('2026-11-27T05:00:00.000Z');
    const event = ws.effects.find((e) => e.op === 'event') as { payload: string };
    expect((JSON.parse(event.payload) as LedgerEventPayload).records[0]!.value).toEqual(a);
    const b = await exec<Anchor>(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: hash('b'), leafCount: 2 }, at + 1000);
    expect(b).not.toHaveProperty('notAfter');
    expect(await exec(client, 'GetAnchor', { root: hash('a') })).toEqual(a);
  });

  it('may lie at most 900 s before the transaction time and at most 10 years (of 365.25 days) after it', async () => {
    const { exec } = await ledger();
    const at = T0 + 3_600_000;
    const anchor = (root: string, notAfterMs: number) => exec<Anchor>(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: hash(root), leafCount: 1, notAfter: iso(notAfterMs) }, at);
    expect((await anchor('past-edge', at - 900_000)).notAfter).toBe(iso(at - 900_000));
    expect(await code(anchor('past', at - 900_001))).toBe('INVALID_ARGUMENT');
    const tenYears = 10 * 365.25 * 86_400_000;
    expect((await anchor('future-edge', at + tenYears)).notAfter).toBe(iso(at + tenYears));
    expect(await code(anchor('future', at + tenYears + 1))).toBe('INVALID_ARGUMENT');
  });

  it('must be a time that exists, in ISO-8601 UTC', async () => {
    const { exec } = await ledger();
    for (const notAfter of ['2026-02-30T00:00:00Z', '2026-11-27T24:00:00Z', '2026-11-27 05:00:00', 'tomorrow', 1_800_000_000, '']) {
      expect(await code(exec(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: hash(String(notAfter)), leafCount: 1, notAfter }))).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('RevokeCredential records where its proof leads', () => {
  it('root, leaf index and the anchor’s notAfter; an anchor without notAfter gives a revocation without one', async () => {
    const { exec } = await ledger();
    const withLife = twoLeaves('life'), without = twoLeaves('old');
    await exec(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: withLife.root, leafCount: 2, notAfter: '2026-11-27T05:00:00.000Z' });
    await exec(client, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: without.root, leafCount: 2 });
    const r = await exec<Revocation>(client, 'RevokeCredential', { issuerId: 'gd-hc', leafHash: withLife.leaves[1], proof: withLife.proof(1), reason: 'status-change' });
    expect(r).toMatchObject({ root: withLife.root, leafIndex: 1, notAfter: '2026-11-27T05:00:00.000Z' });
    const old = await exec<Revocation>(client, 'RevokeCredential', { issuerId: 'gd-hc', leafHash: without.leaves[0], proof: without.proof(0), reason: 'fraud' });
    expect(old).toMatchObject({ root: without.root, leafIndex: 0 });
    expect(old).not.toHaveProperty('notAfter');
    // Idempotent as before: the second call returns the first record.
    expect(await exec(client, 'RevokeCredential', { issuerId: 'gd-hc', leafHash: withLife.leaves[1], proof: withLife.proof(1), reason: 'fraud' })).toEqual(r);
  });
});
