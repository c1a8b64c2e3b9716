/**
 * A third jurisdiction: a consortium file with Hong Kong added starts three gateways, every issuer needs all three
 * approvals, and Hong Kong's own recognition policy decides at its checkpoint. On a ledger already running with two
 * members, the bootstrap admits Hong Kong by governance (proposal and majority approval).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONSORTIUM, loadConsortium, parseConsortium } from '../../gateway/src/config/consortium';
import { call, healthCode, startEmbeddedHarness } from './harness';

test('Hong Kong joins by configuration and recognises Guangdong codes under its own policy', async () => {
  const consortium = parseConsortium({
    ...DEMO_CONSORTIUM,
    orgs: [...DEMO_CONSORTIUM.orgs, { name: 'hongkong', mspId: 'HongKongMSP', jurisdiction: 'hongkong', displayName: 'Hong Kong', port: 8443 }],
    issuers: [...DEMO_CONSORTIUM.issuers, { id: 'hk-health', org: 'hongkong', displayName: 'Hong Kong Department of Health', credentialTypes: ['health-code'], kid: 'hk-2026-1' }],
    policies: [
      ...DEMO_CONSORTIUM.policies,
      { org: 'hongkong', issuerId: 'gd-health-code', credentialType: 'health-code', statusMapping: { green: 'pass', yellow: 'fail', red: 'fail' }, acceptedStatuses: ['pass'], maxAgeSeconds: 3600 },
    ],
  }, 'three-org consortium');
  const h = await startEmbeddedHarness({ consortium });
  try {
    expect([...h.gateways.keys()]).toEqual(['guangdong', 'macau', 'hongkong']);
    const issuers = await call('GET', `${h.url('hongkong')}/v1/trust/issuers`);
    const gd = issuers.body.issuers.find((i: { issuerId: string }) => i.issuerId === 'gd-health-code');
    expect(gd.state).toBe('active');
    const history = await call('GET', `${h.url('hongkong')}/v1/audit/history?record=issuer&issuerId=gd-health-code`, { token: h.token('hongkong', 'auditor') });
    expect(Object.keys(history.body.history.at(-1).value.approvals).sort()).toEqual(['GuangdongMSP', 'HongKongMSP', 'MacauMSP']);

    const issued = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
    expect(issued.body.anchor.endorsedBy).toEqual(['GuangdongMSP', 'HongKongMSP', 'MacauMSP']);
    const atHk = await call('POST', `${h.url('hongkong')}/v1/verifications`, { token: h.token('hongkong', 'checkpoint'), body: { qr: issued.body.qr } });
    expect(atHk.body).toEqual(expect.objectContaining({ decision: 'ACCEPT', mappedStatus: 'pass' }));
    const hkIssued = await call('POST', `${h.url('hongkong')}/v1/credentials`, { token: h.token('hongkong', 'issuer'), body: healthCode({ issuerId: 'hk-health' }) });
    const atMo = await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: hkIssued.body.qr } });
    expect(atMo.body.reason).toBe('POLICY_NOT_FOUND'); // Macau has not chosen to recognise Hong Kong yet
  } finally {
    await h.dispose();
  }
});

test('Hong Kong joins a running two-member ledger by governance; earlier credentials still verify', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hutong-e2e-hk-'));
  try {
    const two = await startEmbeddedHarness({ home });
    const before = await call('POST', `${two.url('guangdong')}/v1/credentials`, { token: two.token('guangdong', 'issuer'), body: healthCode() });
    await two.dispose();
    const h = await startEmbeddedHarness({ home, consortium: loadConsortium({ HUTONG_CONSORTIUM: 'demo-hongkong' }) });
    try {
      expect(h.bootstrapActions).toEqual(expect.arrayContaining(['ProposeMembershipChange add HongKongMSP', 'ApproveMembershipChange HongKongMSP by MacauMSP']));
      expect(h.bootstrapActions).not.toContain('InitLedger');
      expect((await call('POST', `${h.url('hongkong')}/v1/verifications`, { token: h.token('hongkong', 'checkpoint'), body: { qr: before.body.qr } })).body.decision).toBe('ACCEPT');
      const hk = await call('POST', `${h.url('hongkong')}/v1/credentials`, { token: h.token('hongkong', 'issuer'), body: healthCode({ issuerId: 'hk-health' }) });
      expect((await call('POST', `${h.url('macau')}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr: hk.body.qr } })).body.decision).toBe('ACCEPT');
      expect((await call('POST', `${h.url('guangdong')}/v1/verifications`, { token: h.token('guangdong', 'checkpoint'), body: { qr: hk.body.qr } })).body.decision).toBe('ACCEPT');
    } finally {
      await h.dispose();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
