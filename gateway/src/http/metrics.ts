/**
 * Prometheus metrics of one gateway (own registry, so several gateways can share a process): requests and latency by
 * route and outcome code, verification outcomes by reason code, cache lag, outbox depth.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<'method' | 'route' | 'status' | 'code'>;
  readonly verifications: Counter<'reason'>;
  readonly credentialsIssued: Counter<'issuer'>;
  readonly cacheLagBlocks: Gauge;
  readonly cacheCheckpointBlock: Gauge;
  readonly ledgerHeight: Gauge;
  readonly outboxDepth: Gauge<'state'>;
  readonly outboxAttempts: Counter<'kind' | 'result'>;
}

export function newGatewayMetrics(options: Readonly<{ org: string; defaultMetrics?: boolean }>): GatewayMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ org: options.org });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'hutong_http_request_duration_seconds',
      help: 'HTTP request latency by route template and outcome code (OK, an error code or a verification reason code)',
      labelNames: ['method', 'route', 'status', 'code'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    verifications: new Counter({
      name: 'hutong_verifications_total',
      help: 'Credential verifications by reason code (ACCEPTED or the first failed check)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    credentialsIssued: new Counter({ name: 'hutong_credentials_issued_total', help: 'Credentials signed', labelNames: ['issuer'] as const, registers: [registry] }),
    cacheLagBlocks: new Gauge({ name: 'hutong_trust_cache_lag_blocks', help: 'Blocks committed on the ledger but not yet applied to the trust cache', registers: [registry] }),
    cacheCheckpointBlock: new Gauge({ name: 'hutong_trust_cache_checkpoint_block', help: 'Block number of the last ledger event applied to the trust cache', registers: [registry] }),
    ledgerHeight: new Gauge({ name: 'hutong_ledger_height_blocks', help: 'Ledger height last seen', registers: [registry] }),
    outboxDepth: new Gauge({ name: 'hutong_outbox_depth', help: 'Outbox entries by state', labelNames: ['state'] as const, registers: [registry] }),
    outboxAttempts: new Counter({ name: 'hutong_outbox_attempts_total', help: 'Ledger submissions from the outbox by kind and result code', labelNames: ['kind', 'result'] as const, registers: [registry] }),
  };
}
