/** Hard size caps, checked before anything is allocated (docs/protocol.md §Limits). */
export const QR_PREFIX = 'HT1:';
/** QR version 40, alphanumeric mode, level L holds 4,296 characters; nothing longer can be a hutong QR. */
export const MAX_QR_CHARS = 4296;
/** At least the frame bytes a text of MAX_QR_CHARS can carry (2,861): a buffer size, not a check of its own. */
export const MAX_COMPRESSED_BYTES = Math.floor(((MAX_QR_CHARS - QR_PREFIX.length) * 2) / 3) + 1;
/** Inflated credential text (flags, header, payload JSON). */
export const MAX_INFLATED_BYTES = 4096;
export const MAX_HEADER_BYTES = 256;
export const MAX_PAYLOAD_BYTES = 2048;
export const MAX_PROOF_HASHES = 64;
export const MAX_TREE_SIZE = 2 ** 40;
export const MAX_JSON_DEPTH = 8;
export const ROOT_TAG_BYTES = 8;
export const MAX_KID_BYTES = 64;
export const CREDENTIAL_TYP = 'hutong-vc+jws;v=1';
/** Domain separation for leaf hashes: SHA-256(0x00 ‖ LEAF_DOMAIN ‖ signing input). */
export const LEAF_DOMAIN = 'hutong/vc-leaf/v1\u0000';

// Issuing side (docs/protocol.md §2.3): what the issuing library signs, and what the gateway's request schema admits,
// so that no credential it issues can fail the limits above at a verifier.
/** Strings `iss`, `vct`, `st`, `sub` and `kid` are 1–256 characters; the issuing library bounds extra strings the same. */
export const MAX_CLAIM_CHARS = 256;
/** Type-specific (extra) claims per credential. The payload limit decides the rest; this bounds the work per request. */
export const MAX_EXTRA_CLAIMS = 32;
/** Names of extra claims: short, JSON- and JavaScript-safe identifiers (no `__proto__`, no escaping needed). */
export const EXTRA_CLAIM_NAME = /^[a-z][a-zA-Z0-9_]{0,31}$/;
/** Claim names with a meaning of their own (§2.3): never an extra claim. */
export const REGISTERED_CLAIMS: readonly string[] = ['iss', 'jti', 'iat', 'nbf', 'exp', 'vct', 'st', 'sub', 'name', 'doc'];
