// QR text → credential parts: prefix, Base45, CRC-16, raw DEFLATE (preset dictionary), envelope, strict JSON (docs/protocol.md §QR).
import { normaliseScan } from './scanned-text.js';
import { HutongSdkError } from './errors.js';
import type { DecodeReasonCode } from './reason-codes.js';
import type { CryptoBackend } from './lib/crypto-backend.js';
import { base45Decode } from './lib/base45.js';
import { toHex } from './lib/hex.js';
import { compactHeader, readCredentialText, readProofSection, Reader, type CredentialTextTarget } from './lib/envelope.js';
import { LEAF_PREFIX, leafInputOf } from './lib/leaf-input.js';
import { inflateRawView } from './lib/inflate.js';
import { QR_DICTIONARY } from './lib/qr-dictionary.js';
import { JsonError, parseStrictJsonObject, type JsonShape, type JsonValue } from './lib/strict-json.js';
import { MAX_INFLATED_BYTES, MAX_QR_CHARS, QR_PREFIX, ROOT_TAG_BYTES } from './lib/limits.js';

/**
 * An RFC 9162 inclusion proof as carried in the QR.
 *
 * @example
 * ```ts
 * const { proof } = await decodeQr(qr); // { leafIndex: 2, treeSize: 3, path: [Uint8Array(32)] }
 * ```
 */
export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** Audit path, leaf to root, 32-byte hashes. */
  path: readonly Uint8Array[];
}

/**
 * A decoded but not yet verified credential. Nothing in it is trustworthy until `verify` says ACCEPT.
 *
 * @example
 * ```ts
 * const d: DecodedCredential = await decodeQr(qr);
 * console.log(d.header.kid, d.claims.vct, d.rootTag); // look-ups only; decide with verify()
 * ```
 */
export interface DecodedCredential {
  header: Readonly<Record<string, JsonValue>>;
  claims: Readonly<Record<string, JsonValue>>;
  /** The compact JWS `b64u(header).b64u(payload).b64u(signature)`. */
  jws: string;
  /** `b64u(header).b64u(payload)` — the bytes that were signed and that the leaf hash covers. */
  signingInput: string;
  signature: Uint8Array;
  proof: InclusionProof;
  /** The anchor reference: the first 8 bytes of the Merkle root, lower-case hex. */
  rootTag: string;
}

function fail(code: DecodeReasonCode, message: string, cause?: unknown): never {
  throw new HutongSdkError(code, message, cause === undefined ? undefined : { cause });
}

// ignoreBOM: a leading byte-order mark stays in the text (as U+FEFF, which no JSON text may start with) instead of
// being dropped silently: the signed bytes would then hold more than the JSON the verifier read.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8, then a JSON object (DECODE_JSON), then no duplicate name (DECODE_DUPLICATE_KEY): docs/protocol.md §5.7. */
function jsonObject(bytes: Uint8Array, what: string, shape?: JsonShape): Record<string, JsonValue> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    fail('DECODE_JSON', `${what} is not UTF-8`, e);
  }
  try {
    return parseStrictJsonObject(text, shape);
  } catch (e) {
    if (e instanceof JsonError && e.duplicateKey) fail('DECODE_DUPLICATE_KEY', `${what} has a duplicate member name`);
    fail('DECODE_JSON', `${what} is not a JSON object`, e);
  }
}

const EMPTY = new Uint8Array(0);

/**
 * A decoded frame as the verifier uses it: no strings beyond the parsed JSON, the audit path left in the frame
 * bytes, and the leaf input (which contains the signing input) built straight from the header and payload bytes.
 * One object per decode (verifications may interleave across awaits, so nothing here is shared).
 */
export class Frame implements JsonShape {
  /** The Base45-decoded frame; signature, root tag and audit path point into it. */
  raw: Uint8Array = EMPTY;
  /** CRC-16 of the frame bytes before the checksum, computed while decoding Base45. */
  crc = -1;
  signature: Uint8Array = EMPTY;
  treeSize = 0;
  leafIndex = 0;
  /** Offset in `raw` of the 8-byte root tag. */
  rootTagAt = 0;
  /** Offset in `raw` of the audit path, `pathLength` hashes of 32 bytes, leaf to root. */
  pathAt = 0;
  pathLength = 0;
  headerObject: Readonly<Record<string, JsonValue>> = {};
  claims: Record<string, JsonValue> = {};
  /** Every claim is a string, number or boolean (docs/protocol.md §2.3), as the parser saw it. */
  scalarMembers = false;
  /** 0x00 ‖ leaf domain ‖ `b64u(header).b64u(payload)` (docs/protocol.md §4.1). */
  leafInput: Uint8Array = EMPTY;
  /** The signing input: the tail of `leafInput`. */
  signingInput: Uint8Array = EMPTY;
}

