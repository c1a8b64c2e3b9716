// The gateway's Fabric signer: DER-encoded, low-S ECDSA P-256 over SHA-256 of the message, as Fabric's MSP checks it.
import { generateKeyPairSync, verify } from 'node:crypto';
import { p1363ToDer, transactionSigning } from '../src/fabric/transaction-signer';

const N_HALF = BigInt('0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8');

/** r and s of a DER Ecdsa-Sig-Value. */
function parseDer(der: Uint8Array): { r: bigint; s: bigint } {
  expect(der[0]).toBe(0x30);
  expect(der[1]).toBe(der.length - 2);
  const int = (at: number): [bigint, number] => {
    expect(der[at]).toBe(0x02);
    const len = der[at + 1] as number;
    const bytes = der.subarray(at + 2, at + 2 + len);
    if (bytes.length > 1) expect(bytes[0] === 0 ? (bytes[1] as number) >= 0x80 : true).toBe(true); // minimal
    return [BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`), at + 2 + len];
  };
  const [r, next] = int(2);
  const [s] = int(next);
  return { r, s };
}

test('P-256 signatures are DER, low-S, and verify over SHA-256 of the message', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { signer, hash } = transactionSigning(privateKey);
  expect(hash).toBeDefined(); // hash.none: the signer gets the message and hashes it
  for (let i = 0; i < 200; i++) {
    const message = Buffer.from(`proposal ${i}`);
    const der = await (signer as (m: Uint8Array) => Promise<Uint8Array>)(message);
    expect(parseDer(der).s <= N_HALF).toBe(true);
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
  }
});

test('DER integers are minimal: leading zero bytes dropped, a 0x00 added before a high bit', () => {
  const sig = new Uint8Array(64);
  sig[31] = 5; // r = 5
  sig[32] = 0x80; // s with its high bit set
  const der = p1363ToDer(sig);
  expect(Buffer.from(der.subarray(0, 5)).toString('hex')).toBe('3026020105');
  expect(Buffer.from(der.subarray(5, 8)).toString('hex')).toBe('022100');
});

test('another curve keeps fabric-gateway\'s own signer', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  expect(transactionSigning(privateKey).hash).toBeUndefined();
});
