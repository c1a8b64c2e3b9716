import type { VerificationService } from '../../services/verification-service.js';
import { defineRoute, type RouteDefinition } from '../route.js';
import { VerificationResultSchema, VerifyBatchRequest, VerifyRequest } from '../schemas.js';
import { z } from 'zod';

export function verificationRoutes(verification: VerificationService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/verifications', operationId: 'verifyCredential', tag: 'verification', roles: ['checkpoint'], fastPath: true,
      rateLimit: { class: 'verification' },
      summary: 'Verify one credential QR against this jurisdiction’s trust state and recognition policies',
      body: VerifyRequest,
      responses: { 200: { description: 'The desk answer: decision (ACCEPT, REJECT, RESCAN), reason code, its message per locale, the facts that explain it and ledger evidence', schema: VerificationResultSchema } },
      async handler({ body }) {
        const result = await verification.verify(body.qr);
        return { body: result, code: result.reason };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/verifications/batch', operationId: 'verifyCredentials', tag: 'verification', roles: ['checkpoint'], fastPath: true,
      rateLimit: { class: 'verification', items: (body) => body.qrs.length },
      summary: 'Verify up to 1,000 credential QRs; results in request order',
      body: VerifyBatchRequest,
      responses: { 200: { description: 'One result per QR', schema: z.object({ results: z.array(VerificationResultSchema) }) } },
      async handler({ body }) {
        return { body: { results: await verification.verifyMany(body.qrs) } };
      },
    }),
  ];
}
