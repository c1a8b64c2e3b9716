/**
 * The trust pack (docs/protocol.md §6.5): the binary form of trust state for offline verifiers, full or as a delta
 * on an earlier pack, ending with the SHA-256 of the state it leads to. One encoder (the gateway serves what it
 * writes) and one decoder, both over the SDK's {@link TrustIndex}: a pack opens into the index verification reads,
 * with anchors known by the first 20 bytes of their root and revocations by position (root, leaf index).
 *
 * The state a pack describes is canonical: live records only at the pack's `generatedAt` (an anchor whose
 * `notAfter` + 600 s has passed is dropped with its revocations), times quantised as the pack carries them. Both
 * sides compute the digest over the same canonical serialisation — the body of the full pack of that state — so a
 * client that applied a delta knows it holds exactly the gateway's state, or discards it.
 */
import { HutongSdkError } from './errors.js';
import { ByteReader, ByteReaderError, ByteWriter } from './lib/byte-codec.js';
import { toHex } from './lib/hex.js';
import { MAX_TREE_SIZE } from './lib/limits.js';
import { sha256 } from './lib/sha256.js';
import { parseStrictJson } from './lib/strict-json.js';
// An anchor or revocation is dropped once its `notAfter` plus the largest clock skew has passed (§6 "Live records").
import { MAX_CLOCK_SKEW_MS } from './live-records.js';
import {
  newTrustIndex, putIssuer, putKey, putPolicy, putRevocation, type IndexedAnchor, type TrustIndex,
} from './trust-index.js';
import type { SnapshotAnchor, SnapshotIssuer, SnapshotKey, SnapshotPolicy, SnapshotRevocation } from './trust-snapshot.js';

/** "HTPK": the first four bytes of every pack. */
export const TRUST_PACK_MAGIC = Uint8Array.of(0x48, 0x54, 0x50, 0x4b);
export const TRUST_PACK_VERSION = 1;
/** Bytes of a root a pack commits to (160 bits: docs/protocol.md §6.5 gives the argument). */
export const ROOT_PREFIX_BYTES = 20;
/** Revocation reasons by their 3-bit code in a pack; a reason outside the list is carried as `other`. */
export const PACK_REVOCATION_REASONS = ['superseded', 'status-change', 'issued-in-error', 'fraud', 'key-compromise', 'other'] as const;
const OTHER_REASON = 5;
const STATE_DOMAIN = new TextEncoder().encode('hutong/trust-pack-state/v1\u0000');

/** Bounds a decoder checks before it allocates (docs/protocol.md §6.5). */
export const TRUST_PACK_LIMITS = {
  maxPackBytes: 16 * 1024 * 1024,
  maxJsonBytes: 4 * 1024 * 1024,
  maxIssuers: 10_000,
  maxKeys: 100_000,
  maxPolicies: 100_000,
  maxJsonRevocations: 100_000,
  maxKeyRefs: 65_536,
  maxNameBytes: 256,
  maxAnchors: 1_000_000,
  maxRevocations: 4_000_000,
} as const;

/** Smallest encoded anchor entry: prefix, key ref, leaf count, time delta, notAfter. */
const MIN_ANCHOR_BYTES = ROOT_PREFIX_BYTES + 4;

export type TrustPackKind = 'full' | 'delta';

/** What a pack says about itself, besides the state. */
export interface TrustPackHeader {
  kind: TrustPackKind;
  /** The ledger block number the state is current to. */
  sequence: number;
  /** A delta's base: the sequence of the state it applies to. */
  baseSequence?: number;
  generatedAtMs: number;
  jurisdiction: string;
  /** SHA-256 of the resulting state's canonical serialisation, lower-case hex. */
  stateDigest: string;
}

/** An opened pack: the trust index of the state it leads to. */
export interface OpenedTrustPack extends TrustPackHeader {
  index: TrustIndex;
}

export function invalid(what: string, check = 'FORMAT'): never {
  throw new HutongSdkError('SNAPSHOT_INVALID', `trust pack: ${what}`, { details: { check } });
}

// ---- the canonical state -------------------------------------------------------------------------------------

/** One anchor as a pack carries it. */
export interface PackAnchor {
  /** 40 lower-case hex characters: the first 20 bytes of the root. */
  prefix: string;
  issuerId: string;
  kid: string;
  leafCount: number;
  anchoredAtMs: number;
  /** notAfter in whole seconds (rounded up) after anchoredAt's whole second (rounded down), at least 1; 0 = none. */
  notAfterS: number;
  blockNumber?: number;
  indexed: IndexedAnchor;
  /** leaf index → revocation. */
  revoked: Map<number, PackRevocation>;
}

