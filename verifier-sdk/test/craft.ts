// Test-only: hand-made credentials (any header, any payload) signed with node:crypto, anchored as one-leaf batches.
import { sign, createPrivateKey } from 'node:crypto';
import { encodeQr, leafHashOf, merkleRoot, inclusionProof, normaliseLowS, type PrivateJwk } from '@hutong/verifier-sdk/issuer';
import type { TrustSnapshot } from '@hutong/verifier-sdk';
import { base45Encode } from '../src/lib/base45';
import { crc16 } from '../src/lib/crc16';
import { encodeVarint } from '../src/lib/envelope';
import { ISSUER_ID, NOW } from './fixtures';

export const b64u = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');

export function baseClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(NOW.getTime() / 1000) - 3600;
  return {
    iss: ISSUER_ID, jti: 'AAECAwQFBgcICQoLDA0ODw', iat, nbf: iat, exp: iat + 86_400,
    vct: 'health-code', st: 'green', sub: 'q8B7fN1c2mZkC7d0n3Vt1A', name: '陈*明', doc: 'HRP-1234', ...over,
  };
}

/** Signs arbitrary header/payload text (objects are JSON.stringify'd). */
export function signRaw(header: object | string, payload: object | string, privateJwk: PrivateJwk, opts: { highS?: boolean } = {}): string {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const p = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${b64u(h)}.${b64u(p)}`;
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  let sig: Uint8Array = privateJwk.kty === 'EC'
    ? normaliseLowS(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))
    : sign(null, Buffer.from(input), key);
  if (opts.highS) sig = highS(sig);
  return `${input}.${b64u(sig)}`;
}

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
/** The malleable twin (r, n − s) of a P-256 signature. */
export function highS(sig: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
  const out = Buffer.alloc(64);
  Buffer.from(sig.subarray(0, 32)).copy(out, 0);
  Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex').copy(out, 32);
  return out;
}

/** Records in `trust` the anchor of `root`, a batch of `leafCount` leaves signed under `kid`. */
export function anchorRoot(trust: TrustSnapshot, root: string, kid: string, leafCount: number, o: { anchoredAt?: string; issuerId?: string } = {}): void {
  // The leaf hash covers the signing input only: two crafted signatures over one input share a root, anchored once
  // (the ledger refuses a second anchor of a root, and a snapshot holding two is invalid).
  if (trust.anchors.some((a) => a.root === root)) return;
  (trust.anchors as unknown[]).push({
    root, issuerId: o.issuerId ?? ISSUER_ID, kid, leafCount, anchoredAt: o.anchoredAt ?? new Date(NOW.getTime() - 3000_000).toISOString(),
    txId: `tx-${root.slice(0, 8)}`, anchoredBy: 'GuangdongMSP', blockNumber: 7,
  });
}

/** Puts `jws` in a batch of `size` (other leaves random) at `index`, anchors it in `trust`, returns the QR. */
export function anchorAndEncode(trust: TrustSnapshot, jws: string, kid: string, o: { size?: number; index?: number; anchoredAt?: string; issuerId?: string } = {}): { qr: string; root: string; leafHash: string } {
  const size = o.size ?? 1, index = o.index ?? 0;
  const leaves = Array.from({ length: size }, (_, i) => (i === index ? leafHashOf(jws) : Buffer.alloc(32, i + 1).toString('hex')));
  const root = merkleRoot(leaves);
  anchorRoot(trust, root, kid, size, o);
  return { qr: encodeQr({ jws, root, proof: inclusionProof(leaves, index) }), root, leafHash: leaves[index]! };
}

/** Anchors every one of `jwss` in one batch (one anchor for many vectors), returns their QRs in order. */
export function anchorBatchAndEncode(trust: TrustSnapshot, jwss: readonly string[], kid: string): { qrs: string[]; root: string } {
  const leaves = jwss.map((jws) => leafHashOf(jws));
  const root = merkleRoot(leaves);
  anchorRoot(trust, root, kid, leaves.length);
  return { qrs: jwss.map((jws, i) => encodeQr({ jws, root, proof: inclusionProof(leaves, i) })), root };
}

/** The QR text of frame bytes (everything before the checksum): their CRC-16 appended, Base45, the prefix. */
export function qrOf(body: Uint8Array): string {
  const b = new Uint8Array(body.length + 2);
  b.set(body);
  const crc = crc16(b, body.length);
  b[body.length] = crc >> 8;
  b[body.length + 1] = crc & 0xff;
  return `HT1:${base45Encode(b)}`;
}

/** The QR text of a DEFLATE stream and the frame bytes after it (a proof section, or anything else). */
export function framed(deflated: Uint8Array, rest: Uint8Array): string {
  return qrOf(Buffer.concat([encodeVarint(deflated.length), deflated, rest]));
}
