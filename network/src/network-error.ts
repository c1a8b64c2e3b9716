/** The network CLI's one error class: a stable code for scripts and tests, a message for people. */
export const NETWORK_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'FABRIC_HOME_NOT_FOUND',
  'FABRIC_VERSION_UNSUPPORTED',
  'FABRIC_UNAVAILABLE',
  'FABRIC_BUILD_FAILED',
  'GO_NOT_FOUND',
  'TOOL_FAILED',
  'PROCESS_FAILED',
  'PORT_IN_USE',
  'NOT_READY',
  'NETWORK_NOT_CREATED',
  'TOPOLOGY_MISMATCH',
  'CHAINCODE_NOT_BUILT',
] as const;

export type NetworkErrorCode = (typeof NETWORK_ERROR_CODES)[number];

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
