/**
 * Trust governance: the consortium, issuers and issuer keys. An issuer or key becomes trusted only after its own
 * organisation proposes it and every other member approves it (design principle 2).
 */
import { allApproved, ownerEndorsers, requireAdmin, requireOwner } from './access';
import { DomainError } from './errors';
import type { z } from 'zod';
import type {
  InitLedgerInput,
  IssuerRefInput,
  KeyRefInput,
  ProposeIssuerInput,
  ProposeIssuerKeyInput,
  RevokeIssuerKeyInput,
  SuspendIssuerInput,
} from './inputs';
import { parsePublicJwk } from './jwk';
import { oneWindowBefore } from './ledger-time-window';
import type { Consortium, Issuer, IssuerKey } from './model';
import { emit, keys, loadConsortium, loadIssuer, loadKey, readRecord, writeRecord } from './records';
import type { TxContext } from './world-state';

type In<S extends z.ZodType> = z.output<S>;

export async function initLedger(ctx: TxContext, input: In<typeof InitLedgerInput>): Promise<Consortium> {
  if (await readRecord<Consortium>(ctx, keys.consortium())) throw new DomainError('ALREADY_INITIALISED', 'the consortium is already set');
  const members = [...input.members].sort((a, b) => (a.mspId < b.mspId ? -1 : a.mspId > b.mspId ? 1 : 0));
  if (!members.some((m) => m.mspId === ctx.client.mspId)) {
    throw new DomainError('NOT_A_MEMBER', `${ctx.client.mspId} must be one of the members it declares`);
  }
  if (ctx.client.role !== 'admin') throw new DomainError('ADMIN_REQUIRED', 'InitLedger needs an admin');
  const consortium: Consortium = { members, initialisedAt: ctx.timestamp, txId: ctx.txId };
  await writeRecord(ctx, keys.consortium(), consortium);
  await ctx.state.setKeyEndorsement(keys.consortium(), members.map((m) => m.mspId));
  emit(ctx, 'InitLedger', [{ type: 'consortium', value: consortium }]);
  return consortium;
}

async function saveIssuer(ctx: TxContext, tx: string, issuer: Issuer): Promise<Issuer> {
  await writeRecord(ctx, keys.issuer(issuer.id), issuer);
  emit(ctx, tx, [{ type: 'issuer', value: issuer }]);
  return issuer;
}

export async function proposeIssuer(ctx: TxContext, input: In<typeof ProposeIssuerInput>): Promise<Issuer> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  if (await readRecord<Issuer>(ctx, keys.issuer(input.issuerId))) {
    throw new DomainError('ISSUER_EXISTS', `issuer '${input.issuerId}' is already registered`);
  }
  const issuer: Issuer = {
    id: input.issuerId,
    ownerMsp: member.mspId,
    jurisdiction: member.jurisdiction,
    displayName: input.displayName,
    ...(input.displayNames ? { displayNames: input.displayNames } : {}),
    credentialTypes: [...new Set(input.credentialTypes)].sort(),
    state: 'proposed',
    approvals: { [member.mspId]: ctx.timestamp },
    createdAt: ctx.timestamp,
    updatedAt: ctx.timestamp,
  };
  await ctx.state.setKeyEndorsement(keys.issuer(issuer.id), ownerEndorsers(consortium, member.mspId));
  return saveIssuer(ctx, 'ProposeIssuer', issuer);
}

/** Approval by an admin of another member; the last approval makes the issuer active. */
export async function approveIssuer(ctx: TxContext, input: In<typeof IssuerRefInput>): Promise<Issuer> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  const issuer = await loadIssuer(ctx, input.issuerId);
  if (issuer.ownerMsp === member.mspId) throw new DomainError('OWNER_CANNOT_APPROVE', 'the owner approves by proposing; another member must approve');
  if (issuer.state !== 'proposed') throw new DomainError('INVALID_STATE_TRANSITION', `issuer '${issuer.id}' is ${issuer.state}, not proposed`);
  if (issuer.approvals[member.mspId] !== undefined) throw new DomainError('ALREADY_APPROVED', `${member.mspId} already approved '${issuer.id}'`);
  const approvals = { ...issuer.approvals, [member.mspId]: ctx.timestamp };
  const state = allApproved(consortium, approvals) ? 'active' : 'proposed';
  return saveIssuer(ctx, 'ApproveIssuer', { ...issuer, approvals, state, updatedAt: ctx.timestamp });
}

export async function suspendIssuer(ctx: TxContext, input: In<typeof SuspendIssuerInput>): Promise<Issuer> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, true);
  if (issuer.state !== 'active') throw new DomainError('INVALID_STATE_TRANSITION', `only an active issuer can be suspended ('${issuer.id}' is ${issuer.state})`);
  return saveIssuer(ctx, 'SuspendIssuer', { ...issuer, state: 'suspended', reason: input.reason, updatedAt: ctx.timestamp });
}

/** Resuming needs the other members again: the owner's request restarts the approval round. */
export async function resumeIssuer(ctx: TxContext, input: In<typeof IssuerRefInput>): Promise<Issuer> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, true);
  if (issuer.state !== 'suspended') throw new DomainError('INVALID_STATE_TRANSITION', `only a suspended issuer can be resumed ('${issuer.id}' is ${issuer.state})`);
  const approvals = { [issuer.ownerMsp]: ctx.timestamp };
  const state = allApproved(consortium, approvals) ? 'active' : 'proposed';
  return saveIssuer(ctx, 'ResumeIssuer', { ...issuer, state, approvals, updatedAt: ctx.timestamp });
}

