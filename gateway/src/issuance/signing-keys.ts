/**
 * Which key signs a request: the issuer must be registered, active and allowed the credential type; the key is the
 * newest of this gateway's configured issuer secrets whose ledger record is active and valid now (or the one the
 * request names). Signers are built once per key.
 */
import { keyUsableAt, type IssuerKey } from '@hutong/chaincode/domain';
import { newCredentialSigner, type CredentialSigner, type PrivateJwk } from '@hutong/verifier-sdk/issuer';
import { LedgerError } from '@hutong/ledger';
import type { TrustCache } from '../cache/trust-cache.js';
import type { IssuerSecret } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { CredentialRequest } from './credential-request.js';

export interface SigningKey {
  signer: CredentialSigner;
  secret: IssuerSecret;
}

export interface SigningKeys {
  /** The issuer checks of one request and the key it is signed with; throws the refusal's coded error. */
  forRequest(r: Pick<CredentialRequest, 'issuerId' | 'credentialType' | 'kid'>): SigningKey;
  /** Whether the cache already shows the issuer active with a key this gateway can sign with. */
  ready(issuerId: string): boolean;
}

export function newSigningKeys(options: Readonly<{ cache: TrustCache; secrets: readonly IssuerSecret[] }>): SigningKeys {
  const { cache, secrets } = options;
  const signers = new Map<string, SigningKey>();
  const usable = (k: IssuerKey | undefined, now: string) => k !== undefined && k.state === 'active' && keyUsableAt(k, now);

  function keyFor(issuerId: string, kid: string | undefined): SigningKey {
    const now = new Date().toISOString();
    const ledgerKeys = new Map(cache.keysOf(issuerId).map((k) => [k.kid, k]));
    const candidates = secrets
      .filter((s) => s.issuerId === issuerId && (kid === undefined || s.kid === kid) && usable(ledgerKeys.get(s.kid), now))
      .sort((a, b) => ((ledgerKeys.get(b.kid)?.validFrom ?? '') < (ledgerKeys.get(a.kid)?.validFrom ?? '') ? -1 : 1));
    const secret = candidates[0];
    if (!secret) {
      throw new GatewayError('SIGNING_KEY_UNAVAILABLE', `this gateway holds no active, valid key${kid ? ` '${kid}'` : ''} for issuer '${issuerId}'`, { issuerId, ...(kid ? { kid } : {}) });
    }
    const id = `${secret.issuerId}/${secret.kid}`;
    let entry = signers.get(id);
    if (!entry) {
      const key = ledgerKeys.get(secret.kid) as IssuerKey;
      try {
        entry = { signer: newCredentialSigner({ issuerId, kid: secret.kid, alg: key.alg, privateJwk: secret.privateJwk as unknown as PrivateJwk }), secret };
      } catch (e) {
        throw new GatewayError('SIGNING_KEY_UNAVAILABLE', `the configured private key of ${id} is unusable`, { issuerId, kid: secret.kid }, { cause: e });
      }
      signers.set(id, entry);
    }
    return entry;
  }

  return {
    forRequest(r) {
      const issuer = cache.issuer(r.issuerId);
      if (!issuer) throw new LedgerError('ISSUER_NOT_FOUND', `issuer '${r.issuerId}' is not registered`);
      if (issuer.state !== 'active') throw new LedgerError('ISSUER_NOT_ACTIVE', `issuer '${r.issuerId}' is ${issuer.state}`);
      if (!issuer.credentialTypes.includes(r.credentialType)) {
        throw new LedgerError('CREDENTIAL_TYPE_NOT_ALLOWED', `issuer '${r.issuerId}' does not issue '${r.credentialType}'`);
      }
      return keyFor(r.issuerId, r.kid);
    },
    ready(issuerId) {
      const now = new Date().toISOString();
      return cache.issuer(issuerId)?.state === 'active'
        && cache.keysOf(issuerId).some((k) => usable(k, now) && secrets.some((s) => s.issuerId === issuerId && s.kid === k.kid));
    },
  };
}
