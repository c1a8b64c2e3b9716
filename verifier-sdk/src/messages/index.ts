/**
 * The desk's words: one message catalogue for every hutong front end (the SDK's results, the gateway's answers, the
 * CLI, the web console), in English, Traditional Chinese (Macau), Simplified Chinese (Guangdong) and Portuguese
 * (Macau). TypeScript checks that every locale has a message for every reason code and decision, so a new code does
 * not compile until it is translated. Subpath `@hutong/verifier-sdk/messages`; the SDK's verification results carry
 * the reason's message in every locale (`result.message`).
 * @packageDocumentation
 */
import type { Decision, ReasonCode } from '../reason-codes.js';

/** The catalogue's languages (BCP 47). */
export const LOCALES = ['en', 'zh-Hant', 'zh-Hans', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];

/** Labels of the facts a result carries (`display`, `validity`, `revocation`, `policy`, `evidence`). */
export type FactLabel =
  | 'issuer' | 'credentialType' | 'holder' | 'document' | 'claimedStatus' | 'mappedStatus' | 'issuedAt' | 'expiresAt'
  | 'revokedAt' | 'revocationReason' | 'policy' | 'maxAge' | 'anchoredAt';

/** The ledger's credential revocation reason codes (docs/ledger.md). */
export type RevocationReasonCode = 'superseded' | 'status-change' | 'issued-in-error' | 'fraud' | 'key-compromise' | 'other';

/**
 * One language's messages.
 *
 * @example
 * ```ts
 * import { MESSAGES } from '@hutong/verifier-sdk/messages';
 * const zh: MessageCatalogue = MESSAGES['zh-Hant'];
 * console.log(zh.decisions.REJECT, zh.reasons.CREDENTIAL_REVOKED, zh.facts.revokedAt);
 * ```
 */
export interface MessageCatalogue {
  /** A short word for the decision, for a button or a light. */
  decisions: Readonly<Record<Decision, string>>;
  /** One sentence per reason code: what happened and what to do. */
  reasons: Readonly<Record<ReasonCode, string>>;
  facts: Readonly<Record<FactLabel, string>>;
  revocationReasons: Readonly<Record<RevocationReasonCode, string>>;
}

const FORMAT: Record<Locale, string> = {
  en: 'The credential is not in an accepted format: reject.',
  'zh-Hant': '憑證格式不獲接受，不予放行。',
  'zh-Hans': '凭证格式不获接受，不予放行。',
  pt: 'A credencial não está num formato aceite: rejeitar.',
};
const DAMAGED: Record<Locale, string> = {
  en: 'The QR code’s content is damaged: scan again.',
  'zh-Hant': '二維碼內容損壞，請重新掃描。',
  'zh-Hans': '二维码内容损坏，请重新扫描。',
  pt: 'O conteúdo do código QR está danificado: leia novamente.',
};

