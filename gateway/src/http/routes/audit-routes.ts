import type { z } from 'zod';
import { inputs } from '@hutong/chaincode/domain';
import type { AuditService } from '../../services/audit-service.js';
import { defineRoute, LEDGER_READ_ERRORS, type RouteDefinition } from '../route.js';
import {
  AnchorPageSchema, AnchorsQuery, BlockParams, ChainVerificationQuery, ChainVerificationSchema, BlocksQuery, BlocksSchema, BlockSummarySchema, HistorySchema, IssuerIdParams, LeafStatusRequest,
  LeafStatusSchema, TransactionSchema, TxParams,
} from '../schemas.js';

export function auditRoutes(audit: AuditService): RouteDefinition[] {
  const roles = ['auditor'] as const;
  const tag = 'audit';
  const ok = (description: string, schema: z.ZodType) => ({ 200: { description, schema } });
  return [
    defineRoute({
      method: 'get', path: '/v1/audit/issuers/:issuerId/anchors', operationId: 'listAnchors', tag, roles,
      summary: 'Anchors (batch roots) of an issuer with from ≤ anchoredAt < to, oldest first, paged',
      params: IssuerIdParams, query: AnchorsQuery, responses: ok('A page of anchors and the bookmark of the next', AnchorPageSchema),
      errors: ['INVALID_ARGUMENT', ...LEDGER_READ_ERRORS],
      handler: async ({ params, query }) => ({ body: await audit.anchors({ ...params, ...query }) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/audit/leaf-status', operationId: 'leafStatus', tag, roles,
      summary: 'Whether a credential was anchored (transaction, block, endorsing organisations, time) and revoked',
      body: LeafStatusRequest, responses: ok('Anchoring proof and revocation status of the credential’s leaf', LeafStatusSchema),
      errors: ['QR_UNDECODABLE', 'INVALID_ARGUMENT', 'LEDGER_TX_NOT_FOUND', ...LEDGER_READ_ERRORS],
      handler: async ({ body }) => ({ body: await audit.leafStatus(body.qr) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/history', operationId: 'recordHistory', tag, roles,
      summary: 'Every committed version of one ledger record (record=issuer&issuerId=…, record=issuerKey&issuerId=…&kid=…, …)',
      query: inputs.GetHistoryInput, responses: ok('Versions, oldest first, with transaction id and time', HistorySchema),
      errors: ['RECORD_NOT_FOUND', 'INVALID_ARGUMENT', ...LEDGER_READ_ERRORS],
      handler: async ({ query }) => ({ body: { history: await audit.history(query) } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/blocks', operationId: 'listBlocks', tag, roles,
      summary: 'Block summaries (hash chain, transactions, creators, endorsers, validation codes)',
      query: BlocksQuery, responses: ok('Blocks and the chain height', BlocksSchema),
      errors: ['LEDGER_BLOCK_NOT_FOUND', ...LEDGER_READ_ERRORS],
      handler: async ({ query }) => ({ body: await audit.blocks(query.from, query.limit) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/chain-verification', operationId: 'verifyChain', tag, roles,
      summary: 'Checks the hash chain of the organisation’s own ledger copy over a range of blocks (numbers contiguous, each previousHash the header hash of the block before)',
      query: ChainVerificationQuery, responses: ok('Whether the range is intact, and where the first break is', ChainVerificationSchema),
      errors: ['LEDGER_BLOCK_NOT_FOUND', ...LEDGER_READ_ERRORS],
      handler: async ({ query }) => ({ body: await audit.verifyChain(query.from, query.limit) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/blocks/:number', operationId: 'getBlock', tag, roles,
      summary: 'One block summary', params: BlockParams, responses: ok('The block', BlockSummarySchema),
      errors: ['LEDGER_BLOCK_NOT_FOUND', ...LEDGER_READ_ERRORS],
      handler: async ({ params }) => ({ body: await audit.block(params.number) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/audit/transactions/:txId', operationId: 'getTransaction', tag, roles,
      summary: 'Where a transaction was committed and who endorsed it', params: TxParams, responses: ok('Block number, position, endorsers', TransactionSchema),
      errors: ['LEDGER_TX_NOT_FOUND', ...LEDGER_READ_ERRORS],
      handler: async ({ params }) => ({ body: await audit.transaction(params.txId) }),
    }),
  ];
}
