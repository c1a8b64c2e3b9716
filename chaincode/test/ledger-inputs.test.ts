/**
 * What a transaction's arguments may carry. Fabric keeps every ordered transaction's arguments in its blocks for
 * ever, so the inputs of every submit transaction are codes, identifiers, hashes, keys, times, counts and a bounded
 * organisation name: free text anywhere is refused before anything is written. Times must name instants that exist.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DomainError, executeTransaction, ISSUER_SUSPENSION_REASONS, KEY_REVOCATION_REASONS, REVOCATION_REASONS, SUBMIT_TRANSACTIONS } from '../src/domain';
import type { ClientIdentity, TxName } from '../src/domain';
import { MemoryWorldState } from './memory-world-state';

const GD: ClientIdentity = { mspId: 'GuangdongMSP', role: 'admin' };
const GDC: ClientIdentity = { mspId: 'GuangdongMSP', role: 'client' };
const MO: ClientIdentity = { mspId: 'MacauMSP', role: 'admin' };
const NOW = '2026-11-26T05:00:00.000Z';
const NAMES = { en: 'Hong Kong', pt: 'Região Administrativa Especial de Hong Kong', 'zh-Hans': '香港特别行政区', 'zh-Hant': '香港特別行政區' };
const ecJwk = (): Record<string, unknown> => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;

/** A ledger with both members, an active Guangdong issuer `gd-hc` with an active key `k1`, and Macau's policy. */
async function ledger() {
  const ws = new MemoryWorldState();
  let n = 0;
  const run = (who: ClientIdentity, tx: string, input: unknown, commit = true): Promise<unknown> => {
    const ctx = ws.context(who, `tx${n++}`, NOW);
    return executeTransaction(ctx, tx, input).then((r) => {
      if (commit) ws.commit();
      return r;
    });
  };
  await run(GD, 'InitLedger', { members: [{ mspId: 'GuangdongMSP', jurisdiction: 'guangdong' }, { mspId: 'MacauMSP', jurisdiction: 'macau' }] });
  await run(GD, 'ProposeIssuer', { issuerId: 'gd-hc', displayName: 'Guangdong Health Code Centre', credentialTypes: ['health-code'] });
  await run(MO, 'ApproveIssuer', { issuerId: 'gd-hc' });
  await run(GD, 'ProposeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', jwk: ecJwk(), validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' });
  await run(MO, 'ApproveIssuerKey', { issuerId: 'gd-hc', kid: 'k1' });
  await run(MO, 'PutRecognitionPolicy', { issuerId: 'gd-hc', credentialType: 'health-code', statusMapping: { green: 'green' }, acceptedStatuses: ['green'], maxAgeSeconds: 3600, validFrom: '2026-01-01T00:00:00Z' });
  // Two credentials anchored as batches of one (root = leaf hash), so that they can be revoked.
  for (const leaf of ['cd', 'ef']) await run(GDC, 'AnchorBatch', { issuerId: 'gd-hc', kid: 'k1', root: leaf.repeat(32), leafCount: 1 });
  await run(GD, 'ProposeMembershipChange', { action: 'add', mspId: 'TaipaMSP', jurisdiction: 'taipa', displayNames: NAMES });
  /** Runs one transaction without committing it; the domain error code, or 'OK'. */
  return async (who: ClientIdentity, tx: string, input: unknown): Promise<string> => {
    try {
      await run(who, tx, input, false);
      return 'OK';
    } catch (e) {
      if (e instanceof DomainError) return e.code;
      throw e;
    }
  };
}

/** A valid input of every submit transaction, with every optional member present, and who sends it. */
const SAMPLES: Array<{ tx: TxName; who: ClientIdentity; input: Record<string, unknown> }> = [
  { tx: 'InitLedger', who: GD, input: { members: [{ mspId: 'GuangdongMSP', jurisdiction: 'guangdong', displayNames: NAMES }, { mspId: 'MacauMSP', jurisdiction: 'macau' }] } },
  { tx: 'ProposeMembershipChange', who: GD, input: { action: 'add', mspId: 'HongKongMSP', jurisdiction: 'hongkong', displayNames: NAMES } },
  { tx: 'ApproveMembershipChange', who: MO, input: { mspId: 'TaipaMSP' } },
  { tx: 'ProposeIssuer', who: GD, input: { issuerId: 'gd-vax', displayName: 'Serviços de Saúde (广东) Nº 2', credentialTypes: ['vaccination'] } },
  { tx: 'ApproveIssuer', who: MO, input: { issuerId: 'gd-hc' } },
  { tx: 'SuspendIssuer', who: GD, input: { issuerId: 'gd-hc', reason: 'compliance-review' } },
  { tx: 'ResumeIssuer', who: GD, input: { issuerId: 'gd-hc' } },
  { tx: 'RetireIssuer', who: GD, input: { issuerId: 'gd-hc' } },
  {
    tx: 'ProposeIssuerKey', who: GD,
    input: { issuerId: 'gd-hc', kid: 'k2', jwk: { ...ecJwk(), alg: 'ES256', use: 'sig', kid: 'k2', key_ops: ['verify'] }, validFrom: '2026-06-01T00:00:00Z', validUntil: '2028-02-29T12:00:00.5Z' },
  },
  { tx: 'ApproveIssuerKey', who: MO, input: { issuerId: 'gd-hc', kid: 'k1' } },
  { tx: 'RevokeIssuerKey', who: GD, input: { issuerId: 'gd-hc', kid: 'k1', reason: 'key-compromise', effectiveAt: '2026-11-25T23:59:59.999Z' } },
  {
    tx: 'PutRecognitionPolicy', who: MO,
    input: { issuerId: 'gd-hc', credentialType: 'health-code', statusMapping: { green: 'green', yellow: 'amber' }, acceptedStatuses: ['green'], maxAgeSeconds: 3600, validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-12-31T23:59:59Z' },
  },
  { tx: 'WithdrawRecognitionPolicy', who: MO, input: { issuerId: 'gd-hc', credentialType: 'health-code' } },
  { tx: 'AnchorBatch', who: GDC, input: { issuerId: 'gd-hc', kid: 'k1', root: 'ab'.repeat(32), leafCount: 4096 } },
  { tx: 'RevokeCredential', who: GDC, input: { issuerId: 'gd-hc', leafHash: 'cd'.repeat(32), reason: 'fraud', proof: { leafIndex: 0, treeSize: 1, path: [] } } },
];

/** What an operator might type into a reason or a name: a person, a document number, a phone number. */
const FREE_TEXT = 'Chen Da Ming, HRP H1234567, tel. +853 6612 3456: called about his code';
/** Short enough for every length bound; still not a code, an identifier, a key or a time. */
const SHORT_TEXT = 'Chen Da Ming';
const REFUSED = ['INVALID_ARGUMENT', 'INVALID_JWK'];

type Path = Array<string | number>;
/** Every string value, every member name and every object of `v`, with its path. */
function* places(v: unknown, path: Path = []): Generator<{ path: Path; kind: 'string' | 'object' }> {
  if (typeof v === 'string') yield { path, kind: 'string' };
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* places(x, [...path, i]);
  else if (v && typeof v === 'object') {
    yield { path, kind: 'object' };
    for (const [k, x] of Object.entries(v)) yield* places(x, [...path, k]);
  }
}
function at(v: unknown, path: Path): Record<string | number, unknown> {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v) as Record<string | number, unknown>;
}
const copy = <T>(v: T): T => structuredClone(v);

describe('submit transactions: free text reaches no block', () => {
  test('the samples cover every submit transaction and are valid', async () => {
    expect(SAMPLES.map((s) => s.tx).sort()).toEqual([...SUBMIT_TRANSACTIONS].sort());
    const exec = await ledger();
    for (const s of SAMPLES) expect({ tx: s.tx, code: await exec(s.who, s.tx, s.input) }).toEqual({ tx: s.tx, code: expect.not.stringMatching(/^INVALID_(ARGUMENT|JWK)$/) });
  });

  test('free text in place of any string, as any member name or as an extra member is refused', async () => {
    const exec = await ledger();
    let checked = 0;
    for (const s of SAMPLES) {
      for (const { path, kind } of places(s.input)) {
        const variants: Array<[string, Record<string, unknown>]> = [];
        if (kind === 'string') {
          for (const text of path.at(-1) === 'displayName' || path.includes('displayNames') ? [FREE_TEXT] : [FREE_TEXT, SHORT_TEXT]) {
            const input = copy(s.input);
            at(input, path.slice(0, -1))[path.at(-1)!] = text;
            variants.push([`${path.join('.')} = ${text}`, input]);
          }
        } else {
          const input = copy(s.input);
          const o = at(input, path);
          const [first] = Object.keys(o);
          o[SHORT_TEXT] = o[first!];
          delete o[first!];
          variants.push([`${path.join('.') || 'input'}: member ${first} renamed`, input]);
          const extra = copy(s.input);
          at(extra, path)['note'] = FREE_TEXT;
          variants.push([`${path.join('.') || 'input'}.note`, extra]);
        }
        for (const [what, input] of variants) {
          expect({ tx: s.tx, what, refused: REFUSED.includes(await exec(s.who, s.tx, input)) }).toEqual({ tx: s.tx, what, refused: true });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test('reasons are codes from their lists, every code accepted', async () => {
    const exec = await ledger();
    for (const reason of ISSUER_SUSPENSION_REASONS) expect(await exec(GD, 'SuspendIssuer', { issuerId: 'gd-hc', reason })).toBe('OK');
    for (const reason of KEY_REVOCATION_REASONS) expect(await exec(GD, 'RevokeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', reason })).toBe('OK');
    for (const reason of REVOCATION_REASONS) expect(await exec(GDC, 'RevokeCredential', { issuerId: 'gd-hc', leafHash: 'ef'.repeat(32), reason, proof: { leafIndex: 0, treeSize: 1, path: [] } })).toBe('OK');
    for (const reason of ['', 'Other', 'key compromise', 'other ', 'superseded'.repeat(2)]) {
      expect(await exec(GD, 'SuspendIssuer', { issuerId: 'gd-hc', reason })).toBe('INVALID_ARGUMENT');
      expect(await exec(GD, 'RevokeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', reason })).toBe('INVALID_ARGUMENT');
    }
    expect(await exec(GD, 'SuspendIssuer', { issuerId: 'gd-hc' })).toBe('INVALID_ARGUMENT');
  });

  test('display names: organisations’ names in Chinese, Portuguese and English; nothing else', async () => {
    const exec = await ledger();
    const propose = (displayName: unknown) => exec(GD, 'ProposeIssuer', { issuerId: 'gd-new', displayName, credentialTypes: ['health-code'] });
    for (const ok of ['广东省健康码中心', '澳門特別行政區政府衛生局', 'Serviços de Saúde de Macau', 'Hong Kong Department of Health', "St. John's Ambulance & Rescue (HK)", 'Centro de Saúde Nº 2 - Ilhas/Taipa', '中山市卫生健康局（中山）', 'Anna·Lee Clinic 2026', 'x'.repeat(100)]) {
      expect({ ok, code: await propose(ok) }).toEqual({ ok, code: 'OK' });
    }
    const bad = [
      '', 'x'.repeat(101), ' Leading', 'Trailing ', 'Double  space', 'Tab\there', 'Line\nbreak', 'Nul\u0000', 'Bell\u0007', 'Del\u007f', 'C1\u0085',
      'Bidi \u202eevil', 'Zero\u200bwidth', 'Combining e\u0301', 'M\u0430\u0441au Health Bureau' /* Cyrillic а, с */, '\u0391thens' /* Greek Α */, 'Emoji \u{1f600}',
      'chen@example.org', 'https://example.org', 'Call 66123456', 'HRP H12345678', 'Case 2026-11-26 12345', 'Semi;colon', 'Quote "x"', '<b>bold</b>', 'Fullwidth Ａ',
      42, null, ['Health'],
    ];
    for (const name of bad) expect({ name, code: await propose(name) }).toEqual({ name, code: 'INVALID_ARGUMENT' });
  });
});

describe('times: every ISO timestamp read from input must name an instant that exists', () => {
  const IMPOSSIBLE = ['2026-02-29T00:00:00Z', '2026-02-30T00:00:00Z', '2026-02-31T12:00:00.000Z', '2026-04-31T00:00:00Z', '2026-06-31T00:00:00Z', '2026-11-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-32T00:00:00Z'];
  const POSSIBLE = ['2028-02-29T00:00:00Z', '2026-12-31T23:59:59.999Z', '2026-04-30T00:00:00Z'];
  const TIME_FIELDS = new Set(['validFrom', 'validUntil', 'effectiveAt', 'from', 'to']);
  const samples = [...SAMPLES, { tx: 'ListAnchors' as TxName, who: GDC, input: { issuerId: 'gd-hc', from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' } }];

  test('impossible dates and times are INVALID_ARGUMENT in every time field; real ones (29 February 2028) pass', async () => {
    const exec = await ledger();
    const fields: string[] = [];
    for (const s of samples) {
      for (const field of Object.keys(s.input).filter((k) => TIME_FIELDS.has(k))) {
        fields.push(`${s.tx}.${field}`);
        for (const time of IMPOSSIBLE) {
          expect({ at: `${s.tx}.${field}`, time, code: await exec(s.who, s.tx, { ...s.input, [field]: time }) }).toEqual({ at: `${s.tx}.${field}`, time, code: 'INVALID_ARGUMENT' });
        }
      }
    }
    expect(fields.sort()).toEqual(['ListAnchors.from', 'ListAnchors.to', 'ProposeIssuerKey.validFrom', 'ProposeIssuerKey.validUntil', 'PutRecognitionPolicy.validFrom', 'PutRecognitionPolicy.validUntil', 'RevokeIssuerKey.effectiveAt']);
    for (const time of POSSIBLE) {
      expect(await exec(GD, 'ProposeIssuerKey', { issuerId: 'gd-hc', kid: 'k3', jwk: ecJwk(), validFrom: '2026-01-01T00:00:00Z', validUntil: time })).toBe('OK');
      expect(await exec(GD, 'RevokeIssuerKey', { issuerId: 'gd-hc', kid: 'k1', reason: 'superseded', effectiveAt: time })).toBe('OK');
    }
  });
});
