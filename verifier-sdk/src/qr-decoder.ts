// QR text → credential parts: prefix, Base45, CRC-16, raw DEFLATE, envelope, strict JSON (docs/protocol.md §QR).
import { HutongSdkError } from './errors.js';
import type { DecodeReasonCode } from './reason-codes.js';
import type { CryptoBackend } from './lib/crypto-backend.js';
import { base45Decode } from './lib/base45.js';
import { toHex } from './lib/hex.js';
import { crc16 } from './lib/crc16.js';
import { decodeCredentialText, decodeProofSection, Reader } from './lib/envelope.js';
import { JsonError, parseStrictJson, type JsonValue } from './lib/strict-json.js';
import { MAX_COMPRESSED_BYTES, MAX_INFLATED_BYTES, MAX_QR_CHARS, QR_PREFIX } from './lib/limits.js';

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

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonObject(bytes: Uint8Array, what: string): Record<string, JsonValue> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (e) {
    fail('DECODE_JSON', `${what} is not UTF-8`, e);
  }
  let v: JsonValue;
  try {
    v = parseStrictJson(text);
  } catch (e) {
    if (e instanceof JsonError && e.duplicateKey) fail('DECODE_DUPLICATE_KEY', `${what} has a duplicate member name`);
    fail('DECODE_JSON', `${what} is not JSON`, e);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('DECODE_JSON', `${what} is not a JSON object`);
  return v;
}

export async function decodeWith(backend: CryptoBackend, qr: unknown): Promise<DecodedCredential> {
  if (typeof qr !== 'string') fail('DECODE_PREFIX', 'not a string');
  if (qr.length > MAX_QR_CHARS) fail('DECODE_TOO_LARGE', `longer than ${MAX_QR_CHARS} characters`);
  if (!qr.startsWith(QR_PREFIX)) fail('DECODE_PREFIX', `missing ${QR_PREFIX} prefix`);
  const raw = base45Decode(qr, QR_PREFIX.length);
  if (raw === null || raw.length < 3) fail('DECODE_BASE45', 'invalid Base45');
  if (raw.length > MAX_COMPRESSED_BYTES) fail('DECODE_TOO_LARGE', 'compressed envelope too large');
  const end = raw.length - 2;
  if (crc16(raw, end) !== ((raw[end]! << 8) | raw[end + 1]!)) fail('DECODE_CHECKSUM', 'CRC-16 mismatch');
  const reader = new Reader(raw, 0, end);
  const deflatedLen = reader.varint(end);
  const deflated = deflatedLen === null ? null : reader.take(deflatedLen);
  if (!deflated) fail('DECODE_ENVELOPE', 'bad compressed length');
  const proofSection = decodeProofSection(reader);
  if (typeof proofSection === 'string') fail('DECODE_ENVELOPE', proofSection);
  const pending = backend.inflateRaw(deflated, MAX_INFLATED_BYTES);
  const inflated = pending instanceof Promise ? await pending : pending;
  if (inflated === 'too-large') fail('DECODE_TOO_LARGE', `inflates past ${MAX_INFLATED_BYTES} bytes`);
  if (inflated === 'invalid') fail('DECODE_INFLATE', 'invalid DEFLATE stream');
  const text = decodeCredentialText(inflated);
  if (typeof text === 'string') fail('DECODE_ENVELOPE', text);
  const env = { ...text, ...proofSection };
  const header = jsonObject(env.header, 'header');
  const claims = jsonObject(env.payload, 'payload');
  const signingInput = `${backend.base64url(env.header)}.${backend.base64url(env.payload)}`;
  let jws: string | undefined;
  return {
    header, claims, signingInput, signature: env.signature, rootTag: toHex(env.rootTag),
    // Built on first use: verification never needs the compact string.
    get jws() { return (jws ??= `${signingInput}.${backend.base64url(env.signature)}`); },
    proof: { leafIndex: env.leafIndex, treeSize: env.treeSize, path: env.path },
  };
}
