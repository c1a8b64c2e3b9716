/**
 * Chaincode events with a resumable checkpoint (fabric-gateway's shape: block number, optionally the last applied
 * transaction's id): stored events first, then live ones, strictly after the checkpoint, with no gap and no duplicate
 * across aborts, close/reopen of the SQLite file and concurrent commits.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEventPayload } from '@hutong/chaincode/domain';
import type { EventCheckpoint, Ledger, LedgerEvent } from '../src/index';
import { newEmbeddedLedger } from '../src/embedded/index';
import type { EmbeddedLedgerBackend } from '../src/embedded/index';

const GD = 'GuangdongMSP';
const MO = 'MacauMSP';
const MEMBERS = [
  { mspId: GD, jurisdiction: 'guangdong' },
  { mspId: MO, jurisdiction: 'macau' },
];
const hex = (): string => randomBytes(32).toString('hex');
const iso = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hutong-events-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Submits InitLedger and an active issuer with a key; returns the ids and every submitted txId in order. */
async function bootstrap(backend: EmbeddedLedgerBackend): Promise<{ issuerId: string; kid: string; txIds: string[] }> {
  const gd = await backend.connect({ mspId: GD, role: 'admin' });
  const mo = await backend.connect({ mspId: MO, role: 'admin' });
  const issuerId = 'gd-health';
  const kid = 'k1';
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const txIds = [
    (await gd.submit('InitLedger', { members: MEMBERS })).evidence.txId,
    (await gd.submit('ProposeIssuer', { issuerId, displayName: 'GD health', credentialTypes: ['health-code'] })).evidence.txId,
    (await mo.submit('ApproveIssuer', { issuerId })).evidence.txId,
    (await gd.submit('ProposeIssuerKey', { issuerId, kid, jwk, validFrom: iso(-3600_000), validUntil: iso(3600_000) })).evidence.txId,
    (await mo.submit('ApproveIssuerKey', { issuerId, kid })).evidence.txId,
  ];
  return { issuerId, kid, txIds };
}

async function anchors(l: Ledger, issuerId: string, kid: string, n: number): Promise<string[]> {
  const results = await Promise.all(Array.from({ length: n }, () => l.submit('AnchorBatch', { issuerId, kid, root: hex(), leafCount: 1 })));
  return results.map((r) => r.evidence.txId);
}