/**
 * Decodes a scanned text (normalised first: scanned-text.ts), synchronously; throws HutongSdkError with a DECODE_*
 * code, the first defect in the order of docs/protocol.md §5.7.
 */
export function decodeFrame(scanned: unknown): Frame {
  if (typeof scanned !== 'string') fail('DECODE_PREFIX', 'not a string');
  // Whitespace around a text of twice the cap is still normalised; a longer text is taken as it is (it cannot pass
  // the size check, and normalising it would be work for nothing).
  const qr = scanned.length > 2 * MAX_QR_CHARS ? scanned : normaliseScan(scanned);
  if (!qr.startsWith(QR_PREFIX)) fail('DECODE_PREFIX', `missing ${QR_PREFIX} prefix`);
  if (qr.length > MAX_QR_CHARS) fail('DECODE_TOO_LARGE', `longer than ${MAX_QR_CHARS} characters`);
  const f = new Frame();
  const raw = base45Decode(qr, QR_PREFIX.length, f); // also computes the CRC into f.crc
  if (raw === null) fail('DECODE_BASE45', 'invalid Base45');
  // No compressed-size cap of its own: a text within MAX_QR_CHARS carries at most 2,861 frame bytes.
  if (raw.length < 2) fail('DECODE_CHECKSUM', 'frame shorter than its CRC-16');
  const end = raw.length - 2;
  if (f.crc !== ((raw[end]! << 8) | raw[end + 1]!)) fail('DECODE_CHECKSUM', 'CRC-16 mismatch');
  f.raw = raw;
  const reader = new Reader(raw, 0, end);
  const deflatedLen = reader.varint(end);
  const deflated = deflatedLen === null ? null : reader.take(deflatedLen);
  if (!deflated) fail('DECODE_ENVELOPE', 'bad compressed length');
  const proofError = readProofSection(reader, f);
  if (proofError !== null) fail('DECODE_ENVELOPE', proofError);
  // The view into the inflater's scratch is consumed before this function returns
  // (JSON parsed into strings, leaf input copied), so no copy of the inflated bytes is made.
  const inflated = inflateRawView(deflated, MAX_INFLATED_BYTES, QR_DICTIONARY);
  if (inflated === 'too-large') fail('DECODE_TOO_LARGE', `inflates past ${MAX_INFLATED_BYTES} bytes`);
  if (inflated === 'invalid') fail('DECODE_INFLATE', 'invalid DEFLATE stream');
  const text: CredentialTextTarget = { header: EMPTY, payload: EMPTY, compactAlg: null, compactKid: EMPTY };
  const textError = readCredentialText(inflated, text);
  if (textError !== null) fail('DECODE_ENVELOPE', textError);
  // The header completely (UTF-8, JSON, duplicates), then the payload. A compact header's bytes are
  // JSON.stringify({ alg, kid, typ }), so its parsed form is known without parsing once the kid is UTF-8.
  let header = text.header, leafStart: Uint8Array | undefined;
  if (text.compactAlg !== null) {
    const compact = compactHeader(text.compactAlg, text.compactKid);
    if (compact === null) fail('DECODE_JSON', 'compact kid is not UTF-8');
    f.headerObject = compact.object;
    header = compact.bytes;
    leafStart = compact.leafStart;
  } else {
    f.headerObject = jsonObject(header, 'header');
  }
  f.claims = jsonObject(text.payload, 'payload', f);
  f.leafInput = leafInputOf(header, text.payload, leafStart);
  f.signingInput = f.leafInput.subarray(LEAF_PREFIX.length);
  return f;
}

/** The public view of a frame. */
export function toDecodedCredential(backend: CryptoBackend, f: Frame): DecodedCredential {
  const signingInput = utf8.decode(f.signingInput); // ASCII
  const path: Uint8Array[] = [];
  for (let k = 0; k < f.pathLength; k++) path.push(f.raw.subarray(f.pathAt + 32 * k, f.pathAt + 32 * (k + 1)));
  const signature = f.signature;
  let jws: string | undefined;
  return {
    header: f.headerObject, claims: f.claims, signingInput, signature, rootTag: toHex(f.raw.subarray(f.rootTagAt, f.rootTagAt + ROOT_TAG_BYTES)),
    // Built on first use: verification never needs the compact string.
    get jws() { return (jws ??= `${signingInput}.${backend.base64url(signature)}`); },
    proof: { leafIndex: f.leafIndex, treeSize: f.treeSize, path },
  };
}

export async function decodeWith(backend: CryptoBackend, qr: unknown): Promise<DecodedCredential> {
  return toDecodedCredential(backend, decodeFrame(qr));
}
