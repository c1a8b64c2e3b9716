/** @hutong/gateway: one jurisdiction's HTTP gateway. Entry points for embedding and tests; the CLIs are in cli/. */
export { createApp, type AppDeps } from './http/app.js';
export { newGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { parseConfig, loadConfigFile, type GatewayConfig, type GatewayConfigInput } from './config/config.js';
export { DEMO_CONSORTIUM, loadConsortium, parseConsortium, type ConsortiumConfig } from './config/consortium.js';
export { startConsortium, type RunningConsortium, type ConsortiumOptions } from './consortium/start-consortium.js';
export { GatewayError, GATEWAY_ERROR_CODES, type ErrorCode, type GatewayErrorCode } from './errors/gateway-error.js';
export { ERROR_STATUS } from './http/error-status.js';
