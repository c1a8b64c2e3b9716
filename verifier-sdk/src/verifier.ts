// The verification core, shared by the browser and Node entry points and by the gateway. The order of checks is
// normative (docs/protocol.md §Verification): the first failing check decides the reason code.
import { HutongSdkError } from './errors.js';
import { decisionOf, type Decision, type ReasonCode } from './reason-codes.js';
import { reasonMessage, type LocalisedMessage } from './messages/index.js';
import type { CryptoBackend, CredentialAlg } from './lib/crypto-backend.js';
import { decodeFrame, decodeWith, type DecodedCredential, type Frame } from './qr-decoder.js';
import type { SnapshotIssuer, TrustSnapshot } from './trust-snapshot.js';
import { indexTrust, type IndexedAnchor, type TrustIndex } from './trust-index.js';
import { LEDGER_TIME_WINDOW_SECONDS } from './ledger-time-window.js';
import { nodeInput, proofSidesInto } from './lib/merkle.js';
import { toHex } from './lib/hex.js';
import { publicKeyAllowed, signatureEncodingAllowed } from './lib/signature-rules.js';
import { poolMark, poolRelease } from './lib/pool.js';
import { CREDENTIAL_TYP, MAX_KID_BYTES, MAX_PROOF_HASHES, ROOT_TAG_BYTES } from './lib/limits.js';

/**
 * Options fixed for the lifetime of a {@link Verifier}.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = { trust, jurisdiction: 'MacauMSP', maxSnapshotAgeSeconds: 6 * 3600, clockSkewSeconds: 120 };
 * ```
 */
export interface VerifierOptions extends VerifierSettings {
  /** The trust snapshot to verify against. */
  trust: TrustSnapshot;
}

/** How a verifier judges, whatever its trust state comes from (a snapshot, or a {@link TrustIndex} kept current). */
export interface VerifierSettings {
  /** The verifier's own MSP id (e.g. `'MacauMSP'`): selects the recognition policies that apply. */
  jurisdiction: string;
  /** Refuse (`SNAPSHOT_STALE`) when the snapshot is older than this. Default 86,400 s; at most 30 days. */
  maxSnapshotAgeSeconds?: number;
  /** Tolerance for nbf/iat/exp and snapshot time. Default 60 s; bounded to 0…600 s. */
  clockSkewSeconds?: number;
}

/**
 * Options of a one-off `verify` call.
 *
 * @example
 * ```ts
 * await verify(qr, { trust, jurisdiction: 'GuangdongMSP', now: new Date('2026-11-26T08:00:00Z') });
 * ```
 */
export interface VerifyOptions extends VerifierOptions {
  /** Verification time; default `new Date()`. */
  now?: Date;
}

/**
 * Officer-facing data, available once the signature has been checked.
 *
 * @example
 * ```ts
 * if (r.display) screen.show(`${r.display.maskedName} ${r.display.documentHint} · ${r.display.issuerName}`);
 * ```
 */
export interface DisplayData {
  issuerId: string;
  issuerName: string;
  /** The issuer's name in zh-Hant, zh-Hans, pt and en, when the ledger has them: show the officer's. */
  issuerNames?: Readonly<Record<'en' | 'pt' | 'zh-Hans' | 'zh-Hant', string>>;
  credentialType: string;
  /** Masked name as issued, e.g. `陈*明`. */
  maskedName?: string;
  /** Document hint as issued, e.g. `HRP-1234` (permit type + last 4 digits). */
  documentHint?: string;
}

/**
 * Why the credential is trusted: where its Merkle root sits on the ledger.
 *
 * @example
 * ```ts
 * audit.log({ reason: r.reason, tx: r.evidence?.anchorTxId, block: r.evidence?.blockNumber, leaf: r.evidence?.leafHash });
 * ```
 */
