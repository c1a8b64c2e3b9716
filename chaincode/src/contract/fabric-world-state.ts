/** Adapts fabric-shim's ChaincodeStub and ClientIdentity to the domain core's WorldState and TxContext. */
import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { ClientRole, KeyModification, StatePage, TxContext, WorldState } from '../domain';

type Timestamp = { seconds: number | { toNumber(): number }; nanos: number };

/** Transaction timestamp → ISO-8601 UTC with milliseconds (deterministic: the proposal's own timestamp). */
export function timestampToIso(ts: Timestamp): string {
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
}

/** NodeOU role from the X.509 subject in `getID()` ("x509::/OU=admin/CN=Admin@…::/C=…"). */
export function roleFromId(id: string): ClientRole {
  const subject = id.split('::')[1] ?? '';
  const ous = [...subject.matchAll(/(?:^|\/)OU=([^/]+)/g)].map((m) => (m[1] ?? '').toLowerCase());
  for (const role of ['admin', 'client', 'peer', 'orderer'] as const) if (ous.includes(role)) return role;
  return 'member';
}

class FabricWorldState implements WorldState {
  constructor(private readonly ctx: Context) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const value = await this.ctx.stub.getState(key);
    return value.length === 0 ? undefined : value;
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    await this.ctx.stub.putState(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.ctx.stub.deleteState(key);
  }

  async getByPartialCompositeKey(objectType: string, attributes: string[], pageSize: number, bookmark: string): Promise<StatePage> {
    const { iterator, metadata } = (await this.ctx.stub.getStateByPartialCompositeKeyWithPagination(objectType, attributes, pageSize, bookmark)) as {
      iterator: Awaited<ReturnType<Context['stub']['getStateByPartialCompositeKeyWithPagination']>>['iterator'];
      metadata?: { bookmark?: string };
    };
    const entries: StatePage['entries'] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) entries.push({ key: r.value.key, value: r.value.value });
    } finally {
      await iterator.close();
    }
    // fabric-shim leaves `metadata` out when the peer's QueryResponseMetadata encodes to nothing (an empty page).
    return { entries, bookmark: metadata?.bookmark ?? '' };
  }

  async getHistory(key: string): Promise<KeyModification[]> {
    const iterator = await this.ctx.stub.getHistoryForKey(key);
    const out: KeyModification[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        const m = r.value;
        out.push({ txId: m.txId, timestamp: timestampToIso(m.timestamp), isDelete: m.isDelete, ...(m.isDelete ? {} : { value: m.value }) });
      }
    } finally {
      await iterator.close();
    }
    // Fabric returns newest first; the domain's contract is oldest first.
    return out.reverse();
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.ctx.stub.setEvent(name, payload);
  }

  async setKeyEndorsement(key: string, mspIds: string[]): Promise<void> {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...mspIds);
    await this.ctx.stub.setStateValidationParameter(key, policy.getPolicy());
  }
}

export function toTxContext(ctx: Context): TxContext {
  return {
    state: new FabricWorldState(ctx),
    txId: ctx.stub.getTxID(),
    timestamp: timestampToIso(ctx.stub.getTxTimestamp() as unknown as Timestamp),
    client: { mspId: ctx.clientIdentity.getMSPID(), role: roleFromId(ctx.clientIdentity.getID()) },
  };
}
