/** Typed reads and writes of world-state records: canonical JSON in, one event per transaction out. */
import { canonicalJson, fromBytes, toBytes } from './canonical-json';
import { compositeKey, RecordType } from './composite-key';
import { DomainError } from './errors';
import type { Anchor, Consortium, Issuer, IssuerKey, RecognitionPolicy, Revocation } from './model';
import type { TxContext } from './world-state';

export const keys = {
  consortium: () => compositeKey(RecordType.consortium, ['current']),
  issuer: (issuerId: string) => compositeKey(RecordType.issuer, [issuerId]),
  issuerKey: (issuerId: string, kid: string) => compositeKey(RecordType.issuerKey, [issuerId, kid]),
  recognition: (mspId: string, issuerId: string, credentialType: string) =>
    compositeKey(RecordType.recognition, [mspId, issuerId, credentialType]),
  anchor: (root: string) => compositeKey(RecordType.anchor, [root]),
  anchorByIssuer: (issuerId: string, anchoredAt: string, root: string) =>
    compositeKey(RecordType.anchorByIssuer, [issuerId, anchoredAt, root]),
  revocation: (issuerId: string, leafHash: string) => compositeKey(RecordType.revocation, [issuerId, leafHash]),
  membership: (mspId: string) => compositeKey(RecordType.membership, [mspId]),
};

export async function readRecord<T>(ctx: TxContext, key: string): Promise<T | undefined> {
  const bytes = await ctx.state.get(key);
  return bytes === undefined || bytes.length === 0 ? undefined : fromBytes<T>(bytes);
}

export async function writeRecord(ctx: TxContext, key: string, record: unknown): Promise<void> {
  await ctx.state.put(key, toBytes(record));
}

/** The event every write emits: its name is the transaction, its payload the records written. */
export interface LedgerEventPayload {
  tx: string;
  txId: string;
  timestamp: string;
  records: Array<{ type: string; value: unknown }>;
}

export function emit(ctx: TxContext, tx: string, records: LedgerEventPayload['records']): void {
  const payload: LedgerEventPayload = { tx, txId: ctx.txId, timestamp: ctx.timestamp, records };
  ctx.state.setEvent(tx, new TextEncoder().encode(canonicalJson(payload)));
}

export async function loadConsortium(ctx: TxContext): Promise<Consortium> {
  const consortium = await readRecord<Consortium>(ctx, keys.consortium());
  if (!consortium) throw new DomainError('NOT_INITIALISED', 'the ledger has no consortium yet: run InitLedger');
  return consortium;
}

export async function loadIssuer(ctx: TxContext, issuerId: string): Promise<Issuer> {
  const issuer = await readRecord<Issuer>(ctx, keys.issuer(issuerId));
  if (!issuer) throw new DomainError('ISSUER_NOT_FOUND', `issuer '${issuerId}' is not registered`);
  return issuer;
}

export async function loadKey(ctx: TxContext, issuerId: string, kid: string): Promise<IssuerKey> {
  const key = await readRecord<IssuerKey>(ctx, keys.issuerKey(issuerId, kid));
  if (!key) throw new DomainError('KEY_NOT_FOUND', `issuer '${issuerId}' has no key '${kid}'`);
  return key;
}

export type { Anchor, RecognitionPolicy, Revocation };

/** Reads a page of records under a partial composite key, parsing each value. */
export async function readPage<T>(
  ctx: TxContext,
  objectType: string,
  attributes: string[],
  pageSize: number,
  bookmark: string,
): Promise<{ items: T[]; bookmark: string }> {
  const prefix = compositeKey(objectType, attributes);
  if (bookmark !== '' && !bookmark.startsWith(prefix)) throw new DomainError('INVALID_ARGUMENT', 'bookmark does not belong to this query');
  const page = await ctx.state.getByPartialCompositeKey(objectType, attributes, pageSize, bookmark);
  return { items: page.entries.map((e) => fromBytes<T>(e.value)), bookmark: page.bookmark };
}
