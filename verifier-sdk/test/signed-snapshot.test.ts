/** Opening a signed trust snapshot: only the pinned organisation's ES256 key and the snapshot `typ` are accepted. */
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { openSignedSnapshot, SNAPSHOT_JWS_TYP } from '../src/index.node';

const snapshot = { version: 1, jurisdiction: 'MacauMSP', generatedAt: '2026-11-26T07:00:00.000Z', issuers: [], keys: [], policies: [], anchors: [], revocations: [] };

async function signer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'mo-snap-1', alg: 'ES256' }] };
  const sign = (payload: unknown, header: Record<string, unknown> = {}) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', kid: 'mo-snap-1', typ: SNAPSHOT_JWS_TYP, ...header }).sign(privateKey);
  return { jwks, sign };
}

describe('openSignedSnapshot', () => {
  it('returns the snapshot signed by the pinned key', async () => {
    const { jwks, sign } = await signer();
    expect(await openSignedSnapshot(await sign(snapshot), { jwks, jurisdiction: 'MacauMSP' })).toEqual(snapshot);
  });

  it('refuses another key, a changed payload, another typ, alg none and garbage', async () => {
    const { jwks, sign } = await signer();
    const other = await signer();
    const jws = await sign(snapshot);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...snapshot, revocations: [{ x: 1 }] })).toString('base64url')}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: SNAPSHOT_JWS_TYP })).toString('base64url')}.${p}.`;
    for (const bad of [await other.sign(snapshot), tampered, await sign(snapshot, { typ: 'JWT' }), none, 'not-a-jws', 42 as unknown as string]) {
      await expect(openSignedSnapshot(bad, { jwks, jurisdiction: 'MacauMSP' })).rejects.toMatchObject({ code: 'SNAPSHOT_SIGNATURE_INVALID' });
    }
  });

  it('refuses a validly signed payload that is not a snapshot of the expected jurisdiction', async () => {
    const { jwks, sign } = await signer();
    await expect(openSignedSnapshot(await sign(snapshot), { jwks, jurisdiction: 'GuangdongMSP' })).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
    await expect(openSignedSnapshot(await sign({ ...snapshot, version: 2 }), { jwks, jurisdiction: 'MacauMSP' })).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
    await expect(openSignedSnapshot(await sign(['x']), { jwks, jurisdiction: 'MacauMSP' })).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
  });
});
