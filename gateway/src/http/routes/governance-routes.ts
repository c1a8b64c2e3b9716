import { inputs } from '@hutong/chaincode/domain';
import type { GovernanceService } from '../../services/governance-service.js';
import type { ErrorCode } from '../../errors/gateway-error.js';
import { defineRoute, LEDGER_WRITE_ERRORS, type RouteDefinition } from '../route.js';
import { IssuerIdParams, KeyParams, LedgerWrite, PolicyParams } from '../schemas.js';

const ok = { 200: { description: 'Committed: the record as written and the commit evidence', schema: LedgerWrite } };
// Reasons are codes (docs/ledger.md): the chaincode's own schemas, so the gateway refuses exactly what it would.
// Free text stays in the organisation's own records, linked by the transaction id the response carries.
const ReasonBody = inputs.SuspendIssuerInput.omit({ issuerId: true })
  .meta({ description: 'A suspension reason code; any explanation stays in your own records (Fabric keeps transaction arguments for ever)' });
const KeyRevocationBody = inputs.RevokeIssuerKeyInput.omit({ issuerId: true, kid: true })
  .meta({ description: 'A key revocation reason code and optional effective time; any explanation stays in your own records' });
const PolicyBody = inputs.PutRecognitionPolicyInput.omit({ issuerId: true, credentialType: true });
/** The chaincode's refusals of governance transactions (documentation; each route meets some of them). */
const GOVERNANCE_ERRORS: readonly ErrorCode[] = [
  'INVALID_ARGUMENT', 'ADMIN_REQUIRED', 'NOT_OWNER', 'OWNER_CANNOT_APPROVE', 'ALREADY_APPROVED', 'ISSUER_NOT_FOUND', 'ISSUER_EXISTS',
  'ISSUER_NOT_ACTIVE', 'INVALID_STATE_TRANSITION', 'KEY_NOT_FOUND', 'KEY_EXISTS', 'KEY_NOT_ACTIVE', 'INVALID_JWK', 'CREDENTIAL_TYPE_NOT_ALLOWED',
  'POLICY_NOT_FOUND', ...LEDGER_WRITE_ERRORS,
];

export function governanceRoutes(governance: GovernanceService): RouteDefinition[] {
  const admin = ['admin'] as const;
  const tag = 'governance';
  return [
    defineRoute({
      method: 'post', path: '/v1/governance/issuers', operationId: 'proposeIssuer', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Propose an issuer owned by this organisation (every other member must approve)',
      body: inputs.ProposeIssuerInput,
      handler: async ({ body }) => ({ body: await governance.submit('ProposeIssuer', body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/approve', operationId: 'approveIssuer', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Approve another organisation’s proposed issuer', params: IssuerIdParams,
      handler: async ({ params }) => ({ body: await governance.submit('ApproveIssuer', params) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/suspend', operationId: 'suspendIssuer', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Suspend an own issuer', params: IssuerIdParams, body: ReasonBody,
      handler: async ({ params, body }) => ({ body: await governance.submit('SuspendIssuer', { ...params, ...body }) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/resume', operationId: 'resumeIssuer', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Ask to resume a suspended own issuer (restarts the approval round)', params: IssuerIdParams,
      handler: async ({ params }) => ({ body: await governance.submit('ResumeIssuer', params) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/retire', operationId: 'retireIssuer', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Retire an own issuer', params: IssuerIdParams,
      handler: async ({ params }) => ({ body: await governance.submit('RetireIssuer', params) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/keys', operationId: 'proposeIssuerKey', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Propose a public key (first key or rotation) for an own issuer', params: IssuerIdParams,
      body: inputs.ProposeIssuerKeyInput.omit({ issuerId: true }),
      handler: async ({ params, body }) => ({ body: await governance.submit('ProposeIssuerKey', { ...params, ...body }) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/keys/:kid/approve', operationId: 'approveIssuerKey', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Approve another organisation’s proposed issuer key', params: KeyParams,
      handler: async ({ params }) => ({ body: await governance.submit('ApproveIssuerKey', params) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/governance/issuers/:issuerId/keys/:kid/revoke', operationId: 'revokeIssuerKey', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Revoke an own issuer key from `effectiveAt` (default now); credentials anchored before stay valid',
      params: KeyParams, body: KeyRevocationBody,
      handler: async ({ params, body }) => ({ body: await governance.submit('RevokeIssuerKey', { ...params, ...body }) }),
    }),
    defineRoute({
      method: 'put', path: '/v1/governance/policies/:issuerId/:credentialType', operationId: 'putRecognitionPolicy', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Write this organisation’s recognition policy for an issuer’s credential type (a new version)',
      params: PolicyParams, body: PolicyBody,
      handler: async ({ params, body }) => ({ body: await governance.submit('PutRecognitionPolicy', { ...params, ...body }) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/governance/policies/:issuerId/:credentialType', operationId: 'withdrawRecognitionPolicy', tag, roles: admin, responses: ok, errors: GOVERNANCE_ERRORS,
      summary: 'Withdraw this organisation’s recognition policy', params: PolicyParams,
      handler: async ({ params }) => ({ body: await governance.submit('WithdrawRecognitionPolicy', params) }),
    }),
  ];
}
