// Signing hutong credentials (compact JWS, RFC 7515) with node:crypto. ES256 signatures are normalised to low-S so
// that every credential has exactly one valid signature encoding (verifiers reject the high-S twin).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { HutongSdkError } from '../errors.js';
import { base64urlDecode, base64urlEncode } from '../lib/base64url.js';
import { CREDENTIAL_TYP } from '../lib/limits.js';
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
  /** Type-specific claims (e.g. `{ dose: 3 }`); must not reuse a registered claim name. */
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
  /** Returns a compact JWS. `now` defaults to the current time. */
  sign(input: CredentialInput, now?: Date): string;
}

const RESERVED = new Set(['iss', 'jti', 'iat', 'nbf', 'exp', 'vct', 'st', 'sub', 'name', 'doc']);
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const encoder = new TextEncoder();

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
  if (!issuerId || !kid) throw new HutongSdkError('INVALID_KEY', 'issuerId and kid are required');
  let key;
  try {
    key = createPrivateKey({ key: privateJwk, format: 'jwk' });
    createPublicKey({ key: publicPart(privateJwk), format: 'jwk' });
  } catch (e) {
    throw new HutongSdkError('INVALID_KEY', 'unusable private JWK', { cause: e });
  }
  const headerB64 = base64urlEncode(encoder.encode(JSON.stringify({ alg, kid, typ: CREDENTIAL_TYP })));
  return {
    issuerId, kid, alg, publicJwk: publicPart(privateJwk),
    sign(input, now = new Date()) {
      const iat = Math.floor(now.getTime() / 1000);
      const nbf = input.notBefore ? Math.floor(input.notBefore.getTime() / 1000) : iat;
      if (!Number.isSafeInteger(input.validitySeconds) || input.validitySeconds <= 0) {
        throw new HutongSdkError('INVALID_CLAIMS', 'validitySeconds must be a positive integer');
      }
      for (const k of ['vct', 'st', 'sub'] as const) {
        if (typeof input[k] !== 'string' || input[k].length === 0 || input[k].length > 256) throw new HutongSdkError('INVALID_CLAIMS', `${k} must be a short string`);
      }
      const claims: Record<string, unknown> = {
        iss: issuerId,
        jti: base64urlEncode(randomBytes(16)), // 128 random bits: leaf hashes cannot be brute-forced from guesses
        iat, nbf, exp: iat + input.validitySeconds,
        vct: input.vct, st: input.st, sub: input.sub,
      };
      if (input.name !== undefined) claims.name = input.name;
      if (input.doc !== undefined) claims.doc = input.doc;
      for (const [k, v] of Object.entries(input.extra ?? {})) {
        if (RESERVED.has(k)) throw new HutongSdkError('INVALID_CLAIMS', `extra claim ${k} is registered`);
        claims[k] = v;
      }
      const signingInput = `${headerB64}.${base64urlEncode(encoder.encode(JSON.stringify(claims)))}`;
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
