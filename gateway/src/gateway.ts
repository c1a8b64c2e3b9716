/**
 * The composition root of one organisation's gateway: ledger connections, trust cache, outbox, services, HTTP.
 * `newGateway(config)` returns a started gateway; `close()` stops it in reverse order (HTTP first, ledger last).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { newAuthenticator } from './auth/authenticator.js';
import { newTrustCache, type TrustCache } from './cache/trust-cache.js';
import { newTrustCacheStore } from './cache/trust-cache-store.js';
import { resolveIssuerSecrets, resolveTlsCredentials, type GatewayConfig } from './config/config.js';
import { createRequestListener } from './http/app.js';
import { newHttpServer, type GatewayServer } from './http/http-server.js';
import { newRateLimiter } from './http/rate-limit.js';
import { newGatewayMetrics } from './metrics/gateway-metrics.js';
import { openLedgerBackend } from './config/open-ledger-backend.js';
import type { LedgerBackend } from '@hutong/ledger';
import { newLogger, type Logger } from './logging/logger.js';
import { newOutbox, type Outbox } from './outbox/outbox.js';
import { newAuditService } from './services/audit-service.js';
import { newGovernanceService } from './services/governance-service.js';
import { newIssuanceService } from './issuance/issuance-service.js';
import { newRevocationService } from './services/revocation-service.js';
import { loadSnapshotKey, newTrustService } from './services/trust-service.js';
import { newVerificationService } from './services/verification-service.js';
import { defaultPoolSize, newCryptoPool } from './workers/crypto-pool.js';

export interface Gateway {
  readonly config: GatewayConfig;
  /** `http://127.0.0.1:<port>`, or `https://…` with `http.tls` */
  readonly url: string;
  readonly port: number;
  readonly cache: TrustCache;
  /** Absent in a verification-only gateway (`serves: "verification"`). */
  readonly outbox: Outbox | undefined;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Share one backend between gateways of one process (the embedded ledger delivers events in-process). */
  backend?: LedgerBackend;
  /** Log destination (default: stdout, asynchronous). */
  logDestination?: DestinationStream;
}

/** Verifications refuse (SNAPSHOT_STALE) once the cache has not been known current for this long. */
const MAX_TRUST_STALENESS_SECONDS = 3600;

