// What both entry points (index.ts for browsers and by default, index.node.ts under the `node` condition) export
// besides their four backend-bound functions: errors, reason codes, the snapshot and result types, snapshot opening,
// the strict JSON parser.
export { HutongSdkError, type HutongSdkErrorCode } from './errors.js';
export { REASON_CODES, DECISIONS, decisionOf, type ReasonCode, type DecodeReasonCode, type Decision } from './reason-codes.js';
// Scanner input, made into the QR text it read: the verifier and the gateway apply it to every input.
export { normaliseScan } from './scanned-text.js';
export { reasonMessage, type Locale, type LocalisedMessage } from './messages/index.js';
export type {
  TrustSnapshot, SnapshotIssuer, SnapshotKey, SnapshotPolicy, SnapshotAnchor, SnapshotRevocation, PublicJwk, CredentialAlg,
} from './trust-snapshot.js';
// The trust index: what a verifier reads, built from a snapshot or kept current record by record (trust-index.ts).
export {
  newTrustIndex, indexTrust, snapshotOfIndex, putIssuer, putKey, putAnchor, putRevocation, putPolicy,
  type TrustIndex, type IndexedKey, type IndexedAnchor, type IndexedPolicy,
} from './trust-index.js';
// Which anchors and revocations can still matter (docs/protocol.md §6 "Live records"): what snapshots and caches may drop.
export { MAX_CLOCK_SKEW_MS, deadFromMs, isLiveRecord, liveSnapshot, dropDeadAnchors, dropDeadRevocation } from './live-records.js';
// How far a ledger time may lie (docs/protocol.md §6): a key's revocation reaches back this far.
export { LEDGER_TIME_WINDOW_SECONDS } from './ledger-time-window.js';
export type { DecodedCredential, InclusionProof } from './qr-decoder.js';
export { openSignedSnapshot, SNAPSHOT_JWS_TYP } from './signed-snapshot.js';
// The trust store's storages that work everywhere (the Node build adds fileTrustStorage).
export {
  memoryTrustStorage, localStorageTrustStorage, indexedDbTrustStorage, type TrustStore, type TrustStoreOptions, type TrustStorage, type TrustPackOpener,
} from './trust-store.js';
// The protocol's JSON policy (RFC 8259 with I-JSON's rules: duplicate member names refused), for anyone parsing
// hutong JSON — the gateway parses every request body with it.
export { parseStrictJson, JsonError, type JsonValue } from './lib/strict-json.js';
export type {
  Verifier, VerifierSettings, VerifierOptions, VerifyOptions, VerificationResult, DisplayData, Evidence, Validity, RevocationFacts, AppliedPolicy,
} from './verifier.js';
