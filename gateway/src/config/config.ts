/**
 * Gateway configuration: parsed once at start-up by one zod schema; any problem fails fast with every issue listed.
 * Organisations are data: the demo's Guangdong and Macau are just one consortium file (see consortium.ts).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import { inputs } from '@hutong/chaincode/domain';
import { ROLES } from '../auth/principal.js';
import { GatewayError } from '../errors/gateway-error.js';

const jwk = z.record(z.string().max(16), z.unknown());

export const OrgConfig = z.strictObject({
  /** Short lower-case name used on the command line (`--org guangdong`). */
  name: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
  mspId: inputs.mspId,
  jurisdiction: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
  displayName: z.string().min(1).max(200),
});

export const LedgerConfig = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('embedded'),
    /** The embedded ledger's SQLite file; both orgs' gateways of a dev machine share one. */
    path: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal('fabric'),
    /** The organisation's connection profile (`npm run network -- up` writes `<network>/profiles/<org>.json`). */
    connectionProfile: z.string().min(1),
  }),
]);

/**
 * An issuer key this gateway signs with, and the issuer's pseudonym key (HMAC secret for `sub`). Inline or in a
 * JSON file `{ "privateJwk": {...}, "pseudonymKey": "<base64url, ≥ 32 bytes>" }`. In production: an HSM handle.
 */
export const IssuerSecretConfig = z
  .strictObject({
    issuerId: inputs.issuerId,
    kid: inputs.kid,
    privateJwk: jwk.optional(),
    pseudonymKey: z.string().regex(/^[A-Za-z0-9_-]{43,}$/, 'pseudonymKey: base64url of at least 32 bytes').optional(),
    file: z.string().min(1).optional(),
  })
  .refine((k) => (k.file !== undefined) !== (k.privateJwk !== undefined && k.pseudonymKey !== undefined), 'give either file, or both privateJwk and pseudonymKey');

/** One token bucket: `perSecond` sustained, `burst` at once (a batch counts one per item; see http/rate-limit.ts). */
const RateLimitConfig = z.strictObject({
  perSecond: z.number().positive().max(1_000_000),
  burst: z.number().int().min(1).max(10_000_000),
});

/**
 * HTTPS (http/http-server.ts) and mutual TLS per role (auth/client-certificate.ts). With `clientCaFile` every client
 * is asked for a certificate but the handshake succeeds without one; each request is then decided by its roles: a
 * request admitted only by roles in `requireClientCertificateFor` needs a certificate that chains to `clientCaFile`.
 */
export const TlsConfig = z
  .strictObject({
    /** The server's certificate (PEM; the chain to send after it, leaf first) and its private key (PEM, unencrypted). */
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    /** The CA bundle (PEM) client certificates are verified against. */
    clientCaFile: z.string().min(1).optional(),
    /** Roles whose requests need a verified client certificate (e.g. `["checkpoint"]`). */
    requireClientCertificateFor: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
    minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
  })
  .refine((t) => t.requireClientCertificateFor.length === 0 || t.clientCaFile !== undefined, {
    message: 'requireClientCertificateFor needs clientCaFile (the CA bundle client certificates are verified against)', path: ['clientCaFile'],
  });

/** The only hosts a JWKS may be fetched from over plain HTTP: loopback addresses (tests, a sidecar on the same host). */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
}

/**
 * Bearer-token verification (auth/authenticator.ts): the keys inline (`jwks`), or an OpenID provider's JWKS fetched
 * from `jwksUrl` with jose's remote key set — kept `maxAgeMs`, fetched again at most once per `cooldownMs` when a
 * token names a kid it does not hold, each fetch given `timeoutMs` (gateway/src/README.md, "Configuration for real deployments").
 */
