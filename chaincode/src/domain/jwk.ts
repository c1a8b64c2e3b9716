/**
 * Public-key validation for issuer keys. Only two key types are trusted (RFC 7518 §6.2 EC P-256 for ES256,
 * RFC 8037 OKP Ed25519 for EdDSA); private members, other curves, extra members and points off the curve are
 * refused. The point check uses node:crypto (OpenSSL), which is deterministic.
 */
import { createPublicKey } from 'node:crypto';
import { DomainError } from './errors';
import type { PublicJwk } from './model';

const B64URL = /^[A-Za-z0-9_-]+$/;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

function coordinate(jwk: Record<string, unknown>, name: string, bytes: number): string {
  const value = jwk[name];
  if (typeof value !== 'string' || !B64URL.test(value) || Buffer.from(value, 'base64url').length !== bytes || value.length !== Math.ceil((bytes * 4) / 3)) {
    throw new DomainError('INVALID_JWK', `'${name}' must be ${bytes} bytes, base64url without padding`);
  }
  return value;
}

/** Returns the canonical public JWK and its JWS algorithm, or throws INVALID_JWK. */
export function parsePublicJwk(input: Record<string, unknown>): { jwk: PublicJwk; alg: 'ES256' | 'EdDSA' } {
  for (const member of PRIVATE_MEMBERS) {
    if (member in input) throw new DomainError('INVALID_JWK', `private key member '${member}' must not be sent`);
  }
  const allowed = new Set(['kty', 'crv', 'x', 'y', 'alg', 'use', 'kid', 'key_ops']);
  for (const member of Object.keys(input)) {
    if (!allowed.has(member)) throw new DomainError('INVALID_JWK', `unsupported JWK member '${member}'`);
  }
  let jwk: PublicJwk;
  let alg: 'ES256' | 'EdDSA';
  if (input['kty'] === 'EC' && input['crv'] === 'P-256') {
    jwk = { kty: 'EC', crv: 'P-256', x: coordinate(input, 'x', 32), y: coordinate(input, 'y', 32) };
    alg = 'ES256';
  } else if (input['kty'] === 'OKP' && input['crv'] === 'Ed25519') {
    if ('y' in input) throw new DomainError('INVALID_JWK', "an Ed25519 key has no 'y'");
    jwk = { kty: 'OKP', crv: 'Ed25519', x: coordinate(input, 'x', 32) };
    alg = 'EdDSA';
  } else {
    throw new DomainError('INVALID_JWK', 'only EC P-256 (ES256) and OKP Ed25519 (EdDSA) public keys are accepted');
  }
  if (input['alg'] !== undefined && input['alg'] !== alg) {
    throw new DomainError('INVALID_JWK', `'alg' ${String(input['alg'])} does not match the key type (${alg})`);
  }
  if (input['use'] !== undefined && input['use'] !== 'sig') throw new DomainError('INVALID_JWK', "'use' must be 'sig'");
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new DomainError('INVALID_JWK', 'the key is not a valid point on its curve');
  }
  return { jwk, alg };
}
