/** Anchors (Merkle roots of credential batches) and credential revocations: written only by the issuer's owner org. */
import type { z } from 'zod';
import { ownerEndorsers, requireOwner } from './access';
import { DomainError } from './errors';
import { keyUsableAt } from './governance';
import { rootOfInclusionProof } from './inclusion-proof';
import type { AnchorBatchInput, RevokeCredentialInput } from './inputs';
import type { Anchor, Revocation } from './model';
import { emit, keys, loadConsortium, loadIssuer, loadKey, readRecord, writeRecord } from './records';
import type { TxContext } from './world-state';

export async function anchorBatch(ctx: TxContext, input: z.output<typeof AnchorBatchInput>): Promise<Anchor> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, false);
  if (issuer.state !== 'active') throw new DomainError('ISSUER_NOT_ACTIVE', `issuer '${issuer.id}' is ${issuer.state}`);
  const key = await loadKey(ctx, issuer.id, input.kid);
  if (!keyUsableAt(key, ctx.timestamp)) {
    throw new DomainError('KEY_NOT_ACTIVE', `key '${key.kid}' of '${issuer.id}' is not approved, valid and unrevoked at ${ctx.timestamp}`);
  }
  const existing = await readRecord<Anchor>(ctx, keys.anchor(input.root));
  if (existing) throw new DomainError('ANCHOR_EXISTS', `root ${input.root} was already anchored in transaction ${existing.txId}`);
  const anchor: Anchor = {
    root: input.root,
    issuerId: issuer.id,
    kid: key.kid,
    leafCount: input.leafCount,
    anchoredAt: ctx.timestamp,
    txId: ctx.txId,
    anchoredBy: ctx.client.mspId,
  };
  const endorsers = ownerEndorsers(consortium, issuer.ownerMsp);
  await writeRecord(ctx, keys.anchor(anchor.root), anchor);
  await ctx.state.setKeyEndorsement(keys.anchor(anchor.root), endorsers);
  // Time index for "anchors of an issuer between two times"; the value repeats the anchor so one range read suffices.
  await writeRecord(ctx, keys.anchorByIssuer(issuer.id, anchor.anchoredAt, anchor.root), anchor);
  await ctx.state.setKeyEndorsement(keys.anchorByIssuer(issuer.id, anchor.anchoredAt, anchor.root), endorsers);
  emit(ctx, 'AnchorBatch', [{ type: 'anchor', value: anchor }]);
  return anchor;
}

/**
 * Revokes one credential by its leaf hash, given the proof that the leaf is in a batch this issuer anchored (so no
 * issuer writes revocations of leaves that are not its own). Idempotent: revoking again returns the first revocation
 * and writes nothing.
 */
export async function revokeCredential(ctx: TxContext, input: z.output<typeof RevokeCredentialInput>): Promise<Revocation> {
  const consortium = await loadConsortium(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  requireOwner(ctx, consortium, issuer.ownerMsp, `issuer '${issuer.id}'`, false);
  const root = rootOfInclusionProof(input.leafHash, input.proof);
  const anchor = root === undefined ? undefined : await readRecord<Anchor>(ctx, keys.anchor(root));
  if (anchor === undefined || anchor.issuerId !== issuer.id || anchor.leafCount !== input.proof.treeSize) {
    throw new DomainError('LEAF_NOT_ANCHORED', `the proof does not show the leaf in a batch of ${input.proof.treeSize} that issuer '${issuer.id}' anchored`);
  }
  const key = keys.revocation(issuer.id, input.leafHash);
  const existing = await readRecord<Revocation>(ctx, key);
  if (existing) return existing;
  const revocation: Revocation = {
    issuerId: issuer.id,
    leafHash: input.leafHash,
    reason: input.reason,
    revokedAt: ctx.timestamp,
    txId: ctx.txId,
    root: anchor.root,
    leafIndex: input.proof.leafIndex,
  };
  await writeRecord(ctx, key, revocation);
  await ctx.state.setKeyEndorsement(key, ownerEndorsers(consortium, issuer.ownerMsp));
  emit(ctx, 'RevokeCredential', [{ type: 'revocation', value: revocation }]);
  return revocation;
}