export interface Evidence {
  /** Merkle root, lower-case hex. */
  root: string;
  issuerId: string;
  kid: string;
  /** Leaf hash, lower-case hex (what a revocation names). */
  leafHash: string;
  /** The anchoring transaction; absent when the trust state came from a trust pack (docs/protocol.md §6.5). */
  anchorTxId?: string;
  blockNumber?: number;
  anchoredAt: string;
}

/**
 * The credential's own times (from its verified claims), ISO-8601 UTC.
 *
 * @example
 * ```ts
 * if (r.reason === 'EXPIRED') show(`expired ${r.validity?.expiresAt}`);
 * ```
 */
export interface Validity {
  issuedAt: string;
  notBefore: string;
  expiresAt: string;
}

/**
 * The ledger's revocation record of a revoked credential.
 *
 * @example
 * ```ts
 * if (r.revocation) show(`revoked ${r.revocation.revokedAt} (${r.revocation.reason})`);
 * ```
 */
export interface RevocationFacts {
  revokedAt: string;
  /** A revocation reason code (docs/ledger.md): superseded, status-change, issued-in-error, fraud, key-compromise, other. */
  reason: string;
}

/**
 * The recognition policy the verifier's jurisdiction applied.
 *
 * @example
 * ```ts
 * if (r.reason === 'CREDENTIAL_TOO_OLD') show(`older than ${r.policy!.maxAgeSeconds / 3600} h`);
 * ```
 */
export interface AppliedPolicy {
  recognisingMsp: string;
  issuerId: string;
  credentialType: string;
  version: number;
  acceptedStatuses: string[];
  maxAgeSeconds: number;
}

/**
 * The outcome of one verification: a decision for the desk, one reason code, its message in every locale, and the
 * facts that explain it (docs/protocol.md §7). `decision` is `ACCEPT` exactly when `reason` is `ACCEPTED`, `RESCAN`
 * for every `DECODE_*` reason, `REJECT` otherwise. No member contradicts the decision: the issuer's status claim
 * and its mapping are given only with `ACCEPT` and with the two status reasons they explain.
 *
 * @example
 * ```ts
 * const r: VerificationResult = await verifier.verify(qr);
 * lane.light(r.decision === 'ACCEPT' ? 'green' : r.decision === 'RESCAN' ? 'amber' : 'red', r.message['zh-Hant']);
 * ```
 */
export interface VerificationResult {
  decision: Decision;
  reason: ReasonCode;
  /** The reason's sentence in en, zh-Hant, zh-Hans and pt (`@hutong/verifier-sdk/messages`). */
  message: LocalisedMessage;
  /** The status the credential claims (`st`, the issuer's vocabulary): with `ACCEPT`, `STATUS_UNMAPPED`, `STATUS_NOT_ACCEPTED` only. */
  claimedStatus?: string;
  /** That status in the verifier's jurisdiction, per its recognition policy: with `ACCEPT` and `STATUS_NOT_ACCEPTED` only. */
  mappedStatus?: string;
  /** Issuer and holder hints, once the signature is verified. */
  display?: DisplayData;
  /** The credential's times, once the signature is verified. */
  validity?: Validity;
  /** With `CREDENTIAL_REVOKED`: when and why. */
  revocation?: RevocationFacts;
  /** The recognition policy applied, once one is found (from `POLICY_INACTIVE` on, and with `ACCEPT`). */
  policy?: AppliedPolicy;
  evidence?: Evidence;
  /** Age of the trust snapshot at verification time (-1 if the snapshot is unusable). */
  snapshotAgeSeconds: number;
}

/**
 * A verifier bound to one compiled snapshot; keys are imported once per kid. Create one per snapshot with
 * `newVerifier` and replace it when a fresh snapshot arrives.
 *
 * @example
 * ```ts
 * let verifier: Verifier = newVerifier({ trust, jurisdiction: 'MacauMSP' });
 * onSnapshot((t) => { verifier = newVerifier({ trust: t, jurisdiction: 'MacauMSP' }); });
 * ```
 */
