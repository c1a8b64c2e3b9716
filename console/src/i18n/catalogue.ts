/**
 * The console's words: one message catalogue per language (JSON beside this file, keyed alike; issue #13 shares them
 * with the SDK and CLI). Every reason code of the verifier and every error code of the API has a key
 * (`reason.<CODE>`, `error.<CODE>`); test/catalogue.test.ts fails on a key missing in any language.
 */
import en from './en.json';
import pt from './pt.json';
import zhHans from './zh-Hans.json';
import zhHant from './zh-Hant.json';

export const LANGUAGES = ['zh-Hant', 'zh-Hans', 'pt', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageKey = keyof typeof en;

const CATALOGUES: Readonly<Record<Language, Readonly<Record<string, string>>>> = { en, pt, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

/** The first of the browser's preferred languages the console speaks: Macau, Hong Kong and Taiwan read Traditional. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const t = tag.toLowerCase();
    if (t.startsWith('zh')) return /hant|-(tw|hk|mo)\b/.test(t) ? 'zh-Hant' : 'zh-Hans';
    if (t.startsWith('pt')) return 'pt';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

export type Translate = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

/** `t(key, vars)`: `{name}` placeholders filled; an unknown key (a code newer than this build) shows as itself. */
export function translator(language: Language): Translate {
  const messages = CATALOGUES[language];
  return (key, vars) => {
    const text = messages[key] ?? en[key as MessageKey] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/** The message for an error or reason code, falling back to the code itself. */
export function codeMessage(t: Translate, code: string): string {
  const reason = t(`reason.${code}`);
  if (reason !== `reason.${code}`) return reason;
  const error = t(`error.${code}`);
  return error !== `error.${code}` ? error : code;
}
