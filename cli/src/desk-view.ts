/**
 * A verification answer as an officer reads it: the decision and the reason's sentence in one language of the SDK's
 * message catalogue, then the facts that explain it, one per line. `--json` prints the answer itself instead.
 */
import type { VerificationResult } from '@hutong/verifier-sdk';
import { LOCALES, MESSAGES, type Locale, type RevocationReasonCode } from '@hutong/verifier-sdk/messages';
import { CliError } from './cli-error.js';

/** `--lang`, else HUTONG_LANG, else English. */
export function localeOf(lang: string | undefined, env: NodeJS.ProcessEnv = process.env): Locale {
  const wanted = lang ?? env['HUTONG_LANG'] ?? 'en';
  const found = LOCALES.find((l) => l.toLowerCase() === wanted.toLowerCase());
  if (!found) throw new CliError('USAGE', `--lang must be one of: ${LOCALES.join(', ')}`);
  return found;
}

export function deskView(r: VerificationResult, locale: Locale): string {
  const m = MESSAGES[locale];
  const lines = [`${m.decisions[r.decision]} (${r.decision}) — ${r.reason}`, r.message[locale]];
  const fact = (label: keyof typeof m.facts, value: string | undefined) => {
    if (value !== undefined) lines.push(`  ${m.facts[label]}: ${value}`);
  };
  if (r.display) {
    fact('issuer', `${r.display.issuerNames?.[locale] ?? r.display.issuerName} (${r.display.issuerId})`);
    fact('credentialType', r.display.credentialType);
    fact('holder', r.display.maskedName);
    fact('document', r.display.documentHint);
  }
  fact('claimedStatus', r.claimedStatus);
  fact('mappedStatus', r.mappedStatus);
  fact('issuedAt', r.validity?.issuedAt);
  fact('expiresAt', r.validity?.expiresAt);
  if (r.revocation) {
    fact('revokedAt', r.revocation.revokedAt);
    const reason = m.revocationReasons[r.revocation.reason as RevocationReasonCode];
    fact('revocationReason', reason ? `${reason} (${r.revocation.reason})` : r.revocation.reason);
  }
  if (r.policy) {
    fact('policy', `${r.policy.recognisingMsp} v${r.policy.version}: ${r.policy.acceptedStatuses.join(', ')}`);
    fact('maxAge', `${r.policy.maxAgeSeconds} s`);
  }
  if (r.evidence) fact('anchoredAt', `${r.evidence.anchoredAt}${r.evidence.blockNumber !== undefined ? ` · block ${r.evidence.blockNumber}` : ''} · tx ${r.evidence.anchorTxId}`);
  return lines.join('\n');
}
