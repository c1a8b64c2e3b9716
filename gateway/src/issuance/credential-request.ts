/**
 * What an issuing clerk asks for, and how it becomes a signed credential: the holder's data pseudonymised (`sub`),
 * masked (`name`) and hinted (`doc`) — never carried further — then signed. One function for the gateway's main
 * thread and the crypto pool's workers, so a credential is the same wherever it was signed.
 */
import { documentHint, maskName, normaliseId, pseudonym, type CredentialSigner } from '@hutong/verifier-sdk/issuer';

export interface CredentialRequest {
  issuerId: string;
  credentialType: string;
  status: string;
  /** The holder as the issuer knows them: used to derive `sub`, the masked name and the document hint, never stored. */
  holder: { name: string; documentType: string; documentNumber: string };
  validitySeconds: number;
  /** Sign with this key instead of the newest usable one. */
  kid?: string | undefined;
  claims?: Record<string, string | number | boolean> | undefined;
}

/** The request's fields the signing needs (the issuer and key are the signer's). */
export type SignableRequest = Pick<CredentialRequest, 'credentialType' | 'status' | 'holder' | 'validitySeconds' | 'claims'>;

/** Signs `r` with `signer`; `pseudonymKey` is the issuer's secret for `sub`. Throws the SDK's errors. */
export function signCredentialRequest(signer: CredentialSigner, pseudonymKey: Uint8Array, r: SignableRequest, now?: Date): string {
  return signer.sign({
    vct: r.credentialType,
    st: r.status,
    sub: pseudonym(pseudonymKey, normaliseId(r.holder.documentType, r.holder.documentNumber)),
    name: maskName(r.holder.name),
    doc: documentHint(r.holder.documentType, r.holder.documentNumber),
    validitySeconds: r.validitySeconds,
    ...(r.claims ? { extra: r.claims } : {}),
  }, now);
}
