import type { Translate } from './catalogue';

/** The catalogue's word for a ledger value (`status.green`, `credentialType.health-code`), else `fallback` or the value. */
export function labelOf(t: Translate, kind: string, value: string, fallback?: string): string {
  const key = `${kind}.${value}`;
  const text = t(key);
  return text === key ? (fallback ?? value) : text;
}
