/**
 * What every finished request leaves behind, whichever pipeline served it (Express or the fast path): the latency
 * histogram by route template, status and outcome code, and one structured access-log line (route template, status,
 * code, subject — never request content).
 */
import type { Logger } from '../logging/logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';

/** Records one finished request: latency histogram by route template, status and outcome code; the access log. */
export type RequestRecorder = (method: string, route: string, status: number, code: string, seconds: number, sub: unknown) => void;

export function newRequestRecorder(deps: Readonly<{ logger: Logger; metrics: GatewayMetrics }>): RequestRecorder {
  const { logger, metrics } = deps;
  const statusLabels = new Map<number, string>();
  return (method, route, status, code, seconds, sub) => {
    let statusLabel = statusLabels.get(status);
    if (statusLabel === undefined) statusLabels.set(status, (statusLabel = String(status)));
    metrics.requestDuration.observe({ method, route, status: statusLabel, code }, seconds);
    if (route === '/metrics' || route === '/healthz' || route === '/readyz') return;
    // Checkpoint verifications run at thousands per second: their outcomes are counted in metrics and logged
    // line by line only at debug level (the level check comes first: no log object is built when it is off);
    // every other request (writes, governance, audit) is logged at info.
    const level = route.startsWith('/v1/verifications') && status < 400 ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level]({ event: 'http', method, route, status, code, ms: Math.round(seconds * 1e4) / 10, sub }, 'request');
  };
}
