// One builder for every verification outcome; used live by verify.test.ts and frozen into test/vectors/*.json.
import { deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { encodeQr, inclusionProof, leafHashOf, merkleRoot } from '@hutong/verifier-sdk/issuer';
import { decisionOf, type Decision, type ReasonCode, type TrustSnapshot } from '@hutong/verifier-sdk';
import { base45Decode } from '../src/lib/base45';
import { QR_DICTIONARY } from '../src/lib/qr-dictionary';
import { Reader } from '../src/lib/envelope';
import { newScenario, NOW, ISSUER_ID } from './fixtures';
import { anchorAndEncode, baseClaims, framed, signRaw } from './craft';
import { signatureCases } from './cases-signatures';
import { addDecodingCases } from './cases-decoding';
import { lifetimeCases } from './cases-lifetime';
import { addTrustCases } from './cases-trust';

export interface VectorCase {
  name: string;
  qr: string;
  /** Full snapshot when it differs from the base one. */
  trust?: TrustSnapshot;
  jurisdiction: string;
  now: string;
  expected: { decision: Decision; reason: ReasonCode };
}

/** Frames arbitrary bytes as a QR with a correct CRC-16 (to reach the stages after the checksum). */
/** A well-formed proof section for a one-leaf tree: zero signature, size 1, index 0, zero root tag, empty path. */
export const MINIMAL_PROOF = Uint8Array.from([...new Array(64).fill(0), 1, 0, ...new Array(8).fill(0), 0]);

export function frame(deflated: Uint8Array, rest: Uint8Array = MINIMAL_PROOF): string {
  return framed(deflated, rest);
}

/** The same credential and proof with the credential text re-compressed with other zlib options. */
export function recompress(qr: string, options: ZlibOptions): string {
  const b = base45Decode(qr, 4)!;
  const r = new Reader(b, 0, b.length - 2);
  const text = inflateRawSync(r.take(r.varint(b.length)!)!, { dictionary: QR_DICTIONARY });
  return frame(deflateRawSync(text, { level: 9, ...options }), b.subarray(r.i, b.length - 2));
}

/** The same QR with the compact header's kid replaced by other bytes (proof and signature unchanged). */
export function withCompactKid(qr: string, kid: Uint8Array): string {
  const b = base45Decode(qr, 4)!;
  const r = new Reader(b, 0, b.length - 2);
  const text = inflateRawSync(r.take(r.varint(b.length)!)!, { dictionary: QR_DICTIONARY });
  if (text[0] !== 1) throw new Error('not a compact header');
  const rest = text.subarray(3 + text[2]!);
  const changed = Buffer.concat([text.subarray(0, 2), Buffer.from([kid.length]), kid, rest]);
  return frame(deflateRawSync(changed, { level: 9, dictionary: QR_DICTIONARY }), b.subarray(r.i, b.length - 2));
}

export async function buildCases(): Promise<{ base: TrustSnapshot; cases: VectorCase[] }> {
  const s = newScenario();
  const es = s.keys.ES256, ed = s.keys.EdDSA;
  const esHeader = { alg: 'ES256', kid: es.kid, typ: 'hutong-vc+jws;v=1' };
  const cases: VectorCase[] = [];
  const now = NOW.toISOString();
  const later: Array<() => void> = [];
  const add = (name: string, qr: string, reason: ReasonCode, o: { trust?: (t: TrustSnapshot) => void; jurisdiction?: string; now?: string } = {}): void => {
    const c: VectorCase = { name, qr, jurisdiction: o.jurisdiction ?? 'MacauMSP', now: o.now ?? now, expected: { decision: decisionOf(reason), reason } };
    if (o.trust) later.push(() => { c.trust = s.snapshot(); o.trust!(c.trust); });
    cases.push(c);
  };
  const crafted = (header: object | string, payload: object | string, o: Parameters<typeof anchorAndEncode>[3] & { highS?: boolean; key?: 'ES256' | 'EdDSA' } = {}): string => {
    const k = s.keys[o.key ?? 'ES256'];
    return anchorAndEncode(s.trust, signRaw(header, payload, k.privateJwk, { highS: o.highS ?? false }), k.kid, o).qr;
  };

  const [valid] = await s.issue('ES256', 5);
  const [validEd] = await s.issue('EdDSA', 1);
  add('valid ES256 health code (batch of 5)', valid!.qr, 'ACCEPTED');
  add('valid EdDSA health code (batch of 1)', validEd!.qr, 'ACCEPTED');
  add('snapshot older than 24 h', valid!.qr, 'SNAPSHOT_STALE', { now: '2026-11-27T08:00:00.000Z' });
  add('wrong prefix', valid!.qr.replace('HT1:', 'HT2:'), 'DECODE_PREFIX');
  add("lower-case letters (a scanner's Caps Lock) are upper-cased first (§5.6)", `HT1:${valid!.qr.slice(4).toLowerCase()}`, 'ACCEPTED');
  add("a scanner's CR LF and spaces around the text are trimmed (§5.6)", ` ${valid!.qr} \r\n`, 'ACCEPTED');
  add('a character outside the Base45 alphabet', `${valid!.qr.slice(0, 10)}#${valid!.qr.slice(11)}`, 'DECODE_BASE45');
  const mid = 4 + 300;
  add('one character changed', valid!.qr.slice(0, mid) + (valid!.qr[mid] === '0' ? '1' : '0') + valid!.qr.slice(mid + 1), 'DECODE_CHECKSUM');
  add('not a DEFLATE stream', frame(Uint8Array.from([0xff, 0xff, 0xff, 0xff])), 'DECODE_INFLATE');
  add('valid, its credential text compressed without the preset dictionary', recompress(valid!.qr, {}), 'ACCEPTED');
  const farHistory = Buffer.concat([Buffer.from('{"iss":"'.repeat(8)), Buffer.alloc(QR_DICTIONARY.length)]);
  add('DEFLATE match reaching before the start of the dictionary', frame(deflateRawSync(Buffer.from('{"iss":"'.repeat(4)), { level: 9, dictionary: farHistory })), 'DECODE_INFLATE');
  add('decompression bomb (1 MiB of zeros)', frame(deflateRawSync(new Uint8Array(1 << 20), { level: 9 })), 'DECODE_TOO_LARGE');
  add('proof section truncated', frame(deflateRawSync(Buffer.from('\u0000\u0002{}{}')), new Uint8Array(10)), 'DECODE_ENVELOPE');
  add('payload is not JSON', crafted(esHeader, 'not json'), 'DECODE_JSON');
  add('duplicate claim name', crafted(esHeader, JSON.stringify(baseClaims()).replace('"st":"green"', '"st":"red","st":"green"')), 'DECODE_DUPLICATE_KEY');
  add('duplicate header name', crafted(`{"alg":"ES256","alg":"ES256","kid":"${es.kid}","typ":"hutong-vc+jws;v=1"}`, baseClaims()), 'DECODE_DUPLICATE_KEY');
  for (const alg of ['none', 'HS256', 'RS256', 'ES384', 'ES256K']) add(`alg ${alg}`, crafted({ ...esHeader, alg }, baseClaims()), 'ALG_NOT_ALLOWED');
  add('header carries a jwk', crafted({ ...esHeader, jwk: s.trust.keys[0]!.jwk }, baseClaims()), 'HEADER_FORBIDDEN');
  for (const p of ['jku', 'x5u', 'x5c', 'crit']) add(`header carries ${p}`, crafted({ ...esHeader, [p]: p === 'crit' ? ['exp'] : 'https://evil.example/k' }, baseClaims()), 'HEADER_FORBIDDEN');
  add('typ is plain JWT', crafted({ ...esHeader, typ: 'JWT' }, baseClaims()), 'TYP_UNSUPPORTED');
  // docs/protocol.md, rule by rule: UTF-8 JSON without a byte-order mark (§2.3), numbers a double can hold and
  // strings with a UTF-8 form (§5.5), extra claims only strings, numbers and booleans (§2.3), kid ≤ 64 UTF-8 bytes
  // (§2.1) and a header ≤ 256 bytes (§2.3, also when a compact header stands for it).
  const claimsText = JSON.stringify(baseClaims());
  add('payload starts with a byte-order mark', crafted(esHeader, `\ufeff${claimsText}`), 'DECODE_JSON');
  add('literal header starts with a byte-order mark', crafted(`\ufeff${JSON.stringify(esHeader)}`, baseClaims()), 'DECODE_JSON');
  add('compact kid bytes start with a byte-order mark', withCompactKid(valid!.qr, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(es.kid)])), 'KEY_UNKNOWN');
  add('number beyond the range of a double (1e400)', crafted(esHeader, claimsText.replace('}', ',"dose":1e400}')), 'DECODE_JSON');
  add('escape leaving a surrogate unpaired', crafted(esHeader, claimsText.replace('"name":"陈*明"', '"name":"\\ud800*明"')), 'DECODE_JSON');
  add('escaped surrogate pair', crafted(esHeader, claimsText.replace('"name":"陈*明"', '"name":"\\ud83d\\ude00*明"')), 'ACCEPTED');
  add('extra claims: a string, a number and a boolean', crafted(esHeader, baseClaims({ dose: 3, lot: 'AB-12', booster: true, ratio: -0.5 })), 'ACCEPTED');
  add('extra claim is an object', crafted(esHeader, baseClaims({ dose: { n: 3 } })), 'CLAIMS_INVALID');
  add('extra claim is an array', crafted(esHeader, baseClaims({ doses: [1, 2] })), 'CLAIMS_INVALID');
  add('extra claim is null', crafted(esHeader, baseClaims({ dose: null })), 'CLAIMS_INVALID');
  add('optional registered claim is null', crafted(esHeader, baseClaims({ doc: null })), 'CLAIMS_INVALID');
  const longKid = `gd-${'k'.repeat(62)}`; // 65 bytes: only a literal header can carry it
  add('literal header with a kid of 65 bytes', anchorAndEncode(s.trust, signRaw({ typ: 'hutong-vc+jws;v=1', alg: 'ES256', kid: longKid }, baseClaims(), es.privateJwk), longKid).qr, 'CLAIMS_INVALID', {
    trust: (t) => { (t.keys as unknown[]).push({ ...t.keys[0]!, kid: longKid }); },
  });
  const escapedKid = '\u0001'.repeat(64); // 64 bytes, 384 bytes of JSON
  add('compact kid standing for a header over 256 bytes', anchorAndEncode(s.trust, signRaw({ ...esHeader, kid: escapedKid }, baseClaims(), es.privateJwk), escapedKid).qr, 'DECODE_ENVELOPE');
  add('jti shorter than 128 bits', crafted(esHeader, baseClaims({ jti: 'abc' })), 'CLAIMS_INVALID');
  add('exp is a string', crafted(esHeader, baseClaims({ exp: '2027-01-01' })), 'CLAIMS_INVALID');
  add('unknown issuer', crafted(esHeader, baseClaims({ iss: 'hk-health' })), 'ISSUER_UNKNOWN');
  add('issuer suspended', valid!.qr, 'ISSUER_INACTIVE', { trust: (t) => { (t.issuers[0] as { state: string }).state = 'suspended'; } });
  add('issuer’s organisation removed before the verification', valid!.qr, 'ISSUER_INACTIVE', { trust: (t) => { Object.assign(t.issuers[0]!, { recognisedUntil: new Date(NOW.getTime() - 1000).toISOString() }); } });
  add('issuer’s organisation removed exactly at the verification', valid!.qr, 'ISSUER_INACTIVE', { trust: (t) => { Object.assign(t.issuers[0]!, { recognisedUntil: now }); } });
  add('issuer’s organisation removed after the verification: it was recognised then', valid!.qr, 'ACCEPTED', { trust: (t) => { Object.assign(t.issuers[0]!, { recognisedUntil: new Date(NOW.getTime() + 1000).toISOString() }); } });
  add('unknown kid', crafted({ ...esHeader, kid: 'gd-hc-es-1999' }, baseClaims()), 'KEY_UNKNOWN');
  add('proposed (not yet approved) key', valid!.qr, 'KEY_UNKNOWN', { trust: (t) => { (t.keys[0] as { state: string }).state = 'proposed'; } });
  add('EdDSA header naming an ES256 key', crafted({ ...esHeader, alg: 'EdDSA' }, baseClaims()), 'KEY_ALG_MISMATCH');
  add('registered key is not a point on P-256', valid!.qr, 'KEY_ALG_MISMATCH', { trust: (t) => { Object.assign(t.keys[0]!, { jwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) } }); } });
  const anchoredAt = Date.parse(s.trust.anchors[0]!.anchoredAt);
  add('key revoked before the anchor', valid!.qr, 'KEY_REVOKED', { trust: (t) => { Object.assign(t.keys[0]!, { state: 'revoked', revokedAt: new Date(anchoredAt - 1000).toISOString() }); } });
  add('key revoked exactly at the anchor time', valid!.qr, 'KEY_REVOKED', { trust: (t) => { Object.assign(t.keys[0]!, { state: 'revoked', revokedAt: new Date(anchoredAt).toISOString() }); } });
  add('key revoked over a ledger time window after the anchor: past credentials stay valid', valid!.qr, 'ACCEPTED', { trust: (t) => { Object.assign(t.keys[0]!, { state: 'revoked', revokedAt: new Date(anchoredAt + 16 * 60_000).toISOString() }); } });
  add('key validity ended before the anchor', valid!.qr, 'KEY_NOT_VALID_AT_ANCHOR', { trust: (t) => { Object.assign(t.keys[0]!, { validUntil: new Date(anchoredAt - 1000).toISOString() }); } });
  // Snapshot times are the ledger's form (§6); Date.parse alone would roll 30 February over to 2 March.
  add('snapshot: key valid until 30 February', valid!.qr, 'SNAPSHOT_INVALID', { trust: (t) => { Object.assign(t.keys[0]!, { validUntil: '2027-02-30T00:00:00.000Z' }); } });
  add('snapshot: anchoring time at 24:00', valid!.qr, 'SNAPSHOT_INVALID', { trust: (t) => { for (const a of t.anchors) a.anchoredAt = `${a.anchoredAt.slice(0, 10)}T24:00:00.000Z`; } });
  add('snapshot: time in another format', valid!.qr, 'SNAPSHOT_INVALID', { trust: (t) => { Object.assign(t.keys[0]!, { validFrom: 'Thu, 01 Jan 2026 00:00:00 GMT' }); } });
  const sigFlipped = valid!.jws.slice(0, -5) + (valid!.jws.at(-5) === 'A' ? 'B' : 'A') + valid!.jws.slice(-4);
  add('signature altered', encodeQr({ jws: sigFlipped, root: valid!.root, proof: valid!.proof }), 'SIGNATURE_INVALID');
  add('high-S twin of a valid ES256 signature', crafted(esHeader, baseClaims(), { highS: true }), 'SIGNATURE_INVALID');
  add('signed by another key', anchorAndEncode(s.trust, signRaw(esHeader, baseClaims(), ed.privateJwk), es.kid).qr, 'SIGNATURE_INVALID');
  const iat = Math.floor(NOW.getTime() / 1000);
  add('nbf in the future', crafted(esHeader, baseClaims({ nbf: iat + 3600 })), 'NOT_YET_VALID');
  add('expired', crafted(esHeader, baseClaims({ iat: iat - 90_000, nbf: iat - 90_000, exp: iat - 3600 })), 'EXPIRED');
  const two = [leafHashOf(valid!.jws), 'ab'.repeat(32)];
  const twoRoot = merkleRoot(two);
  (s.trust.anchors as unknown[]).push({ ...s.trust.anchors[0]!, root: twoRoot, leafCount: 2, txId: 'tx-two' });
  add('wrong leaf index', encodeQr({ jws: valid!.jws, root: twoRoot, proof: { ...inclusionProof(two, 0), leafIndex: 1 } }), 'PROOF_INVALID');
  add('audit path truncated', encodeQr({ jws: valid!.jws, root: valid!.root, proof: { ...valid!.proof, path: valid!.proof.path.slice(0, -1) } }), 'PROOF_INVALID');
  add('audit path extended', encodeQr({ jws: valid!.jws, root: valid!.root, proof: { ...valid!.proof, path: [...valid!.proof.path, 'cd'.repeat(32)] } }), 'PROOF_INVALID');
  add('tree size changed', encodeQr({ jws: valid!.jws, root: valid!.root, proof: { ...valid!.proof, treeSize: 6 } }), 'PROOF_INVALID');
  add('root not anchored', valid!.qr, 'ROOT_NOT_ANCHORED', { trust: (t) => { (t as { anchors: unknown[] }).anchors = t.anchors.filter((a) => a.root !== valid!.root); } });
  add('root anchored by another issuer', valid!.qr, 'ROOT_NOT_ANCHORED', { trust: (t) => { for (const a of t.anchors) if (a.root === valid!.root) a.issuerId = 'mo-ssm'; } });
  add('root anchored under another kid', valid!.qr, 'ANCHOR_KID_MISMATCH', { trust: (t) => { for (const a of t.anchors) if (a.root === valid!.root) a.kid = ed.kid; } });
  add('credential revoked', valid!.qr, 'CREDENTIAL_REVOKED', { trust: (t) => { (t.revocations as unknown[]).push({ issuerId: ISSUER_ID, leafHash: valid!.leafHash, reason: 'status-change', revokedAt: now }); } });
  add('no policy of the verifier', valid!.qr, 'POLICY_NOT_FOUND', { jurisdiction: 'HongKongMSP' });
  add('policy withdrawn', valid!.qr, 'POLICY_INACTIVE', { trust: (t) => { t.policies[0]!.withdrawn = true; } });
  add('policy not yet in force', valid!.qr, 'POLICY_INACTIVE', { trust: (t) => { t.policies[0]!.validFrom = '2026-12-01T00:00:00.000Z'; } });
  add('issuer not registered for the type', crafted(esHeader, baseClaims({ vct: 'vaccination' })), 'TYPE_NOT_RECOGNISED', { trust: (t) => { (t.policies as unknown[]).push({ ...t.policies[0]!, credentialType: 'vaccination' }); } });
  add('status without mapping', crafted(esHeader, baseClaims({ st: 'purple' })), 'STATUS_UNMAPPED');
  add('mapped status not accepted', crafted(esHeader, baseClaims({ st: 'yellow' })), 'STATUS_NOT_ACCEPTED');
  add('older than Macau\'s 6 h maximum', crafted(esHeader, baseClaims({ iat: iat - 7 * 3600, nbf: iat - 7 * 3600 })), 'CREDENTIAL_TOO_OLD');
  await signatureCases(s, add);
  addDecodingCases(s, add);
  lifetimeCases(s, add, valid!);
  addTrustCases({ s, add, crafted, valid: valid! });
  later.forEach((f) => f());
  return { base: s.snapshot(), cases };
}