export async function newGateway(config: GatewayConfig, options: Readonly<GatewayOptions> = {}): Promise<Gateway> {
  const logger = newLogger({ org: config.org.name, level: config.logLevel, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const secrets = resolveIssuerSecrets(config);
  const tls = config.http.tls ? resolveTlsCredentials(config.http.tls) : undefined;
  mkdirSync(config.dataDir, { recursive: true });
  const ownBackend = options.backend === undefined;
  const backend = options.backend ?? openLedgerBackend(config.ledger, config.org.mspId);
  const closers: Array<() => Promise<void> | void> = [];
  try {
    const clientLedger = await backend.connect({ mspId: config.org.mspId, role: 'client' });
    const adminLedger = await backend.connect({ mspId: config.org.mspId, role: 'admin' });
    closers.push(() => clientLedger.close(), () => adminLedger.close());
    if (ownBackend) closers.push(() => backend.close());

    const metrics = newGatewayMetrics({ org: config.org.name, defaultMetrics: true });
    const cache = newTrustCache({
      ledger: clientLedger, store: newTrustCacheStore({ path: join(config.dataDir, 'trust-cache.sqlite') }), logger, metrics,
      heightPollMs: config.cache.heightPollMs, maxLagBlocks: config.cache.maxLagBlocks,
    });
    await cache.start();
    closers.push(() => cache.close());

    const writes = config.serves === 'all';
    const outbox = writes ? newOutbox({ path: join(config.dataDir, 'outbox.sqlite'), ledger: clientLedger, logger, metrics, ...config.outbox }) : undefined;
    if (outbox) {
      outbox.start();
      closers.push(() => outbox.close());
    }

    const poolSize = config.workers.size ?? defaultPoolSize();
    const pool = poolSize > 0 ? newCryptoPool({ size: poolSize }) : undefined;
    if (pool) closers.push(() => pool.close());

    const issuance = outbox ? newIssuanceService({ cache, outbox, secrets, logger, metrics, pool, ...config.issuance }) : undefined;
    if (issuance) closers.push(() => issuance.close());
    const trust = await newTrustService({ cache, mspId: config.org.mspId, snapshotKey: await loadSnapshotKey(join(config.dataDir, 'snapshot-key.json'), config.org.name) });
    const verification = newVerificationService({
      cache, mspId: config.org.mspId, maxSnapshotAgeSeconds: MAX_TRUST_STALENESS_SECONDS, missLookups: config.cache.missLookups, metrics, pool,
    });

    const listener = createRequestListener({
      org: config.org,
      logger,
      metrics,
      authenticator: newAuthenticator(config.auth),
      verification,
      trust,
      ...(outbox && issuance ? {
        issuance,
        revocation: newRevocationService({ outbox, cache, ledger: clientLedger, logger, commitWaitMs: config.issuance.commitWaitMs }),
        outbox,
        governance: newGovernanceService({ adminLedger, cache, logger, deadlineMs: config.outbox.submitDeadlineMs }),
        audit: newAuditService({ ledger: clientLedger, deadlineMs: 5000 }),
      } : {}),
      bodyLimitBytes: config.http.bodyLimitBytes,
      limiter: newRateLimiter({ maxClients: config.rateLimits.maxClients, limits: config.rateLimits, metrics }),
      clientCertificates: { requiredFor: new Set(config.http.tls?.requireClientCertificateFor ?? []) },
      // Ready means a valid credential would be accepted now: the ledger answers, the cache follows it closely, and
      // the trust state is fresh enough for the verifier (a cache confirmed current too long ago is SNAPSHOT_STALE).
      async readiness() {
        const s = cache.status();
        const lagOk = s.lagBlocks !== undefined && s.lagBlocks <= config.cache.maxLagBlocks;
        const usability = await verification.trustUsability();
        return {
          ready: s.ledgerReachable && s.following && lagOk && usability.usable,
          org: config.org.mspId,
          serves: config.serves,
          ledger: { kind: backend.kind, reachable: s.ledgerReachable, height: s.ledgerHeight ?? null },
          cache: { following: s.following, checkpoint: s.checkpoint ?? null, lagBlocks: s.lagBlocks ?? null, syncedAt: s.syncedAt ?? null, ledgerTime: s.ledgerTime ?? null, lastErrorCode: s.lastErrorCode ?? null },
          trust: usability,
          ...(outbox ? { outbox: outbox.depth() } : {}),
        };
      },
    });

    const server: GatewayServer = await new Promise((resolve, reject) => {
      const { tls: _files, ...bounds } = config.http;
      const s = newHttpServer(listener, { ...bounds, logger, ...(tls ? { tls } : {}) });
      s.once('error', reject);
      s.listen(config.http.port, config.http.host, () => {
        s.off('error', reject);
        resolve(s);
      });
    });
    server.keepAliveTimeout = 65_000;
    const port = (server.address() as AddressInfo).port;
    const url = `${tls ? 'https' : 'http'}://${config.http.host}:${port}`;
    logger.info({
      event: 'gateway.started', url, ledger: backend.kind, mspId: config.org.mspId,
      clientCertificatesFor: config.http.tls?.requireClientCertificateFor ?? [], tokenKeys: config.auth.jwksUrl !== undefined ? 'remote' : 'inline',
    }, 'gateway listening');
    let closing: Promise<void> | undefined;
    return {
      config, url, port, cache, outbox, logger,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          for (const close of closers.reverse()) await close();
          logger.info({ event: 'gateway.stopped' }, 'gateway stopped');
          logger.flush();
        })();
        return closing;
      },
    };
  } catch (e) {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    throw e;
  }
}
