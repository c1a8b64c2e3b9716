/** Access control by client MSP and NodeOU role. Records belong to one member; others can never write them. */
import { DomainError } from './errors';
import type { Consortium, Member } from './model';
import type { TxContext } from './world-state';

export function requireMember(ctx: TxContext, consortium: Consortium): Member {
  const member = consortium.members.find((m) => m.mspId === ctx.client.mspId);
  if (!member) throw new DomainError('NOT_A_MEMBER', `${ctx.client.mspId} is not a member of the consortium`);
  return member;
}

export function requireAdmin(ctx: TxContext, consortium: Consortium): Member {
  const member = requireMember(ctx, consortium);
  if (ctx.client.role !== 'admin') throw new DomainError('ADMIN_REQUIRED', `this transaction needs an admin of ${member.mspId}`);
  return member;
}

/** Submitted by the owner organisation (any role unless `admin` is asked for). */
export function requireOwner(ctx: TxContext, consortium: Consortium, ownerMsp: string, what: string, admin: boolean): void {
  if (admin) requireAdmin(ctx, consortium);
  else requireMember(ctx, consortium);
  if (ctx.client.mspId !== ownerMsp) throw new DomainError('NOT_OWNER', `${what} belongs to ${ownerMsp}; ${ctx.client.mspId} cannot change it`);
}

/** MSP ids whose peers must endorse writes to a record owned by `ownerMsp`: the owner and every other member. */
export function ownerEndorsers(consortium: Consortium, ownerMsp: string): string[] {
  return [...new Set([ownerMsp, ...consortium.members.map((m) => m.mspId)])].sort();
}

export function allApproved(consortium: Consortium, approvals: Record<string, string>): boolean {
  return consortium.members.every((m) => approvals[m.mspId] !== undefined);
}
