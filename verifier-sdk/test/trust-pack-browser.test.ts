/**
 * Trust packs in the browser build: the decoder is the `./trust-pack` subpath (the default entry point stays within
 * its budget without it), bundles with no Node built-in, and gives the WebCrypto build's trust store its opener.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { encodeTrustPack, indexTrust } from '../src/index.node';
import { newTrustStore } from '../src/index';
import { openSignedTrustPack, TRUST_PACK_JWS_TYP } from '../src/trust-pack/index';
import { NOW, newScenario } from './fixtures';

test('the ./trust-pack subpath bundles for browsers with no node: import and no encoder, ≤ 16 KB min+gz on its own', async () => {
  const result = await build({
    entryPoints: [join(__dirname, '..', 'src/trust-pack/index.ts')], bundle: true, minify: true, format: 'esm', platform: 'browser',
    write: false, metafile: true, logLevel: 'silent',
  });
  for (const out of Object.values(result.metafile.outputs)) expect(out.imports.filter((i) => i.path.startsWith('node:'))).toEqual([]);
  expect(Object.keys(result.metafile.inputs).filter((i) => /trust-pack-encoder|node-backend|issuer\//.test(i))).toEqual([]);
  // On its own it carries jose's JWS verification and the trust index too, which an app shares with the entry point.
  expect(gzipSync(result.outputFiles[0]!.text).length).toBeLessThanOrEqual(16 * 1024);
}, 30_000);

test('the WebCrypto trust store takes packs with the subpath opener, and says what is missing without it', async () => {
  const s = newScenario();
  const [c] = await s.issue('ES256', 1);
  const trust = s.snapshot({ generatedAt: new Date(NOW.getTime() - 600_000).toISOString() });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'mo', alg: 'ES256' }] };
  const jws = await new CompactSign(encodeTrustPack(indexTrust(trust), { jurisdiction: 'MacauMSP', sequence: 1 }))
    .setProtectedHeader({ alg: 'ES256', kid: 'mo', typ: TRUST_PACK_JWS_TYP }).sign(privateKey);
  const options = { fetchPack: async () => jws, jwks, jurisdiction: 'MacauMSP', refreshIntervalSeconds: 0 };
  expect(() => newTrustStore(options)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  const store = newTrustStore({ ...options, openPack: openSignedTrustPack });
  await store.ready();
  expect((await store.verify(c!.qr, { now: NOW })).reason).toBe('ACCEPTED');
  store.close();
});
