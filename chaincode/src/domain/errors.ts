/**
 * Chaincode error codes. Only `error.message` travels from chaincode to client, so the code is carried inside
 * the message as a bracketed token: `[ISSUER_NOT_FOUND] issuer 'gd-hc' is not registered`.
 * Clients recover it with `parseChaincodeErrorCode`, never by matching prose.
 */
export const CHAINCODE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNKNOWN_TRANSACTION',
  'NOT_INITIALISED',
  'ALREADY_INITIALISED',
  'NOT_A_MEMBER',
  'ADMIN_REQUIRED',
  'NOT_OWNER',
  'OWNER_CANNOT_APPROVE',
  'ALREADY_APPROVED',
  'ISSUER_NOT_FOUND',
  'ISSUER_EXISTS',
  'ISSUER_NOT_ACTIVE',
  'INVALID_STATE_TRANSITION',
  'KEY_NOT_FOUND',
  'KEY_EXISTS',
  'KEY_NOT_ACTIVE',
  'INVALID_JWK',
  'CREDENTIAL_TYPE_NOT_ALLOWED',
  'POLICY_NOT_FOUND',
  'ANCHOR_EXISTS',
  'ANCHOR_NOT_FOUND',
  'LEAF_NOT_ANCHORED',
  'RECORD_NOT_FOUND',
  'MEMBER_EXISTS',
  'MEMBER_NOT_FOUND',
  'MEMBER_NOT_ACTIVE',
  'PROPOSAL_EXISTS',
  'PROPOSAL_NOT_FOUND',
  'INTERNAL',
] as const;

export type ChaincodeErrorCode = (typeof CHAINCODE_ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(CHAINCODE_ERROR_CODES);

/** A domain failure: stable code, human message. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ChaincodeErrorCode,
    readonly detail: string,
  ) {
    super(`[${code}] ${detail}`);
  }
}

/** Finds the chaincode code in a message that may have been wrapped by peers and gateways. */
export function parseChaincodeErrorCode(message: string): ChaincodeErrorCode | undefined {
  for (const match of message.matchAll(/\[([A-Z][A-Z0-9_]+)\]/g)) {
    const code = match[1];
    if (code !== undefined && CODE_SET.has(code)) return code as ChaincodeErrorCode;
  }
  return undefined;
}
