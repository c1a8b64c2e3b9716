/**
 * The `hutong` contract: a thin fabric-contract-api adapter over the domain core. Each transaction takes one JSON
 * argument and returns canonical JSON. Failures keep their code inside the message (`[CODE] …`), the only part of
 * an error that reaches the client.
 */
import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson, DomainError, executeTransaction, parseInput } from '../domain';
import type { TxName } from '../domain';
import { toTxContext } from './fabric-world-state';

async function run(ctx: Context, name: TxName, argument: string): Promise<string> {
  try {
    const result = await executeTransaction(toTxContext(ctx), name, parseInput(argument));
    return canonicalJson(result);
  } catch (error) {
    if (error instanceof DomainError) throw new Error(error.message, { cause: error });
    throw new Error(`[INTERNAL] ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

@Info({ title: 'hutong', description: 'Cross-border credential trust anchoring for the Greater Bay Area' })
export class HutongContract extends Contract {
  constructor() {
    super('hutong');
  }

  override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw new Error(`[UNKNOWN_TRANSACTION] no transaction named '${fcn}'`);
  }

  @Transaction() async InitLedger(ctx: Context, input: string): Promise<string> { return run(ctx, 'InitLedger', input); }
  @Transaction() async ProposeIssuer(ctx: Context, input: string): Promise<string> { return run(ctx, 'ProposeIssuer', input); }
  @Transaction() async ApproveIssuer(ctx: Context, input: string): Promise<string> { return run(ctx, 'ApproveIssuer', input); }
  @Transaction() async SuspendIssuer(ctx: Context, input: string): Promise<string> { return run(ctx, 'SuspendIssuer', input); }
  @Transaction() async ResumeIssuer(ctx: Context, input: string): Promise<string> { return run(ctx, 'ResumeIssuer', input); }
  @Transaction() async RetireIssuer(ctx: Context, input: string): Promise<string> { return run(ctx, 'RetireIssuer', input); }
  @Transaction() async ProposeIssuerKey(ctx: Context, input: string): Promise<string> { return run(ctx, 'ProposeIssuerKey', input); }
  @Transaction() async ApproveIssuerKey(ctx: Context, input: string): Promise<string> { return run(ctx, 'ApproveIssuerKey', input); }
  @Transaction() async RevokeIssuerKey(ctx: Context, input: string): Promise<string> { return run(ctx, 'RevokeIssuerKey', input); }
  @Transaction() async PutRecognitionPolicy(ctx: Context, input: string): Promise<string> { return run(ctx, 'PutRecognitionPolicy', input); }
  @Transaction() async WithdrawRecognitionPolicy(ctx: Context, input: string): Promise<string> { return run(ctx, 'WithdrawRecognitionPolicy', input); }
  @Transaction() async AnchorBatch(ctx: Context, input: string): Promise<string> { return run(ctx, 'AnchorBatch', input); }
  @Transaction() async RevokeCredential(ctx: Context, input: string): Promise<string> { return run(ctx, 'RevokeCredential', input); }
  @Transaction() async ProposeMembershipChange(ctx: Context, input: string): Promise<string> { return run(ctx, 'ProposeMembershipChange', input); }
  @Transaction() async ApproveMembershipChange(ctx: Context, input: string): Promise<string> { return run(ctx, 'ApproveMembershipChange', input); }

  @Transaction(false) async GetConsortium(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetConsortium', input); }
  @Transaction(false) async GetIssuer(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetIssuer', input); }
  @Transaction(false) async ListIssuers(ctx: Context, input: string): Promise<string> { return run(ctx, 'ListIssuers', input); }
  @Transaction(false) async GetRecognitionPolicies(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetRecognitionPolicies', input); }
  @Transaction(false) async GetAnchor(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetAnchor', input); }
  @Transaction(false) async ListAnchors(ctx: Context, input: string): Promise<string> { return run(ctx, 'ListAnchors', input); }
  @Transaction(false) async GetRevocation(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetRevocation', input); }
  @Transaction(false) async ListRevocations(ctx: Context, input: string): Promise<string> { return run(ctx, 'ListRevocations', input); }
  @Transaction(false) async GetHistory(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetHistory', input); }
  @Transaction(false) async GetMembershipProposal(ctx: Context, input: string): Promise<string> { return run(ctx, 'GetMembershipProposal', input); }
}