export interface PackRevocation {
  leafIndex: number;
  reason: number;
  /** Whole minutes from the anchor's anchoredAt to revokedAt, rounded down, at least 0. */
  minutes: number;
  record: SnapshotRevocation;
}

export interface PackState {
  jurisdiction: string;
  issuers: SnapshotIssuer[];
  keys: SnapshotKey[];
  policies: SnapshotPolicy[];
  /** Revocations without a position (no root and leaf index on the record), by leaf hash as in §6. */
  jsonRevocations: SnapshotRevocation[];
  /** Live anchors in pack order. */
  anchors: PackAnchor[];
  /** Root prefix (40 hex) → anchor. */
  byPrefix: Map<string, PackAnchor>;
}

const utf8 = new TextEncoder();

/** Order of UTF-8 byte strings (what a second implementation sorts by). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const x = utf8.encode(a), y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

export function compareAll(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareUtf8(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

export function compareAnchors(a: PackAnchor, b: PackAnchor): number {
  return a.anchoredAtMs - b.anchoredAtMs || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0);
}

const timeMs = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

/**
 * notAfter as a pack carries it. Counted from anchoredAt's whole second, so a notAfter on a whole second — every
 * batch's, the latest `exp` being NumericDate seconds — is carried exactly and the pack prunes when the ledger's
 * rule does.
 */
function notAfterSeconds(anchoredAtMs: number, notAfter: string | undefined): number {
  const ms = timeMs(notAfter);
  return ms === undefined ? 0 : Math.max(1, Math.ceil(ms / 1000) - Math.floor(anchoredAtMs / 1000));
}

/** The notAfter (ms) of a pack's anchor; undefined for none. */
const notAfterMsOf = (anchoredAtMs: number, notAfterS: number): number | undefined =>
  notAfterS === 0 ? undefined : (Math.floor(anchoredAtMs / 1000) + notAfterS) * 1000;

const reasonCode = (reason: string): number => {
  const k = (PACK_REVOCATION_REASONS as readonly string[]).indexOf(reason);
  return k < 0 ? OTHER_REASON : k;
};

const live = (a: Pick<PackAnchor, 'anchoredAtMs' | 'notAfterS'>, atMs: number): boolean =>
  a.notAfterS === 0 || (notAfterMsOf(a.anchoredAtMs, a.notAfterS) as number) + MAX_CLOCK_SKEW_MS > atMs;

/**
 * The canonical state of an index at `atMs`: every issuer, key and policy; live anchors in pack order with the
 * revocations their position names; revocations without a position by leaf hash.
 */
