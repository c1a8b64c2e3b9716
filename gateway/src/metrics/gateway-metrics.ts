/**
 * Prometheus metrics of one gateway (own registry, so several gateways can share a process): requests and latency by
 * route and outcome code, verification outcomes by reason code, cache lag, outbox depth, and for every bounded
 * in-memory cache its size, capacity and evictions (label `cache`; gateway/src/README.md, "Bounds").
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
  readonly trustCacheRecords: Gauge<'type'>;
  readonly trustCachePruned: Counter<'type'>;
  readonly trustCacheLedgerTime: Gauge;
  readonly cacheEntries: Gauge<'cache'>;
  readonly cacheCapacity: Gauge<'cache'>;
  readonly cacheEvictions: Counter<'cache'>;
  readonly missLookups: Counter<'kind' | 'outcome'>;
  readonly rateLimited: Counter<'class'>;
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
    trustCacheRecords: new Gauge({
      name: 'hutong_trust_cache_records',
      help: 'Ledger records held by the trust cache, by type (anchors counted by root): the live ones — anchors and revocations past notAfter + 600 s are pruned',
      labelNames: ['type'] as const, registers: [registry],
    }),
    trustCachePruned: new Counter({
      name: 'hutong_trust_cache_pruned_total', help: 'Anchors and revocations the trust cache dropped because they can no longer change a decision (notAfter + 600 s passed in ledger time)',
      labelNames: ['type'] as const, registers: [registry],
    }),
    trustCacheLedgerTime: new Gauge({
      name: 'hutong_trust_cache_ledger_time_seconds', help: 'The trust cache\'s pruning clock: the ledger time (Unix seconds) of the latest event it applied',
      registers: [registry],
    }),
    cacheEntries: new Gauge({ name: 'hutong_cache_entries', help: 'Entries of a bounded in-memory cache', labelNames: ['cache'] as const, registers: [registry] }),
    cacheCapacity: new Gauge({ name: 'hutong_cache_capacity', help: 'The bound of a bounded in-memory cache (entries)', labelNames: ['cache'] as const, registers: [registry] }),
    cacheEvictions: new Counter({
      name: 'hutong_cache_evictions_total', help: 'Entries a bounded in-memory cache dropped because it was full (not because they expired)',
      labelNames: ['cache'] as const, registers: [registry],
    }),
    missLookups: new Counter({
      name: 'hutong_trust_miss_lookups_total',
      help: 'Verification cache misses by kind (issuer, anchor) and what the lookup gate did: queried the ledger, coalesced with one in flight, answered from memory, or shed (rate or concurrency limit)',
      labelNames: ['kind', 'outcome'] as const, registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'hutong_rate_limited_total', help: 'Requests refused with 429 RATE_LIMITED, by limit class (verification, issuance, unauthenticated)',
      labelNames: ['class'] as const, registers: [registry],
    }),
  };
}
