import { z } from 'zod';
import { inputs } from '@hutong/chaincode/domain';
import type { AuditService } from '../../services/audit-service.js';
import { defineRoute, type RouteDefinition } from '../route.js';
import { AnchorsQuery, BlockParams, BlocksQuery, IssuerIdParams, LeafStatusRequest, TxParams } from '../schemas.js';

export function auditRoutes(audit: AuditService): RouteDefinition[] {
  const roles = ['auditor'] as const;
  const tag = 'audit';
  const any = (description: string) => ({ 200: { description, schema: z.unknown() } });
  return [
    defineRoute({
      method: 'get', path: '/v1/audit/issuers/:issuerId/anchors', operationId: 'listAnchors', tag, roles,
      summary: 'Anchors (batch roots) of an issuer with from ≤ anchoredAt < to, oldest first, paged',
      params: IssuerIdParams, query: AnchorsQuery, responses: any('A page of anchors and the bookmark of the next'),
      handler: async ({ params, query }) => ({ body: await audit.anchors({ ...params, ...query }) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/audit/leaf-status', operationId: 'leafStatus', tag, roles,
      summary: 'Whether a credential was anchored (transaction, block, endorsing organisations, time) and revoked',
      body: LeafStatusRequest, responses: any('Anchoring proof and revocation status of the credential’s leaf'),
      handler: async ({ body }) => ({ body: await audit.leafStatus(body.qr) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/history', operationId: 'recordHistory', tag, roles,
      summary: 'Every committed version of one ledger record (record=issuer&issuerId=…, record=issuerKey&issuerId=…&kid=…, …)',
      query: inputs.GetHistoryInput, responses: any('Versions, oldest first, with transaction id and time'),
      handler: async ({ query }) => ({ body: { history: await audit.history(query) } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/blocks', operationId: 'listBlocks', tag, roles,
      summary: 'Block summaries (hash chain, transactions, creators, endorsers, validation codes)',
      query: BlocksQuery, responses: any('Blocks and the chain height'),
      handler: async ({ query }) => ({ body: await audit.blocks(query.from, query.limit) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/blocks/:number', operationId: 'getBlock', tag, roles,
      summary: 'One block summary', params: BlockParams, responses: any('The block'),
      handler: async ({ params }) => ({ body: await audit.block(params.number) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/transactions/:txId', operationId: 'getTransaction', tag, roles,
      summary: 'Where a transaction was committed and who endorsed it', params: TxParams, responses: any('Block number, position, endorsers'),
      handler: async ({ params }) => ({ body: await audit.transaction(params.txId) }),
    }),
  ];
}
