// A partner's offline verifier on trust packs (docs/protocol.md §6.1): the SDK's trust store takes a full pack from
// a real gateway, then follows its deltas while Guangdong anchors and revokes, keeps the chain in a file, and falls
// back to a full pack when a delta does not fit. Offline with the pack it decides as with the JSON snapshot.
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  fileTrustStorage, newTrustStore, newVerifier, newVerifierOnIndex, openSignedSnapshot, openSignedTrustPack, type TrustStore,
} from '@hutong/verifier-sdk';
import { call, eventually, healthCode, startEmbeddedHarness, type EmbeddedHarness } from './harness';

let h: EmbeddedHarness;
let dir: string;
let jwks: { keys: object[] };
const stores: TrustStore[] = [];
const J = 'MacauMSP';

beforeAll(async () => {
  h = await startEmbeddedHarness();
  dir = mkdtempSync(join(tmpdir(), 'hutong-pack-'));
  jwks = (await call('GET', `${h.url('macau')}/v1/trust/snapshot-keys`)).body;
});
afterAll(async () => {
  for (const s of stores) s.close();
  await h?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const issue = async (): Promise<string> => {
  const r = await call('POST', `${h.url('guangdong')}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: healthCode() });
  expect(r.status).toBe(201);
  return r.body.qr as string;
};
const revoke = async (qr: string): Promise<void> => {
  const r = await call('POST', `${h.url('guangdong')}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', reason: 'fraud', qr } });
  expect(r.status).toBe(201);
};
const packUrl = () => `${h.url('macau')}/v1/trust/pack`;
const partner = () => h.token('macau', 'partner');
const getPack = (since?: number) => call('GET', `${packUrl()}${since === undefined ? '' : `?since=${since}`}`, { token: partner() });

function packStore(file: string, fetchPack?: (since: number | undefined) => Promise<string>): TrustStore {
  const s = newTrustStore({
    packUrl: packUrl(), headers: { authorization: `Bearer ${partner()}` }, jwks: jwks as never, jurisdiction: J,
    storage: fileTrustStorage(file), maxSnapshotAgeSeconds: 3600, refreshIntervalSeconds: 0, ...(fetchPack ? { fetchPack } : {}),
  });
  stores.push(s);
  return s;
}

/** The gateway's own decision and the JSON snapshot's, to compare the pack's with. */
async function snapshotDecision(qr: string): Promise<string> {
  const { jws } = (await call('GET', `${h.url('macau')}/v1/trust/snapshot`, { token: partner() })).body;
  const trust = await openSignedSnapshot(jws, { jwks: jwks as never, jurisdiction: J });
  return (await newVerifier({ trust, jurisdiction: J }).verify(qr)).reason;
}

test('the pack endpoint: full, delta since a sequence, a base it cannot serve answered with a full pack, gzip', async () => {
  await issue();
  const full = await getPack();
  expect(full.status).toBe(200);
  expect(full.body).toMatchObject({ kind: 'full', jws: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/) });
  const opened = await openSignedTrustPack(full.body.jws, { jwks: jwks as never, jurisdiction: J });
  expect(opened.sequence).toBe(full.body.sequence);
  expect(opened.stateDigest).toBe(full.body.stateDigest);

  const delta = await getPack(full.body.sequence);
  expect(delta.body).toMatchObject({ kind: 'delta', baseSequence: full.body.sequence });
  const ahead = await getPack(full.body.sequence + 1_000_000);
  expect(ahead.body).toMatchObject({ kind: 'full', requestedSince: full.body.sequence + 1_000_000, fullReason: 'BASE_AHEAD' });
  for (const bad of ['abc', '-1', '1.5', '99999999999999999999']) {
    const r = await call('GET', `${packUrl()}?since=${bad}`, { token: partner() });
    expect({ bad, status: r.status, code: r.body?.code }).toEqual({ bad, status: 400, code: 'REQUEST_INVALID' });
  }
  expect((await call('GET', packUrl())).status).toBe(401);

  // Gzip on the wire when the client accepts it; the same answer decompressed.
  const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    const u = new URL(packUrl());
    request({ host: u.hostname, port: u.port, path: u.pathname, headers: { authorization: `Bearer ${partner()}`, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
  expect(raw.encoding).toBe('gzip');
  expect(JSON.parse(gunzipSync(raw.body).toString()).stateDigest).toBe(full.body.stateDigest);
});

test('the trust store follows deltas while the gateway anchors and revokes, and decides as the JSON snapshot does', async () => {
  const a = await issue();
  const file = join(dir, 'follow.pack');
  const s = packStore(file);
  await s.ready();
  expect(s.pack).toMatchObject({ deltasApplied: 0 });
  // A gateway serves one prepared state for up to 5 s: the new anchor arrives with the next one.
  await eventually(async () => { await s.refresh(); return s.verify(a); }, (r) => r.reason === 'ACCEPTED', 10_000, 100);
  expect((await s.verify(a)).reason).toBe('ACCEPTED');

  const b = await issue();
  await revoke(a);
  const revoked = await eventually(async () => { await s.refresh(); return s.verify(a); }, (r) => r.reason === 'CREDENTIAL_REVOKED', 15_000, 100);
  expect(revoked).toMatchObject({ decision: 'REJECT', reason: 'CREDENTIAL_REVOKED', revocation: { reason: 'fraud' } });
  expect(revoked.evidence?.anchorTxId).toBeUndefined(); // a pack carries no transaction ids
  expect((await s.verify(b)).reason).toBe('ACCEPTED');
  expect(s.pack!.deltasApplied).toBeGreaterThanOrEqual(1);
  for (const qr of [a, b, 'HT1:not-a-credential']) expect({ qr, reason: (await s.verify(qr)).reason }).toEqual({ qr, reason: await snapshotDecision(qr) });

  // The chain in the file (full pack, then deltas) opens again offline, each pack checked against the pinned key.
  expect(readFileSync(file, 'utf8').split('\n').length).toBe(s.pack!.deltasApplied + 1);
  const offline = newTrustStore({ packUrl: 'http://127.0.0.1:9/v1/trust/pack', jwks: jwks as never, jurisdiction: J, storage: fileTrustStorage(file), refreshIntervalSeconds: 0 });
  stores.push(offline);
  await offline.ready();
  expect(offline.lastError).toBeDefined();
  expect(offline.pack).toEqual(s.pack);
  expect((await offline.verify(a)).reason).toBe('CREDENTIAL_REVOKED');
  expect((await offline.verify(b)).reason).toBe('ACCEPTED');
});

test('a delta that does not fit (damaged, or on another state) makes the store take a full pack', async () => {
  const a = await issue();
  const asked: Array<number | undefined> = [];
  let damage = true;
  const s = packStore(join(dir, 'fallback.pack'), async (since) => {
    asked.push(since);
    const r = await getPack(since);
    const jws = r.body.jws as string;
    if (since === undefined || !damage) return jws;
    damage = false;
    const [h0, p, sig] = jws.split('.');
    return `${h0}.${p!.slice(0, -4)}AAAA.${sig}`;
  });
  await s.ready();
  await issue();
  await revoke(a);
  await eventually(async () => { await s.refresh(); return s.verify(a); }, (r) => r.reason === 'CREDENTIAL_REVOKED', 10_000, 100);
  // The damaged delta was refused and a full pack asked for at once; later refreshes ask for deltas again.
  expect(asked.slice(0, 3)).toEqual([undefined, expect.any(Number), undefined]);
  expect(s.lastError).toBeUndefined();
});

test('after a restart the gateway serves deltas from its restored checkpoint; an older base gets a full pack', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hutong-pack-restart-'));
  try {
    let g = await startEmbeddedHarness({ home });
    const pack = (since?: number) => call('GET', `${g.url('macau')}/v1/trust/pack${since === undefined ? '' : `?since=${since}`}`, { token: g.token('macau', 'partner') });
    const before = (await pack()).body;
    const issued = await call('POST', `${g.url('guangdong')}/v1/credentials`, { token: g.token('guangdong', 'issuer'), body: healthCode() });
    expect(issued.status).toBe(201);
    const macau = g.gateways.get('macau')!;
    await macau.cache.waitUntil(() => macau.cache.sequence >= issued.body.anchor.blockNumber, 3000);
    const checkpoint = macau.cache.sequence;
    expect(checkpoint).toBeGreaterThan(before.sequence);
    await g.close();

    g = await startEmbeddedHarness({ home });
    const old = (await pack(before.sequence)).body;
    expect(old).toMatchObject({ kind: 'full', requestedSince: before.sequence, fullReason: 'BASE_UNAVAILABLE' });
    expect((await pack(checkpoint)).body).toMatchObject({ kind: 'delta', baseSequence: checkpoint });
    // A client holding the old state takes the full pack the gateway answers and verifies the new credential.
    const keys = (await call('GET', `${g.url('macau')}/v1/trust/snapshot-keys`)).body;
    const held = await openSignedTrustPack(before.jws, { jwks: keys, jurisdiction: J });
    const next = await openSignedTrustPack(old.jws, { jwks: keys, jurisdiction: J, base: { index: held.index, sequence: held.sequence } });
    expect(next.kind).toBe('full');
    expect((await newVerifierOnIndex(next.index, { jurisdiction: J }).verify(issued.body.qr)).reason).toBe('ACCEPTED');
    await g.dispose();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
