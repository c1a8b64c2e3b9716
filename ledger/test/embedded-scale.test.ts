/**
 * The embedded ledger's audit checks at a size where the old ones crashed (`RangeError: Maximum call stack size
 * exceeded` from spreading every field into one hash call): 50,000 transactions written through the public API, then
 * the chain check, the state digest (compared with an independent computation of the documented format, so the
 * digest values did not change) and the replay check must complete, and a tampered row must still be caught.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newEmbeddedLedger } from '../src/embedded/index';

const GD = 'GuangdongMSP';
const MO = 'MacauMSP';
const TRANSACTIONS = 50_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hutong-embedded-scale-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The state digest's format (chain-store.ts), recomputed row by row with its own hash: the oracle for its value. */
function oracleDigest(path: string): string {
  const db = new Database(path, { readonly: true });
  const h = createHash('sha256');
  const field = (v: Buffer | string | number | null): void => {
    const bytes = v === null ? Buffer.from([0xff]) : Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    h.update(len).update(bytes);
  };
  for (const r of db.prepare<[], { key: Buffer; value: Buffer }>('SELECT key, value FROM state ORDER BY key').iterate()) [r.key, r.value].forEach(field);
  field('endorsements');
  for (const r of db.prepare<[], { key: Buffer; msp_ids: string }>('SELECT key, msp_ids FROM key_endorsement ORDER BY key').iterate()) [r.key, r.msp_ids].forEach(field);
  field('history');
  type Row = { key: Buffer; block_number: number; tx_index: number; tx_id: string; timestamp: string; is_delete: number; value: Buffer | null };
  for (const r of db.prepare<[], Row>('SELECT * FROM history ORDER BY key, block_number, tx_index').iterate()) {
    [r.key, r.block_number, r.tx_index, r.tx_id, r.timestamp, r.is_delete, r.value].forEach(field);
  }
  db.close();
  return h.digest('hex');
}

describe('embedded ledger: bursts', () => {
  it('commits a burst of maxBatch or more submissions made just as the previous block commits', async () => {
    // The burst arrives between drain()'s last look at the queue and the end of that drain: it once waited for ever.
    const backend = newEmbeddedLedger({ path: ':memory:', maxBatch: 4 });
    const gd = await backend.connect({ mspId: GD, role: 'admin' });
    await gd.submit('InitLedger', { members: [{ mspId: GD, jurisdiction: 'guangdong' }, { mspId: MO, jurisdiction: 'macau' }] });
    const burst = Array.from({ length: 9 }, (_, i) => gd.submit('ProposeIssuer', { issuerId: `gd-${i}`, displayName: 'Issuer', credentialTypes: ['health-code'] }));
    const results = await Promise.all(burst);
    expect(new Set(results.map((r) => r.evidence.blockNumber)).size).toBe(3);
    await backend.close();
  });
});

describe('embedded ledger: audit checks stream at any size', () => {
  it(`verifies the chain, digests the state and replays ${TRANSACTIONS.toLocaleString('en')} transactions, and still catches a tampered row`, async () => {
    const path = join(dir, 'scale.sqlite');
    const backend = newEmbeddedLedger({ path, maxBatch: 1024 });
    const gd = await backend.connect({ mspId: GD, role: 'admin' });
    const mo = await backend.connect({ mspId: MO, role: 'admin' });
    await gd.submit('InitLedger', { members: [{ mspId: GD, jurisdiction: 'guangdong' }, { mspId: MO, jurisdiction: 'macau' }] });
    await gd.submit('ProposeIssuer', { issuerId: 'gd-health', displayName: 'Guangdong health-code centre', credentialTypes: ['health-code'] });
    await mo.submit('ApproveIssuer', { issuerId: 'gd-health' });
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const now = Date.now();
    await gd.submit('ProposeIssuerKey', { issuerId: 'gd-health', kid: 'k1', jwk, validFrom: new Date(now - 3600_000).toISOString(), validUntil: new Date(now + 86_400_000).toISOString() });
    await mo.submit('ApproveIssuerKey', { issuerId: 'gd-health', kid: 'k1' });
    // Each anchor writes two keys with their key-level policies: 100,000 state rows, history rows and policies.
    const setup = 5;
    for (let done = setup; done < TRANSACTIONS; ) {
      const wave = Math.min(5000, TRANSACTIONS - done);
      await Promise.all(Array.from({ length: wave }, () => gd.submit('AnchorBatch', { issuerId: 'gd-health', kid: 'k1', root: randomBytes(32).toString('hex'), leafCount: 4096 })));
      done += wave;
    }

    const chain = backend.verifyChain();
    expect(chain.transactions).toBe(TRANSACTIONS);
    const digest = backend.stateDigest();
    expect(digest).toBe(oracleDigest(path));
    const replay = await backend.verifyReplay();
    expect(replay).toMatchObject({ transactions: TRANSACTIONS, height: chain.height, tipHash: chain.tipHash, stateDigest: digest });
    await backend.close();

    const tamper = (sql: string): void => {
      const db = new Database(path);
      db.exec(sql);
      db.close();
    };
    // One state value among 100,000 changed behind the chain's back: the digest moves (the replay compares digests).
    tamper("UPDATE state SET value = CAST(REPLACE(CAST(value AS TEXT), '\"leafCount\":4096', '\"leafCount\":4095') AS BLOB) WHERE key = (SELECT key FROM state WHERE CAST(value AS TEXT) LIKE '%leafCount%' ORDER BY key DESC LIMIT 1)");
    const reopened = newEmbeddedLedger({ path });
    expect(reopened.stateDigest()).not.toBe(digest);
    await reopened.close();
    // The tip's envelope rewritten: opening (which checks the last block it checked before and every later one)
    // refuses the file, naming the block.
    const last = chain.height - 1;
    tamper(`UPDATE transactions SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), '4096', '4097') AS BLOB) WHERE block_number = ${last} AND tx_index = 0`);
    expect(() => newEmbeddedLedger({ path })).toThrow(expect.objectContaining({ code: 'LEDGER_UNAVAILABLE', message: expect.stringMatching(new RegExp(`block ${last}: dataHash`)) }));
  }, 120_000);
});
