/**
 * How the gateway signs its Fabric proposals and transactions: ECDSA P-256 with SHA-256 on node:crypto (OpenSSL),
 * low-S and DER-encoded as Fabric requires. fabric-gateway's own `signers.newPrivateKeySigner` computes the
 * signature in JavaScript (@noble/curves): 1–2 ms of the event loop per signature, two signatures per write — time
 * every checkpoint verification waiting on the same loop waited for too (profiled under mixed load on the Fabric
 * dev network: the gateway's largest synchronous cost after verification itself). OpenSSL signs in ~40 µs.
 * fabric-gateway then hands the signer the message itself (`hash.none`) and the signer hashes it.
 */
import { sign, type KeyObject } from 'node:crypto';
import { hash, signers, type ConnectOptions } from '@hyperledger/fabric-gateway';
import { normaliseLowS } from '@hutong/verifier-sdk/issuer';
import { der, derUnsigned } from './der.js';

const unsigned = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

/** r ‖ s (IEEE P1363) as a DER Ecdsa-Sig-Value: SEQUENCE { INTEGER r, INTEGER s } (RFC 3279 §2.2.3). */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  return der(0x30, Buffer.concat([der(0x02, derUnsigned(unsigned(sig.subarray(0, 32)))), der(0x02, derUnsigned(unsigned(sig.subarray(32, 64))))]));
}

/** The signing options of a fabric-gateway connection for `key`: OpenSSL for P-256, fabric-gateway's own otherwise. */
export function transactionSigning(key: KeyObject): Pick<ConnectOptions, 'signer' | 'hash'> {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return { signer: signers.newPrivateKeySigner(key) };
  return {
    hash: hash.none,
    signer: async (message) => p1363ToDer(normaliseLowS(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }))),
  };
}
