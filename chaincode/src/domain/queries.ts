/** Read-only transactions: for gateways' caches, trust snapshots and auditors. Any member identity may read. */
import type { z } from 'zod';
import { requireMember } from './access';
import { fromBytes } from './canonical-json';
import { compositeKey, RecordType } from './composite-key';
import { DomainError } from './errors';
import type {
  GetAnchorInput,
  GetHistoryInput,
  GetRecognitionPoliciesInput,
  GetRevocationInput,
  IssuerRefInput,
  ListAnchorsInput,
  ListIssuersInput,
  ListRevocationsInput,
} from './inputs';
import type { Anchor, Consortium, Issuer, IssuerKey, RecognitionPolicy, Revocation } from './model';
import { keys, loadConsortium, loadIssuer, readPage, readRecord } from './records';
import type { TxContext } from './world-state';

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; '' when there is none. */
  bookmark: string;
}

async function member(ctx: TxContext): Promise<Consortium> {
  const consortium = await loadConsortium(ctx);
  requireMember(ctx, consortium);
  return consortium;
}

export async function getConsortium(ctx: TxContext): Promise<Consortium> {
  return member(ctx);
}

/** An issuer with all its keys (any state), keys ordered by kid. */
export async function getIssuer(ctx: TxContext, input: z.output<typeof IssuerRefInput>): Promise<{ issuer: Issuer; keys: IssuerKey[] }> {
  await member(ctx);
  const issuer = await loadIssuer(ctx, input.issuerId);
  const all: IssuerKey[] = [];
  let bookmark = '';
  do {
    const page = await readPage<IssuerKey>(ctx, RecordType.issuerKey, [issuer.id], 1000, bookmark);
    all.push(...page.items);
    bookmark = page.bookmark;
  } while (bookmark !== '');
  return { issuer, keys: all };
}

export async function listIssuers(ctx: TxContext, input: z.output<typeof ListIssuersInput>): Promise<Page<Issuer>> {
  await member(ctx);
  return readPage<Issuer>(ctx, RecordType.issuer, [], input.pageSize, input.bookmark);
}

export async function getRecognitionPolicies(ctx: TxContext, input: z.output<typeof GetRecognitionPoliciesInput>): Promise<Page<RecognitionPolicy>> {
  await member(ctx);
  const page = await readPage<RecognitionPolicy>(ctx, RecordType.recognition, [input.mspId], input.pageSize, input.bookmark);
  return input.includeWithdrawn ? page : { items: page.items.filter((p) => !p.withdrawn), bookmark: page.bookmark };
}

export async function getAnchor(ctx: TxContext, input: z.output<typeof GetAnchorInput>): Promise<Anchor> {
  await member(ctx);
  const anchor = await readRecord<Anchor>(ctx, keys.anchor(input.root));
  if (!anchor) throw new DomainError('ANCHOR_NOT_FOUND', `root ${input.root} has not been anchored`);
  return anchor;
}

/** Anchors of one issuer with `from` ≤ anchoredAt < `to`, oldest first. */
export async function listAnchors(ctx: TxContext, input: z.output<typeof ListAnchorsInput>): Promise<Page<Anchor>> {
  await member(ctx);
  if (input.from !== undefined && input.to !== undefined && input.to < input.from) throw new DomainError('INVALID_ARGUMENT', "'to' is before 'from'");
  // The bookmark is a start key (Fabric semantics), so the scan can begin at `from` without reading older anchors.
  const start = input.bookmark !== '' ? input.bookmark : input.from !== undefined ? compositeKey(RecordType.anchorByIssuer, [input.issuerId, input.from]) : '';
  const page = await readPage<Anchor>(ctx, RecordType.anchorByIssuer, [input.issuerId], input.pageSize, start);
  if (input.to === undefined) return page;
  const to = input.to;
  const items = page.items.filter((a) => a.anchoredAt < to);
  return { items, bookmark: items.length < page.items.length ? '' : page.bookmark };
}

export async function getRevocation(ctx: TxContext, input: z.output<typeof GetRevocationInput>): Promise<{ revoked: boolean; revocation?: Revocation }> {
  await member(ctx);
  const revocation = await readRecord<Revocation>(ctx, keys.revocation(input.issuerId, input.leafHash));
  return revocation ? { revoked: true, revocation } : { revoked: false };
}

export async function listRevocations(ctx: TxContext, input: z.output<typeof ListRevocationsInput>): Promise<Page<Revocation>> {
  await member(ctx);
  return readPage<Revocation>(ctx, RecordType.revocation, [input.issuerId], input.pageSize, input.bookmark);
}

export interface HistoryEntry {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value?: unknown;
}

/** Every committed version of one record, oldest first: who changed what, when (transaction id and time). */
export async function getHistory(ctx: TxContext, input: z.output<typeof GetHistoryInput>): Promise<HistoryEntry[]> {
  await member(ctx);
  let key: string;
  switch (input.record) {
    case 'consortium':
      key = keys.consortium();
      break;
    case 'issuer':
      key = keys.issuer(input.issuerId);
      break;
    case 'issuerKey':
      key = keys.issuerKey(input.issuerId, input.kid);
      break;
    case 'recognition':
      key = keys.recognition(input.mspId, input.issuerId, input.credentialType);
      break;
    case 'anchor':
      key = keys.anchor(input.root);
      break;
    case 'revocation':
      key = keys.revocation(input.issuerId, input.leafHash);
      break;
    case 'membership':
      key = keys.membership(input.mspId);
      break;
  }
  const history = await ctx.state.getHistory(key);
  if (history.length === 0) throw new DomainError('RECORD_NOT_FOUND', `no ${input.record} record with that key has ever been written`);
  return history.map((h) => ({
    txId: h.txId,
    timestamp: h.timestamp,
    isDelete: h.isDelete,
    ...(h.value !== undefined && h.value.length > 0 ? { value: fromBytes<unknown>(h.value) } : {}),
  }));
}
