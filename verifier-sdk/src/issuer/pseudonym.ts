// Subject pseudonyms: HMAC-SHA256 under a per-issuer, per-period secret key. Without the key a pseudonym cannot
// be linked to an ID number by dictionary attack; destroying a period's key makes its pseudonyms unlinkable forever.
import { createHmac } from 'node:crypto';
import { HutongSdkError } from '../errors.js';
import { base64urlEncode } from '../lib/base64url.js';

const encoder = new TextEncoder();

/**
 * Canonical form of an identity document number: `TYPE:NUMBER`, NFKC, upper case, spaces and hyphens removed, so
 * that `h1234-5678` and `Ｈ12345678` give the same pseudonym.
 *
 * @example
 * ```ts
 * normaliseId('hrp', 'h1234 5678'); // 'HRP:H12345678'
 * ```
 */
export function normaliseId(documentType: string, documentNumber: string): string {
  const clean = (s: string): string => s.normalize('NFKC').toUpperCase().replace(/[\s\-‐-―]/g, '');
  const t = clean(documentType), n = clean(documentNumber);
  if (!t || !n || t.includes(':')) throw new HutongSdkError('INVALID_CLAIMS', 'document type and number are required');
  return `${t}:${n}`;
}

/**
 * `sub` claim: base64url of the first 128 bits of HMAC-SHA256(periodKey, normalisedId) (truncation as RFC 2104 §5;
 * 128 bits keep collisions negligible for 10^9 subjects and save QR space). The key belongs to one issuer and one
 * period (e.g. a month); it must be at least 32 random bytes.
 *
 * @example
 * ```ts
 * const sub = pseudonym(periodKey, normaliseId('HRP', 'H12345678'));
 * ```
 */
export function pseudonym(periodKey: Uint8Array, normalisedId: string): string {
  if (!(periodKey instanceof Uint8Array) || periodKey.length < 32) throw new HutongSdkError('INVALID_KEY', 'period key must be ≥ 32 bytes');
  return base64urlEncode(createHmac('sha256', periodKey).update(encoder.encode(normalisedId)).digest().subarray(0, 16));
}

/**
 * Masks a name for display: keeps the first and last character (`陈大明` → `陈*明`, `李四` → `李*`).
 *
 * @example
 * ```ts
 * maskName('陈大明'); // '陈*明'
 * ```
 */
export function maskName(fullName: string): string {
  const chars = Array.from(fullName.normalize('NFC').trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * Document hint for display: permit type and the last 4 characters of the number.
 *
 * @example
 * ```ts
 * documentHint('HRP', 'H12345678'); // 'HRP-5678'
 * ```
 */
export function documentHint(documentType: string, documentNumber: string): string {
  const n = normaliseId(documentType, documentNumber);
  const [t, num] = n.split(':') as [string, string];
  return `${t}-${num.slice(-4)}`;
}
