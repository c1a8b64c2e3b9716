import { z } from 'zod';
import { requireIssuerBinding } from '../../auth/authenticator.js';
import type { IssuanceService } from '../../issuance/issuance-service.js';
import type { RevocationService } from '../../services/revocation-service.js';
import type { Outbox } from '../../outbox/outbox.js';
import { GatewayError, type ErrorCode } from '../../errors/gateway-error.js';
import { defineRoute, type RouteDefinition } from '../route.js';
import { CredentialBulkRequest, CredentialRequest, IssuedCredential, OutboxEntrySchema, OutboxParams, RevocationOutcome, RevocationRequest } from '../schemas.js';

/** Every refusal of one issuance request; each is that request's own (one request never fails another). */
const ISSUANCE_ERRORS: readonly ErrorCode[] = [
  'ISSUER_FORBIDDEN', 'ISSUER_NOT_FOUND', 'ISSUER_NOT_ACTIVE', 'CREDENTIAL_TYPE_NOT_ALLOWED', 'SIGNING_KEY_UNAVAILABLE', 'CLAIMS_INVALID',
  'CREDENTIAL_TOO_LARGE', 'KEY_NOT_ACTIVE', 'LEDGER_UNAVAILABLE',
];

export function credentialRoutes(deps: Readonly<{ issuance: IssuanceService; revocation: RevocationService; outbox: Outbox }>): RouteDefinition[] {
  const { issuance, revocation, outbox } = deps;
  return [
    defineRoute({
      method: 'post', path: '/v1/credentials', operationId: 'issueCredential', tag: 'issuance', roles: ['issuer'],
      rateLimit: { class: 'issuance' },
      summary: 'Sign a credential, anchor it in a Merkle batch and return it once the batch root is committed',
      body: CredentialRequest,
      responses: { 201: { description: 'The credential (JWS, QR text, inclusion proof) and the anchor’s commit evidence', schema: IssuedCredential } },
      errors: ISSUANCE_ERRORS,
      async handler({ body, principal }) {
        requireIssuerBinding(principal, body.issuerId);
        const [issued] = await issuance.issue([body]);
        return { status: 201, body: issued };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/credentials/bulk', operationId: 'issueCredentials', tag: 'issuance', roles: ['issuer'],
      rateLimit: { class: 'issuance', items: (body) => body.credentials.length },
      summary: 'Issue up to 10,000 credentials (daily re-issue); all are anchored in batches, results in request order. '
        + 'All or nothing before batching: the first credential that fails its checks refuses the call with its code and `details.index`',
      body: CredentialBulkRequest,
      responses: { 201: { description: 'Issued credentials', schema: z.object({ credentials: z.array(IssuedCredential) }) } },
      errors: ISSUANCE_ERRORS,
      async handler({ body, principal }) {
        body.credentials.forEach((c, index) => {
          try {
            requireIssuerBinding(principal, c.issuerId);
          } catch (e) {
            throw e instanceof GatewayError ? new GatewayError(e.code, e.message, { ...e.details, index }) : e;
          }
        });
        return { status: 201, body: { credentials: await issuance.issue(body.credentials, { bulk: true }) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/revocations', operationId: 'revokeCredential', tag: 'issuance', roles: ['issuer'],
      rateLimit: { class: 'issuance' },
      summary: 'Revoke one of the issuer’s own credentials: its QR, or its leaf hash or JWS with the inclusion proof of the issuance '
        + 'response (the proof must lead to a root this issuer anchored); durable: committed eventually even if the ledger is down now',
      body: RevocationRequest,
      responses: {
        201: { description: 'Committed on the ledger', schema: RevocationOutcome },
        202: { description: 'Accepted into the durable outbox, not yet committed; poll GET /v1/outbox/{id}', schema: RevocationOutcome },
      },
      errors: ['ISSUER_FORBIDDEN', 'QR_UNDECODABLE', 'LEAF_NOT_ANCHORED', 'NOT_OWNER', 'ISSUER_NOT_FOUND'],
      async handler({ body, principal }) {
        requireIssuerBinding(principal, body.issuerId);
        const outcome = await revocation.revoke(body);
        return { status: outcome.state === 'committed' ? 201 : 202, body: outcome };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/outbox/:id', operationId: 'getOutboxEntry', tag: 'issuance', roles: ['issuer', 'admin', 'auditor'],
      summary: 'Status of a queued ledger write (anchor or revocation)',
      params: OutboxParams,
      responses: { 200: { description: 'The entry (hashes and ids only)', schema: OutboxEntrySchema } },
      errors: ['OUTBOX_ENTRY_NOT_FOUND', 'ISSUER_FORBIDDEN'],
      async handler({ params, principal }) {
        const entry = outbox.get(params.id);
        if (!entry) throw new GatewayError('OUTBOX_ENTRY_NOT_FOUND', 'no such outbox entry');
        if (!principal.roles.has('admin') && !principal.roles.has('auditor')) requireIssuerBinding(principal, entry.issuerId);
        const { input: _input, result: _result, ...view } = entry;
        return { body: view };
      },
    }),
  ];
}