export function stateOf(index: TrustIndex, jurisdiction: string, atMs: number): PackState {
  const byPrefix = new Map<string, PackAnchor>();
  const add = (prefix: string, a: IndexedAnchor): void => {
    const notAfterS = notAfterSeconds(a.anchoredAtMs, a.record.notAfter);
    if (!live({ anchoredAtMs: a.anchoredAtMs, notAfterS }, atMs)) return;
    // The ledger keys anchors by root: two live anchors sharing 160 bits of root are beyond a pack (and chance).
    if (byPrefix.has(prefix)) invalid('two anchors share a 20-byte root prefix');
    const p: PackAnchor = {
      prefix, issuerId: a.record.issuerId, kid: a.record.kid, leafCount: a.record.leafCount, anchoredAtMs: a.anchoredAtMs, notAfterS,
      indexed: a, revoked: new Map(),
    };
    if (Number.isSafeInteger(a.record.blockNumber) && (a.record.blockNumber as number) >= 0) p.blockNumber = a.record.blockNumber as number;
    byPrefix.set(prefix, p);
    for (const [leafIndex, r] of a.revoked ?? []) place(p, leafIndex, r);
  };
  const place = (p: PackAnchor, leafIndex: number, r: SnapshotRevocation): void => {
    if (!(leafIndex < p.leafCount)) return; // names no leaf of this tree: the ledger never records one
    const revokedAtMs = timeMs(r.revokedAt) ?? p.anchoredAtMs;
    const rev: PackRevocation = { leafIndex, reason: reasonCode(r.reason), minutes: Math.max(0, Math.floor((revokedAtMs - p.anchoredAtMs) / 60_000)), record: r };
    const prev = p.revoked.get(leafIndex);
    if (!prev || rev.minutes < prev.minutes || (rev.minutes === prev.minutes && rev.reason < prev.reason)) p.revoked.set(leafIndex, rev);
  };
  // One anchor per root or several (the index's shape for JSON anchors), each by its prefix.
  for (const [root, held] of index.anchors) for (const a of ([] as IndexedAnchor[]).concat(held)) add(root.slice(0, 2 * ROOT_PREFIX_BYTES), a);
  for (const [prefix, a] of index.anchorsByPrefix) add(prefix, a);

  const jsonRevocations: SnapshotRevocation[] = [];
  for (const byLeaf of index.revokedByIssuer.values()) {
    for (const r of byLeaf.values()) {
      if (typeof r.root === 'string' && Number.isSafeInteger(r.leafIndex) && (r.leafIndex as number) >= 0) {
        const p = byPrefix.get(r.root.slice(0, 2 * ROOT_PREFIX_BYTES));
        if (p && p.issuerId === r.issuerId) place(p, r.leafIndex as number, r);
        // No live anchor of that root and issuer: nothing it could revoke verifies (docs/protocol.md §6.5).
      } else {
        const until = timeMs(r.notAfter);
        if (until === undefined || until + MAX_CLOCK_SKEW_MS > atMs) jsonRevocations.push(r);
      }
    }
  }
  jsonRevocations.sort((a, b) => compareAll([a.issuerId, a.leafHash], [b.issuerId, b.leafHash]));

  const keys: SnapshotKey[] = [];
  for (const byKid of index.keysByIssuer.values()) for (const k of byKid.values()) keys.push(k.record);
  keys.sort((a, b) => compareAll([a.issuerId, a.kid], [b.issuerId, b.kid]));
  const policies: SnapshotPolicy[] = [];
  for (const byIssuer of index.policiesByMsp.values()) for (const byType of byIssuer.values()) for (const p of byType.values()) policies.push(p.record);
  policies.sort(comparePolicies);
  const issuers = [...index.issuers.values()].sort((a, b) => compareUtf8(a.id, b.id));
  const anchors = [...byPrefix.values()].sort(compareAnchors);
  return { jurisdiction, issuers, keys, policies, jsonRevocations, anchors, byPrefix };
}

export function comparePolicies(a: SnapshotPolicy, b: SnapshotPolicy): number {
  return compareAll([a.recognisingMsp, a.issuerId, a.credentialType], [b.recognisingMsp, b.issuerId, b.credentialType]);
}

/** RFC 8785 (JCS) for the JSON a pack carries: members sorted by UTF-16 code units, no white space. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const names = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${names.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// ---- writing -------------------------------------------------------------------------------------------------

export interface Section {
  json: { jurisdiction: string; issuers: readonly SnapshotIssuer[]; keys: readonly SnapshotKey[]; policies: readonly SnapshotPolicy[]; revocations: readonly SnapshotRevocation[] };
  /** Anchors in pack order. */
  anchors: readonly PackAnchor[];
  /** Revocation groups: a position in the resulting state's anchor order, and revocations sorted by leaf index. */
  groups: ReadonlyArray<{ position: number; revocations: readonly PackRevocation[] }>;
}

const nibble = (c: number): number => (c <= 57 ? c - 48 : c - 87); // '0'-'9', 'a'-'f' (roots are lower-case hex)
const fromHexPrefix = (hex: string): Uint8Array => {
  const out = new Uint8Array(ROOT_PREFIX_BYTES);
  for (let i = 0; i < ROOT_PREFIX_BYTES; i++) out[i] = nibble(hex.charCodeAt(2 * i)) * 16 + nibble(hex.charCodeAt(2 * i + 1));
  return out;
};

