// Regenerates test/vectors/worked-example.json (the bytes pasted in docs/protocol.md §Worked example).
// Deterministic: Ed25519 from a fixed test seed, fixed jti and times. Run after `tsc -b`:
//   node test/vectors/generate-worked-example.mjs
import { writeFileSync } from 'node:fs';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'verifier-sdk', 'dist');
const issuer = await import(join(dist, 'issuer', 'index.js'));
const sdk = await import(join(dist, 'index.node.js'));
const { encodeCredentialText } = await import(join(dist, 'lib', 'envelope.js'));
const { QR_DICTIONARY } = await import(join(dist, 'lib', 'qr-dictionary.js'));

const b64u = (b) => Buffer.from(b).toString('base64url');
const seed = Buffer.alloc(32, 0x11); // TEST KEY ONLY
const privateJwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(ed25519.getPublicKey(seed)), d: b64u(seed) };
const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x };
const kid = 'gd-hc-2026-01';
const issuerId = 'gd-health-code';
const periodKey = Buffer.alloc(32, 0x22); // TEST KEY ONLY
const sub = issuer.pseudonym(periodKey, issuer.normaliseId('HRP', 'H12345678'));
const header = JSON.stringify({ alg: 'EdDSA', kid, typ: 'hutong-vc+jws;v=1' });
const claims = {
  iss: issuerId, jti: 'AAECAwQFBgcICQoLDA0ODw', iat: 1795676400, nbf: 1795676400, exp: 1795762800,
  vct: 'health-code', st: 'green', sub, name: issuer.maskName('陈大明'), doc: issuer.documentHint('HRP', 'H12345678'),
};
const payload = JSON.stringify(claims);
const signingInput = `${b64u(header)}.${b64u(payload)}`;
const signature = sign(null, Buffer.from(signingInput), createPrivateKey({ key: privateJwk, format: 'jwk' }));
const jws = `${signingInput}.${b64u(signature)}`;
const leafHash = issuer.leafHashOf(jws);
// A batch of three: our credential at index 2, two other leaves (hashes of other credentials).
const others = ['first', 'second'].map((s) => createHash('sha256').update(s).digest('hex'));
const leaves = [...others, leafHash];
const root = issuer.merkleRoot(leaves);
const proof = issuer.inclusionProof(leaves, 2);
const qr = issuer.encodeQr({ jws, root, proof });
const text = encodeCredentialText({ header: Buffer.from(header), payload: Buffer.from(payload) });
const deflated = deflateRawSync(text, { level: 9, dictionary: QR_DICTIONARY });
const frame = Buffer.from(sdk && (await import(join(dist, 'lib', 'base45.js'))).base45Decode(qr, 4));

const trust = {
  version: 1, jurisdiction: 'MacauMSP', generatedAt: '2026-11-26T07:30:00.000Z',
  issuers: [{ id: issuerId, ownerMsp: 'GuangdongMSP', jurisdiction: 'guangdong', displayName: '广东省健康码中心', credentialTypes: ['health-code'], state: 'active' }],
  keys: [{ issuerId, kid, jwk: publicJwk, alg: 'EdDSA', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-01-01T00:00:00.000Z', state: 'active' }],
  policies: [{ recognisingMsp: 'MacauMSP', issuerId, credentialType: 'health-code', statusMapping: { green: 'green', yellow: 'yellow', red: 'red' }, acceptedStatuses: ['green'], maxAgeSeconds: 21600, validFrom: '2026-01-01T00:00:00.000Z', version: 1, withdrawn: false }],
  anchors: [{ root, issuerId, kid, leafCount: 3, anchoredAt: '2026-11-26T07:00:02.000Z', txId: 'f3a1c0de'.repeat(8), anchoredBy: 'GuangdongMSP', blockNumber: 1234 }],
  revocations: [],
};
const now = '2026-11-26T08:00:00.000Z';
const result = await sdk.verify(qr, { trust, jurisdiction: 'MacauMSP', now: new Date(now) });
const example = {
  testOnlyKeys: { ed25519Seed: seed.toString('hex'), periodKey: periodKey.toString('hex') },
  publicJwk, header, payload, signingInput, signature: signature.toString('hex'), jws,
  leafInputPrefixHex: Buffer.from('\u0000hutong/vc-leaf/v1\u0000').toString('hex'),
  leafHash, otherLeaves: others, root, proof,
  credentialTextHex: Buffer.from(text).toString('hex'), deflatedHex: deflated.toString('hex'),
  frameHex: frame.toString('hex'), qr, qrLength: qr.length, trust, now, result,
};
writeFileSync(join(here, 'worked-example.json'), `${JSON.stringify(example, null, 1)}\n`);
console.log(JSON.stringify(example, null, 1));
