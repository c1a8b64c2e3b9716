// Result details of docs/protocol.md §7.1 that the vectors (decision and reason only) do not carry, and the live
// index's replacement by identity (§6), which a snapshot document refuses.
import { indexTrust, newTrustIndex, newVerifierOnIndex, putAnchor, putPolicy, verify } from '@hutong/verifier-sdk';
import { buildCases } from './cases';

let built: Awaited<ReturnType<typeof buildCases>>;
beforeAll(async () => { built = await buildCases(); });
const valid = () => built.cases.find((c) => c.name === 'valid ES256 health code (batch of 5)')!;
const at = (ms: number) => new Date(Date.parse(built.base.generatedAt) + ms);

test('snapshotAgeSeconds: whole seconds rounded down, 0 for a snapshot from the future within the skew, -1 when unusable', async () => {
  const age = async (ms: number, trust = built.base) => (await verify(valid().qr, { trust, jurisdiction: 'MacauMSP', now: at(ms) })).snapshotAgeSeconds;
  expect(await age(3600_999)).toBe(3600);
  expect(await age(999)).toBe(0);
  expect(await age(-1)).toBe(0);
  expect(await age(-60_000)).toBe(0);
  expect(await age(-60_001)).toBe(-1); // beyond the skew: SNAPSHOT_INVALID
  expect(await age(86_400_001)).toBe(86_400); // stale is still an age
  expect(await age(0, { ...built.base, version: 2 as 1 })).toBe(-1);
});

test('a revocation reports its revokedAt, even one after now', async () => {
  const c = built.cases.find((x) => x.name === 'credential revocation dated after now still rejects')!;
  const r = await verify(c.qr, { trust: c.trust!, jurisdiction: 'MacauMSP', now: new Date(c.now) });
  expect(r).toMatchObject({ reason: 'CREDENTIAL_REVOKED', revocation: { revokedAt: c.trust!.revocations.find((x) => x.leafHash === r.evidence!.leafHash)!.revokedAt, reason: 'status-change' } });
  expect(Date.parse(r.revocation!.revokedAt)).toBeGreaterThan(Date.parse(c.now));
});

test('a live index replaces a record of the same identity; the same records as a snapshot are refused', async () => {
  const anchor = built.base.anchors[0]!;
  const index = indexTrust(built.base);
  putAnchor(index, { ...anchor, issuerId: 'mo-ssm' });
  putAnchor(index, anchor); // the same root again: replaces, one anchor per root
  expect([...index.anchors.values()].filter((a) => a.record.root === anchor.root)).toHaveLength(1);
  const p = built.base.policies[0]!;
  putPolicy(index, { ...p, version: 2, withdrawn: true });
  putPolicy(index, { ...p, version: 2 }); // same identity (with version): replaces
  const r = await newVerifierOnIndex(index, { jurisdiction: 'MacauMSP' }).verify(valid().qr, { now: new Date(valid().now) });
  expect(r.reason).toBe('ACCEPTED');
  expect(() => indexTrust({ ...built.base, anchors: [...built.base.anchors, anchor] })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
  expect(() => indexTrust({ ...built.base, policies: [p, { ...p, withdrawn: true }] })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
  expect(() => putAnchor(newTrustIndex(0), { ...anchor, issuerId: '' })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
});

test('the SDK checks the members of the validity table of docs/protocol.md §6.1, no more, no fewer', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { SNAPSHOT_TABLE } = await import('../src/trust-index');
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'protocol.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### 6.1 Validity'), doc.indexOf('### 6.2'));
  const documented: Record<string, string[]> = {};
  for (const [, record, members, type] of section.matchAll(/^\| (\w+) \| (`[^|]+) \| ([^|]+) \|$/gm)) {
    if (type!.startsWith('array whose every element')) continue; // the five lists: checked as lists of records
    (documented[record!] ??= []).push(...members!.split(', ').map((m) => m.replace(/`/g, '')));
  }
  const checked = Object.fromEntries(Object.entries(SNAPSHOT_TABLE).map(([record, table]) => [record, Object.keys(table).sort()]));
  expect(Object.fromEntries(Object.entries(documented).map(([r, m]) => [r, m.sort()]))).toEqual(checked);
});
