/**
 * Both organisations endorse every transaction, so the chaincode must write byte-identical state and events for
 * the same inputs. Properties: whatever the insertion order of object keys in the inputs, every effect (state
 * writes, endorsement metadata, the event) and every result is the same, byte for byte.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, executeTransaction } from '../src/domain';
import type { ClientIdentity } from '../src/domain';
import { MemoryWorldState } from './memory-world-state';

const GD = { mspId: 'GuangdongMSP', role: 'admin' } as const;
const MO = { mspId: 'MacauMSP', role: 'admin' } as const;
const GDC = { mspId: 'GuangdongMSP', role: 'client' } as const;
const JWKS = [
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
  generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }),
];

/** Deep copy with object keys in a permuted order (drawn from `order`). */
function reorder(value: unknown, order: number[], depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => reorder(v, order, depth + 1));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const rotated = entries.map((e, i) => ({ e, rank: order[(i + depth) % order.length] ?? i }));
    rotated.sort((a, b) => a.rank - b.rank);
    return Object.fromEntries(rotated.map(({ e: [k, v] }) => [k, reorder(v, order, depth + 1)]));
  }
  return value;
}

type Step = { who: ClientIdentity; tx: string; input: Record<string, unknown> };

const statusArb = fc.constantFrom('green', 'yellow', 'red', 'amber', 'blue');
const scenarioArb = fc.record({
  issuers: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/), { minLength: 1, maxLength: 3 }),
  types: fc.uniqueArray(fc.constantFrom('health-code', 'vaccination', 'test-record', 'e-licence'), { minLength: 1, maxLength: 4 }),
  mapping: fc.dictionary(statusArb, statusArb, { minKeys: 1, maxKeys: 5 }),
  roots: fc.uniqueArray(fc.stringMatching(/^[0-9a-f]{64}$/), { minLength: 1, maxLength: 4 }),
  maxAge: fc.integer({ min: 1, max: 86400 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function steps(s: Scenario): Step[] {
  const out: Step[] = [{ who: GD, tx: 'InitLedger', input: { members: [{ mspId: 'MacauMSP', jurisdiction: 'macau' }, { mspId: 'GuangdongMSP', jurisdiction: 'guangdong' }] } }];
  s.issuers.forEach((name, i) => {
    const issuerId = `gd-${name}`;
    out.push({ who: GD, tx: 'ProposeIssuer', input: { issuerId, displayName: `Issuer ${i + 1} (广东)`, credentialTypes: s.types } });
    out.push({ who: MO, tx: 'ApproveIssuer', input: { issuerId } });
    out.push({ who: GD, tx: 'ProposeIssuerKey', input: { issuerId, kid: `k${i}`, jwk: JWKS[i % 2], validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00.5Z' } });
    out.push({ who: MO, tx: 'ApproveIssuerKey', input: { issuerId, kid: `k${i}` } });
    const accepted = [...new Set(Object.values(s.mapping))];
    out.push({ who: MO, tx: 'PutRecognitionPolicy', input: { issuerId, credentialType: s.types[0]!, statusMapping: s.mapping, acceptedStatuses: accepted, maxAgeSeconds: s.maxAge, validFrom: '2026-01-01T00:00:00Z' } });
    const root = s.roots[i % s.roots.length]!;
    // A batch of two leaves, `root` and a sibling distinct per issuer; the revocation proves `root` is in it.
    const sibling = `${i}${root.slice(1)}`;
    const batchRoot = createHash('sha256').update(Buffer.concat([Buffer.of(1), Buffer.from(root, 'hex'), Buffer.from(sibling, 'hex')])).digest('hex');
    out.push({ who: GDC, tx: 'AnchorBatch', input: { issuerId, kid: `k${i}`, root: batchRoot, leafCount: 2 } });
    out.push({ who: GDC, tx: 'RevokeCredential', input: { issuerId, leafHash: root, reason: 'superseded', proof: { leafIndex: 0, treeSize: 2, path: [sibling] } } });
    out.push({ who: GD, tx: 'RevokeIssuerKey', input: { issuerId, kid: `k${i}`, reason: 'superseded', effectiveAt: '2026-12-01T00:00:00Z' } });
    out.push({ who: GD, tx: 'SuspendIssuer', input: { issuerId, reason: 'maintenance' } });
  });
  return out;
}

async function run(all: Step[], order: number[]): Promise<string[]> {
  const ws = new MemoryWorldState();
  const transcript: string[] = [];
  let n = 0;
  for (const step of all) {
    const ctx = ws.context(step.who, `tx${n}`, new Date(Date.UTC(2026, 10, 26, 5, 0, n)).toISOString());
    n++;
    const result = await executeTransaction(ctx, step.tx, reorder(step.input, order));
    ws.commit();
    transcript.push(canonicalJson({ result }), JSON.stringify(ws.effects));
  }
  return transcript;
}

describe('determinism of the domain core', () => {
  it('gives byte-identical writes, endorsement metadata, events and results whatever the key order of inputs', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.array(fc.nat(100), { minLength: 1, maxLength: 8 }), async (scenario, order) => {
        const all = steps(scenario);
        const a = await run(all, [0]);
        const b = await run(all, order);
        expect(b).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });

  it('writes state values as canonical JSON with sorted keys', async () => {
    const ws = new MemoryWorldState();
    const ctx = ws.context(GD, 't0', '2026-11-26T05:00:00.000Z');
    await executeTransaction(ctx, 'InitLedger', { members: [{ jurisdiction: 'macau', mspId: 'MacauMSP' }, { mspId: 'GuangdongMSP', jurisdiction: 'guangdong' }] });
    const put = ws.effects.find((e) => e.op === 'put');
    expect(put && put.op === 'put' && put.value).toBe(
      '{"initialisedAt":"2026-11-26T05:00:00.000Z","members":[{"jurisdiction":"guangdong","mspId":"GuangdongMSP"},{"jurisdiction":"macau","mspId":"MacauMSP"}],"txId":"t0"}',
    );
    expect(ws.effects.filter((e) => e.op === 'event')).toHaveLength(1);
  });
});
