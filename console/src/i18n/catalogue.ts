/**
 * The console's words, per language: the console's own labels and the API's error codes (JSON beside this file,
 * keyed alike), and — from the SDK's message catalogue, the one every hutong front end shares (the SDK's results, the
 * gateway's answers, the CLI) — the verifier's reason codes (`reason.<CODE>`) and the revocation reasons
 * (`revocationReason.<code>`). test/catalogue.test.ts fails on a key missing in any language.
 */
import { MESSAGES } from '@hutong/verifier-sdk/messages';
import en from './en.json';
import pt from './pt.json';
import zhHans from './zh-Hans.json';
import zhHant from './zh-Hant.json';

export const LANGUAGES = ['zh-Hant', 'zh-Hans', 'pt', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One language's catalogue: the console's JSON, then the shared messages under their console keys. */
function catalogue(language: Language, own: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const shared = MESSAGES[language];
  return {
    ...own,
    ...Object.fromEntries(Object.entries(shared.reasons).map(([code, text]) => [`reason.${code}`, text])),
    ...Object.fromEntries(Object.entries(shared.revocationReasons).map(([code, text]) => [`revocationReason.${code}`, text])),
  };
}

export const CATALOGUES: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: catalogue('en', en), pt: catalogue('pt', pt), 'zh-Hans': catalogue('zh-Hans', zhHans), 'zh-Hant': catalogue('zh-Hant', zhHant),
};

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
    const text = messages[key] ?? CATALOGUES.en[key] ?? key;
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
