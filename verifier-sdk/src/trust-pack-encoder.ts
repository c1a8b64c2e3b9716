/**
 * The trust pack encoder (docs/protocol.md §6.5): the pack of an index's state, full or as a delta since a base —
 * the one encoder, which a gateway serves. Node only (a browser opens packs; trust-pack.ts has all it needs).
 */
import { ByteWriter } from './lib/byte-codec.js';
import type { TrustIndex } from './trust-index.js';
import type { SnapshotIssuer, SnapshotKey, SnapshotPolicy, SnapshotAnchor, SnapshotRevocation } from './trust-snapshot.js';
import {
  canonicalBody, compareAll, compareAnchors, comparePolicies, compareUtf8, stateOf, writeBody, ROOT_PREFIX_BYTES, TRUST_PACK_MAGIC,
  TRUST_PACK_VERSION, type PackAnchor, type PackRevocation, type PackState, type Section,
} from './trust-pack.js';

/** The records changed since a delta's base; the encoder writes their form in the state (looked up by identity). */
export interface TrustChanges {
  issuers?: Iterable<Pick<SnapshotIssuer, 'id'>>;
  keys?: Iterable<Pick<SnapshotKey, 'issuerId' | 'kid'>>;
  policies?: Iterable<Pick<SnapshotPolicy, 'recognisingMsp' | 'issuerId' | 'credentialType'>>;
  anchors?: Iterable<Pick<SnapshotAnchor, 'root' | 'issuerId'>>;
  revocations?: Iterable<Pick<SnapshotRevocation, 'issuerId' | 'leafHash' | 'root' | 'leafIndex'>>;
}

export interface EncodeTrustPackOptions {
  /** With a TrustIndex: the state's jurisdiction (a prepared state has its own). */
  jurisdiction?: string;
  sequence: number;
  /** With a TrustIndex: the state's time; default the index's `generatedAtMs`. */
  generatedAtMs?: number;
  /** Writes a delta on the state of `baseSequence` carrying `changes` (and nothing else). */
  delta?: { baseSequence: number; changes: TrustChanges };
}

/**
 * An index's live state at one time, serialised and digested once for many packs (a gateway answering many bases).
 * Records are captured when prepared: later changes to the index do not reach packs encoded from it.
 */
export interface PreparedTrustState {
  readonly jurisdiction: string;
  readonly generatedAtMs: number;
  readonly stateDigest: string;
}

interface Prepared {
  state: PackState;
  body: Uint8Array;
  digest: Uint8Array;
  /** Identity → record, for a delta's JSON section (made on first use). */
  lookups?: { issuers: Map<string, SnapshotIssuer>; keys: Map<string, SnapshotKey>; policies: Map<string, SnapshotPolicy>; revocations: Map<string, SnapshotRevocation> };
}

const prepared = new WeakMap<PreparedTrustState, Prepared>();
const id = (...parts: string[]): string => parts.join('\u0000');

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Prepares the live state of `index` at `generatedAtMs` (default its own) for encoding. */
export function prepareTrustState(index: TrustIndex, options: Readonly<{ jurisdiction: string; generatedAtMs?: number }>): PreparedTrustState {
  const generatedAtMs = options.generatedAtMs ?? index.generatedAtMs;
  const state = stateOf(index, options.jurisdiction, generatedAtMs);
  const { body, digest } = canonicalBody(state);
  const out: PreparedTrustState = { jurisdiction: options.jurisdiction, generatedAtMs, stateDigest: digest };
  prepared.set(out, { state, body, digest: hexBytes(digest) });
  return out;
}

function lookupsOf(p: Prepared): NonNullable<Prepared['lookups']> {
  const s = p.state;
  return (p.lookups ??= {
    issuers: new Map(s.issuers.map((i) => [i.id, i])),
    keys: new Map(s.keys.map((k) => [id(k.issuerId, k.kid), k])),
    policies: new Map(s.policies.map((x) => [id(x.recognisingMsp, x.issuerId, x.credentialType), x])),
    revocations: new Map(s.jsonRevocations.map((r) => [id(r.issuerId, r.leafHash), r])),
  });
}

