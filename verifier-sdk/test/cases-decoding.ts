// Vectors for the decoding and claim-format rules of docs/protocol.md (#15 items 1, 6–11, 15): each rule at its
// boundary, and each tie between two defects settled by the decoding order of §5.7. Called from buildCases().
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { impliedRootOfLeaf, leafHashOf, type HexInclusionProof } from '@hutong/verifier-sdk/issuer';
import type { ReasonCode, TrustSnapshot } from '@hutong/verifier-sdk';
import { base45Decode } from '../src/lib/base45';
import { encodeCredentialText, encodeProofSection, encodeVarint, Reader } from '../src/lib/envelope';
import { QR_DICTIONARY } from '../src/lib/qr-dictionary';
import { anchorRoot, baseClaims, framed, qrOf, signRaw } from './craft';
import type { Scenario } from './fixtures';

export type AddCase = (name: string, qr: string, reason: ReasonCode, o?: { trust?: (t: TrustSnapshot) => void }) => void;

const TYP = 'hutong-vc+jws;v=1';
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const fromB64u = (s: string): Buffer => Buffer.from(s, 'base64url');
const hash = (k: number): string => Buffer.alloc(32, k).toString('hex');

/** A credential text with a literal header (flags 0x00), whatever the header is (§5.3). */
function literalText(header: Uint8Array, payload: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from([0]), encodeVarint(header.length), header, payload]);
}

/** A compact credential text from raw parts: alg byte, kid bytes (any), payload bytes. */
function compactText(alg: number, kid: Uint8Array, payload: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from([1, alg, kid.length]), kid, payload]);
}

/** One stored DEFLATE block holding `text`, its 5 padding bits (between the block header and LEN) given. */
function stored(text: Uint8Array, paddingBits = 0): Uint8Array {
  const n = text.length;
  return Buffer.concat([Buffer.from([0x01 | (paddingBits << 3), n & 0xff, n >> 8, ~n & 0xff, (~n >> 8) & 0xff]), text]);
}

const deflate = (text: Uint8Array): Uint8Array => deflateRawSync(text, { level: 9, dictionary: QR_DICTIONARY });

interface Proof { treeSize: number; leafIndex: number; path: string[] }

/** The proof section bytes (signature, tree size, leaf index, root tag, path) for `root`. */
function proofSection(signature: Uint8Array, proof: Proof, root: string): Uint8Array {
  return encodeProofSection({
    signature, treeSize: proof.treeSize, leafIndex: proof.leafIndex,
    rootTag: Buffer.from(root, 'hex').subarray(0, 8), path: proof.path.map((h) => Buffer.from(h, 'hex')),
  });
}

/** The valid proof shape for (leafIndex, treeSize): the path length RFC 9162 §2.1.3.2 accepts, filled with made-up hashes. */
function proofFor(leafHash: string, leafIndex: number, treeSize: number): { proof: HexInclusionProof; root: string } {
  for (let n = 0; n <= 64; n++) {
    const proof = { leafIndex, treeSize, path: Array.from({ length: n }, (_, k) => hash(k + 1)) };
    const root = impliedRootOfLeaf(leafHash, proof);
    if (root !== undefined) return { proof, root };
  }
  throw new Error(`no proof shape for leaf ${leafIndex} of ${treeSize}`);
}