export const AuthConfig = z
  .strictObject({
    /** Expected `iss` of bearer tokens. */
    issuer: z.string().min(1),
    /** Expected `aud`: tokens of another jurisdiction's gateway are refused. */
    audience: z.string().min(1),
    jwks: z.strictObject({ keys: z.array(jwk).min(1) }).optional(),
    /** https, or http to a loopback address (127.0.0.0/8, [::1]) only. */
    jwksUrl: z.url({ protocol: /^https?$/ }).refine((u) => u.startsWith('https:') || (URL.canParse(u) && isLoopbackHost(new URL(u).hostname)), 'jwksUrl must be https (plain http only to a loopback address)').optional(),
    jwksFetch: z
      .strictObject({
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
        cooldownMs: z.number().int().min(0).max(3_600_000).default(30_000),
        maxAgeMs: z.number().int().min(1000).max(86_400_000).default(600_000),
        /** A larger JWKS answer is refused (AUTH_PROVIDER_UNAVAILABLE). */
        maxBytes: z.number().int().min(1024).max(4 * 1024 * 1024).default(256 * 1024),
      })
      .prefault({}),
    /** Signature algorithms accepted on tokens (external providers often sign RS256). */
    algorithms: z.array(z.enum(['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'])).min(1).default(['ES256', 'EdDSA']),
  })
  .refine((a) => (a.jwks === undefined) !== (a.jwksUrl === undefined), { message: 'give exactly one of jwks (inline keys) or jwksUrl', path: ['jwks'] })
  .refine((a) => a.jwksFetch.cooldownMs <= a.jwksFetch.maxAgeMs, { message: 'cooldownMs cannot exceed maxAgeMs', path: ['jwksFetch', 'cooldownMs'] });

