// Signing hutong credentials (compact JWS, RFC 7515) with node:crypto. ES256 signatures are normalised to low-S so
// that every credential has exactly one valid signature encoding (verifiers reject the high-S twin).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { HutongSdkError } from '../errors.js';
import { base64urlDecode, base64urlEncode } from '../lib/base64url.js';
import {
  CREDENTIAL_TYP, EXTRA_CLAIM_NAME, MAX_CLAIM_CHARS, MAX_EXTRA_CLAIMS, MAX_HEADER_BYTES, MAX_KID_BYTES, MAX_PAYLOAD_BYTES, REGISTERED_CLAIMS,
} from '../lib/limits.js';
import type { CredentialAlg, PublicJwk } from '../lib/crypto-backend.js';

/**
 * A private JWK (the public members plus `d`).
 *
 * @example
 * ```ts
 * const { privateJwk }: { privateJwk: PrivateJwk } = generateSigningKey('EdDSA');
 * ```
 */
export type PrivateJwk = PublicJwk & { d: string };

/**
 * What an issuer puts in one credential; `iss`, `jti`, `iat`, `nbf` and `exp` are filled in by the signer.
 *
 * @example
 * ```ts
 * const input: CredentialInput = { vct: 'health-code', st: 'green', sub, name: maskName('陈大明'), doc: documentHint('HRP', no), validitySeconds: 86400 };
 * ```
 */
export interface CredentialInput {
  /** Credential type, e.g. `health-code`. */
  vct: string;
  /** Status, e.g. `green`. */
  st: string;
  /** Keyed pseudonym of the holder ({@link pseudonym}); never a raw ID number. */
  sub: string;
  /** Masked name for the officer, e.g. `陈*明` ({@link maskName}). */
  name?: string;
  /** Document hint, e.g. `HRP-1234` ({@link documentHint}). */
  doc?: string;
  /** Lifetime: exp = iat + validitySeconds. */
  validitySeconds: number;
  /** Default: the signing time. */
  notBefore?: Date;
  /**
   * Type-specific claims (e.g. `{ dose: 3 }`): at most `MAX_EXTRA_CLAIMS`, names matching `EXTRA_CLAIM_NAME` and not
   * registered, values strings of at most `MAX_CLAIM_CHARS`, finite numbers or booleans.
   */
  extra?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Signs credentials with one issuer key.
 *
 * @example
 * ```ts
 * const jws = signer.sign(input); // compact JWS, ES256 low-S or EdDSA
 * ```
 */
export interface CredentialSigner {
  readonly issuerId: string;
  readonly kid: string;
  readonly alg: CredentialAlg;
  readonly publicJwk: PublicJwk;
  /**
   * Returns a compact JWS. `now` defaults to the current time. Throws `INVALID_CLAIMS` for input the protocol does
   * not allow and `CREDENTIAL_TOO_LARGE` when the payload would exceed `MAX_PAYLOAD_BYTES` (docs/protocol.md §2.3,
   * §5.5): whatever it returns fits every limit a verifier checks, in a QR of any batch of up to 65,536 leaves.
   */
  sign(input: CredentialInput, now?: Date): string;
}

const REGISTERED = new Set(REGISTERED_CLAIMS);
/** A lone surrogate: JSON.stringify escapes it, and I-JSON (RFC 7493 §2.1) and the SDK's parser refuse it. */
const LONE_SURROGATE = /\p{Cs}/u;
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const encoder = new TextEncoder();

const invalid = (message: string): HutongSdkError => new HutongSdkError('INVALID_CLAIMS', message);

/** A registered string claim: 1…MAX_CLAIM_CHARS characters of well-formed Unicode. */
function claimText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CLAIM_CHARS || LONE_SURROGATE.test(value)) {
    throw invalid(`${what} must be 1–${MAX_CLAIM_CHARS} characters of well-formed Unicode`);
  }
  return value;
}

/** The extra claims, checked (names, count, value types and sizes), in their given order. */
function extraClaims(extra: unknown): Array<[string, string | number | boolean]> {
  if (extra === undefined) return [];
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw invalid('extra claims must be an object');
  const entries = Object.entries(extra);
  if (entries.length > MAX_EXTRA_CLAIMS) throw invalid(`at most ${MAX_EXTRA_CLAIMS} extra claims`);
  for (const [k, v] of entries) {
    if (REGISTERED.has(k)) throw invalid(`extra claim ${k} is registered`);
    if (!EXTRA_CLAIM_NAME.test(k)) throw invalid('extra claim names match [a-z][a-zA-Z0-9_]{0,31}');
    const ok = typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
      || (typeof v === 'string' && v.length <= MAX_CLAIM_CHARS && !LONE_SURROGATE.test(v));
    if (!ok) throw invalid(`extra claim ${k} must be a string of at most ${MAX_CLAIM_CHARS} characters, a finite number or a boolean`);
  }
  return entries as Array<[string, string | number | boolean]>;
}

function bytesToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

function bigIntTo32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n; }
  return out;
}

/**
 * s ↦ n − s when s > n/2 (the canonical low-S form, as Bitcoin BIP 62 and noble-curves `lowS`), for ES256
 * signatures in IEEE P1363 form (r ‖ s) produced elsewhere, e.g. by an HSM.
 *
 * @example
 * ```ts
 * const sig = normaliseLowS(await hsm.sign('ES256', signingInputBytes));
 * ```
 */
export function normaliseLowS(sig: Uint8Array): Uint8Array {
  const s = bytesToBigInt(sig.subarray(32, 64));
  if (s <= P256_N >> 1n) return sig;
  const out = new Uint8Array(64);
  out.set(sig.subarray(0, 32), 0);
  out.set(bigIntTo32(P256_N - s), 32);
  return out;
}

