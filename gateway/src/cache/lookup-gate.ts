/**
 * The gate in front of the ledger look-ups that verification cache misses cause (an issuer, key or root the trust
 * cache lacks). Whoever holds a checkpoint token chooses what is missing — a made-up issuer id costs nothing to
 * send — so what such look-ups may cost is bounded here, four ways:
 *
 * - every answer is remembered for `rememberMs`, at most `rememberMax` of them: the oldest is forgotten first, and
 *   since all share one lifetime the oldest is also the next to expire (a Map keeps insertion order);
 * - concurrent look-ups of one key share one ledger call (single flight);
 * - at most `maxInFlight` distinct look-ups run at once;
 * - look-ups start at `perSecond` on average and at most `burst` at once (a token bucket).
 *
 * A look-up the gate does not run answers "nothing new" at once, without a ledger call: the miss is then decided as
 * the cache stands, and the events bring whatever the ledger adds anyway. Honest verifications of credentials the
 * cache knows never reach the gate.
 */
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';

export type LookupKind = 'issuer' | 'anchor';

export interface LookupGateOptions {
  perSecond: number;
  burst: number;
  maxInFlight: number;
  rememberMs: number;
  rememberMax: number;
  metrics?: GatewayMetrics | undefined;
  now?: () => number;
}

export interface LookupGate {
  /**
   * Runs `fetch` (a ledger look-up that resolves true when it added something to the cache) for `kind`/`id`, unless
   * the same look-up was answered within `rememberMs`, is in flight (then its answer is shared), or the limits are
   * reached; in those cases it resolves false, or the shared answer.
   */
  lookup(kind: LookupKind, id: string, fetch: () => Promise<boolean>): Promise<boolean>;
}

export function newLookupGate(options: Readonly<LookupGateOptions>): LookupGate {
  const { metrics } = options;
  const now = options.now ?? Date.now;
  /** key → time its answer is forgotten, oldest first. */
  const remembered = new Map<string, number>();
  const inFlight = new Map<string, Promise<boolean>>();
  let tokens = options.burst;
  let refilledAt = now();

  metrics?.cacheCapacity.set({ cache: 'miss_answers' }, options.rememberMax);
  metrics?.cacheCapacity.set({ cache: 'miss_in_flight' }, options.maxInFlight);

  function sizes(): void {
    metrics?.cacheEntries.set({ cache: 'miss_answers' }, remembered.size);
    metrics?.cacheEntries.set({ cache: 'miss_in_flight' }, inFlight.size);
  }

  function forgetExpired(t: number): void {
    for (const [key, until] of remembered) {
      if (until > t) break;
      remembered.delete(key);
    }
  }

  function remember(key: string): void {
    const t = now();
    forgetExpired(t);
    remembered.delete(key);
    remembered.set(key, t + options.rememberMs);
    while (remembered.size > options.rememberMax) {
      remembered.delete(remembered.keys().next().value as string);
      metrics?.cacheEvictions.inc({ cache: 'miss_answers' });
    }
  }

  function takeToken(): boolean {
    const t = now();
    tokens = Math.min(options.burst, tokens + ((t - refilledAt) / 1000) * options.perSecond);
    refilledAt = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  return {
    lookup(kind, id, fetch) {
      const key = `${kind}/${id}`;
      const shared = inFlight.get(key);
      if (shared) {
        metrics?.missLookups.inc({ kind, outcome: 'coalesced' });
        return shared;
      }
      const until = remembered.get(key);
      if (until !== undefined && until > now()) {
        metrics?.missLookups.inc({ kind, outcome: 'remembered' });
        return Promise.resolve(false);
      }
      if (inFlight.size >= options.maxInFlight || !takeToken()) {
        metrics?.missLookups.inc({ kind, outcome: 'shed' });
        return Promise.resolve(false);
      }
      metrics?.missLookups.inc({ kind, outcome: 'queried' });
      const answer = fetch()
        .catch(() => false)
        .finally(() => {
          inFlight.delete(key);
          remember(key);
          sizes();
        });
      inFlight.set(key, answer);
      sizes();
      return answer;
    },
  };
}