/** Reads events until `count` arrived (or `ms` passed), then aborts; returns them. */
async function take(l: Ledger, after: EventCheckpoint | undefined, count: number, ms = 5000): Promise<LedgerEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const out: LedgerEvent[] = [];
  try {
    for await (const event of l.events(after, controller.signal)) {
      out.push(event);
      if (out.length >= count) controller.abort();
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** The checkpoint after applying `e`. */
const checkpointAfter = (e: LedgerEvent): EventCheckpoint => ({ blockNumber: e.blockNumber, transactionId: e.txId });

/** Whether the events are in strictly increasing chain position (block, position in block), read from the blocks. */
async function inChainOrder(l: Ledger, events: LedgerEvent[]): Promise<boolean> {
  const positions = await Promise.all(events.map(async (e) => {
    const tx = await l.getTransaction(e.txId);
    return tx.blockNumber === e.blockNumber ? [tx.blockNumber, tx.txIndex] as const : undefined;
  }));
  return positions.every((p, i) => p !== undefined && (i === 0 || p[0] > positions[i - 1]![0] || (p[0] === positions[i - 1]![0] && p[1] > positions[i - 1]![1])));
}

describe('embedded ledger: events', () => {
  it('delivers one event per committed transaction, in chain order, carrying the domain payload', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:', blockCutMs: 2 });
    const { issuerId, kid, txIds } = await bootstrap(backend);
    const gd = await backend.connect({ mspId: GD, role: 'client' });
    txIds.push(...(await anchors(gd, issuerId, kid, 20)));
    const events = await take(gd, undefined, txIds.length, 2000);
    expect(events.map((e) => e.txId)).toEqual(txIds);
    expect(await inChainOrder(gd, events)).toBe(true);
    expect(events[0]!.name).toBe('InitLedger');
    for (const e of events) {
      const payload = e.payload as LedgerEventPayload;
      const tx = await gd.getTransaction(e.txId);
      expect(payload).toMatchObject({ tx: e.name, txId: e.txId, timestamp: tx.timestamp });
      expect(tx.blockNumber).toBe(e.blockNumber);
    }
    // Strictly after the checkpoint: resuming at the last event yields nothing stored.
    expect(await take(gd, checkpointAfter(events.at(-1)!), 1, 100)).toEqual([]);
    await backend.close();
  });

  it('resumes across close and reopen of the file with no gap and no duplicate, then follows live commits', async () => {
    const path = join(dir, 'resume.sqlite');
    let backend = newEmbeddedLedger({ path, blockCutMs: 2 });
    const { issuerId, kid, txIds } = await bootstrap(backend);
    let gd = await backend.connect({ mspId: GD, role: 'client' });
    txIds.push(...(await anchors(gd, issuerId, kid, 15)));

    const received: LedgerEvent[] = [];
    received.push(...(await take(gd, undefined, 7)));
    let checkpoint = checkpointAfter(received.at(-1)!);
    await backend.close();

    backend = newEmbeddedLedger({ path, blockCutMs: 2 });
    gd = await backend.connect({ mspId: GD, role: 'client' });
    // Stored events after the checkpoint, then live ones committed while the stream is open.
    const expectedTotal = txIds.length + 15;
    const controller = new AbortController();
    const stream = (async () => {
      for await (const event of gd.events(checkpoint, controller.signal)) {
        received.push(event);
        if (received.length === expectedTotal) controller.abort();
      }
    })();
    const more = await anchors(gd, issuerId, kid, 10);
    txIds.push(...more);
    txIds.push(...(await anchors(gd, issuerId, kid, 5)));
    const guard = setTimeout(() => controller.abort(), 5000);
    await stream;
    clearTimeout(guard);
    expect(received.map((e) => e.txId)).toEqual(txIds);
    checkpoint = checkpointAfter(received.at(-1)!);
    await backend.close();

    backend = newEmbeddedLedger({ path });
    expect(await take(await backend.connect({ mspId: MO, role: 'client' }), checkpoint, 1, 100)).toEqual([]);
    await backend.close();
  });

  it('loses and repeats nothing when many readers resume at random checkpoints while blocks commit', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:', blockCutMs: 1, maxBatch: 7 });
    const { issuerId, kid, txIds } = await bootstrap(backend);
    const gd = await backend.connect({ mspId: GD, role: 'client' });
    const writer = (async () => {
      for (let i = 0; i < 6; i++) txIds.push(...(await anchors(gd, issuerId, kid, 9)));
    })();
    const readers = Array.from({ length: 4 }, async () => {
      const got: LedgerEvent[] = [];
      let checkpoint: EventCheckpoint | undefined;
      // Each reader reconnects after a few events, as a gateway would after a dropped stream.
      for (let round = 0; round < 100 && got.length < 5 + 54; round++) {
        const batch = await take(gd, checkpoint, Math.min(5 + 54 - got.length, 1 + Math.floor(Math.random() * 8)), 3000);
        got.push(...batch);
        if (batch.length > 0) checkpoint = checkpointAfter(batch.at(-1)!);
      }
      return got;
    });
    await writer;
    for (const got of await Promise.all(readers)) {
      expect(got.map((e) => e.txId)).toEqual(txIds);
      expect(await inChainOrder(gd, got)).toBe(true);
    }
    await backend.close();
  });

  it('resumes inside a block right after the named transaction, and from a bare block number at its first event', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:', blockCutMs: 5 });
    const { issuerId, kid, txIds } = await bootstrap(backend);
    const gd = await backend.connect({ mspId: GD, role: 'client' });
    const batch = await anchors(gd, issuerId, kid, 6);
    txIds.push(...batch);
    const all = await take(gd, undefined, txIds.length, 2000);
    expect(all.map((e) => e.txId)).toEqual(txIds);
    const block = all.at(-1)!.blockNumber;
    // Submitted in one turn of the event loop: one block of six, so five checkpoints fall inside it.
    expect(all.filter((e) => e.blockNumber === block).map((e) => e.txId)).toEqual(batch);
    for (const [i, e] of all.entries()) {
      const rest = txIds.slice(i + 1);
      const resumed = await take(gd, checkpointAfter(e), Math.max(rest.length, 1), rest.length > 0 ? 2000 : 100);
      expect(resumed.map((r) => r.txId)).toEqual(rest);
    }
    expect((await take(gd, { blockNumber: block }, batch.length)).map((e) => e.txId)).toEqual(batch);
    expect((await take(gd, { blockNumber: 0 }, txIds.length)).map((e) => e.txId)).toEqual(txIds);
    // A block that is not there yet: its events arrive live.
    const live = take(gd, { blockNumber: block + 1 }, 2, 3000);
    const more = await anchors(gd, issuerId, kid, 2);
    expect((await live).map((e) => e.txId)).toEqual(more);
    await backend.close();
  });

  it('refuses a checkpoint naming a transaction its block does not hold, or a block number that is not one', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:' });
    const { txIds } = await bootstrap(backend);
    const gd = await backend.connect({ mspId: GD, role: 'client' });
    const { blockNumber } = await gd.getTransaction(txIds[2]!);
    for (const checkpoint of [
      { blockNumber, transactionId: 'f'.repeat(64) }, // unknown transaction in a known block
      { blockNumber, transactionId: txIds[1]! }, // a transaction of another block
      { blockNumber: blockNumber + 10, transactionId: txIds[2]! }, // ... of a block not there yet
      { blockNumber, transactionId: '' },
      { blockNumber: -1 },
      { blockNumber: 1.5 },
    ]) {
      await expect(take(gd, checkpoint, 1, 500)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect((await take(gd, { blockNumber, transactionId: txIds[2]! }, 2)).map((e) => e.txId)).toEqual(txIds.slice(3));
    await backend.close();
  });

  it('ends the iterator cleanly on abort, on connection close and on backend close', async () => {
    const backend = newEmbeddedLedger({ path: ':memory:' });
    await bootstrap(backend);
    const l = await backend.connect({ mspId: GD, role: 'client' });
    const drain = async (iterable: AsyncIterable<LedgerEvent>) => {
      let n = 0;
      for await (const _ of iterable) n++;
      return n;
    };
    const aborted = new AbortController();
    const byAbort = drain(l.events(undefined, aborted.signal));
    setTimeout(() => aborted.abort(), 30);
    expect(await byAbort).toBe(5);

    const other = await backend.connect({ mspId: MO, role: 'client' });
    const byConnectionClose = drain(other.events(undefined, new AbortController().signal));
    setTimeout(() => void other.close(), 30);
    expect(await byConnectionClose).toBe(5);

    // Bootstrap committed one transaction per block (1 to 5): from block 4 on, two events.
    const byBackendClose = drain(l.events({ blockNumber: 4 }, new AbortController().signal));
    setTimeout(() => void backend.close(), 30);
    expect(await byBackendClose).toBe(2);

    const already = new AbortController();
    already.abort();
    await expect(drain(l.events(undefined, already.signal))).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });
});
