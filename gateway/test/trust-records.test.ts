// Ledger records into the SDK's trust index: membership decides whether an issuer is recognised, in whatever order
// the consortium and issuer records arrive — the main thread and every crypto-pool worker apply them the same way.
import { newTrustIndex } from '@hutong/verifier-sdk';
import { putRecord, type TrustRecordsTarget } from '../src/cache/trust-records';

const issuer = (id: string, ownerMsp: string) => ({
  id, ownerMsp, jurisdiction: 'x', displayName: id, credentialTypes: ['health-code'], state: 'active',
  approvals: {}, createdAt: '2026-11-30T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z',
});
const consortium = (members: Array<Record<string, unknown>>) => ({ members, initialisedAt: '2026-11-30T00:00:00.000Z', txId: 't' });
const REMOVED_AT = '2026-11-30T01:00:00.000Z';

function apply(target: TrustRecordsTarget, records: Array<{ type: string; value: unknown }>): void {
  for (const r of records) putRecord(target, { ...r, key: 'k' });
}

test('an issuer of a removed member is recognised until the removal, whichever record came first', () => {
  const removed = consortium([{ mspId: 'GuangdongMSP' }, { mspId: 'MacauMSP' }, { mspId: 'HongKongMSP', removedAt: REMOVED_AT }]);
  const issuerFirst: TrustRecordsTarget = { index: newTrustIndex(0) };
  apply(issuerFirst, [{ type: 'issuer', value: issuer('hk-health', 'HongKongMSP') }, { type: 'issuer', value: issuer('gd-health', 'GuangdongMSP') }, { type: 'consortium', value: removed }]);
  const consortiumFirst: TrustRecordsTarget = { index: newTrustIndex(0) };
  apply(consortiumFirst, [{ type: 'consortium', value: removed }, { type: 'issuer', value: issuer('hk-health', 'HongKongMSP') }, { type: 'issuer', value: issuer('gd-health', 'GuangdongMSP') }]);
  for (const t of [issuerFirst, consortiumFirst]) {
    expect(t.index.recognisedUntilMs.get('hk-health')).toBe(Date.parse(REMOVED_AT));
    expect(t.index.issuers.get('hk-health')?.recognisedUntil).toBe(REMOVED_AT);
    expect(t.index.recognisedUntilMs.has('gd-health')).toBe(false);
  }
});

test('a member suspended and then resumed is recognised again', () => {
  const t: TrustRecordsTarget = { index: newTrustIndex(0) };
  apply(t, [
    { type: 'consortium', value: consortium([{ mspId: 'MacauMSP', suspendedAt: REMOVED_AT }]) },
    { type: 'issuer', value: issuer('mo-health', 'MacauMSP') },
  ]);
  expect(t.index.recognisedUntilMs.get('mo-health')).toBe(Date.parse(REMOVED_AT));
  apply(t, [{ type: 'consortium', value: consortium([{ mspId: 'MacauMSP' }]) }]);
  expect(t.index.recognisedUntilMs.has('mo-health')).toBe(false);
  expect(t.index.issuers.get('mo-health')?.recognisedUntil).toBeUndefined();
});