export interface Verifier {
  /** Verifies one QR text. Never throws for any input string. */
  verify(qr: string, options?: Readonly<{ now?: Date }>): Promise<VerificationResult>;
  /** Decodes without verifying. Throws {@link HutongSdkError} with a `DECODE_*` code. */
  decode(qr: string): Promise<DecodedCredential>;
}

/** Placeholder until `settle` sets the reason's message. */
const UNSET: LocalisedMessage = reasonMessage('SNAPSHOT_INVALID');

/** A NumericDate (seconds) as ISO-8601 UTC; the claim checks bound it to a safe integer. */
function isoOf(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString();
}

const ALLOWED_HEADER = new Set(['alg', 'kid', 'typ']);
const LEDGER_TIME_WINDOW_MS = LEDGER_TIME_WINDOW_SECONDS * 1000;
const JTI = /^[A-Za-z0-9_-]{22,86}$/;
/** The checked header and claims, carried from the claim checks to the later steps. */
interface Claims {
  alg: CredentialAlg; kid: string; iss: string; vct: string; st: string; iat: number; nbf: number; exp: number;
  name: unknown; doc: unknown; issuer: SnapshotIssuer;
  /** The proof's leaf index: a trust pack names revoked leaves by position. */
  leafIndex: number;
}

interface Settings { jurisdiction: string; maxSnapshotAgeMs: number; skewMs: number }

function settings(o: VerifierSettings): Settings {
  if (typeof o !== 'object' || o === null) throw new HutongSdkError('INVALID_OPTIONS', 'options required');
  if (typeof o.jurisdiction !== 'string' || o.jurisdiction === '') throw new HutongSdkError('INVALID_OPTIONS', 'jurisdiction must be an MSP id');
  const maxAge = o.maxSnapshotAgeSeconds ?? 86_400;
  const skew = o.clockSkewSeconds ?? 60;
  if (!(maxAge >= 0 && maxAge <= 30 * 86_400)) throw new HutongSdkError('INVALID_OPTIONS', 'maxSnapshotAgeSeconds out of 0…2592000');
  if (!(skew >= 0 && skew <= 600)) throw new HutongSdkError('INVALID_OPTIONS', 'clockSkewSeconds out of 0…600');
  return { jurisdiction: o.jurisdiction, maxSnapshotAgeMs: maxAge * 1000, skewMs: skew * 1000 };
}

function claimString(c: Readonly<Record<string, unknown>>, k: string): string | null {
  const v = c[k];
  return typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : null;
}

// A kid of at most 21 UTF-16 code units is at most 63 UTF-8 bytes (3 per unit; a surrogate pair is 4 for 2), so
// only longer ones are counted. A literal header's kid has no other bound than the header's 256 bytes.
const MAX_KID_CHARS_ALWAYS_SHORT = Math.floor(MAX_KID_BYTES / 3);

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

