/**
 * A connection profile: how one organisation reaches the channel through its own peers, and the identities it acts
 * as. Written by `npm run network -- up` (one per organisation, `profiles/<org>.json`), read here. Format version 1
 * is specified in docs/network.md.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LedgerError } from '../ledger.js';

const identity = z.strictObject({ certPath: z.string().min(1), keyPath: z.string().min(1) });

export const ConnectionProfile = z.strictObject({
  version: z.literal(1),
  /** Short organisation name (`guangdong`). */
  org: z.string().min(1),
  mspId: z.string().min(1),
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  /** The organisation's own peers, tried in order. */
  peers: z
    .array(z.strictObject({
      name: z.string().min(1),
      /** `host:port` of the peer's gateway service. */
      endpoint: z.string().regex(/^[^:\s]+:\d{1,5}$/),
      /** Name the TLS certificate is checked against (SNI); lets the endpoint be an IP address. */
      tlsServerName: z.string().min(1),
      tlsCaCertPath: z.string().min(1),
    }))
    .min(1),
  identities: z.strictObject({ admin: identity, client: identity }),
});

export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

export function readConnectionProfile(path: string): ConnectionProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new LedgerError('LEDGER_UNAVAILABLE', `cannot read the connection profile ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const parsed = ConnectionProfile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LedgerError('INVALID_ARGUMENT', `[INVALID_ARGUMENT] connection profile ${path} is not valid: ${issues}`);
  }
  return parsed.data;
}