export async function retireIssuer(ctx: TxContext, input: In<typeof IssuerRefInput>): Promise<Issuer> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, true);
  if (issuer.state === 'retired') throw new DomainError('INVALID_STATE_TRANSITION', `issuer '${issuer.id}' is already retired`);
  return saveIssuer(ctx, 'RetireIssuer', { ...issuer, state: 'retired', updatedAt: ctx.timestamp });
}

async function saveKey(ctx: TxContext, tx: string, key: IssuerKey): Promise<IssuerKey> {
  await writeRecord(ctx, keys.issuerKey(key.issuerId, key.kid), key);
  emit(ctx, tx, [{ type: 'issuerKey', value: key }]);
  return key;
}

/** Registers a key (first key or a rotation) through the same propose/approve path as issuers. */
export async function proposeIssuerKey(ctx: TxContext, input: In<typeof ProposeIssuerKeyInput>): Promise<IssuerKey> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, true);
  if (issuer.state === 'retired') throw new DomainError('ISSUER_NOT_ACTIVE', `issuer '${issuer.id}' is retired`);
  if (input.validUntil <= input.validFrom) throw new DomainError('INVALID_ARGUMENT', 'validUntil must be after validFrom');
  if (await readRecord<IssuerKey>(ctx, keys.issuerKey(issuer.id, input.kid))) {
    throw new DomainError('KEY_EXISTS', `issuer '${issuer.id}' already has key '${input.kid}' (kids are never reused)`);
  }
  const { jwk, alg } = parsePublicJwk(input.jwk);
  const approvals = { [issuer.ownerMsp]: ctx.timestamp };
  const active = allApproved(consortium, approvals);
  const key: IssuerKey = {
    issuerId: issuer.id,
    kid: input.kid,
    jwk,
    alg,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    state: active ? 'active' : 'proposed',
    approvals,
    createdAt: ctx.timestamp,
    updatedAt: ctx.timestamp,
    ...(active ? { activatedAt: ctx.timestamp } : {}),
  };
  await ctx.state.setKeyEndorsement(keys.issuerKey(key.issuerId, key.kid), ownerEndorsers(consortium, issuer.ownerMsp));
  return saveKey(ctx, 'ProposeIssuerKey', key);
}

export async function approveIssuerKey(ctx: TxContext, input: In<typeof KeyRefInput>): Promise<IssuerKey> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  const issuer = await loadIssuer(ctx, input.issuerId);
  const key = await loadKey(ctx, input.issuerId, input.kid);
  if (issuer.ownerMsp === member.mspId) throw new DomainError('OWNER_CANNOT_APPROVE', 'the owner approves by proposing; another member must approve');
  if (key.state !== 'proposed') throw new DomainError('INVALID_STATE_TRANSITION', `key '${key.kid}' is ${key.state}, not proposed`);
  if (key.approvals[member.mspId] !== undefined) throw new DomainError('ALREADY_APPROVED', `${member.mspId} already approved key '${key.kid}'`);
  const approvals = { ...key.approvals, [member.mspId]: ctx.timestamp };
  if (!allApproved(consortium, approvals)) return saveKey(ctx, 'ApproveIssuerKey', { ...key, approvals, updatedAt: ctx.timestamp });
  return saveKey(ctx, 'ApproveIssuerKey', { ...key, approvals, state: 'active', activatedAt: ctx.timestamp, updatedAt: ctx.timestamp });
}

/**
 * Revokes a key from `effectiveAt` (default: now). Credentials anchored before that time stay valid: the ledger's
 * timestamps prove they existed while the key was trustworthy. A second revocation may only move the time earlier.
 */
export async function revokeIssuerKey(ctx: TxContext, input: In<typeof RevokeIssuerKeyInput>): Promise<IssuerKey> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, true);
  const key = await loadKey(ctx, input.issuerId, input.kid);
  const effectiveAt = input.effectiveAt ?? ctx.timestamp;
  if (key.revokedAt !== undefined && effectiveAt >= key.revokedAt) {
    throw new DomainError('INVALID_STATE_TRANSITION', `key '${key.kid}' is already revoked from ${key.revokedAt}; a new revocation may only be earlier`);
  }
  return saveKey(ctx, 'RevokeIssuerKey', {
    ...key,
    state: 'revoked',
    revokedAt: effectiveAt,
    revocationReason: input.reason,
    updatedAt: ctx.timestamp,
  });
}

/**
 * Whether `key` may sign for a batch anchored at time `at`. A revoked key stops one ledger time window before its
 * revocation time: `at` is the client's clock, so an anchor inside the window could be a backdated one made after
 * the revocation, and verifiers distrust it (docs/protocol.md §7 step 6) — the ledger records none of those.
 */
export function keyUsableAt(key: IssuerKey, at: string): boolean {
  return key.activatedAt !== undefined && key.validFrom <= at && at < key.validUntil && (key.revokedAt === undefined || at < oneWindowBefore(key.revokedAt));
}