const en: MessageCatalogue = {
  decisions: { ACCEPT: 'Accept', REJECT: 'Reject', RESCAN: 'Scan again' },
  reasons: {
    ACCEPTED: 'Valid credential: accept.',
    SNAPSHOT_INVALID: 'This verifier’s trust data is unusable: contact support.',
    SNAPSHOT_STALE: 'This verifier’s trust data is out of date: reconnect to refresh it.',
    DECODE_PREFIX: 'This is not a hutong credential QR code: scan again.',
    DECODE_TOO_LARGE: 'The QR code is too large to be a credential: scan again.',
    DECODE_BASE45: 'The QR code was not read correctly: scan again.',
    DECODE_CHECKSUM: 'The QR code is damaged or was misread: scan again.',
    DECODE_INFLATE: DAMAGED.en, DECODE_ENVELOPE: DAMAGED.en, DECODE_JSON: DAMAGED.en, DECODE_DUPLICATE_KEY: DAMAGED.en,
    ALG_NOT_ALLOWED: FORMAT.en, HEADER_FORBIDDEN: FORMAT.en, TYP_UNSUPPORTED: FORMAT.en, CLAIMS_INVALID: FORMAT.en,
    ISSUER_UNKNOWN: 'The issuer is not recognised: reject.',
    ISSUER_INACTIVE: 'The issuer is suspended or retired: reject.',
    KEY_UNKNOWN: 'The issuer’s signing key is not registered: reject.',
    KEY_ALG_MISMATCH: 'The signature does not fit the issuer’s registered key: reject.',
    KEY_REVOKED: 'The issuer’s signing key was revoked: reject.',
    KEY_NOT_VALID_AT_ANCHOR: 'The credential was signed outside its key’s validity period: reject.',
    SIGNATURE_INVALID: 'The signature is not valid (forged or altered): reject.',
    NOT_YET_VALID: 'The credential is not valid yet: reject.',
    EXPIRED: 'The credential has expired: reject.',
    PROOF_INVALID: 'The ledger proof does not match the credential: reject.',
    ROOT_NOT_ANCHORED: 'The credential is not recorded on the ledger: reject.',
    ANCHOR_KID_MISMATCH: 'The ledger record names another signing key: reject.',
    EXPIRY_BEYOND_ANCHOR: 'The credential’s expiry is later than its ledger record allows: reject.',
    CREDENTIAL_REVOKED: 'The issuer revoked this credential: reject.',
    POLICY_NOT_FOUND: 'This credential type is not recognised here: reject.',
    POLICY_INACTIVE: 'Recognition of this credential type is not in force: reject.',
    TYPE_NOT_RECOGNISED: 'The issuer may not issue this credential type: reject.',
    STATUS_UNMAPPED: 'The credential’s status is not recognised here: reject.',
    STATUS_NOT_ACCEPTED: 'The credential’s status is not accepted here: reject.',
    CREDENTIAL_TOO_OLD: 'The credential was issued too long ago for this policy: reject.',
  },
  facts: {
    issuer: 'Issuer', credentialType: 'Credential type', holder: 'Holder', document: 'Document',
    claimedStatus: 'Status claimed by the issuer', mappedStatus: 'Status here', issuedAt: 'Issued', expiresAt: 'Expires',
    revokedAt: 'Revoked', revocationReason: 'Revocation reason', policy: 'Recognition policy', maxAge: 'Maximum age',
    anchoredAt: 'Recorded on the ledger',
  },
  revocationReasons: {
    superseded: 'Replaced by a newer credential', 'status-change': 'Status changed', 'issued-in-error': 'Issued in error',
    fraud: 'Fraud', 'key-compromise': 'Signing key compromised', other: 'Other',
  },
};