/** body = json ‖ key table ‖ anchor table ‖ revocation groups (docs/protocol.md §6.5). */
export function writeBody(w: ByteWriter, s: Section): void {
  w.lengthPrefixed(utf8.encode(canonicalJson(s.json)));
  const refs = [...new Map(s.anchors.map((a) => [`${a.issuerId}\u0000${a.kid}`, [a.issuerId, a.kid] as const])).values()]
    .sort((a, b) => compareAll(a, b));
  const refOf = new Map(refs.map(([i, k], n) => [`${i}\u0000${k}`, n]));
  w.varint(refs.length);
  for (const [issuerId, kid] of refs) {
    w.lengthPrefixed(utf8.encode(issuerId));
    w.lengthPrefixed(utf8.encode(kid));
  }
  w.varint(s.anchors.length);
  let prevAt = 0, prevBlock = 0;
  for (const a of s.anchors) {
    w.bytes(fromHexPrefix(a.prefix));
    const hasBlock = a.blockNumber !== undefined;
    w.varint(refOf.get(`${a.issuerId}\u0000${a.kid}`)! * 2 + (hasBlock ? 1 : 0));
    w.varint(a.leafCount);
    w.varint(a.anchoredAtMs - prevAt);
    w.varint(a.notAfterS);
    if (hasBlock) {
      const d = a.blockNumber! - prevBlock;
      w.varint(d >= 0 ? 2 * d : -2 * d - 1); // zigzag: anchoring times and blocks need not rise together
      prevBlock = a.blockNumber!;
    }
    prevAt = a.anchoredAtMs;
  }
  w.varint(s.groups.length);
  let prevPos = -1;
  for (const g of s.groups) {
    w.varint(g.position - prevPos - 1);
    prevPos = g.position;
    w.varint(g.revocations.length);
    let prevLeaf = -1;
    for (const r of g.revocations) {
      w.varint((r.leafIndex - prevLeaf - 1) * 8 + r.reason);
      w.varint(r.minutes);
      prevLeaf = r.leafIndex;
    }
  }
}

export function fullSection(s: PackState): Section {
  const groups: Array<{ position: number; revocations: PackRevocation[] }> = [];
  s.anchors.forEach((a, position) => {
    if (a.revoked.size > 0) groups.push({ position, revocations: [...a.revoked.values()].sort((x, y) => x.leafIndex - y.leafIndex) });
  });
  return {
    json: { jurisdiction: s.jurisdiction, issuers: s.issuers, keys: s.keys, policies: s.policies, revocations: s.jsonRevocations },
    anchors: s.anchors, groups,
  };
}

/** SHA-256(domain ‖ body of the full pack of the state), lower-case hex. */
export function digestOf(s: PackState): string {
  return canonicalBody(s).digest;
}

/** The body of the full pack of a state (its canonical serialisation) and the state digest over it. */
export function canonicalBody(s: PackState): { body: Uint8Array; digest: string } {
  const w = new ByteWriter();
  w.bytes(STATE_DOMAIN);
  writeBody(w, fullSection(s));
  const input = w.view();
  return { body: input.slice(STATE_DOMAIN.length), digest: toHex(sha256(input)) };
}

// ---- reading -------------------------------------------------------------------------------------------------

interface DecodedBody {
  issuers: SnapshotIssuer[];
  keys: SnapshotKey[];
  policies: SnapshotPolicy[];
  revocations: SnapshotRevocation[];
  anchors: Array<{ prefix: string; issuerId: string; kid: string; leafCount: number; anchoredAtMs: number; notAfterS: number; blockNumber?: number }>;
  groups: Array<{ position: number; entries: Array<{ leafIndex: number; reason: number; minutes: number }> }>;
}

function jsonList<T>(v: unknown, what: string, max: number): T[] {
  if (!Array.isArray(v)) invalid(`${what}: not an array`);
  if (v.length > max) invalid(`${what}: more than ${max}`, 'BOUND');
  return v as T[];
}

function readString(r: ByteReader, what: string): string {
  const n = r.varint(TRUST_PACK_LIMITS.maxNameBytes);
  if (n === 0) invalid(`${what}: empty`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(r.take(n));
  } catch (e) {
    if (e instanceof ByteReaderError) throw e;
    return invalid(`${what}: not UTF-8`);
  }
}

