/**
 * The trust pack (docs/protocol.md §6.1): what a pack-built index decides equals what the JSON snapshot decides;
 * deltas chain to exactly the full pack's state; every bound, a tampered byte, a wrong base and a digest mismatch
 * are refused with SNAPSHOT_INVALID before anything is trusted.
 */
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import {
  encodeTrustPack, indexTrust, newVerifier, newVerifierOnIndex, openSignedTrustPack, openTrustPack, putAnchor, putRevocation,
  trustStateDigest, TRUST_PACK_JWS_TYP, TRUST_PACK_LIMITS, type SnapshotRevocation, type TrustIndex, type TrustSnapshot,
} from '../src/index.node';
import { ISSUER_ID, NOW, newScenario } from './fixtures';

const J = 'MacauMSP';
const AT = Date.parse('2026-11-26T07:30:00.000Z');

function revocationOf(c: { leafHash: string; root: string; proof: { leafIndex: number } }, reason: string, revokedAt: string): SnapshotRevocation {
  return { issuerId: ISSUER_ID, leafHash: c.leafHash, reason, revokedAt, root: c.root, leafIndex: c.proof.leafIndex };
}

async function world() {
  const s = newScenario();
  const batch = await s.issue('ES256', 5);
  const single = await s.issue('EdDSA', 1);
  const trust = s.snapshot({ generatedAt: new Date(AT).toISOString() });
  (trust.revocations as SnapshotRevocation[]).push(revocationOf(batch[1]!, 'status-change', '2026-11-26T07:10:31.250Z'), revocationOf(batch[3]!, 'fraud', '2026-11-26T07:20:00.000Z'));
  return { s, batch, single, trust };
}

const bytesOf = (index: TrustIndex, o: Partial<Parameters<typeof encodeTrustPack>[1]> = {}) =>
  encodeTrustPack(index, { jurisdiction: J, sequence: 10, ...o });

async function decisions(trust: TrustSnapshot | TrustIndex, qrs: string[]) {
  const v = 'version' in trust ? newVerifier({ trust: trust as TrustSnapshot, jurisdiction: J }) : newVerifierOnIndex(trust, { jurisdiction: J });
  return Promise.all(qrs.map(async (qr) => {
    const r = await v.verify(qr, { now: NOW });
    return { reason: r.reason, revocation: r.revocation?.reason };
  }));
}

