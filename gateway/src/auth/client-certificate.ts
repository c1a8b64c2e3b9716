/**
 * Mutual TLS per role: the roles whose requests need a client certificate verified against the configured CA
 * bundle (config `http.tls.requireClientCertificateFor`), and the one check of it, made by the route runner for
 * Express and the fast path alike. The HTTPS server asks every client for a certificate but completes the handshake
 * without one (`requestCert`, `rejectUnauthorized: false`, http/http-server.ts), so public routes and roles that need
 * none serve any client; whether a request needs a certificate is known only once its token says who is calling.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { GatewayError } from '../errors/gateway-error.js';
import type { Principal, Role } from './principal.js';

export interface ClientCertificatePolicy {
  readonly requiredFor: ReadonlySet<Role>;
}

export const NO_CLIENT_CERTIFICATES: ClientCertificatePolicy = { requiredFor: new Set() };

/** OpenSSL's verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, …): safe to answer with. */
const VERIFY_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Throws CLIENT_CERTIFICATE_REQUIRED or _INVALID unless the request may go on. A request is admitted by the roles
 * that the route accepts and the token grants (`requireRole` has made sure there is one); if any of them needs no
 * certificate the request needs none — a token granting more roles does not lose what each role alone may do — and
 * otherwise the connection must carry a certificate that chains to the configured CA bundle.
 */
export function requireClientCertificate(policy: ClientCertificatePolicy, principal: Principal, routeRoles: readonly Role[], socket: Socket): void {
  if (policy.requiredFor.size === 0) return;
  const acting = routeRoles.filter((r) => principal.roles.has(r));
  if (acting.some((r) => !policy.requiredFor.has(r))) return;
  const tls = socket instanceof TLSSocket ? socket : undefined;
  if (tls?.authorized === true) return;
  if (tls === undefined || tls.getPeerX509Certificate() === undefined) {
    throw new GatewayError('CLIENT_CERTIFICATE_REQUIRED', `requests of the roles ${acting.join(', ')} need a client certificate (mutual TLS)`, { roles: acting });
  }
  const reason = String(tls.authorizationError);
  throw new GatewayError('CLIENT_CERTIFICATE_INVALID', 'the client certificate is not one this gateway trusts', {
    roles: acting, reason: VERIFY_CODE.test(reason) ? reason : 'UNVERIFIED',
  });
}
