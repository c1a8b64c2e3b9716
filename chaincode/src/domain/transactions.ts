/**
 * The transaction table: name → input schema and handler. Both the Fabric contract and the embedded ledger
 * dispatch through `executeTransaction`, so they validate and behave identically.
 */
import type { z } from 'zod';
import { anchorBatch, revokeCredential } from './anchoring';
import { DomainError } from './errors';
import {
  approveIssuer,
  approveIssuerKey,
  initLedger,
  proposeIssuer,
  proposeIssuerKey,
  resumeIssuer,
  retireIssuer,
  revokeIssuerKey,
  suspendIssuer,
} from './governance';
import * as I from './inputs';
import { approveMembershipChange, getMembershipProposal, proposeMembershipChange } from './membership';
import {
  getAnchor,
  getConsortium,
  getHistory,
  getIssuer,
  getRecognitionPolicies,
  getRevocation,
  listAnchors,
  listIssuers,
  listRevocations,
} from './queries';
import { putRecognitionPolicy, withdrawRecognitionPolicy } from './recognition';
import type { TxName } from './tx-names';
import { SUBMIT_TRANSACTIONS } from './tx-names';
import type { TxContext } from './world-state';

interface TxDefinition<S extends z.ZodType> {
  schema: S;
  handler: (ctx: TxContext, input: z.output<S>) => Promise<unknown>;
}

function tx<S extends z.ZodType>(schema: S, handler: (ctx: TxContext, input: z.output<S>) => Promise<unknown>): TxDefinition<S> {
  return { schema, handler };
}

const TRANSACTIONS: Record<TxName, TxDefinition<z.ZodType>> = {
  InitLedger: tx(I.InitLedgerInput, initLedger),
  ProposeIssuer: tx(I.ProposeIssuerInput, proposeIssuer),
  ApproveIssuer: tx(I.IssuerRefInput, approveIssuer),
  SuspendIssuer: tx(I.SuspendIssuerInput, suspendIssuer),
  ResumeIssuer: tx(I.IssuerRefInput, resumeIssuer),
  RetireIssuer: tx(I.IssuerRefInput, retireIssuer),
  ProposeIssuerKey: tx(I.ProposeIssuerKeyInput, proposeIssuerKey),
  ApproveIssuerKey: tx(I.KeyRefInput, approveIssuerKey),
  RevokeIssuerKey: tx(I.RevokeIssuerKeyInput, revokeIssuerKey),
  PutRecognitionPolicy: tx(I.PutRecognitionPolicyInput, putRecognitionPolicy),
  WithdrawRecognitionPolicy: tx(I.PolicyRefInput, withdrawRecognitionPolicy),
  AnchorBatch: tx(I.AnchorBatchInput, anchorBatch),
  RevokeCredential: tx(I.RevokeCredentialInput, revokeCredential),
  ProposeMembershipChange: tx(I.ProposeMembershipChangeInput, proposeMembershipChange),
  ApproveMembershipChange: tx(I.MembershipRefInput, approveMembershipChange),
  GetConsortium: tx(I.EmptyInput, getConsortium),
  GetIssuer: tx(I.IssuerRefInput, getIssuer),
  ListIssuers: tx(I.ListIssuersInput, listIssuers),
  GetRecognitionPolicies: tx(I.GetRecognitionPoliciesInput, getRecognitionPolicies),
  GetAnchor: tx(I.GetAnchorInput, getAnchor),
  ListAnchors: tx(I.ListAnchorsInput, listAnchors),
  GetRevocation: tx(I.GetRevocationInput, getRevocation),
  ListRevocations: tx(I.ListRevocationsInput, listRevocations),
  GetHistory: tx(I.GetHistoryInput, getHistory),
  GetMembershipProposal: tx(I.MembershipRefInput, getMembershipProposal),
};

/** Largest accepted argument, in UTF-8 bytes: the JSON is parsed only after this check. */
export const MAX_INPUT_BYTES = 64 * 1024;

const SUBMIT_SET: ReadonlySet<string> = new Set(SUBMIT_TRANSACTIONS);

export function isTxName(name: string): name is TxName {
  return Object.prototype.hasOwnProperty.call(TRANSACTIONS, name);
}

export function isSubmitTx(name: TxName): boolean {
  return SUBMIT_SET.has(name);
}

/** Parses the JSON argument of a transaction; an empty argument means `{}`. */
export function parseInput(argument: string): unknown {
  if (argument.length > MAX_INPUT_BYTES || new TextEncoder().encode(argument).length > MAX_INPUT_BYTES) {
    throw new DomainError('INVALID_ARGUMENT', `argument exceeds ${MAX_INPUT_BYTES} bytes`);
  }
  if (argument === '') return {};
  try {
    return JSON.parse(argument) as unknown;
  } catch {
    throw new DomainError('INVALID_ARGUMENT', 'argument is not valid JSON');
  }
}

/** Validates the input against the transaction's schema and runs it. Throws DomainError on any failure. */
export async function executeTransaction(ctx: TxContext, name: string, input: unknown): Promise<unknown> {
  if (!isTxName(name)) throw new DomainError('UNKNOWN_TRANSACTION', `no transaction named '${name}'`);
  const definition = TRANSACTIONS[name];
  const parsed = definition.schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
    throw new DomainError('INVALID_ARGUMENT', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return definition.handler(ctx, parsed.data);
}