/**
 * Generates a fresh signing key pair (for tests, demos and key rotation ceremonies).
 *
 * @example
 * ```ts
 * const { privateJwk, publicJwk } = generateSigningKey('ES256');
 * // register publicJwk on the ledger (ProposeIssuerKey), keep privateJwk in the HSM / secret store
 * ```
 */
export function generateSigningKey(alg: CredentialAlg): { privateJwk: PrivateJwk; publicJwk: PublicJwk } {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const privateJwk = privateKey.export({ format: 'jwk' }) as unknown as PrivateJwk;
  return { privateJwk, publicJwk: publicPart(privateJwk) };
}

function publicPart(jwk: PrivateJwk): PublicJwk {
  return jwk.kty === 'EC' ? { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } : { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/**
 * Creates a signer for one issuer key.
 *
 * @example
 * ```ts
 * const signer = newCredentialSigner({ issuerId: 'gd-hcc', kid: 'gd-hcc-2026-01', alg: 'ES256', privateJwk });
 * const jws = signer.sign({ vct: 'health-code', st: 'green', sub, name: '陈*明', doc: 'HRP-1234', validitySeconds: 86400 });
 * ```
 */
export function newCredentialSigner(options: Readonly<{ issuerId: string; kid: string; alg: CredentialAlg; privateJwk: PrivateJwk }>): CredentialSigner {
  const { issuerId, kid, alg, privateJwk } = options;
  const expected = alg === 'ES256' ? ['EC', 'P-256'] : alg === 'EdDSA' ? ['OKP', 'Ed25519'] : null;
  if (!expected || privateJwk?.kty !== expected[0] || privateJwk.crv !== expected[1]) {
    throw new HutongSdkError('INVALID_KEY', `key does not match ${String(alg)}`);
  }
  if (typeof issuerId !== 'string' || issuerId.length === 0 || issuerId.length > MAX_CLAIM_CHARS || LONE_SURROGATE.test(issuerId)) {
    throw new HutongSdkError('INVALID_KEY', `issuerId must be 1–${MAX_CLAIM_CHARS} characters`);
  }
  if (typeof kid !== 'string' || kid.length === 0 || LONE_SURROGATE.test(kid) || encoder.encode(kid).length > MAX_KID_BYTES) {
    throw new HutongSdkError('INVALID_KEY', `kid must be 1–${MAX_KID_BYTES} bytes of UTF-8`);
  }
  let key;
  try {
    key = createPrivateKey({ key: privateJwk, format: 'jwk' });
    createPublicKey({ key: publicPart(privateJwk), format: 'jwk' });
  } catch (e) {
    throw new HutongSdkError('INVALID_KEY', 'unusable private JWK', { cause: e });
  }
  const header = encoder.encode(JSON.stringify({ alg, kid, typ: CREDENTIAL_TYP }));
  // Escaped characters (a control character is six bytes of JSON) can make a short kid a long header.
  if (header.length > MAX_HEADER_BYTES) throw new HutongSdkError('INVALID_KEY', `the header of kid '${kid}' exceeds ${MAX_HEADER_BYTES} bytes`);
  const headerB64 = base64urlEncode(header);
  return {
    issuerId, kid, alg, publicJwk: publicPart(privateJwk),
    sign(input, now = new Date()) {
      const iat = Math.floor(now.getTime() / 1000);
      const nbf = input.notBefore ? Math.floor(input.notBefore.getTime() / 1000) : iat;
      const exp = iat + input.validitySeconds;
      if (!Number.isSafeInteger(input.validitySeconds) || input.validitySeconds <= 0) throw invalid('validitySeconds must be a positive integer');
      // A verifier refuses times that are not non-negative safe integers (CLAIMS_INVALID).
      if (![iat, nbf, exp].every((t) => Number.isSafeInteger(t) && t >= 0)) throw invalid('iat, nbf and exp must be times after 1970 as safe integers');
      const claims: Record<string, unknown> = {
        iss: issuerId,
        jti: base64urlEncode(randomBytes(16)), // 128 random bits: leaf hashes cannot be brute-forced from guesses
        iat, nbf, exp,
        vct: claimText(input.vct, 'vct'), st: claimText(input.st, 'st'), sub: claimText(input.sub, 'sub'),
      };
      for (const k of ['name', 'doc'] as const) {
        const v: unknown = input[k];
        if (v === undefined) continue;
        if (typeof v !== 'string' || LONE_SURROGATE.test(v)) throw invalid(`${k} must be a string of well-formed Unicode`);
        claims[k] = v;
      }
      for (const [k, v] of extraClaims(input.extra)) claims[k] = v;
      const payload = encoder.encode(JSON.stringify(claims));
      if (payload.length > MAX_PAYLOAD_BYTES) {
        throw new HutongSdkError('CREDENTIAL_TOO_LARGE', `the payload would be ${payload.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`, {
          details: { payloadBytes: payload.length, limit: MAX_PAYLOAD_BYTES },
        });
      }
      const signingInput = `${headerB64}.${base64urlEncode(payload)}`;
      const data = encoder.encode(signingInput);
      const sig = alg === 'ES256'
        ? normaliseLowS(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }))
        : sign(null, data, key);
      return `${signingInput}.${base64urlEncode(sig)}`;
    },
  };
}

/** Splits a compact JWS and decodes its parts (no verification). */
export function splitJws(jws: string): { signingInput: string; header: Uint8Array; payload: Uint8Array; signature: Uint8Array } {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  const [h, p, s] = parts.map(base64urlDecode);
  if (parts.length !== 3 || !h || !p || !s) throw new HutongSdkError('INVALID_CLAIMS', 'not a compact JWS');
  return { signingInput: `${parts[0]}.${parts[1]}`, header: h, payload: p, signature: s };
}
