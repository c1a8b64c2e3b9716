/** Who is calling: the roles a bearer token grants and, for issuers, the issuer ids it may act for. */
export const ROLES = ['checkpoint', 'issuer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Token subject (an opaque client id, never a person's name). */
  subject: string;
  roles: ReadonlySet<Role>;
  /** Issuer ids an `issuer` principal may sign, anchor and revoke for; empty for every other role. */
  issuers: ReadonlySet<string>;
}
