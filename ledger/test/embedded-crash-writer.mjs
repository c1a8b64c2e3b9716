// Child process of embedded-crash.test.ts: opens the embedded ledger from the compiled dist, bootstraps it if new,
// then anchors forever with several submissions in flight, printing each txId only after its submit resolved.
// The parent SIGKILLs it mid-stream. Pipes are synchronous on Linux, so a printed line was written before the kill.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { newEmbeddedLedger } from '../dist/embedded/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: embedded-crash-writer.mjs <sqlite file>');
const backend = newEmbeddedLedger({ path, blockCutMs: 1, maxBatch: 16 });
const gd = await backend.connect({ mspId: 'GuangdongMSP', role: 'admin' });
const mo = await backend.connect({ mspId: 'MacauMSP', role: 'admin' });
const issuerId = 'gd-crash';
const kid = 'k1';
const print = (txId) => process.stdout.write(`tx ${txId}\n`);

if ((await gd.height()) === 1) {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const now = Date.now();
  print((await gd.submit('InitLedger', { members: [{ mspId: 'GuangdongMSP', jurisdiction: 'guangdong' }, { mspId: 'MacauMSP', jurisdiction: 'macau' }] })).evidence.txId);
  print((await gd.submit('ProposeIssuer', { issuerId, displayName: 'crash test issuer', credentialTypes: ['health-code'] })).evidence.txId);
  print((await mo.submit('ApproveIssuer', { issuerId })).evidence.txId);
  print((await gd.submit('ProposeIssuerKey', { issuerId, kid, jwk, validFrom: new Date(now - 3600_000).toISOString(), validUntil: new Date(now + 86400_000).toISOString() })).evidence.txId);
  print((await mo.submit('ApproveIssuerKey', { issuerId, kid })).evidence.txId);
}
process.stdout.write('ready\n');

async function worker(n) {
  for (let i = 0; ; i++) {
    const leafHash = randomBytes(32).toString('hex');
    const revoke = i % 5 === n % 5;
    // A revocation names a leaf of an anchored batch: here a batch of one (root = leaf hash), anchored just before.
    const { evidence } = await gd.submit('AnchorBatch', { issuerId, kid, root: leafHash, leafCount: revoke ? 1 : 1 + (i % 4096) });
    print(evidence.txId);
    if (revoke) print((await gd.submit('RevokeCredential', { issuerId, leafHash, reason: 'fraud', proof: { leafIndex: 0, treeSize: 1, path: [] } })).evidence.txId);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, n) => worker(n)));
