// Every language's catalogue has every key: each verifier reason code, each code the API can answer (the gateway's
// exhaustive ERROR_STATUS map: gateway, chaincode and ledger-transport codes), each SDK error code, each code of the
// console itself, and the same interface labels as English. A new code anywhere fails here until it is translated.
import { REASON_CODES, type HutongSdkErrorCode } from '@hutong/verifier-sdk';
import { ERROR_STATUS } from '../../gateway/src/http/error-status';
import { CONSOLE_CODES } from '../src/i18n/console-codes';
import { MESSAGES } from '@hutong/verifier-sdk/messages';
import { CATALOGUES, pickLanguage, translator, codeMessage } from '../src/i18n/catalogue';
import { REVOCATION_REASONS as CHAINCODE_REVOCATION_REASONS } from '../../chaincode/src/domain/model';
import { REVOCATION_REASONS } from '../src/issuer/revocation-reasons';

// A Record over the SDK's code union: a new SDK code fails the type check (tsc -p console/test, part of the console build) until it is listed.
const SDK_ERROR_CODES: Record<HutongSdkErrorCode, true> = {
  DECODE_PREFIX: true, DECODE_TOO_LARGE: true, DECODE_BASE45: true, DECODE_CHECKSUM: true, DECODE_INFLATE: true, DECODE_ENVELOPE: true,
  DECODE_JSON: true, DECODE_DUPLICATE_KEY: true, SNAPSHOT_INVALID: true, SNAPSHOT_SIGNATURE_INVALID: true, INVALID_OPTIONS: true,
  INVALID_CLAIMS: true, CREDENTIAL_TOO_LARGE: true, INVALID_KEY: true, ANCHOR_FAILED: true, BATCHER_CLOSED: true, SNAPSHOT_UNAVAILABLE: true,
};

const catalogues: Record<string, Readonly<Record<string, string>>> = CATALOGUES;
const en = CATALOGUES.en;
const reasonKeys = REASON_CODES.map((c) => `reason.${c}`);
const errorKeys = [
  ...Object.keys(ERROR_STATUS),
  ...Object.keys(SDK_ERROR_CODES).filter((c) => !(REASON_CODES as readonly string[]).includes(c)),
  ...CONSOLE_CODES,
].map((c) => `error.${c}`);

describe.each(Object.keys(catalogues))('the %s catalogue', (language) => {
  const catalogue = catalogues[language] as Record<string, string>;
  test('has a message for every reason code and every error code', () => {
    expect([...reasonKeys, ...errorKeys].filter((k) => !catalogue[k]?.trim())).toEqual([]);
  });
  test('has exactly the keys of English, none empty, with the same placeholders', () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([key, placeholders(catalogue[key] ?? '')]).toEqual([key, placeholders(text)]);
    }
  });
});

test('the revocation reasons the issuer page offers are those of the chaincode, each translated', () => {
  expect([...REVOCATION_REASONS]).toEqual([...CHAINCODE_REVOCATION_REASONS]);
  for (const catalogue of Object.values(catalogues)) expect(REVOCATION_REASONS.filter((r) => !catalogue[`revocationReason.${r}`])).toEqual([]);
});

test('a missing key is found: the check is not vacuous', () => {
  const { ['reason.CREDENTIAL_REVOKED']: _gone, ...broken } = CATALOGUES['zh-Hant'];
  expect(reasonKeys.filter((k) => !broken[k])).toEqual(['reason.CREDENTIAL_REVOKED']);
});

test('languages are picked from the browser preferences', () => {
  expect(pickLanguage(['zh-MO', 'en'])).toBe('zh-Hant');
  expect(pickLanguage(['zh-Hant-HK'])).toBe('zh-Hant');
  expect(pickLanguage(['zh-CN'])).toBe('zh-Hans');
  expect(pickLanguage(['pt-PT', 'zh-CN'])).toBe('pt');
  expect(pickLanguage(['fr-FR', 'en-GB'])).toBe('en');
  expect(pickLanguage(['fr-FR'])).toBe('en');
});

test('messages fill placeholders and fall back to the code', () => {
  const t = translator('zh-Hant');
  expect(codeMessage(t, 'CREDENTIAL_REVOKED')).toBe(MESSAGES['zh-Hant'].reasons.CREDENTIAL_REVOKED); // the SDK's shared catalogue
  expect(codeMessage(t, 'LEDGER_UNAVAILABLE')).toBe('賬本不可用，請重試');
  expect(codeMessage(t, 'SOMETHING_NEWER')).toBe('SOMETHING_NEWER');
  expect(translator('pt')('issuer.progress', { done: 3, total: 200 })).toBe('3 de 200 linhas enviadas');
});
