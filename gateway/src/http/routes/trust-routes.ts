import { z } from 'zod';
import type { TrustService } from '../../services/trust-service.js';
import { defineRoute, type RouteDefinition } from '../route.js';
import { TrustPackQuery, TrustPackSchema } from '../schemas.js';

export function trustRoutes(trust: TrustService): RouteDefinition[] {
  const tag = 'trust';
  return [
    defineRoute({
      method: 'get', path: '/v1/trust/snapshot', operationId: 'getTrustSnapshot', tag, roles: ['checkpoint', 'issuer', 'auditor', 'admin', 'partner'],
      summary: 'The trust snapshot for offline verifiers, as a compact JWS signed with this organisation’s snapshot key',
      responses: { 200: { description: 'Compact JWS whose payload is the SDK’s TrustSnapshot', schema: z.object({ jws: z.string(), generatedAt: z.string(), kid: z.string() }) } },
      handler: async () => ({ body: await trust.signedSnapshot() }),
    }),
    defineRoute({
      method: 'get', path: '/v1/trust/pack', operationId: 'getTrustPack', tag, roles: ['checkpoint', 'issuer', 'auditor', 'admin', 'partner'],
      query: TrustPackQuery,
      summary: 'The trust pack for offline verifiers (docs/protocol.md §6.5): a compact JWS whose payload is the binary pack. '
        + 'With `since`, a delta on the state of that sequence; a base this gateway cannot serve gets the full pack with `fullReason`. '
        + 'Gzipped when the client accepts it',
      responses: { 200: { description: 'A signed full pack or delta, its sequence and state digest', schema: TrustPackSchema } },
      handler: async ({ query }) => {
        const encoded = await trust.signedPack(query.since);
        return { body: encoded.pack, encoded };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/trust/snapshot-keys', operationId: 'getSnapshotKeys', tag, roles: 'public',
      summary: 'JWKS of this organisation’s snapshot-signing key (pin it in offline verifiers)',
      responses: { 200: { description: 'JWKS', schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) } },
      handler: async () => ({ body: trust.snapshotJwks }),
    }),
    defineRoute({
      method: 'get', path: '/v1/trust/issuers', operationId: 'listTrustedIssuers', tag, roles: 'public',
      summary: 'Every issuer on the ledger with its public keys as a JWKS (RFC 7517), state and validity',
      responses: { 200: { description: 'Issuers and their JWKS', schema: z.object({ issuers: z.array(z.unknown()) }) } },
      handler: async () => ({ body: { issuers: trust.issuers() } }),
    }),
  ];
}
