/**
 * Per-client rate limits: a token bucket per client and per class of route — `verification` and `issuance` keyed by
 * the token's subject, `unauthenticated` keyed by the remote address for requests to those routes that carry no
 * valid token. A request is admitted while its bucket holds at least one token and takes one; a batch then takes
 * one more per further item, which may leave the bucket in debt (so a batch larger than the burst still passes once
 * the bucket is full, and the client waits the debt off). Refusals are 429 `RATE_LIMITED` with `Retry-After`.
 * Each class keeps at most `maxClients` buckets, least recently used evicted first (an evicted client starts again
 * with a full bucket); sizes and evictions are in /metrics (`hutong_cache_*{cache="rate-limit-<class>"}`).
 */
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';

export const RATE_LIMIT_CLASSES = ['verification', 'issuance', 'unauthenticated'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

export interface BucketLimit {
  /** Sustained rate: tokens added per second. */
  perSecond: number;
  /** Bucket capacity: how many requests may come at once after a quiet period. */
  burst: number;
}

export interface RateLimitOptions {
  /** Buckets kept per class (least recently used evicted beyond it). */
  maxClients: number;
  /** A class without a limit is not limited. */
  limits: Partial<Record<RateLimitClass, BucketLimit>>;
  metrics?: Pick<GatewayMetrics, 'cacheEntries' | 'cacheCapacity' | 'cacheEvictions' | 'rateLimited'>;
  /** Milliseconds (tests). */
  now?: () => number;
}

export interface RateLimiter {
  /** Whether `cls` is limited at all (callers skip the bookkeeping when it is not). */
  limits(cls: RateLimitClass): boolean;
  /** Takes one token from `key`'s bucket, or throws RATE_LIMITED when it holds less than one. */
  admit(cls: RateLimitClass, key: string): void;
  /** Takes `cost` more tokens from `key`'s bucket (after a batch's size is known); the bucket may go into debt. */
  charge(cls: RateLimitClass, key: string, cost: number): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function newRateLimiter(options: Readonly<RateLimitOptions>): RateLimiter {
  const now = options.now ?? Date.now;
  const { maxClients, metrics } = options;
  const buckets = new Map<RateLimitClass, Map<string, Bucket>>();
  for (const cls of RATE_LIMIT_CLASSES) {
    if (!options.limits[cls]) continue;
    buckets.set(cls, new Map());
    metrics?.cacheCapacity.set({ cache: `rate-limit-${cls}` }, maxClients);
    metrics?.cacheEntries.set({ cache: `rate-limit-${cls}` }, 0);
  }

  /** The bucket of `key`, refilled to now and moved to the most recently used end. */
  function bucketOf(cls: RateLimitClass, limit: BucketLimit, map: Map<string, Bucket>, key: string): Bucket {
    const t = now();
    let b = map.get(key);
    if (b === undefined) {
      b = { tokens: limit.burst, at: t };
      if (map.size >= maxClients) {
        map.delete(map.keys().next().value as string);
        metrics?.cacheEvictions.inc({ cache: `rate-limit-${cls}` });
      }
    } else {
      map.delete(key);
      b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);
      b.at = t;
    }
    map.set(key, b);
    metrics?.cacheEntries.set({ cache: `rate-limit-${cls}` }, map.size);
    return b;
  }

  return {
    limits: (cls) => buckets.has(cls),
    admit(cls, key) {
      const limit = options.limits[cls];
      const map = buckets.get(cls);
      if (!limit || !map) return;
      const b = bucketOf(cls, limit, map, key);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      metrics?.rateLimited.inc({ class: cls });
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
      throw new GatewayError('RATE_LIMITED', 'too many requests from this client; retry later', { retryAfterSeconds });
    },
    charge(cls, key, cost) {
      const limit = options.limits[cls];
      const map = buckets.get(cls);
      if (!limit || !map || cost <= 0) return;
      bucketOf(cls, limit, map, key).tokens -= cost;
    },
  };
}
