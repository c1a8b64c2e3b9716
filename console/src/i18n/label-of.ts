import type { Language, Translate } from './catalogue';

/** The catalogue's word for a ledger value (`status.green`, `credentialType.health-code`), else `fallback` or the value. */
export function labelOf(t: Translate, kind: string, value: string, fallback?: string): string {
  const key = `${kind}.${value}`;
  const text = t(key);
  return text === key ? (fallback ?? value) : text;
}

/**
 * An issuer's name in the page's language: the ledger's own name in that language when the issuer's organisation gave
 * it (`displayNames`), else its display name, else its id.
 */
export function issuerLabel(t: Translate, issuer: Readonly<{ id: string; displayName?: string | undefined; displayNames?: Readonly<Partial<Record<Language, string>>> | undefined }>): string {
  return issuer.displayNames?.[t('language.code') as Language] ?? issuer.displayName ?? issuer.id;
}