function readBody(r: ByteReader, jurisdiction: string | undefined): DecodedBody & { jurisdiction: string } {
  const L = TRUST_PACK_LIMITS;
  const jsonBytes = r.take(r.varint(L.maxJsonBytes));
  let json: Record<string, unknown>;
  try {
    json = parseStrictJson(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(jsonBytes)) as Record<string, unknown>;
  } catch {
    return invalid('the JSON section is not strict UTF-8 JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) invalid('the JSON section is not an object');
  if (typeof json['jurisdiction'] !== 'string') invalid('jurisdiction missing');
  if (jurisdiction !== undefined && json['jurisdiction'] !== jurisdiction) invalid(`not a pack for ${jurisdiction}`, 'JURISDICTION');
  const out: DecodedBody & { jurisdiction: string } = {
    jurisdiction: json['jurisdiction'] as string,
    issuers: jsonList(json['issuers'], 'issuers', L.maxIssuers),
    keys: jsonList(json['keys'], 'keys', L.maxKeys),
    policies: jsonList(json['policies'], 'policies', L.maxPolicies),
    revocations: jsonList(json['revocations'], 'revocations', L.maxJsonRevocations),
    anchors: [], groups: [],
  };

  const refCount = r.varint(L.maxKeyRefs);
  if (refCount * 2 > r.remaining) invalid('key table longer than the pack', 'BOUND');
  const refs: Array<[string, string]> = [];
  for (let k = 0; k < refCount; k++) {
    const ref: [string, string] = [readString(r, 'issuerId'), readString(r, 'kid')];
    if (k > 0 && compareAll(refs[k - 1]!, ref) >= 0) invalid('key table not sorted and unique');
    refs.push(ref);
  }

  const anchorCount = r.varint(L.maxAnchors);
  if (anchorCount * MIN_ANCHOR_BYTES > r.remaining) invalid('anchor table longer than the pack', 'BOUND');
  let prevAt = 0, prevBlock = 0;
  for (let k = 0; k < anchorCount; k++) {
    const prefix = toHex(r.take(ROOT_PREFIX_BYTES));
    const refAndFlag = r.varint();
    const ref = refs[Math.floor(refAndFlag / 2)];
    if (!ref) invalid('anchor names no key table entry');
    const leafCount = r.varint(MAX_TREE_SIZE);
    if (leafCount < 1) invalid('anchor leaf count 0');
    const anchoredAtMs = prevAt + r.varint();
    if (anchoredAtMs > 8.64e15) invalid('anchoredAt out of range');
    const notAfterS = r.varint(0xffffffff);
    const a: DecodedBody['anchors'][number] = { prefix, issuerId: ref[0], kid: ref[1], leafCount, anchoredAtMs, notAfterS };
    if (refAndFlag % 2 === 1) {
      const z = r.varint();
      a.blockNumber = prevBlock + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      if (!Number.isSafeInteger(a.blockNumber) || a.blockNumber < 0) invalid('block number out of range');
      prevBlock = a.blockNumber;
    }
    prevAt = anchoredAtMs;
    const prev = out.anchors[k - 1];
    if (prev && compareAnchors(prev as PackAnchor, a as PackAnchor) >= 0) invalid('anchor table not in pack order');
    out.anchors.push(a);
  }

  const groupCount = r.varint(L.maxAnchors);
  if (groupCount * 3 > r.remaining) invalid('revocation groups longer than the pack', 'BOUND');
  let position = -1, total = 0;
  for (let g = 0; g < groupCount; g++) {
    position += r.varint(L.maxAnchors) + 1;
    if (position >= L.maxAnchors) invalid('revocation group position out of range', 'BOUND');
    const count = r.varint(L.maxRevocations);
    if (count === 0) invalid('empty revocation group');
    total += count;
    if (total > L.maxRevocations) invalid(`more than ${L.maxRevocations} revocations`, 'BOUND');
    if (count * 2 > r.remaining) invalid('revocation group longer than the pack', 'BOUND');
    const entries: DecodedBody['groups'][number]['entries'] = [];
    let leaf = -1;
    for (let k = 0; k < count; k++) {
      const v = r.varint();
      const reason = v % 8;
      if (reason > OTHER_REASON) invalid('unknown revocation reason code');
      leaf += (v - reason) / 8 + 1;
      if (leaf >= MAX_TREE_SIZE) invalid('leaf index out of range');
      entries.push({ leafIndex: leaf, reason, minutes: r.varint(0xffffffff) });
    }
    out.groups.push({ position, entries });
  }
  return out;
}

/** Reads a pack's header and body; the state is checked when applied. */
function readPack(bytes: Uint8Array, jurisdiction: string | undefined): { header: TrustPackHeader; body: DecodedBody; bodyAt: number } {
  if (!(bytes instanceof Uint8Array)) invalid('not bytes');
  if (bytes.length > TRUST_PACK_LIMITS.maxPackBytes) invalid(`larger than ${TRUST_PACK_LIMITS.maxPackBytes} bytes`, 'BOUND');
  if (bytes.length < TRUST_PACK_MAGIC.length + 2 + 32) invalid('truncated');
  const r = new ByteReader(bytes, bytes.length - 32);
  try {
    for (const b of TRUST_PACK_MAGIC) if (r.byte() !== b) invalid('not a trust pack (magic)');
    if (r.byte() !== TRUST_PACK_VERSION) invalid('unsupported version');
    const kindByte = r.byte();
    if (kindByte > 1) invalid('unknown kind');
    const kind: TrustPackKind = kindByte === 0 ? 'full' : 'delta';
    const sequence = r.varint();
    const baseSequence = kind === 'delta' ? r.varint() : undefined;
    if (baseSequence !== undefined && baseSequence > sequence) invalid('base after the pack');
    const generatedAtMs = r.varint(8.64e15);
    const bodyAt = r.at;
    const body = readBody(r, jurisdiction);
    if (r.remaining !== 0) invalid('bytes after the revocation groups');
    const header: TrustPackHeader = {
      kind, sequence, generatedAtMs, jurisdiction: (body as { jurisdiction: string }).jurisdiction, stateDigest: toHex(bytes.subarray(bytes.length - 32)),
    };
    if (baseSequence !== undefined) header.baseSequence = baseSequence;
    return { header, body, bodyAt };
  } catch (e) {
    if (e instanceof ByteReaderError) invalid(e.message, e.bound ? 'BOUND' : 'FORMAT');
    throw e;
  }
}

/** A copy of an index a delta may change without touching the original (records are shared, never mutated). */
function copyIndex(i: TrustIndex, generatedAtMs: number): TrustIndex {
  const out = newTrustIndex(generatedAtMs);
  for (const [k, v] of i.issuers) out.issuers.set(k, v);
  for (const [k, v] of i.recognisedUntilMs) out.recognisedUntilMs.set(k, v);
  for (const [k, v] of i.anchors) out.anchors.set(k, v); // a delta changes only a pack's anchors
  for (const [k, v] of i.anchorsByPrefix) out.anchorsByPrefix.set(k, v);
  for (const [k, v] of i.keysByIssuer) out.keysByIssuer.set(k, new Map(v));
  for (const [k, v] of i.revokedByIssuer) out.revokedByIssuer.set(k, new Map(v));
  for (const [k, v] of i.policiesByMsp) out.policiesByMsp.set(k, new Map([...v].map(([x, y]) => [x, new Map(y)])));
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Opens pack bytes (already authenticated: see `openSignedTrustPack`) into the trust index of the state they lead
 * to: a full pack on its own, a delta on `base` (the index of the pack of sequence `baseSequence`, left unchanged).
 * Throws SNAPSHOT_INVALID with `details.check`: `BASE_MISMATCH` (a delta without its base, or on another),
 * `DIGEST_MISMATCH` (the state reached is not the one the pack describes), `BOUND`, `JURISDICTION`, `FORMAT`.
 */
export function openTrustPack(
  bytes: Uint8Array,
  options: Readonly<{ jurisdiction?: string; base?: { index: TrustIndex; sequence: number } }> = {},
): OpenedTrustPack {
  const { header, body, bodyAt } = readPack(bytes, options.jurisdiction);
  const full = header.kind === 'full';
  let index: TrustIndex;
  if (full) index = newTrustIndex(header.generatedAtMs);
  else {
    if (!options.base || options.base.sequence !== header.baseSequence) invalid(`a delta on sequence ${header.baseSequence} needs that state`, 'BASE_MISMATCH');
    if (header.generatedAtMs < options.base.index.generatedAtMs) invalid('a delta older than its base', 'BASE_MISMATCH');
    index = copyIndex(options.base.index, header.generatedAtMs);
  }
  try {
    for (const i of body.issuers) putIssuer(index, i);
    for (const k of body.keys) putKey(index, k);
    for (const p of body.policies) putPolicy(index, p, true);
    for (const r of body.revocations) putRevocation(index, r);
  } catch (e) {
    // A record §6 refuses (the index's own check): the pack is malformed.
    if (e instanceof HutongSdkError && e.details === undefined) invalid(e.message, 'FORMAT');
    throw e;
  }

  /** A full pack's anchors in table order: its groups' positions index them directly. */
  const table: IndexedAnchor[] = [];
  for (const a of body.anchors) {
    const record: SnapshotAnchor = { root: a.prefix, issuerId: a.issuerId, kid: a.kid, leafCount: a.leafCount, anchoredAt: iso(a.anchoredAtMs), txId: '' };
    const notAfterMs = notAfterMsOf(a.anchoredAtMs, a.notAfterS);
    if (notAfterMs !== undefined) record.notAfter = iso(notAfterMs);
    if (a.blockNumber !== undefined) record.blockNumber = a.blockNumber;
    const held = index.anchorsByPrefix.get(a.prefix);
    const indexed: IndexedAnchor = { record, anchoredAtMs: a.anchoredAtMs };
    if (notAfterMs !== undefined) indexed.notAfterMs = notAfterMs;
    if (full) {
      // A full pack is its state's canonical body: live anchors only, each root prefix once.
      if (held) invalid('a root prefix twice');
      if (!live(a, header.generatedAtMs)) invalid('an anchor past notAfter + 600 s');
      table.push(indexed);
    }
    // The same anchor again keeps its revocations: they are records of their own.
    if (held?.revoked && held.record.issuerId === a.issuerId) indexed.revoked = held.revoked;
    index.anchorsByPrefix.set(a.prefix, indexed);
  }

  if (full) {
    for (const g of body.groups) {
      const a = table[g.position];
      if (!a) invalid('revocation group names no anchor of the pack');
      const revoked = (a.revoked = new Map());
      for (const e of g.entries) {
        if (e.leafIndex >= a.record.leafCount) invalid('revoked leaf index outside its tree');
        revoked.set(e.leafIndex, packRevocationRecord(a, e));
      }
    }
    // The body is the canonical serialisation of the state it describes: its hash is the state digest.
    const input = new Uint8Array(STATE_DOMAIN.length + bytes.length - 32 - bodyAt);
    input.set(STATE_DOMAIN);
    input.set(bytes.subarray(bodyAt, bytes.length - 32), STATE_DOMAIN.length);
    if (toHex(sha256(input)) !== header.stateDigest) invalid('the state is not the state the pack describes', 'DIGEST_MISMATCH');
    return { ...header, index };
  }

  // Pruned on both sides by the same rule, at the pack's time: removals are never sent.
  for (const [prefix, a] of index.anchorsByPrefix) {
    if (!live({ anchoredAtMs: a.anchoredAtMs, notAfterS: notAfterSeconds(a.anchoredAtMs, a.record.notAfter) }, header.generatedAtMs)) index.anchorsByPrefix.delete(prefix);
  }
  const state = stateOf(index, header.jurisdiction, header.generatedAtMs);
  for (const g of body.groups) {
    // Positions name anchors of the state reached: a base that is not the gateway's shows here first.
    const p = state.anchors[g.position];
    if (!p) invalid('revocation group names no anchor of the state', 'DIGEST_MISMATCH');
    // Copied on write: the base's anchors stay as they were.
    const target: IndexedAnchor = { ...p.indexed, revoked: new Map(p.indexed.revoked) };
    index.anchorsByPrefix.set(p.prefix, target);
    for (const e of g.entries) {
      if (e.leafIndex >= p.leafCount) invalid('revoked leaf index outside its tree', 'DIGEST_MISMATCH');
      const record = packRevocationRecord(target, e);
      target.revoked!.set(e.leafIndex, record);
      p.revoked.set(e.leafIndex, { ...e, record });
    }
  }
  if (digestOf(state) !== header.stateDigest) invalid('the state reached is not the state the pack describes', 'DIGEST_MISMATCH');
  return { ...header, index };
}

/** A revocation as a pack carries it: by position, its time in whole minutes after the anchoring. */
function packRevocationRecord(a: IndexedAnchor, e: { leafIndex: number; reason: number; minutes: number }): SnapshotRevocation {
  return {
    issuerId: a.record.issuerId, leafHash: '', reason: PACK_REVOCATION_REASONS[e.reason]!, revokedAt: iso(a.anchoredAtMs + e.minutes * 60_000),
    root: a.record.root, leafIndex: e.leafIndex,
  };
}

/** The digest of an index's state at `atMs` as a pack would carry it (to compare states, in tests and tools). */
export function trustStateDigest(index: TrustIndex, jurisdiction: string, atMs = index.generatedAtMs): string {
  return digestOf(stateOf(index, jurisdiction, atMs));
}