describe('trust pack', () => {
  it('a full pack opens into an index that decides as the JSON snapshot does, with no transaction ids', async () => {
    const { batch, single, trust } = await world();
    const opened = openTrustPack(bytesOf(indexTrust(trust)), { jurisdiction: J });
    expect(opened).toMatchObject({ kind: 'full', sequence: 10, generatedAtMs: AT, jurisdiction: J });
    const qrs = [...batch, ...single].map((c) => c.qr);
    const fromJson = await decisions(trust, qrs);
    expect(fromJson.map((d) => d.reason)).toEqual(['ACCEPTED', 'CREDENTIAL_REVOKED', 'ACCEPTED', 'CREDENTIAL_REVOKED', 'ACCEPTED', 'ACCEPTED']);
    expect(await decisions(opened.index, qrs)).toEqual(fromJson);
    const r = await newVerifierOnIndex(opened.index, { jurisdiction: J }).verify(batch[0]!.qr, { now: NOW });
    expect(r.evidence).toMatchObject({ root: batch[0]!.root, leafHash: batch[0]!.leafHash });
    expect(r.evidence?.anchorTxId).toBeUndefined();
    // Revocation times are carried in whole minutes after the anchoring time, rounded down.
    const revoked = await newVerifierOnIndex(opened.index, { jurisdiction: J }).verify(batch[1]!.qr, { now: NOW });
    expect(revoked.revocation).toEqual({ reason: 'status-change', revokedAt: '2026-11-26T07:10:01.000Z' });
    // Re-encoding the opened state gives the same bytes: one canonical form.
    expect(Buffer.from(bytesOf(opened.index))).toEqual(Buffer.from(bytesOf(indexTrust(trust))));
  });

  it('a chain of deltas reaches exactly the state of the full pack; a wrong base or state is refused', async () => {
    const { s, batch, trust } = await world();
    const gateway = indexTrust({ ...trust, revocations: [] });
    const full = openTrustPack(bytesOf(gateway, { sequence: 100 }), { jurisdiction: J });

    const later = await s.issue('ES256', 3);
    const newAnchor = s.trust.anchors[s.trust.anchors.length - 1]!;
    putAnchor(gateway, newAnchor);
    const revs = [revocationOf(batch[1]!, 'status-change', '2026-11-26T07:40:00.000Z'), revocationOf(later[2]!, 'superseded', '2026-11-26T07:41:00.000Z')];
    for (const r of revs) putRevocation(gateway, r);
    gateway.generatedAtMs = AT + 600_000;
    const delta = bytesOf(gateway, { sequence: 105, delta: { baseSequence: 100, changes: { anchors: [newAnchor], revocations: revs } } });
    expect(delta.length).toBeLessThan(bytesOf(gateway, { sequence: 105 }).length);

    const next = openTrustPack(delta, { jurisdiction: J, base: { index: full.index, sequence: 100 } });
    const direct = openTrustPack(bytesOf(gateway, { sequence: 105 }), { jurisdiction: J });
    expect(next.stateDigest).toBe(direct.stateDigest);
    expect(trustStateDigest(next.index, J)).toBe(trustStateDigest(gateway, J));
    const qrs = [...batch, ...later].map((c) => c.qr);
    expect(await decisions(next.index, qrs)).toEqual(await decisions(gateway, qrs));
    expect((await decisions(next.index, [later[2]!.qr]))[0]!.reason).toBe('CREDENTIAL_REVOKED');
    // The base index is left as it was (a failed delta must not damage what the verifier reads).
    expect((await decisions(full.index, [batch[1]!.qr]))[0]!.reason).toBe('ACCEPTED');

    for (const base of [undefined, { index: full.index, sequence: 99 }]) {
      expect(() => openTrustPack(delta, { jurisdiction: J, ...(base ? { base } : {}) })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID', details: { check: 'BASE_MISMATCH' } }));
    }
    // The right sequence but another state (here: the base already missing an anchor the gateway holds).
    const other = openTrustPack(bytesOf(indexTrust({ ...trust, anchors: trust.anchors.slice(1), revocations: [] }), { sequence: 100 }), { jurisdiction: J });
    expect(() => openTrustPack(delta, { jurisdiction: J, base: { index: other.index, sequence: 100 } }))
      .toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID', details: { check: 'DIGEST_MISMATCH' } }));
  });

  it('anchors past notAfter + 600 s are pruned on both sides by the same rule, with their revocations', async () => {
    const { batch, trust } = await world();
    const anchors = trust.anchors.map((a, k) => (k === 0 ? { ...a, notAfter: '2026-11-26T07:20:00.500Z' } : a));
    const gateway = indexTrust({ ...trust, anchors });
    const before = openTrustPack(bytesOf(gateway, { generatedAtMs: Date.parse('2026-11-26T07:29:59.000Z') }), { jurisdiction: J });
    expect(before.index.anchorsByPrefix.size).toBe(2);
    // notAfter is carried as whole seconds after anchoredAt, rounded up: 07:20:01; dropped from 07:30:01 on.
    const after = openTrustPack(bytesOf(gateway, { generatedAtMs: Date.parse('2026-11-26T07:30:01.000Z') }), { jurisdiction: J });
    expect(after.index.anchorsByPrefix.size).toBe(1);
    expect((await decisions(after.index, [batch[0]!.qr]))[0]!.reason).toBe('ROOT_NOT_ANCHORED');

    // A notAfter on a whole second (a batch's latest exp) is carried exactly, whatever the anchoring millisecond:
    // the pack drops the anchor at the instant the ledger's rule does, notAfter + 600 s.
    const exact = indexTrust({ ...trust, anchors: trust.anchors.map((a, k) => (k === 0 ? { ...a, anchoredAt: '2026-11-26T07:00:00.700Z', notAfter: '2026-11-26T07:20:00.000Z' } : a)) });
    const at = (iso: string) => openTrustPack(bytesOf(exact, { generatedAtMs: Date.parse(iso) }), { jurisdiction: J }).index.anchorsByPrefix.size;
    expect([at('2026-11-26T07:29:59.999Z'), at('2026-11-26T07:30:00.000Z')]).toEqual([2, 1]);
    const kept = openTrustPack(bytesOf(exact, { generatedAtMs: Date.parse('2026-11-26T07:29:59.999Z') }), { jurisdiction: J }).index;
    expect([...kept.anchorsByPrefix.values()].map((a) => a.record.notAfter)).toContain('2026-11-26T07:20:00.000Z');
  });

  it('refuses every changed byte of the body and digest: the digest covers the whole state', async () => {
    const { trust } = await world();
    const good = bytesOf(indexTrust(trust));
    let refused = 0;
    // magic, version, kind, sequence (1 byte), generatedAt (6 bytes): the header is the signature's to protect.
    const bodyAt = 4 + 1 + 1 + 1 + 6;
    for (let i = bodyAt; i < good.length; i += Math.max(1, Math.floor(good.length / 300))) {
      const bad = good.slice();
      bad[i]! ^= 0x01;
      try {
        openTrustPack(bad, { jurisdiction: J });
      } catch (e) {
        expect(e).toMatchObject({ code: 'SNAPSHOT_INVALID' });
        refused++;
        continue;
      }
      throw new Error(`byte ${i} changed and the pack still opened`);
    }
    expect(refused).toBeGreaterThan(100);
    expect(() => openTrustPack(good.subarray(0, good.length - 1), { jurisdiction: J })).toThrow(/SNAPSHOT_INVALID/);
    expect(() => openTrustPack(Uint8Array.from([...good, 0]), { jurisdiction: J })).toThrow(/SNAPSHOT_INVALID/);
    expect(() => openTrustPack(good, { jurisdiction: 'GuangdongMSP' })).toThrow(expect.objectContaining({ details: { check: 'JURISDICTION' } }));
  });

  it('refuses oversize counts and lengths before allocating', () => {
    const head = [0x48, 0x54, 0x50, 0x4b, 1, 0, 0, 0];
    const varint = (v: number) => { const o: number[] = []; while (v >= 0x80) { o.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); } o.push(v); return o; };
    const json = [...Buffer.from(JSON.stringify({ jurisdiction: J, issuers: [], keys: [], policies: [], revocations: [] }))];
    const pack = (...body: number[]) => Uint8Array.from([...head, ...body, ...new Array(32).fill(0)]);
    const cases: Array<[string, Uint8Array, string?]> = [
      ['whole pack', new Uint8Array(TRUST_PACK_LIMITS.maxPackBytes + 1)],
      ['JSON length', pack(...varint(TRUST_PACK_LIMITS.maxJsonBytes + 1))],
      ['key table', pack(...varint(json.length), ...json, ...varint(TRUST_PACK_LIMITS.maxKeyRefs + 1))],
      ['key table vs bytes', pack(...varint(json.length), ...json, ...varint(1000))],
      ['name length', pack(...varint(json.length), ...json, 1, ...varint(TRUST_PACK_LIMITS.maxNameBytes + 1))],
      ['anchors', pack(...varint(json.length), ...json, 0, ...varint(TRUST_PACK_LIMITS.maxAnchors + 1))],
      ['anchors vs bytes', pack(...varint(json.length), ...json, 0, ...varint(10_000))],
      ['groups vs bytes', pack(...varint(json.length), ...json, 0, 0, ...varint(10_000))],
      ['non-canonical varint', pack(0x80 + json.length, 0x00, ...json, 0, 0, 0), 'FORMAT'],
      ['varint over 8 bytes', pack(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 'FORMAT'],
    ];
    for (const [what, bytes, check = 'BOUND'] of cases) {
      const got = (() => { try { openTrustPack(bytes); return 'opened'; } catch (e) { return [(e as { code?: string }).code, (e as { details?: { check?: string } }).details?.check]; } })();
      expect({ what, got }).toEqual({ what, got: ['SNAPSHOT_INVALID', check] });
    }
    // The same frame with zero counts is well-formed up to its (wrong) digest.
    expect(() => openTrustPack(pack(...varint(json.length), ...json, 0, 0, 0))).toThrow(expect.objectContaining({ details: { check: 'DIGEST_MISMATCH' } }));
    // A record §6 would refuse is a malformed pack.
    const badKey = Buffer.from(JSON.stringify({ jurisdiction: J, issuers: [], keys: [{ issuerId: 'x', kid: 'k', state: 'lost' }], policies: [], revocations: [] }));
    expect(() => openTrustPack(new Uint8Array(Buffer.concat([Buffer.from(head), Buffer.from(varint(badKey.length)), badKey, Buffer.alloc(35)]))))
      .toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID', details: { check: 'FORMAT' } }));
    const L = TRUST_PACK_LIMITS;
    for (const [list, max] of [['issuers', L.maxIssuers], ['keys', L.maxKeys], ['policies', L.maxPolicies], ['revocations', L.maxJsonRevocations]] as const) {
      const tooMany = Buffer.from(JSON.stringify({ jurisdiction: J, issuers: [], keys: [], policies: [], revocations: [], [list]: new Array(max + 1).fill(0) }));
      const bytes = Buffer.concat([Buffer.from(head), Buffer.from(varint(tooMany.length)), tooMany, Buffer.alloc(35)]);
      expect({ list, e: (() => { try { openTrustPack(new Uint8Array(bytes)); } catch (e) { return (e as { details?: unknown }).details; } })() })
        .toEqual({ list, e: { check: 'BOUND' } });
    }
    // Revocation groups: their number, a position and a count past the limits, refused before reading entries.
    const groups = (...g: number[]) => pack(...varint(json.length), ...json, 0, 0, ...g, ...new Array(64).fill(0));
    for (const [what, bytes] of [
      ['groups', groups(...varint(L.maxAnchors + 1))],
      ['position', groups(1, ...varint(L.maxAnchors), 1)],
      ['count', groups(1, 0, ...varint(L.maxRevocations + 1))],
      ['count vs bytes', groups(1, 0, ...varint(1000))],
    ] as const) {
      expect({ what, e: (() => { try { openTrustPack(bytes); } catch (e) { return (e as { details?: unknown }).details; } })() }).toEqual({ what, e: { check: 'BOUND' } });
    }
  });

  it('a signed pack opens only with the pinned key and the pack typ', async () => {
    const { trust } = await world();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'mo-snap-1', alg: 'ES256' }] };
    const bytes = bytesOf(indexTrust(trust));
    const sign = (typ: string) => new CompactSign(bytes).setProtectedHeader({ alg: 'ES256', kid: 'mo-snap-1', typ }).sign(privateKey);
    expect((await openSignedTrustPack(await sign(TRUST_PACK_JWS_TYP), { jwks, jurisdiction: J })).sequence).toBe(10);
    await expect(openSignedTrustPack(await sign('hutong-trust-snapshot+jws;v=1'), { jwks, jurisdiction: J })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNATURE_INVALID' });
    const other = await generateKeyPair('ES256');
    const forged = await new CompactSign(bytes).setProtectedHeader({ alg: 'ES256', kid: 'mo-snap-1', typ: TRUST_PACK_JWS_TYP }).sign(other.privateKey);
    await expect(openSignedTrustPack(forged, { jwks, jurisdiction: J })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNATURE_INVALID' });
  });
});
