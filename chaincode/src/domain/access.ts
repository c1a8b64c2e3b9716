/** Access control by client MSP and NodeOU role. Records belong to one member; others can never write them. */
import { DomainError } from './errors';
import type { Consortium, Member, MemberState } from './model';
import type { TxContext } from './world-state';

/** A member's state; members set by InitLedger before membership governance carry none and are active. */
export function memberState(member: Member): MemberState {
  return member.state ?? 'active';
}

/** The members that govern now: neither suspended nor removed, ordered by MSP id. */
export function activeMembers(consortium: Consortium): Member[] {
  return consortium.members.filter((m) => memberState(m) === 'active');
}

/** Majority of the active members: more than half of them. */
export function majorityOf(consortium: Consortium): number {
  return Math.floor(activeMembers(consortium).length / 2) + 1;
}

/** Any member that has not been removed: a suspended member still reads, so it can see why it is suspended. */
export function requireMember(ctx: TxContext, consortium: Consortium): Member {
  const member = consortium.members.find((m) => m.mspId === ctx.client.mspId);
  if (!member || memberState(member) === 'removed') throw new DomainError('NOT_A_MEMBER', `${ctx.client.mspId} is not a member of the consortium`);
  return member;
}

/** A member that may write: active (a suspended member's writes wait for its resumption). */
export function requireActiveMember(ctx: TxContext, consortium: Consortium): Member {
  const member = requireMember(ctx, consortium);
  if (memberState(member) !== 'active') throw new DomainError('MEMBER_NOT_ACTIVE', `${member.mspId} is ${memberState(member)}: it cannot write`);
  return member;
}

export function requireAdmin(ctx: TxContext, consortium: Consortium): Member {
  const member = requireActiveMember(ctx, consortium);
  if (ctx.client.role !== 'admin') throw new DomainError('ADMIN_REQUIRED', `this transaction needs an admin of ${member.mspId}`);
  return member;
}

/** Submitted by the owner organisation (any role unless `admin` is asked for). */
export function requireOwner(ctx: TxContext, consortium: Consortium, ownerMsp: string, what: string, admin: boolean): void {
  if (admin) requireAdmin(ctx, consortium);
  else requireActiveMember(ctx, consortium);
  if (ctx.client.mspId !== ownerMsp) throw new DomainError('NOT_OWNER', `${what} belongs to ${ownerMsp}; ${ctx.client.mspId} cannot change it`);
}

/** MSP ids whose peers must endorse writes to a record owned by `ownerMsp`: the owner and every other active member. */
export function ownerEndorsers(consortium: Consortium, ownerMsp: string): string[] {
  return [...new Set([ownerMsp, ...activeMembers(consortium).map((m) => m.mspId)])].sort();
}

/** Whether every active member approved (an issuer or key: design principle 2). */
export function allApproved(consortium: Consortium, approvals: Record<string, string>): boolean {
  return activeMembers(consortium).every((m) => approvals[m.mspId] !== undefined);
}