const zhHant: MessageCatalogue = {
  decisions: { ACCEPT: '放行', REJECT: '不予放行', RESCAN: '請重新掃描' },
  reasons: {
    ACCEPTED: '憑證有效，可予放行。',
    SNAPSHOT_INVALID: '本機信任資料無法使用，請聯絡技術支援。',
    SNAPSHOT_STALE: '本機信任資料已過期，請連線更新。',
    DECODE_PREFIX: '這不是互通憑證二維碼，請重新掃描。',
    DECODE_TOO_LARGE: '二維碼內容過長，不是憑證，請重新掃描。',
    DECODE_BASE45: '二維碼讀取不正確，請重新掃描。',
    DECODE_CHECKSUM: '二維碼損壞或讀取錯誤，請重新掃描。',
    DECODE_INFLATE: DAMAGED['zh-Hant'], DECODE_ENVELOPE: DAMAGED['zh-Hant'], DECODE_JSON: DAMAGED['zh-Hant'], DECODE_DUPLICATE_KEY: DAMAGED['zh-Hant'],
    ALG_NOT_ALLOWED: FORMAT['zh-Hant'], HEADER_FORBIDDEN: FORMAT['zh-Hant'], TYP_UNSUPPORTED: FORMAT['zh-Hant'], CLAIMS_INVALID: FORMAT['zh-Hant'],
    ISSUER_UNKNOWN: '簽發機構未獲認可，不予放行。',
    ISSUER_INACTIVE: '簽發機構已暫停或停用，不予放行。',
    KEY_UNKNOWN: '簽發機構的簽名密鑰未登記，不予放行。',
    KEY_ALG_MISMATCH: '簽名與簽發機構登記的密鑰不符，不予放行。',
    KEY_REVOKED: '簽發機構的簽名密鑰已被撤銷，不予放行。',
    KEY_NOT_VALID_AT_ANCHOR: '憑證簽發時間不在其密鑰有效期內，不予放行。',
    SIGNATURE_INVALID: '簽名無效（偽造或遭篡改），不予放行。',
    NOT_YET_VALID: '憑證尚未生效，不予放行。',
    EXPIRED: '憑證已過期，不予放行。',
    PROOF_INVALID: '憑證與區塊鏈證明不符，不予放行。',
    ROOT_NOT_ANCHORED: '憑證未記錄於區塊鏈，不予放行。',
    ANCHOR_KID_MISMATCH: '區塊鏈記錄的簽名密鑰不符，不予放行。',
    EXPIRY_BEYOND_ANCHOR: '憑證的有效期超出區塊鏈記錄容許的期限，不予放行。',
    CREDENTIAL_REVOKED: '簽發機構已撤銷此憑證，不予放行。',
    POLICY_NOT_FOUND: '本地不承認此類憑證，不予放行。',
    POLICY_INACTIVE: '此類憑證的互認安排目前未生效，不予放行。',
    TYPE_NOT_RECOGNISED: '簽發機構無權簽發此類憑證，不予放行。',
    STATUS_UNMAPPED: '本地不承認此憑證的狀態，不予放行。',
    STATUS_NOT_ACCEPTED: '此憑證的狀態在本地不獲接受，不予放行。',
    CREDENTIAL_TOO_OLD: '憑證簽發已超過本地政策容許的時限，不予放行。',
  },
  facts: {
    issuer: '簽發機構', credentialType: '憑證類型', holder: '持有人', document: '證件', claimedStatus: '簽發機構所載狀態',
    mappedStatus: '本地對應狀態', issuedAt: '簽發時間', expiresAt: '有效期至', revokedAt: '撤銷時間', revocationReason: '撤銷原因',
    policy: '互認政策', maxAge: '最長時限', anchoredAt: '上鏈時間',
  },
  revocationReasons: {
    superseded: '已由新憑證取代', 'status-change': '狀態已變更', 'issued-in-error': '誤發', fraud: '欺詐', 'key-compromise': '簽名密鑰外洩', other: '其他',
  },
};

