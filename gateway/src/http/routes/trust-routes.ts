import { z } from 'zod';
import type { TrustService } from '../../services/trust-service.js';
import { defineRoute, type RouteDefinition } from '../route.js';

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
