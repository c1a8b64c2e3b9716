/** Recognition policies: each member writes only its own, for any issuer's credential types; every write is a new version. */
import type { z } from 'zod';
import { requireAdmin } from './access';
import { DomainError } from './errors';
import type { PolicyRefInput, PutRecognitionPolicyInput } from './inputs';
import type { RecognitionPolicy } from './model';
import { emit, keys, loadConsortium, loadIssuer, readRecord, writeRecord } from './records';
import type { TxContext } from './world-state';
import { ownerEndorsers } from './access';

async function savePolicy(ctx: TxContext, tx: string, policy: RecognitionPolicy, isNew: boolean, endorsers: string[]): Promise<RecognitionPolicy> {
  const key = keys.recognition(policy.recognisingMsp, policy.issuerId, policy.credentialType);
  await writeRecord(ctx, key, policy);
  if (isNew) await ctx.state.setKeyEndorsement(key, endorsers);
  emit(ctx, tx, [{ type: 'recognition', value: policy }]);
  return policy;
}

export async function putRecognitionPolicy(ctx: TxContext, input: z.output<typeof PutRecognitionPolicyInput>): Promise<RecognitionPolicy> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  const issuer = await loadIssuer(ctx, input.issuerId);
  if (!issuer.credentialTypes.includes(input.credentialType)) {
    throw new DomainError('CREDENTIAL_TYPE_NOT_ALLOWED', `issuer '${issuer.id}' does not issue '${input.credentialType}'`);
  }
  const mapped = new Set(Object.values(input.statusMapping));
  const unmapped = input.acceptedStatuses.filter((s) => !mapped.has(s));
  if (unmapped.length > 0) throw new DomainError('INVALID_ARGUMENT', `accepted statuses ${unmapped.join(', ')} are not the target of any mapping`);
  if (input.validUntil !== undefined && input.validUntil <= input.validFrom) throw new DomainError('INVALID_ARGUMENT', 'validUntil must be after validFrom');
  const previous = await readRecord<RecognitionPolicy>(ctx, keys.recognition(member.mspId, issuer.id, input.credentialType));
  const policy: RecognitionPolicy = {
    recognisingMsp: member.mspId,
    issuerId: issuer.id,
    credentialType: input.credentialType,
    statusMapping: input.statusMapping,
    acceptedStatuses: [...new Set(input.acceptedStatuses)].sort(),
    maxAgeSeconds: input.maxAgeSeconds,
    validFrom: input.validFrom,
    ...(input.validUntil !== undefined ? { validUntil: input.validUntil } : {}),
    version: (previous?.version ?? 0) + 1,
    withdrawn: false,
    updatedAt: ctx.timestamp,
    txId: ctx.txId,
  };
  return savePolicy(ctx, 'PutRecognitionPolicy', policy, previous === undefined, ownerEndorsers(consortium, member.mspId));
}

export async function withdrawRecognitionPolicy(ctx: TxContext, input: z.output<typeof PolicyRefInput>): Promise<RecognitionPolicy> {
  const consortium = await loadConsortium(ctx);
  const member = requireAdmin(ctx, consortium);
  const previous = await readRecord<RecognitionPolicy>(ctx, keys.recognition(member.mspId, input.issuerId, input.credentialType));
  if (!previous || previous.withdrawn) {
    throw new DomainError('POLICY_NOT_FOUND', `${member.mspId} has no policy in force for '${input.issuerId}' / '${input.credentialType}'`);
  }
  const policy: RecognitionPolicy = { ...previous, version: previous.version + 1, withdrawn: true, updatedAt: ctx.timestamp, txId: ctx.txId };
  return savePolicy(ctx, 'WithdrawRecognitionPolicy', policy, false, []);
}