function claimTime(c: Readonly<Record<string, unknown>>, k: string): number | null {
  const v = c[k];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Whether lower-case hex `hex` starts with the hex of `bytes[at…at+n)`, without building a string. */
function hexStartsWith(hex: string, bytes: Uint8Array, at: number, n: number): boolean {
  if (hex.length < 2 * n) return false;
  for (let k = 0; k < n; k++) {
    const b = bytes[at + k]!;
    if (hex.charCodeAt(2 * k) !== HEX_CODES[b >>> 4] || hex.charCodeAt(2 * k + 1) !== HEX_CODES[b & 15]) return false;
  }
  return true;
}

function keyMatchesAlg(alg: CredentialAlg, jwk: { kty?: unknown; crv?: unknown }): boolean {
  return alg === 'ES256' ? jwk.kty === 'EC' && jwk.crv === 'P-256' : jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}

/**
 * A verifier over `trust`, read at every verification: a follower that puts records into the index (and moves its
 * `generatedAtMs`) changes what the next verification sees, with nothing to rebuild.
 */
export function newVerifierWith(backend: CryptoBackend, options: VerifierSettings, trust: TrustIndex): Verifier {
  const s = settings(options);
  // Proof sides for the synchronous fast path: written and read with no await in between, so one per verifier.
  const sides = new Uint8Array(MAX_PROOF_HASHES);
  /** Leaf hash and (when the path has a valid shape) the root it implies, lower-case hex. */
  function leafAndRoot(f: Frame): { leafHash: string; root: string | null } | Promise<{ leafHash: string; root: string | null }> {
    if (backend.foldProof) {
      const shapeOk = proofSidesInto(f.leafIndex, f.treeSize, f.pathLength, sides);
      const r = backend.foldProof(f.leafInput, f.raw, f.pathAt, sides, shapeOk ? f.pathLength : 0);
      return { leafHash: r.leafHash, root: shapeOk ? r.root : null };
    }
    return leafAndRootAsync(f);
  }
  async function leafAndRootAsync(f: Frame): Promise<{ leafHash: string; root: string | null }> {
    const own = new Uint8Array(f.pathLength);
    const shapeOk = proofSidesInto(f.leafIndex, f.treeSize, f.pathLength, own);
    const leaf = await backend.sha256(f.leafInput);
    if (!shapeOk) return { leafHash: toHex(leaf), root: null };
    let r = leaf;
    for (let k = 0; k < f.pathLength; k++) {
      const sibling = f.raw.subarray(f.pathAt + 32 * k, f.pathAt + 32 * (k + 1));
      r = await backend.sha256(own[k] === 1 ? nodeInput(sibling, r) : nodeInput(r, sibling));
    }
    return { leafHash: toHex(leaf), root: toHex(r) };
  }

  // The checks run synchronously as long as every backend call answers synchronously (node:crypto with the key
  // already imported): no promise is created until the one the caller receives. A backend that answers with a
  // promise continues the same steps, in the same order, after it settles.
  function run(qr: string, nowMs: number, out: VerificationResult): ReasonCode | Promise<ReasonCode> {
    if (trust.generatedAtMs > nowMs + s.skewMs) return 'SNAPSHOT_INVALID'; // settle reports its age as -1
    if (nowMs - trust.generatedAtMs > s.maxSnapshotAgeMs) return 'SNAPSHOT_STALE';

    let f: Frame;
    try {
      f = decodeFrame(qr);
    } catch (e) {
      if (e instanceof HutongSdkError && e.code.startsWith('DECODE_')) return e.code as ReasonCode;
      throw e;
    }
    const h = f.headerObject, c = f.claims;

    // JOSE header: allow-listed algorithms, no key-carrying or critical parameters (RFC 8725 §3.1, §3.10).
    const alg = h.alg;
    if (alg !== 'ES256' && alg !== 'EdDSA') return 'ALG_NOT_ALLOWED';
    for (const k in h) if (!ALLOWED_HEADER.has(k)) return 'HEADER_FORBIDDEN'; // nothing enumerable is inherited: own keys only
    if (h.typ !== CREDENTIAL_TYP) return 'TYP_UNSUPPORTED';
    const kid = claimString(h, 'kid');
    const iss = claimString(c, 'iss'), vct = claimString(c, 'vct'), st = claimString(c, 'st'), sub = claimString(c, 'sub');
    const iat = claimTime(c, 'iat'), nbf = claimTime(c, 'nbf'), exp = claimTime(c, 'exp');
    const jti = c.jti, name = c.name, doc = c.doc;
    if (kid === null || iss === null || vct === null || st === null || sub === null || iat === null || nbf === null
      || exp === null || typeof jti !== 'string' || !JTI.test(jti)
      || (name !== undefined && typeof name !== 'string') || (doc !== undefined && typeof doc !== 'string')
      || !f.scalarMembers || (kid.length > MAX_KID_CHARS_ALWAYS_SHORT && utf8Length(kid) > MAX_KID_BYTES)) {
      return 'CLAIMS_INVALID';
    }

    const issuer = trust.issuers.get(iss);
    if (!issuer) return 'ISSUER_UNKNOWN';
    if (issuer.state !== 'active') return 'ISSUER_INACTIVE';
    const recognisedUntilMs = trust.recognisedUntilMs.get(iss);
    if (recognisedUntilMs !== undefined && nowMs >= recognisedUntilMs) return 'ISSUER_INACTIVE';

    const claims: Claims = { alg, kid, iss, vct, st, iat, nbf, exp, name, doc, issuer, leafIndex: f.leafIndex };
    // The anchoring time decides key revocation, so the proof's root is computed (hashes only) before the key check.
    const computed = leafAndRoot(f);
    if (computed instanceof Promise) return computed.then((r) => afterProof(f, claims, r, nowMs, out));
    return afterProof(f, claims, computed, nowMs, out);
  }

  function afterProof(f: Frame, cl: Claims, computed: { leafHash: string; root: string | null }, nowMs: number, out: VerificationResult): ReasonCode | Promise<ReasonCode> {
    const { alg, iss, kid } = cl;
    const rootHex = computed.root;
    const proofOk = rootHex !== null && hexStartsWith(rootHex, f.raw, f.rootTagAt, ROOT_TAG_BYTES);
    // The one anchor of this root (step 10): by this issuer, for this tree size (a proof for another tree size can
    // imply the same root: the anchored leaf count settles which tree it is) and under this kid, or none.
    // A trust pack's anchor is known by the root's first 20 bytes (docs/protocol.md §6.5).
    const anchored = proofOk ? trust.anchors.get(rootHex) ?? trust.anchorsByPrefix.get(rootHex.slice(0, 40)) : undefined;
    const sameIssuer = anchored !== undefined && anchored.record.issuerId === iss;
    const sameTree = sameIssuer && anchored.record.leafCount === f.treeSize;
    const anchor = sameTree && anchored.record.kid === kid ? anchored : undefined;

    const key = trust.keysByIssuer.get(iss)?.get(kid);
    if (!key || key.record.state === 'proposed') return 'KEY_UNKNOWN';
    if (key.record.alg !== alg || !keyMatchesAlg(alg, key.record.jwk)) return 'KEY_ALG_MISMATCH';
    // Without an anchor there is no ledger proof that the credential predates a revocation. A ledger time is the
    // submitting client's clock, within the peers' window: only an anchor a whole window before T proves "before T".
    if (key.revokedAtMs !== undefined && (!anchor || anchor.anchoredAtMs >= key.revokedAtMs - LEDGER_TIME_WINDOW_MS)) return 'KEY_REVOKED';
    const keyTime = anchor ? anchor.anchoredAtMs : nowMs;
    if (keyTime < key.validFromMs || keyTime >= key.validUntilMs) return 'KEY_NOT_VALID_AT_ANCHOR';

    const publicKey = key.importedKey;
    if (publicKey === undefined) {
      // A key that breaks §2.2 (off the curve, non-canonical, small order) is unusable, whatever a backend would take.
      key.imported ??= publicKeyAllowed(alg, key.record.jwk) ? backend.importKey(alg, key.record.jwk) : Promise.reject(new Error('unusable key'));
      return key.imported.then(
        (k) => {
          key.importedKey = k; // later verifications skip the await
          return afterKey(f, cl, computed, proofOk, sameIssuer, sameTree, anchor, k, nowMs, out);
        },
        () => 'KEY_ALG_MISMATCH' as const, // the registered JWK is not a usable key of its algorithm
      );
    }
    return afterKey(f, cl, computed, proofOk, sameIssuer, sameTree, anchor, publicKey, nowMs, out);
  }

  function afterKey(
    f: Frame, cl: Claims, computed: { leafHash: string; root: string | null }, proofOk: boolean, sameIssuer: boolean,
    sameTree: boolean, anchor: IndexedAnchor | undefined, publicKey: unknown, nowMs: number, out: VerificationResult,
  ): ReasonCode | Promise<ReasonCode> {
    if (!signatureEncodingAllowed(cl.alg, f.signature)) return 'SIGNATURE_INVALID'; // §2.2, before any backend
    let valid: boolean | Promise<boolean>;
    try {
      valid = backend.verify(cl.alg, publicKey, f.signature, f.signingInput);
    } catch {
      valid = false;
    }
    if (valid instanceof Promise) {
      return valid.then(
        (v) => afterSignature(v, cl, computed, proofOk, sameIssuer, sameTree, anchor, nowMs, out),
        () => afterSignature(false, cl, computed, proofOk, sameIssuer, sameTree, anchor, nowMs, out),
      );
    }
    return afterSignature(valid, cl, computed, proofOk, sameIssuer, sameTree, anchor, nowMs, out);
  }

  function afterSignature(
    valid: boolean, cl: Claims, computed: { leafHash: string; root: string | null }, proofOk: boolean, sameIssuer: boolean,
    sameTree: boolean, anchor: IndexedAnchor | undefined, nowMs: number, out: VerificationResult,
  ): ReasonCode {
    if (!valid) return 'SIGNATURE_INVALID';
    const { iss, vct, st, iat, nbf, exp, issuer } = cl;

    out.claimedStatus = st;
    const display: DisplayData = { issuerId: iss, issuerName: issuer.displayName, credentialType: vct };
    if (issuer.displayNames !== undefined) display.issuerNames = issuer.displayNames;
    if (typeof cl.name === 'string') display.maskedName = cl.name;
    if (typeof cl.doc === 'string') display.documentHint = cl.doc;
    out.display = display;
    out.validity = { issuedAt: isoOf(iat), notBefore: isoOf(nbf), expiresAt: isoOf(exp) };

    if (nbf * 1000 > nowMs + s.skewMs || iat * 1000 > nowMs + s.skewMs) return 'NOT_YET_VALID';
    if (exp * 1000 <= nowMs - s.skewMs) return 'EXPIRED';

    if (!proofOk) return 'PROOF_INVALID';
    if (!sameIssuer) return 'ROOT_NOT_ANCHORED';
    if (!sameTree) return 'PROOF_INVALID';
    if (!anchor) return 'ANCHOR_KID_MISMATCH';
    // The issuer declared no credential of the batch outlives notAfter: one that does is not what was anchored, and
    // rejecting it is what lets caches drop anchors past notAfter without changing a decision (§6 "Live records").
    if (anchor.notAfterMs !== undefined && exp * 1000 > anchor.notAfterMs) return 'EXPIRY_BEYOND_ANCHOR';
    const leafHex = computed.leafHash;
    const evidence: Evidence = {
      root: computed.root!, issuerId: iss, kid: cl.kid, leafHash: leafHex, anchoredAt: anchor.record.anchoredAt,
    };
    if (anchor.record.txId) evidence.anchorTxId = anchor.record.txId; // a trust pack carries no transaction ids
    if (anchor.record.blockNumber !== undefined) evidence.blockNumber = anchor.record.blockNumber;
    out.evidence = evidence;

    // A trust pack names a revoked leaf by its position in the anchored tree: exact, as the tree size is the anchor's.
    const revoked = trust.revokedByIssuer.get(iss)?.get(leafHex) ?? anchor.revoked?.get(cl.leafIndex);
    if (revoked !== undefined) {
      out.revocation = { revokedAt: revoked.revokedAt, reason: revoked.reason };
      return 'CREDENTIAL_REVOKED';
    }

    const policy = trust.policiesByMsp.get(s.jurisdiction)?.get(iss)?.get(vct);
    if (!policy) return 'POLICY_NOT_FOUND';
    const p = policy.record;
    out.policy = {
      recognisingMsp: p.recognisingMsp, issuerId: p.issuerId, credentialType: p.credentialType, version: p.version,
      acceptedStatuses: [...p.acceptedStatuses], maxAgeSeconds: p.maxAgeSeconds,
    };
    if (policy.record.withdrawn || nowMs < policy.validFromMs || nowMs >= policy.validUntilMs) return 'POLICY_INACTIVE';
    if (!issuer.credentialTypes.includes(vct)) return 'TYPE_NOT_RECOGNISED';
    const mapped = Object.prototype.hasOwnProperty.call(policy.record.statusMapping, st) ? policy.record.statusMapping[st] : undefined;
    if (typeof mapped !== 'string') return 'STATUS_UNMAPPED';
    out.mappedStatus = mapped;
    if (!policy.record.acceptedStatuses.includes(mapped)) return 'STATUS_NOT_ACCEPTED';
    if (nowMs - iat * 1000 > policy.record.maxAgeSeconds * 1000) return 'CREDENTIAL_TOO_OLD';
    return 'ACCEPTED';
  }

  function settle(out: VerificationResult, reason: ReasonCode): VerificationResult {
    // An unusable snapshot has no age; one from the future within the skew is 0 s old.
    if (reason === 'SNAPSHOT_INVALID') out.snapshotAgeSeconds = -1;
    else if (out.snapshotAgeSeconds < 0) out.snapshotAgeSeconds = 0;
    out.reason = reason;
    out.decision = decisionOf(reason);
    out.message = reasonMessage(reason);
    // A status beside a refusal reads as the opposite of the decision (a revoked `green`): kept only where it is the reason.
    if (reason !== 'ACCEPTED' && reason !== 'STATUS_NOT_ACCEPTED') {
      if (reason !== 'STATUS_UNMAPPED') delete out.claimedStatus;
      delete out.mappedStatus;
    }
    return out;
  }

  return {
    verify(qr, options) {
      try {
        const nowMs = (options?.now ?? new Date()).getTime();
        const out: VerificationResult = {
          decision: 'REJECT', reason: 'SNAPSHOT_INVALID', message: UNSET, snapshotAgeSeconds: Math.floor((nowMs - trust.generatedAtMs) / 1000),
        };
        if (!Number.isFinite(nowMs)) throw new HutongSdkError('INVALID_OPTIONS', 'now is not a valid Date');
        const mark = poolMark();
        const reason = run(qr, nowMs, out);
        if (typeof reason === 'string') {
          // Finished without awaiting: the frame's pooled bytes (frame, leaf input) are referenced by nothing in
          // the result (strings only), so the next scan may reuse them while they are still in cache.
          poolRelease(mark);
          return Promise.resolve(settle(out, reason));
        }
        return reason.then((r) => settle(out, r));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    decode: (qr) => decodeWith(backend, qr),
  };
}

/** The public functions, bound to one crypto backend (see index.ts / index.node.ts). */
export function createVerifierApi(backend: CryptoBackend) {
  const compiled = new WeakMap<TrustSnapshot, TrustIndex>();
  const indexed = (trust: TrustSnapshot): TrustIndex => {
    let t = typeof trust === 'object' && trust !== null ? compiled.get(trust) : undefined;
    if (!t) {
      t = indexTrust(trust);
      compiled.set(trust, t);
    }
    return t;
  };
  return {
    newVerifier: (options: VerifierOptions): Verifier => newVerifierWith(backend, options, indexed(options?.trust)),
    newVerifierOnIndex: (index: TrustIndex, options: VerifierSettings): Verifier => newVerifierWith(backend, options, index),
    async verify(qr: string, options: VerifyOptions): Promise<VerificationResult> {
      let t: TrustIndex;
      try {
        t = indexed(options?.trust);
      } catch (e) {
        if (e instanceof HutongSdkError && e.code === 'SNAPSHOT_INVALID') {
          settings(options);
          return { decision: 'REJECT', reason: 'SNAPSHOT_INVALID', message: reasonMessage('SNAPSHOT_INVALID'), snapshotAgeSeconds: -1 };
        }
        throw e;
      }
      return newVerifierWith(backend, options, t).verify(qr, options.now ? { now: options.now } : undefined);
    },
    decodeQr: (qr: string): Promise<DecodedCredential> => decodeWith(backend, qr),
  };
}
