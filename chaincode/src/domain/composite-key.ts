/**
 * Fabric's composite key format (fabric-shim `createCompositeKey`): U+0000, object type, then each attribute
 * followed by U+0000. Reproduced here so the pure domain core and the embedded ledger lay keys out exactly as a
 * Fabric peer does.
 */
const SEP = '\u0000';
const MAX_UNICODE_RUNE = '\u{10FFFF}';

export function compositeKey(objectType: string, attributes: readonly string[]): string {
  for (const part of [objectType, ...attributes]) {
    if (part.length === 0 || part.includes(SEP)) throw new TypeError('composite key parts must be non-empty and must not contain U+0000');
  }
  return SEP + objectType + SEP + attributes.map((a) => a + SEP).join('');
}

/** Start and end (exclusive) of the key range that a partial composite key covers. */
export function partialKeyRange(objectType: string, attributes: readonly string[]): { start: string; end: string } {
  const start = compositeKey(objectType, attributes);
  return { start, end: start + MAX_UNICODE_RUNE };
}

export function splitCompositeKey(key: string): { objectType: string; attributes: string[] } {
  const parts = key.split(SEP);
  // '' , type, a1, ..., an, ''
  return { objectType: parts[1] ?? '', attributes: parts.slice(2, -1) };
}

/** Object types of world-state records. */
export const RecordType = {
  consortium: 'consortium',
  issuer: 'issuer',
  issuerKey: 'issuerKey',
  recognition: 'recognition',
  anchor: 'anchor',
  anchorByIssuer: 'anchorByIssuer',
  revocation: 'revocation',
  membership: 'membership',
} as const;
