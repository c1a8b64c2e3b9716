/**
 * Membership as governance: admitting, suspending, resuming and removing a member organisation. An admin of an
 * active member proposes; the change is enacted by the approval that makes a majority of the members active at that
 * moment, at that transaction's time. A suspended or removed member's records stay as they are (the ledger's history
 * is never rewritten); its issuers stop being recognised from the effective time (`suspendedAt` / `removedAt`).
 */
import type { z } from 'zod';
import { activeMembers, majorityOf, memberState, requireAdmin, requireMember } from './access';
import { DomainError } from './errors';
import type { MembershipRefInput, ProposeMembershipChangeInput } from './inputs';
import type { Consortium, Member, MembershipProposal } from './model';
import { emit, keys, loadConsortium, readRecord, writeRecord } from './records';
import type { TxContext } from './world-state';

/** Fewest active members a change may leave: governance by majority needs someone to disagree with. */
const MIN_ACTIVE_MEMBERS = 2;

function byMsp(a: Member, b: Member): number {
  return a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0;
}

/** Approvals that count: those of members active now (a member suspended since approving no longer counts). */
function countedApprovals(consortium: Consortium, proposal: MembershipProposal): number {
  return activeMembers(consortium).filter((m) => proposal.approvals[m.mspId] !== undefined).length;
}

/** The consortium after `proposal` takes effect at `at`; refuses a change the current membership does not allow. */
function applyChange(consortium: Consortium, proposal: MembershipProposal, at: string): Consortium {
  const existing = consortium.members.find((m) => m.mspId === proposal.mspId);
  let members: Member[];
  if (proposal.action === 'add') {
    if (existing) throw new DomainError('MEMBER_EXISTS', `${proposal.mspId} is already listed in the consortium (${memberState(existing)})`);
    if (consortium.members.some((m) => m.jurisdiction === proposal.jurisdiction && memberState(m) !== 'removed')) {
      throw new DomainError('MEMBER_EXISTS', `jurisdiction '${proposal.jurisdiction}' already has a member`);
    }
    const added: Member = { mspId: proposal.mspId, jurisdiction: proposal.jurisdiction ?? '', state: 'active', joinedAt: at };
    if (proposal.displayNames) added.displayNames = proposal.displayNames;
    members = [...consortium.members, added].sort(byMsp);
  } else {
    if (!existing || memberState(existing) === 'removed') throw new DomainError('MEMBER_NOT_FOUND', `${proposal.mspId} is not a member`);
    const state = memberState(existing);
    const next: Member = { ...existing };
    if (proposal.action === 'suspend') {
      if (state !== 'active') throw new DomainError('INVALID_STATE_TRANSITION', `${proposal.mspId} is ${state}, not active`);
      Object.assign(next, { state: 'suspended', suspendedAt: at });
    } else if (proposal.action === 'resume') {
      if (state !== 'suspended') throw new DomainError('INVALID_STATE_TRANSITION', `${proposal.mspId} is ${state}, not suspended`);
      next.state = 'active';
      delete next.suspendedAt;
    } else {
      Object.assign(next, { state: 'removed', removedAt: at });
    }
    members = consortium.members.map((m) => (m.mspId === next.mspId ? next : m));
  }
  const after: Consortium = { ...consortium, members, updatedAt: at };
  if (activeMembers(after).length < MIN_ACTIVE_MEMBERS) {
    throw new DomainError('INVALID_STATE_TRANSITION', `${proposal.action} of ${proposal.mspId} would leave fewer than ${MIN_ACTIVE_MEMBERS} active members`);
  }
  return after;
}

/** Saves the proposal and, once a majority approved, the consortium it changes: one event carries both. */
async function saveProposal(ctx: TxContext, tx: string, consortium: Consortium, proposal: MembershipProposal): Promise<MembershipProposal> {
  if (countedApprovals(consortium, proposal) < majorityOf(consortium)) {
    await writeRecord(ctx, keys.membership(proposal.mspId), proposal);
    emit(ctx, tx, [{ type: 'membership', value: proposal }]);
    return proposal;
  }
  const after = applyChange(consortium, proposal, ctx.timestamp);
  const enacted: MembershipProposal = { ...proposal, state: 'enacted', enactedAt: ctx.timestamp };
  await writeRecord(ctx, keys.membership(proposal.mspId), enacted);
  await writeRecord(ctx, keys.consortium(), after);
  // Membership changes need every active member's peers, as the consortium's first writing (InitLedger) did.
  await ctx.state.setKeyEndorsement(keys.consortium(), activeMembers(after).map((m) => m.mspId));
  emit(ctx, tx, [
    { type: 'membership', value: enacted },
    { type: 'consortium', value: after },
  ]);
  return enacted;
}

export async function proposeMembershipChange(ctx: TxContext, input: z.output<typeof ProposeMembershipChangeInput>): Promise<MembershipProposal> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  const previous = await readRecord<MembershipProposal>(ctx, keys.membership(input.mspId));
  if (previous?.state === 'open') throw new DomainError('PROPOSAL_EXISTS', `a ${previous.action} proposal for ${input.mspId} is open since ${previous.createdAt}`);
  const proposal: MembershipProposal = {
    mspId: input.mspId,
    action: input.action,
    ...(input.action === 'add' ? { jurisdiction: input.jurisdiction, displayNames: input.displayNames } : {}),
    proposedBy: member.mspId,
    approvals: { [member.mspId]: ctx.timestamp },
    state: 'open',
    createdAt: ctx.timestamp,
    updatedAt: ctx.timestamp,
    txId: ctx.txId,
  };
  // Refused now rather than at the last approval: a change that cannot apply would only block the MSP id.
  applyChange(consortium, proposal, ctx.timestamp);
  return saveProposal(ctx, 'ProposeMembershipChange', consortium, proposal);
}

export async function approveMembershipChange(ctx: TxContext, input: z.output<typeof MembershipRefInput>): Promise<MembershipProposal> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  const proposal = await readRecord<MembershipProposal>(ctx, keys.membership(input.mspId));
  if (!proposal || proposal.state !== 'open') throw new DomainError('PROPOSAL_NOT_FOUND', `no membership proposal for ${input.mspId} is open`);
  if (proposal.approvals[member.mspId] !== undefined) throw new DomainError('ALREADY_APPROVED', `${member.mspId} already approved the ${proposal.action} of ${input.mspId}`);
  const approvals = { ...proposal.approvals, [member.mspId]: ctx.timestamp };
  return saveProposal(ctx, 'ApproveMembershipChange', consortium, { ...proposal, approvals, updatedAt: ctx.timestamp, txId: ctx.txId });
}

/** The current (or last enacted) membership proposal for an MSP id. */
export async function getMembershipProposal(ctx: TxContext, input: z.output<typeof MembershipRefInput>): Promise<MembershipProposal> {
  requireMember(ctx, await loadConsortium(ctx));
  const proposal = await readRecord<MembershipProposal>(ctx, keys.membership(input.mspId));
  if (!proposal) throw new DomainError('PROPOSAL_NOT_FOUND', `no membership proposal for ${input.mspId} was ever made`);
  return proposal;
}