export function addDecodingCases(s: Scenario, addCase: AddCase): void {
  const es = s.keys.ES256;
  // A built credential's anchor is recorded only for a vector that reaches the anchor (fewer anchors in every
  // snapshot of the vector file; a verifier that wrongly got past an earlier refusal still gives another answer).
  const pending = new Map<string, () => void>();
  const add: AddCase = (name, qr, reason, o) => {
    if (!/^(DECODE_|CLAIMS_INVALID|TYP_UNSUPPORTED)/.test(reason)) pending.get(qr)?.();
    addCase(name, qr, reason, o);
  };
  const esHeader = { alg: 'ES256', kid: es.kid, typ: TYP };
  /**
   * Signs header and payload text, frames it with a proof for (leafIndex, treeSize) — the credential text made
   * into DEFLATE bytes by `pack` — and keeps the anchor of its root for `add`.
   */
  const build = (header: object | string, payload: object | string, o: {
    leafIndex?: number; treeSize?: number; kid?: string; literal?: boolean; pack?: (text: Uint8Array) => Uint8Array;
  } = {}): string => {
    const jws = signRaw(header, payload, es.privateJwk);
    const [h, p, sig] = jws.split('.').map(fromB64u) as [Buffer, Buffer, Buffer];
    const { proof, root } = proofFor(leafHashOf(jws), o.leafIndex ?? 0, o.treeSize ?? 1);
    const text = o.literal ? literalText(h, p) : encodeCredentialText({ header: h, payload: p });
    const qr = framed((o.pack ?? deflate)(text), proofSection(sig, proof, root));
    pending.set(qr, () => anchorRoot(s.trust, root, o.kid ?? es.kid, proof.treeSize));
    return qr;
  };
  /** A credential whose decoding fails before the signature matters: any credential text, a one-leaf proof. */
  const undecodable = (text: Uint8Array): string => framed(deflate(text), proofSection(new Uint8Array(64), { treeSize: 1, leafIndex: 0, path: [] }, hash(9)));
  const claims = baseClaims();
  const claimsText = JSON.stringify(claims);
  const iat = claims.iat as number, exp = claims.exp as number;
  const withClaim = (name: string, raw: string): string => claimsText.replace(`"${name}":${JSON.stringify(claims[name])}`, `"${name}":${raw}`);

  // Item 1 — leafIndex and treeSize are frame fields (§5.4): out of range is DECODE_ENVELOPE, never PROOF_INVALID.
  const signed = signRaw(esHeader, claims, es.privateJwk);
  const sig = fromB64u(signed.split('.')[2]!);
  const text = deflate(encodeCredentialText({ header: fromB64u(signed.split('.')[0]!), payload: fromB64u(signed.split('.')[1]!) }));
  const sectionOf = (treeSize: number, leafIndex: number, path: string[]): Uint8Array => proofSection(sig, { treeSize, leafIndex, path }, hash(7));
  add('leaf index equal to the tree size (§5.4)', framed(text, sectionOf(2, 2, [hash(1)])), 'DECODE_ENVELOPE');
  add('tree size 0 (§5.4)', framed(text, sectionOf(0, 0, [])), 'DECODE_ENVELOPE');
  add('tree size 2^40 + 1 (§5.4)', framed(text, sectionOf(2 ** 40 + 1, 0, Array.from({ length: 41 }, (_, k) => hash(k + 1)))), 'DECODE_ENVELOPE');
  add('tree size 2^40, last leaf (index 2^40 − 1, 40 hashes) (§5.4)', build(esHeader, claims, { treeSize: 2 ** 40, leafIndex: 2 ** 40 - 1 }), 'ACCEPTED');

  // Item 6 — the 4,296-character limit counts the whole text, HT1: included; len(D) must fit in the frame.
  // A tree of 2^23 leaves (23 hashes) and a stored DEFLATE block make a frame of exactly 2,861 bytes = 4,292 digits.
  const sized = (payloadBytes: number): string => {
    const base = JSON.stringify(baseClaims({ pad: '' }));
    return build(esHeader, base.replace('"pad":""', `"pad":"${'p'.repeat(payloadBytes - Buffer.byteLength(base))}"`), { treeSize: 2 ** 23, pack: stored });
  };
  const largest = sized(2022);
  if (largest.length !== 4296) throw new Error(`expected 4,296 characters, built ${largest.length}`);
  add('QR text of exactly 4,296 characters, HT1: included (§5.5)', largest, 'ACCEPTED');
  add('QR text of 4,296 characters and a scanner\'s CR LF (§5.5, §5.6)', `${largest}\r\n`, 'ACCEPTED');
  add('QR text of 4,297 characters, otherwise valid (§5.5)', sized(2023), 'DECODE_TOO_LARGE');
  add('text of 4,297 characters without the HT1: prefix: the prefix is checked first (§5.7)', `HT2:${sized(2023).slice(4)}`, 'DECODE_PREFIX');
  add('len(D) reaching past the frame (§5.2)', qrOf(Buffer.concat([encodeVarint(4000), deflate(Buffer.from('\u0000\u0002{}{}'))])), 'DECODE_ENVELOPE');

  // Item 7 — nesting depth: the header or payload object is depth 1; depth 8 decodes (an extra claim that is an
  // array is then CLAIMS_INVALID at step 4), depth 9 is DECODE_JSON, even an empty array or object.
  const nested = (open: string, close: string, n: number, inner: string): string => withClaim('doc', `${open.repeat(n)}${inner}${close.repeat(n)}`);
  add('payload nested 8 deep (7 arrays in the payload object): decodes, claim invalid (§5.5)', build(esHeader, nested('[', ']', 7, '1')), 'CLAIMS_INVALID');
  add('payload nested 8 deep, innermost empty (§5.5)', build(esHeader, nested('[', ']', 6, '[]')), 'CLAIMS_INVALID');
  add('payload nested 8 deep in objects (§5.5)', build(esHeader, nested('{"a":', '}', 7, '1')), 'CLAIMS_INVALID');
  add('payload nested 9 deep (8 arrays in the payload object) (§5.5)', build(esHeader, nested('[', ']', 8, '1')), 'DECODE_JSON');
  add('payload nested 9 deep, innermost empty (§5.5)', build(esHeader, nested('[', ']', 7, '[]')), 'DECODE_JSON');
  add('payload nested 9 deep in objects, innermost empty (§5.5)', build(esHeader, nested('{"a":', '}', 7, '{}')), 'DECODE_JSON');

  // Item 8 — a literal header's kid is a claim (§2.3, step 4): over 64 UTF-8 bytes is CLAIMS_INVALID, after the
  // header and payload decoded and after the header checks of step 3.
  const kid65 = `gd-${'k'.repeat(62)}`;
  add('literal kid of 65 bytes with typ JWT: step 3 comes first (§7)', build({ alg: 'ES256', kid: kid65, typ: 'JWT' }, claims, { kid: kid65 }), 'TYP_UNSUPPORTED');
  add('literal kid of 65 bytes and a duplicate claim: decoding comes first (§7)', build({ ...esHeader, kid: kid65 }, claimsText.replace('"st":"green"', '"st":"red","st":"green"'), { kid: kid65 }), 'DECODE_DUPLICATE_KEY');
  const kidCjk64 = `${'钥'.repeat(21)}k`; // 21 × 3 + 1 = 64 UTF-8 bytes, 22 UTF-16 code units
  const kidCjk66 = '钥'.repeat(22); // 66 bytes
  (s.trust.keys as unknown[]).push({ ...s.trust.keys.find((k) => k.kid === es.kid)!, kid: kidCjk64 });
  add('literal kid of 64 UTF-8 bytes (21 CJK characters and 1 ASCII) (§2.3)', build({ ...esHeader, kid: kidCjk64 }, claims, { kid: kidCjk64, literal: true }), 'ACCEPTED');
  add('literal kid of 66 UTF-8 bytes (22 CJK characters) (§2.3)', build({ ...esHeader, kid: kidCjk66 }, claims, { kid: kidCjk66, literal: true }), 'CLAIMS_INVALID');

  // Item 9 — claim formats (§2.3). Strings count UTF-16 code units; integers are judged by their value.
  const astral = '\u{1F600}';
  add('sub of 256 UTF-16 code units (128 characters above U+FFFF) (§2.3)', build(esHeader, baseClaims({ sub: astral.repeat(128) })), 'ACCEPTED');
  add('sub of 257 UTF-16 code units (129 code points: 128 above U+FFFF and 1 ASCII) (§2.3)', build(esHeader, baseClaims({ sub: `${astral.repeat(128)}A` })), 'CLAIMS_INVALID');
  add('sub of 256 CJK characters (768 UTF-8 bytes) (§2.3)', build(esHeader, baseClaims({ sub: '明'.repeat(256) })), 'ACCEPTED');
  add('sub empty (§2.3)', build(esHeader, baseClaims({ sub: '' })), 'CLAIMS_INVALID');
  add(`iat written ${iat}.0 (§2.3)`, build(esHeader, withClaim('iat', `${iat}.0`)), 'ACCEPTED');
  add(`nbf written ${iat / 100}e2 (§2.3)`, build(esHeader, withClaim('nbf', `${iat / 100}e2`)), 'ACCEPTED');
  const expE9 = `${String(exp)[0]}.${String(exp).slice(1).replace(/0+$/, '')}e9`;
  add(`exp written ${expE9} (§2.3)`, build(esHeader, withClaim('exp', expE9)), 'ACCEPTED');
  add(`iat written ${iat}.0000001, whose nearest double is an integer (§2.3)`, build(esHeader, withClaim('iat', `${iat}.0000001`)), 'ACCEPTED');
  add('nbf written -0 (value 0) (§2.3)', build(esHeader, withClaim('nbf', '-0')), 'ACCEPTED');
  add(`iat fractional (${iat}.5) (§2.3)`, build(esHeader, withClaim('iat', `${iat}.5`)), 'CLAIMS_INVALID');
  add('nbf negative (-1) (§2.3)', build(esHeader, withClaim('nbf', '-1')), 'CLAIMS_INVALID');
  add('exp 2^53 − 1, the largest NumericDate (§2.3)', build(esHeader, withClaim('exp', '9007199254740991')), 'ACCEPTED');
  add('exp 2^53 (§2.3)', build(esHeader, withClaim('exp', '9007199254740992')), 'CLAIMS_INVALID');
  add('exp 9007199254740993, whose nearest double is 2^53 (§2.3)', build(esHeader, withClaim('exp', '9007199254740993')), 'CLAIMS_INVALID');
  add('exp 1e16 (§2.3)', build(esHeader, withClaim('exp', '1e16')), 'CLAIMS_INVALID');
  add('jti of 25 characters (length ≡ 1 mod 4: alphabet and length only) (§2.3)', build(esHeader, baseClaims({ jti: 'AAECAwQFBgcICQoLDA0ODwQx1' })), 'ACCEPTED');
  add('jti of 22 characters (§2.3)', build(esHeader, baseClaims({ jti: 'A'.repeat(22) })), 'ACCEPTED');
  add('jti of 21 characters (§2.3)', build(esHeader, baseClaims({ jti: 'A'.repeat(21) })), 'CLAIMS_INVALID');
  add('jti of 86 characters (§2.3)', build(esHeader, baseClaims({ jti: '_-'.repeat(43) })), 'ACCEPTED');
  add('jti of 87 characters (§2.3)', build(esHeader, baseClaims({ jti: `${'_-'.repeat(43)}A` })), 'CLAIMS_INVALID');
  add('jti in the base64 (not base64url) alphabet (§2.3)', build(esHeader, baseClaims({ jti: `${'A'.repeat(20)}+/` })), 'CLAIMS_INVALID');
  add('jti with base64 padding (§2.3)', build(esHeader, baseClaims({ jti: `${'A'.repeat(22)}==` })), 'CLAIMS_INVALID');
  add('iat is null (§2.3)', build(esHeader, baseClaims({ iat: null })), 'CLAIMS_INVALID');
  add('iat is true (§2.3)', build(esHeader, baseClaims({ iat: true })), 'CLAIMS_INVALID');
  add('vct is an object (§2.3)', build(esHeader, baseClaims({ vct: { v: 'health-code' } })), 'CLAIMS_INVALID');
  add('extra claim is an empty array (§2.3)', build(esHeader, baseClaims({ lots: [] })), 'CLAIMS_INVALID');

  // Item 10 — the decoding order of §5.7, one tie at a time.
  add('frame of 0 bytes (HT1: alone) (§5.7)', 'HT1:', 'DECODE_CHECKSUM');
  add('frame of 1 byte (§5.7)', 'HT1:00', 'DECODE_CHECKSUM');
  add('frame of 2 bytes that match their CRC-16 (FFFF, empty body) (§5.7)', qrOf(new Uint8Array(0)), 'DECODE_ENVELOPE');
  add('frame of 2 bytes that do not match (§5.7)', 'HT1:000', 'DECODE_CHECKSUM');
  add('truncated proof section and an invalid DEFLATE stream: the frame first (§5.7)', framed(Uint8Array.from([0xff, 0xff, 0xff]), new Uint8Array(10)), 'DECODE_ENVELOPE');
  add('decompression bomb with a truncated proof section: the frame first (§5.7)', framed(deflateRawSync(new Uint8Array(1 << 20), { level: 9 }), new Uint8Array(10)), 'DECODE_ENVELOPE');
  const payload = utf8(claimsText);
  const kidBytes = utf8(es.kid);
  add('compact alg byte 3 (§5.3)', undecodable(compactText(3, kidBytes, payload)), 'DECODE_ENVELOPE');
  add('compact alg byte 0 (§5.3)', undecodable(compactText(0, kidBytes, payload)), 'DECODE_ENVELOPE');
  add('compact kid of 65 bytes (§5.3)', undecodable(compactText(1, utf8(kid65), payload)), 'DECODE_ENVELOPE');
  const notUtf8Kid = Buffer.concat([Buffer.from([0xff]), kidBytes]);
  add('compact kid that is not UTF-8 (§5.7)', undecodable(compactText(1, notUtf8Kid, payload)), 'DECODE_JSON');
  add('compact kid not UTF-8 and an empty payload: the credential text first (§5.7)', undecodable(compactText(1, notUtf8Kid, new Uint8Array(0))), 'DECODE_ENVELOPE');
  add('compact kid not UTF-8 standing for over 256 header bytes: lengths first (§5.3, §5.7)', undecodable(compactText(1, Buffer.concat([Buffer.alloc(40, 1), Buffer.from([0xff])]), payload)), 'DECODE_ENVELOPE');
  add('literal header of 257 bytes that is not JSON: lengths first (§5.7)', undecodable(literalText(Buffer.alloc(257, 0x41), payload)), 'DECODE_ENVELOPE');
  const dup = claimsText.replace('"st":"green"', '"st":"red","st":"green"');
  add('duplicate claim, then a syntax error: syntax wins (§5.7)', build(esHeader, dup.replace(/}$/, ',}')), 'DECODE_JSON');
  add('duplicate claim, then a value nested 9 deep (§5.7)', build(esHeader, dup.replace(/}$/, `,"x":${'['.repeat(8)}${']'.repeat(8)}}`)), 'DECODE_JSON');
  add('duplicate claim, then an unpaired surrogate (§5.7)', build(esHeader, dup.replace('"name":"陈*明"', '"name":"\\ud800"')), 'DECODE_JSON');
  add('duplicate claim, then 1e400 (§5.7)', build(esHeader, dup.replace(/}$/, ',"dose":1e400}')), 'DECODE_JSON');
  add('payload an array holding an object with a duplicate name (§5.7)', build(esHeader, `[${dup}]`), 'DECODE_JSON');
  add('duplicate header name, and a payload that is not JSON: the header first (§5.7)', build(`{"alg":"ES256","alg":"ES256","kid":"${es.kid}","typ":"${TYP}"}`, 'not json'), 'DECODE_DUPLICATE_KEY');
  add('header not JSON, and a duplicate claim: the header first (§5.7)', build(`{"alg":"ES256","kid":"${es.kid}","typ":"${TYP}"`, dup), 'DECODE_JSON');
  add('literal header not UTF-8, and a duplicate claim: the header first (§5.7)', undecodable(literalText(Buffer.concat([utf8('{"alg":"ES256","kid":"'), Buffer.from([0xc3, 0x28]), utf8(`","typ":"${TYP}"}`)]), utf8(dup))), 'DECODE_JSON');

  // Item 11 — DEFLATE padding bits are ignored (the QR text is not canonical, the credential is).
  add('stored block with its padding bits before LEN set (§5.2)', build(esHeader, claims, { pack: (t) => stored(t, 0x1f) }), 'ACCEPTED');
  const [padded, unpadded] = withPaddingSet((dose) => build(esHeader, baseClaims({ dose })));
  pending.set(padded, pending.get(unpadded)!);
  add('final block followed by padding bits set to 1 (§5.2)', padded, 'ACCEPTED');

  // Item 15 — a literal header that the compact form could have carried is accepted.
  add('literal header that could have been compact (§5.3)', build(esHeader, claims, { literal: true }), 'ACCEPTED');
  add('literal header with white space, which no compact form gives (§5.3)', build(JSON.stringify(esHeader, null, 1), claims, { literal: true }), 'ACCEPTED');
}