const zhHans: MessageCatalogue = {
  decisions: { ACCEPT: '放行', REJECT: '不予放行', RESCAN: '请重新扫描' },
  reasons: {
    ACCEPTED: '凭证有效，可予放行。',
    SNAPSHOT_INVALID: '本机信任数据无法使用，请联系技术支持。',
    SNAPSHOT_STALE: '本机信任数据已过期，请联网更新。',
    DECODE_PREFIX: '这不是互通凭证二维码，请重新扫描。',
    DECODE_TOO_LARGE: '二维码内容过长，不是凭证，请重新扫描。',
    DECODE_BASE45: '二维码读取不正确，请重新扫描。',
    DECODE_CHECKSUM: '二维码损坏或读取错误，请重新扫描。',
    DECODE_INFLATE: DAMAGED['zh-Hans'], DECODE_ENVELOPE: DAMAGED['zh-Hans'], DECODE_JSON: DAMAGED['zh-Hans'], DECODE_DUPLICATE_KEY: DAMAGED['zh-Hans'],
    ALG_NOT_ALLOWED: FORMAT['zh-Hans'], HEADER_FORBIDDEN: FORMAT['zh-Hans'], TYP_UNSUPPORTED: FORMAT['zh-Hans'], CLAIMS_INVALID: FORMAT['zh-Hans'],
    ISSUER_UNKNOWN: '签发机构未获认可，不予放行。',
    ISSUER_INACTIVE: '签发机构已暂停或停用，不予放行。',
    KEY_UNKNOWN: '签发机构的签名密钥未登记，不予放行。',
    KEY_ALG_MISMATCH: '签名与签发机构登记的密钥不符，不予放行。',
    KEY_REVOKED: '签发机构的签名密钥已被撤销，不予放行。',
    KEY_NOT_VALID_AT_ANCHOR: '凭证签发时间不在其密钥有效期内，不予放行。',
    SIGNATURE_INVALID: '签名无效（伪造或遭篡改），不予放行。',
    NOT_YET_VALID: '凭证尚未生效，不予放行。',
    EXPIRED: '凭证已过期，不予放行。',
    PROOF_INVALID: '凭证与区块链证明不符，不予放行。',
    ROOT_NOT_ANCHORED: '凭证未记录于区块链，不予放行。',
    ANCHOR_KID_MISMATCH: '区块链记录的签名密钥不符，不予放行。',
    EXPIRY_BEYOND_ANCHOR: '凭证的有效期超出区块链记录容许的期限，不予放行。',
    CREDENTIAL_REVOKED: '签发机构已撤销此凭证，不予放行。',
    POLICY_NOT_FOUND: '本地不承认此类凭证，不予放行。',
    POLICY_INACTIVE: '此类凭证的互认安排目前未生效，不予放行。',
    TYPE_NOT_RECOGNISED: '签发机构无权签发此类凭证，不予放行。',
    STATUS_UNMAPPED: '本地不承认此凭证的状态，不予放行。',
    STATUS_NOT_ACCEPTED: '此凭证的状态在本地不获接受，不予放行。',
    CREDENTIAL_TOO_OLD: '凭证签发已超过本地政策容许的时限，不予放行。',
  },
  facts: {
    issuer: '签发机构', credentialType: '凭证类型', holder: '持有人', document: '证件', claimedStatus: '签发机构所载状态',
    mappedStatus: '本地对应状态', issuedAt: '签发时间', expiresAt: '有效期至', revokedAt: '撤销时间', revocationReason: '撤销原因',
    policy: '互认政策', maxAge: '最长时限', anchoredAt: '上链时间',
  },
  revocationReasons: {
    superseded: '已由新凭证取代', 'status-change': '状态已变更', 'issued-in-error': '误发', fraud: '欺诈', 'key-compromise': '签名密钥泄露', other: '其他',
  },
};

