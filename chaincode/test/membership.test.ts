/**
 * Membership governance beyond what two or three members show: majorities of four, approvals that stop counting when
 * their member is suspended, effective times from the enacting transaction, and new members in every later round.
 */
import { DomainError, executeTransaction } from '../src/domain';
import type { ClientIdentity, Consortium, Issuer, MembershipProposal } from '../src/domain';
import { MemoryWorldState } from './memory-world-state';

const admin = (mspId: string): ClientIdentity => ({ mspId, role: 'admin' });
const names = (en: string) => ({ en, pt: en, 'zh-Hans': '香港', 'zh-Hant': '香港' });

function ledger() {
  const ws = new MemoryWorldState();
  let n = 0;
  const run = async <T>(who: string, tx: string, input: unknown): Promise<T> => {
    const ctx = ws.context(admin(who), `tx${n}`, new Date(Date.UTC(2026, 10, 26, 5, 0, n++)).toISOString());
    const result = (await executeTransaction(ctx, tx, input)) as T;
    ws.commit();
    return result;
  };
  const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
  return { run, code };
}

async function fourMembers() {
  const l = ledger();
  await l.run('AMSP', 'InitLedger', { members: [{ mspId: 'AMSP', jurisdiction: 'a-land' }, { mspId: 'BMSP', jurisdiction: 'b-land' }, { mspId: 'CMSP', jurisdiction: 'c-land' }] });
  await l.run('AMSP', 'ProposeMembershipChange', { action: 'add', mspId: 'DMSP', jurisdiction: 'd-land', displayNames: names('D Land') });
  const enacted = await l.run<MembershipProposal>('BMSP', 'ApproveMembershipChange', { mspId: 'DMSP' });
  return { ...l, joinedAt: enacted.enactedAt! };
}

test('with three active members two approvals admit a fourth, at the enacting transaction’s time', async () => {
  const l = await fourMembers();
  const c = await l.run<Consortium>('CMSP', 'GetConsortium', {});
  expect(c.members.map((m) => m.mspId)).toEqual(['AMSP', 'BMSP', 'CMSP', 'DMSP']);
  expect(c.members[3]).toEqual({ mspId: 'DMSP', jurisdiction: 'd-land', displayNames: names('D Land'), state: 'active', joinedAt: l.joinedAt });
  expect(c.updatedAt).toBe(l.joinedAt);
});

test('with four active members a removal needs three approvals', async () => {
  const l = await fourMembers();
  await l.run('AMSP', 'ProposeMembershipChange', { action: 'remove', mspId: 'DMSP' });
  expect((await l.run<MembershipProposal>('BMSP', 'ApproveMembershipChange', { mspId: 'DMSP' })).state).toBe('open');
  const enacted = await l.run<MembershipProposal>('DMSP', 'ApproveMembershipChange', { mspId: 'DMSP' });
  expect(enacted.state).toBe('enacted');
  const d = (await l.run<Consortium>('AMSP', 'GetConsortium', {})).members.find((m) => m.mspId === 'DMSP');
  expect(d).toMatchObject({ state: 'removed', removedAt: enacted.enactedAt, joinedAt: l.joinedAt });
  expect(await l.code(l.run('DMSP', 'GetConsortium', {}))).toBe('NOT_A_MEMBER');
});

test('an approval stops counting when its member is suspended before the round completes', async () => {
  const l = await fourMembers();
  await l.run('AMSP', 'ProposeMembershipChange', { action: 'add', mspId: 'EMSP', jurisdiction: 'e-land', displayNames: names('E Land') });
  await l.run('BMSP', 'ApproveMembershipChange', { mspId: 'EMSP' });
  expect((await l.run<MembershipProposal>('CMSP', 'ApproveMembershipChange', { mspId: 'EMSP' })).state).toBe('enacted'); // 3 of 4
  // Five active: majority 3. A and B approve E's removal; then B is suspended (A, D, C: 3 of 5).
  await l.run('AMSP', 'ProposeMembershipChange', { action: 'remove', mspId: 'EMSP' });
  await l.run('BMSP', 'ApproveMembershipChange', { mspId: 'EMSP' });
  await l.run('DMSP', 'ProposeMembershipChange', { action: 'suspend', mspId: 'BMSP' });
  await l.run('AMSP', 'ApproveMembershipChange', { mspId: 'BMSP' });
  expect((await l.run<MembershipProposal>('CMSP', 'ApproveMembershipChange', { mspId: 'BMSP' })).state).toBe('enacted');
  expect(await l.code(l.run('BMSP', 'ApproveMembershipChange', { mspId: 'DMSP' }))).toBe('MEMBER_NOT_ACTIVE');
  // Four active (A, C, D, E): majority 3. With B's approval C's would make three; without it, it makes two.
  expect((await l.run<MembershipProposal>('CMSP', 'ApproveMembershipChange', { mspId: 'EMSP' })).state).toBe('open');
  expect((await l.run<MembershipProposal>('DMSP', 'ApproveMembershipChange', { mspId: 'EMSP' })).state).toBe('enacted');
});

test('a new member approves every issuer proposed after it joined; earlier active issuers stay active', async () => {
  const l = ledger();
  await l.run('AMSP', 'InitLedger', { members: [{ mspId: 'AMSP', jurisdiction: 'a-land' }, { mspId: 'BMSP', jurisdiction: 'b-land' }] });
  await l.run('AMSP', 'ProposeIssuer', { issuerId: 'a-old', displayName: 'A issuer', credentialTypes: ['health-code'] });
  await l.run('BMSP', 'ApproveIssuer', { issuerId: 'a-old' });
  await l.run('AMSP', 'ProposeMembershipChange', { action: 'add', mspId: 'CMSP', jurisdiction: 'c-land', displayNames: names('C Land') });
  expect(await l.code(l.run('CMSP', 'ProposeIssuer', { issuerId: 'c-early', displayName: 'C issuer', credentialTypes: ['health-code'] }))).toBe('NOT_A_MEMBER');
  await l.run('BMSP', 'ApproveMembershipChange', { mspId: 'CMSP' });
  expect((await l.run<{ issuer: Issuer }>('CMSP', 'GetIssuer', { issuerId: 'a-old' })).issuer.state).toBe('active');
  await l.run('AMSP', 'ProposeIssuer', { issuerId: 'a-new', displayName: 'A issuer', credentialTypes: ['health-code'] });
  expect((await l.run<Issuer>('BMSP', 'ApproveIssuer', { issuerId: 'a-new' })).state).toBe('proposed');
  expect((await l.run<Issuer>('CMSP', 'ApproveIssuer', { issuerId: 'a-new' })).state).toBe('active');
});