/** The records of `keys` found in `from`, each once. */
function pick<T>(from: Map<string, T>, keys: Iterable<string>): T[] {
  const out = new Map<string, T>();
  for (const k of keys) {
    const v = from.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return [...out.values()];
}

/** The changed records as the prepared state holds them; anchors and revocations by position if still live. */
function deltaSection(p: Prepared, c: TrustChanges): Section {
  const s = p.state, l = lookupsOf(p);
  const anchorOf = (root: string, issuerId: string): PackAnchor | undefined => {
    const a = s.byPrefix.get(root.slice(0, 2 * ROOT_PREFIX_BYTES));
    return a?.issuerId === issuerId ? a : undefined;
  };
  const anchors = new Set<PackAnchor>();
  for (const a of c.anchors ?? []) {
    const found = anchorOf(a.root, a.issuerId);
    if (found) anchors.add(found);
  }
  const revoked = new Map<PackAnchor, Map<number, PackRevocation>>();
  const json: string[] = [];
  for (const r of c.revocations ?? []) {
    if (typeof r.root !== 'string' || r.leafIndex === undefined) {
      json.push(id(r.issuerId, r.leafHash));
      continue;
    }
    const a = anchorOf(r.root, r.issuerId);
    const rev = a?.revoked.get(r.leafIndex);
    if (!a || !rev) continue; // its anchor is no longer live: nothing to send
    let m = revoked.get(a);
    if (!m) revoked.set(a, (m = new Map()));
    m.set(rev.leafIndex, rev);
  }
  const position = new Map(s.anchors.map((a, k) => [a, k]));
  const groups = [...revoked].map(([a, m]) => ({ position: position.get(a)!, revocations: [...m.values()].sort((x, y) => x.leafIndex - y.leafIndex) }))
    .sort((x, y) => x.position - y.position);
  return {
    json: {
      jurisdiction: s.jurisdiction,
      issuers: pick(l.issuers, [...(c.issuers ?? [])].map((i) => i.id)).sort((a, b) => compareUtf8(a.id, b.id)),
      keys: pick(l.keys, [...(c.keys ?? [])].map((k) => id(k.issuerId, k.kid))).sort((a, b) => compareAll([a.issuerId, a.kid], [b.issuerId, b.kid])),
      policies: pick(l.policies, [...(c.policies ?? [])].map((x) => id(x.recognisingMsp, x.issuerId, x.credentialType))).sort(comparePolicies),
      revocations: pick(l.revocations, json).sort((a, b) => compareAll([a.issuerId, a.leafHash], [b.issuerId, b.leafHash])),
    },
    anchors: [...anchors].sort(compareAnchors),
    groups,
  };
}

/**
 * The pack of a state (the gateway's encoder): full, or with `delta` the changes since its base. From an index, its
 * live records at `generatedAtMs`; from a prepared state, that state. Throws SNAPSHOT_INVALID for a state a pack
 * cannot carry (two anchors of one issuer sharing a 20-byte root prefix).
 */
export function encodeTrustPack(source: TrustIndex | PreparedTrustState, options: Readonly<EncodeTrustPackOptions>): Uint8Array {
  let state = 'stateDigest' in source ? source : undefined;
  if (!state) {
    if (typeof options.jurisdiction !== 'string') throw new TypeError('encodeTrustPack: a jurisdiction is needed with an index');
    const at = options.generatedAtMs;
    state = prepareTrustState(source as TrustIndex, { jurisdiction: options.jurisdiction, ...(at !== undefined ? { generatedAtMs: at } : {}) });
  }
  const p = prepared.get(state);
  if (!p) throw new TypeError('encodeTrustPack: not a state prepareTrustState made');
  const w = new ByteWriter();
  w.bytes(TRUST_PACK_MAGIC);
  w.byte(TRUST_PACK_VERSION);
  w.byte(options.delta ? 1 : 0);
  w.varint(options.sequence);
  if (options.delta) w.varint(options.delta.baseSequence);
  w.varint(state.generatedAtMs);
  if (options.delta) writeBody(w, deltaSection(p, options.delta.changes));
  else w.bytes(p.body);
  w.bytes(p.digest);
  return w.view().slice();
}