const pt: MessageCatalogue = {
  decisions: { ACCEPT: 'Aceitar', REJECT: 'Rejeitar', RESCAN: 'Ler novamente' },
  reasons: {
    ACCEPTED: 'Credencial válida: aceitar.',
    SNAPSHOT_INVALID: 'Os dados de confiança deste verificador não são utilizáveis: contacte o apoio técnico.',
    SNAPSHOT_STALE: 'Os dados de confiança deste verificador estão desactualizados: ligue-se à rede para os actualizar.',
    DECODE_PREFIX: 'Este código QR não é uma credencial hutong: leia novamente.',
    DECODE_TOO_LARGE: 'O código QR é demasiado grande para ser uma credencial: leia novamente.',
    DECODE_BASE45: 'O código QR não foi lido correctamente: leia novamente.',
    DECODE_CHECKSUM: 'O código QR está danificado ou foi mal lido: leia novamente.',
    DECODE_INFLATE: DAMAGED.pt, DECODE_ENVELOPE: DAMAGED.pt, DECODE_JSON: DAMAGED.pt, DECODE_DUPLICATE_KEY: DAMAGED.pt,
    ALG_NOT_ALLOWED: FORMAT.pt, HEADER_FORBIDDEN: FORMAT.pt, TYP_UNSUPPORTED: FORMAT.pt, CLAIMS_INVALID: FORMAT.pt,
    ISSUER_UNKNOWN: 'O emissor não é reconhecido: rejeitar.',
    ISSUER_INACTIVE: 'O emissor está suspenso ou desactivado: rejeitar.',
    KEY_UNKNOWN: 'A chave de assinatura do emissor não está registada: rejeitar.',
    KEY_ALG_MISMATCH: 'A assinatura não corresponde à chave registada do emissor: rejeitar.',
    KEY_REVOKED: 'A chave de assinatura do emissor foi revogada: rejeitar.',
    KEY_NOT_VALID_AT_ANCHOR: 'A credencial foi assinada fora do prazo de validade da sua chave: rejeitar.',
    SIGNATURE_INVALID: 'A assinatura não é válida (falsificada ou alterada): rejeitar.',
    NOT_YET_VALID: 'A credencial ainda não é válida: rejeitar.',
    EXPIRED: 'A credencial expirou: rejeitar.',
    PROOF_INVALID: 'A prova no livro-razão não corresponde à credencial: rejeitar.',
    ROOT_NOT_ANCHORED: 'A credencial não está registada no livro-razão: rejeitar.',
    ANCHOR_KID_MISMATCH: 'O registo no livro-razão indica outra chave de assinatura: rejeitar.',
    EXPIRY_BEYOND_ANCHOR: 'A validade da credencial ultrapassa o prazo que o registo no livro-razão permite: rejeitar.',
    CREDENTIAL_REVOKED: 'O emissor revogou esta credencial: rejeitar.',
    POLICY_NOT_FOUND: 'Este tipo de credencial não é reconhecido aqui: rejeitar.',
    POLICY_INACTIVE: 'O reconhecimento deste tipo de credencial não está em vigor: rejeitar.',
    TYPE_NOT_RECOGNISED: 'O emissor não está autorizado a emitir este tipo de credencial: rejeitar.',
    STATUS_UNMAPPED: 'O estado da credencial não é reconhecido aqui: rejeitar.',
    STATUS_NOT_ACCEPTED: 'O estado da credencial não é aceite aqui: rejeitar.',
    CREDENTIAL_TOO_OLD: 'A credencial foi emitida há demasiado tempo para esta política: rejeitar.',
  },
  facts: {
    issuer: 'Emissor', credentialType: 'Tipo de credencial', holder: 'Titular', document: 'Documento',
    claimedStatus: 'Estado declarado pelo emissor', mappedStatus: 'Estado aqui', issuedAt: 'Emitida em', expiresAt: 'Válida até',
    revokedAt: 'Revogada em', revocationReason: 'Motivo da revogação', policy: 'Política de reconhecimento', maxAge: 'Idade máxima',
    anchoredAt: 'Registada no livro-razão em',
  },
  revocationReasons: {
    superseded: 'Substituída por uma credencial mais recente', 'status-change': 'Mudança de estado', 'issued-in-error': 'Emitida por engano',
    fraud: 'Fraude', 'key-compromise': 'Chave de assinatura comprometida', other: 'Outro',
  },
};

/**
 * The catalogue, by locale.
 *
 * @example
 * ```ts
 * import { MESSAGES } from '@hutong/verifier-sdk/messages';
 * label.textContent = MESSAGES[locale].decisions[result.decision];
 * ```
 */
export const MESSAGES: Readonly<Record<Locale, MessageCatalogue>> = { en, 'zh-Hant': zhHant, 'zh-Hans': zhHans, pt };

/** One reason's sentence in every locale (what a verification result carries as `message`). */
export type LocalisedMessage = Readonly<Record<Locale, string>>;

const byReason = new Map<ReasonCode, LocalisedMessage>();

/**
 * A reason's message in every locale; the same frozen object for every call with the same code.
 *
 * @example
 * ```ts
 * import { reasonMessage } from '@hutong/verifier-sdk/messages';
 * reasonMessage('EXPIRED')['zh-Hans']; // '凭证已过期，不予放行。'
 * ```
 */
export function reasonMessage(reason: ReasonCode): LocalisedMessage {
  let m = byReason.get(reason);
  // Only catalogued codes are remembered (at most one entry per reason code), whatever a JavaScript caller passes.
  if (m === undefined && Object.prototype.hasOwnProperty.call(en.reasons, reason)) {
    m = Object.freeze({ en: en.reasons[reason], 'zh-Hant': zhHant.reasons[reason], 'zh-Hans': zhHans.reasons[reason], pt: pt.reasons[reason] });
    byReason.set(reason, m);
  }
  return m ?? Object.freeze({ en: reason, 'zh-Hant': reason, 'zh-Hans': reason, pt: reason });
}
