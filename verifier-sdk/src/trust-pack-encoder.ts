/**
 * The trust pack encoder (docs/protocol.md §6.1): the pack of an index's state, full or as a delta since a base —
 * the one encoder, which a gateway serves. Node only (a browser opens packs; trust-pack.ts has all it needs).
 */
import { ByteWriter } from './lib/byte-codec.js';
import type { IndexedPolicy, TrustIndex } from './trust-index.js';
import type { SnapshotIssuer, SnapshotKey, SnapshotPolicy, SnapshotAnchor, SnapshotRevocation } from './trust-snapshot.js';
import {
  compareAll, compareAnchors, comparePolicies, compareUtf8, digestOf, fullSection, stateOf, writeBody, ROOT_PREFIX_BYTES, TRUST_PACK_MAGIC,
  TRUST_PACK_VERSION,
  type PackAnchor, type PackRevocation, type PackState, type Section,
} from './trust-pack.js';

/** The records changed since a delta's base; the encoder writes their current form (looked up by identity). */
export interface TrustChanges {
  issuers?: Iterable<Pick<SnapshotIssuer, 'id'>>;
  keys?: Iterable<Pick<SnapshotKey, 'issuerId' | 'kid'>>;
  policies?: Iterable<Pick<SnapshotPolicy, 'recognisingMsp' | 'issuerId' | 'credentialType'>>;
  anchors?: Iterable<Pick<SnapshotAnchor, 'root' | 'issuerId'>>;
  revocations?: Iterable<Pick<SnapshotRevocation, 'issuerId' | 'leafHash' | 'root' | 'leafIndex'>>;
}

export interface EncodeTrustPackOptions {
  jurisdiction: string;
  sequence: number;
  /** Default: the index's `generatedAtMs`. */
  generatedAtMs?: number;
  /** Writes a delta on the state of `baseSequence` carrying `changes` (and nothing else). */
  delta?: { baseSequence: number; changes: TrustChanges };
}

function deltaSection(index: TrustIndex, s: PackState, c: TrustChanges): Section {
  const issuers = new Map<string, SnapshotIssuer>(), keys = new Map<string, SnapshotKey>(), policies = new Map<string, SnapshotPolicy>();
  for (const { id } of c.issuers ?? []) {
    const i = index.issuers.get(id);
    if (i) issuers.set(id, i);
  }
  for (const { issuerId, kid } of c.keys ?? []) {
    const k = index.keysByIssuer.get(issuerId)?.get(kid);
    if (k) keys.set(`${issuerId}\u0000${kid}`, k.record);
  }
  for (const { recognisingMsp, issuerId, credentialType } of c.policies ?? []) {
    const p: IndexedPolicy | undefined = index.policiesByMsp.get(recognisingMsp)?.get(issuerId)?.get(credentialType);
    if (p) policies.set(`${recognisingMsp}\u0000${issuerId}\u0000${credentialType}`, p.record);
  }
  const anchors = new Set<PackAnchor>();
  for (const a of c.anchors ?? []) {
    const p = s.byIdentity.get(`${a.root.slice(0, 2 * ROOT_PREFIX_BYTES)}/${a.issuerId}`);
    if (p) anchors.add(p);
  }
  const jsonRevocations = new Set(s.jsonRevocations);
  const revoked = new Map<PackAnchor, Map<number, PackRevocation>>();
  const json = new Map<string, SnapshotRevocation>();
  for (const r of c.revocations ?? []) {
    if (typeof r.root === 'string' && r.leafIndex !== undefined) {
      const p = s.byIdentity.get(`${r.root.slice(0, 2 * ROOT_PREFIX_BYTES)}/${r.issuerId}`);
      const rev = p?.revoked.get(r.leafIndex);
      if (p && rev) {
        let m = revoked.get(p);
        if (!m) revoked.set(p, (m = new Map()));
        m.set(rev.leafIndex, rev);
      }
    } else {
      const held = index.revokedByIssuer.get(r.issuerId)?.get(r.leafHash);
      if (held && jsonRevocations.has(held)) json.set(`${r.issuerId}\u0000${r.leafHash}`, held);
    }
  }
  const position = new Map(s.anchors.map((a, k) => [a, k]));
  const groups = [...revoked].map(([a, m]) => ({ position: position.get(a)!, revocations: [...m.values()].sort((x, y) => x.leafIndex - y.leafIndex) }))
    .sort((x, y) => x.position - y.position);
  return {
    json: {
      jurisdiction: s.jurisdiction,
      issuers: [...issuers.values()].sort((a, b) => compareUtf8(a.id, b.id)),
      keys: [...keys.values()].sort((a, b) => compareAll([a.issuerId, a.kid], [b.issuerId, b.kid])),
      policies: [...policies.values()].sort(comparePolicies),
      revocations: [...json.values()].sort((a, b) => compareAll([a.issuerId, a.leafHash], [b.issuerId, b.leafHash])),
    },
    anchors: [...anchors].sort(compareAnchors),
    groups,
  };
}

/**
 * The pack of an index's state (the gateway's encoder): full, or with `delta` the changes since its base. The
 * state is the index's live records at `generatedAtMs`. Throws SNAPSHOT_INVALID for a state a pack cannot carry
 * (two anchors of one issuer sharing a 20-byte root prefix).
 */
export function encodeTrustPack(index: TrustIndex, options: Readonly<EncodeTrustPackOptions>): Uint8Array {
  const generatedAtMs = options.generatedAtMs ?? index.generatedAtMs;
  const state = stateOf(index, options.jurisdiction, generatedAtMs);
  const w = new ByteWriter();
  w.bytes(TRUST_PACK_MAGIC);
  w.byte(TRUST_PACK_VERSION);
  w.byte(options.delta ? 1 : 0);
  w.varint(options.sequence);
  if (options.delta) w.varint(options.delta.baseSequence);
  w.varint(generatedAtMs);
  writeBody(w, options.delta ? deltaSection(index, state, options.delta.changes) : fullSection(state));
  w.bytes(hexBytes(digestOf(state)));
  return w.view().slice();
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