export const GatewayConfig = z.strictObject({
  org: OrgConfig,
  http: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(0),
      bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(8 * 1024 * 1024),
      /** A request's head must arrive within `headersTimeoutMs`, the whole request within `requestTimeoutMs` (else 408). */
      headersTimeoutMs: z.number().int().min(1000).max(300_000).default(10_000),
      requestTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
      /** Open connections beyond this are refused at accept. */
      maxConnections: z.number().int().min(1).max(1_000_000).default(4096),
      /** HTTPS instead of HTTP (absent: plain HTTP, for a TLS-terminating proxy in front or the demo). */
      tls: TlsConfig.optional(),
    })
    .prefault({}),
  /**
   * Per-client rate limits (http/rate-limit.ts): token buckets for the verification and issuance routes per token
   * subject, and per remote address for requests to them without a valid token. A class without an entry is not
   * limited — the default for all three, since the demo and the benchmarks drive one token at full speed
   * (gateway/src/README.md, "Rate limits", suggests production values).
   */
  rateLimits: z
    .strictObject({
      /** Buckets kept per class, least recently used evicted first. */
      maxClients: z.number().int().min(1).max(1_000_000).default(10_000),
      verification: RateLimitConfig.optional(),
      issuance: RateLimitConfig.optional(),
      unauthenticated: RateLimitConfig.optional(),
    })
    .prefault({}),
  /**
   * What this gateway process serves: everything (default), or `verification` — the checkpoint and trust routes
   * only, with its own trust cache following the ledger and no outbox, issuance, governance or audit. A checkpoint
   * service run so shares no event loop, core or process with the organisation's writes (gateway/src/README.md,
   * "Verification beside writes").
   */
  serves: z.enum(['all', 'verification']).default('all'),
  ledger: LedgerConfig,
  /** The gateway's own state: outbox, trust cache and its checkpoint, snapshot signing key. */
  dataDir: z.string().min(1),
  auth: AuthConfig,
  /** Issuer keys this gateway signs with (issuers owned by this org). */
  issuerSecrets: z.array(IssuerSecretConfig).default([]),
  issuance: z
    .strictObject({
      maxLeaves: z.number().int().min(1).max(65536).default(4096),
      maxDelayMs: z.number().int().min(0).max(10_000).default(25),
      /** How long a write request waits for its commit before answering 202 with an outbox id. */
      commitWaitMs: z.number().int().min(0).max(120_000).default(10_000),
    })
    .prefault({}),
  outbox: z
    .strictObject({
      baseBackoffMs: z.number().int().min(1).default(200),
      maxBackoffMs: z.number().int().min(1).default(10_000),
      concurrency: z.number().int().min(1).max(64).default(8),
      submitDeadlineMs: z.number().int().min(100).default(15_000),
    })
    .prefault({}),
  cache: z
    .strictObject({
      /** Ledger height is polled this often for /readyz and the lag metric. */
      heightPollMs: z.number().int().min(50).default(1000),
      /** Readiness fails when the cache is more than this many blocks behind. */
      maxLagBlocks: z.number().int().min(0).default(5),
      /**
       * Ledger look-ups for what a verification finds missing from the cache (an unknown issuer, key or root): each
       * answer is remembered `rememberMs` (at most `rememberMax` answers), concurrent look-ups of one id share one
       * call, at most `maxInFlight` run at once, and they start at `perSecond` on average, `burst` at once. Beyond
       * that a miss is decided as the cache stands (gateway/src/README.md, "Bounds").
       */
      missLookups: z
        .strictObject({
          perSecond: z.number().positive().max(10_000).default(20),
          burst: z.number().int().min(1).max(10_000).default(40),
          maxInFlight: z.number().int().min(1).max(256).default(4),
          rememberMs: z.number().int().min(0).max(600_000).default(2000),
          rememberMax: z.number().int().min(1).max(1_000_000).default(10_000),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Worker threads for crypto-heavy bulk work (verification batches, bulk issuance signatures); started on first
   * use. Default: every core the process may use (`os.availableParallelism()`); 0 keeps all of it in-process.
   */
  workers: z
    .strictObject({ size: z.number().int().min(0).max(64).optional() })
    .prefault({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type GatewayConfig = z.output<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;
export type OrgConfig = z.output<typeof OrgConfig>;
export type AuthConfig = z.output<typeof AuthConfig>;
export type TlsConfig = z.output<typeof TlsConfig>;

/** Parses a configuration object; throws CONFIG_INVALID listing every issue with its path. */
export function parseConfig(raw: unknown, source = 'configuration'): GatewayConfig {
  const parsed = GatewayConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new GatewayError('CONFIG_INVALID', `${source} is invalid:\n  ${issues.join('\n  ')}`, { issues });
}

/** Reads and parses a JSON configuration file. */
export function loadConfigFile(path: string): GatewayConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GatewayError('CONFIG_INVALID', `cannot read configuration file ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  return parseConfig(raw, path);
}

export interface IssuerSecret {
  issuerId: string;
  kid: string;
  privateJwk: Record<string, unknown>;
  pseudonymKey: Uint8Array;
}

/** Loads every issuer secret (inline or from its file); fails fast on an unreadable or incomplete file. */
export function resolveIssuerSecrets(config: GatewayConfig): IssuerSecret[] {
  return config.issuerSecrets.map((k) => {
    let privateJwk = k.privateJwk;
    let pseudonymKey = k.pseudonymKey;
    if (k.file !== undefined) {
      try {
        const file = JSON.parse(readFileSync(k.file, 'utf8')) as { privateJwk?: Record<string, unknown>; pseudonymKey?: string };
        privateJwk = file.privateJwk;
        pseudonymKey = file.pseudonymKey;
      } catch (e) {
        throw new GatewayError('CONFIG_INVALID', `cannot read issuer secret ${k.issuerId}/${k.kid} from ${k.file}`, undefined, { cause: e });
      }
    }
    if (!privateJwk || typeof pseudonymKey !== 'string' || Buffer.from(pseudonymKey, 'base64url').length < 32) {
      throw new GatewayError('CONFIG_INVALID', `issuer secret ${k.issuerId}/${k.kid} needs privateJwk and a pseudonymKey of ≥ 32 bytes`);
    }
    return { issuerId: k.issuerId, kid: k.kid, privateJwk, pseudonymKey: new Uint8Array(Buffer.from(pseudonymKey, 'base64url')) };
  });
}

/** What the HTTPS server is started with: the PEM files of `http.tls`, read and checked to form a TLS context. */
export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  clientCa?: Buffer;
  minVersion: TlsConfig['minVersion'];
}

/** Reads the PEM files of `http.tls`; fails fast (CONFIG_INVALID, naming the file) on one unreadable, unusable or not matching. */
export function resolveTlsCredentials(tls: TlsConfig): TlsCredentials {
  const read = (file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new GatewayError('CONFIG_INVALID', `cannot read http.tls file ${file}`, undefined, { cause: e });
    }
  };
  const credentials: TlsCredentials = {
    cert: read(tls.certFile), key: read(tls.keyFile), minVersion: tls.minVersion, ...(tls.clientCaFile ? { clientCa: read(tls.clientCaFile) } : {}),
  };
  try {
    createSecureContext({ cert: credentials.cert, key: credentials.key, ...(credentials.clientCa ? { ca: credentials.clientCa } : {}), minVersion: tls.minVersion });
  } catch (e) {
    // OpenSSL's reason only (e.g. "key values mismatch"): never the files' contents.
    const reason = String((e as { reason?: unknown }).reason ?? (e as { code?: unknown }).code ?? 'unusable');
    throw new GatewayError('CONFIG_INVALID', `http.tls: ${tls.certFile}, ${tls.keyFile}${tls.clientCaFile ? `, ${tls.clientCaFile}` : ''} do not form a TLS context (${reason})`, undefined, { cause: e });
  }
  return credentials;
}
