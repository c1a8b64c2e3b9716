/**
 * Who is calling: the roles a bearer token grants and, for issuers, the issuer ids it may act for. `partner` is a
 * partner's offline verifier app: it reads the signed trust snapshot (and the public snapshot keys) and nothing else.
 */
export const ROLES = ['checkpoint', 'issuer', 'auditor', 'admin', 'partner'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Token subject (an opaque client id, never a person's name). */
  subject: string;
  roles: ReadonlySet<Role>;
  /** Issuer ids an `issuer` principal may sign, anchor and revoke for; empty for every other role. */
  issuers: ReadonlySet<string>;
}