/**
 * A QR of `make(n)` (the first n = 1, 2, … whose final DEFLATE block does not end on a byte boundary) with every
 * padding bit after the final block set to 1: the highest bits of the last byte that can be set while zlib still
 * inflates the same text.
 */
function withPaddingSet(make: (n: number) => string): [padded: string, original: string] {
  for (let n = 1; n <= 16; n++) {
    const qr = make(n);
    const padded = paddingSet(qr);
    if (padded !== null) return [padded, qr];
  }
  throw new Error('no credential with padding bits');
}

function paddingSet(qr: string): string | null {
  const b = base45Decode(qr, 4)!;
  const r = new Reader(b, 0, b.length - 2);
  const deflated = Buffer.from(r.take(r.varint(b.length)!)!);
  const rest = b.subarray(r.i, b.length - 2);
  const text = inflateRawSync(deflated, { dictionary: QR_DICTIONARY });
  const last = deflated.length - 1;
  let padded: Buffer | null = null;
  for (let k = 7; k >= 0; k--) {
    const d = Buffer.from(deflated);
    d[last] = d[last]! | ((0xff << k) & 0xff);
    if (!inflatesTo(d, text)) break;
    padded = d;
  }
  if (padded === null || padded.equals(deflated)) return null;
  return framed(padded, rest);
}

function inflatesTo(deflated: Uint8Array, text: Uint8Array): boolean {
  try {
    return inflateRawSync(deflated, { dictionary: QR_DICTIONARY }).equals(text);
  } catch {
    return false; // a consumed bit changed: not a padding bit
  }
}
