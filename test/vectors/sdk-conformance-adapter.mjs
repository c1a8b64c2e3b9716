#!/usr/bin/env node
// The reference SDK behind the conformance interface (docs/protocol.md §12): one JSON request per stdin line, one
// answer per stdout line, in request order. Uses the built package (`npm run build` or `tsc -b` first).
//
//   node test/vectors/sdk-conformance-adapter.mjs [--backend node|web|web-noble]
//
// node: the package as Node resolves it (node:crypto). web: the browser build (WebCrypto). web-noble: the browser
// build in a WebCrypto without Ed25519, as in browsers that lack it, so Ed25519 goes through @noble/curves.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const backend = args[0] === '--backend' ? args[1] : args.length === 0 ? 'node' : undefined;
if (!['node', 'web', 'web-noble'].includes(backend) || args.length > 2) {
  process.stderr.write('usage: sdk-conformance-adapter.mjs [--backend node|web|web-noble]\n');
  process.exit(2);
}

if (backend === 'web-noble') {
  // Refuses Ed25519 as WebCrypto does where it is missing; the SDK's web backend then falls back to @noble/curves.
  const subtle = globalThis.crypto.subtle;
  const importKey = subtle.importKey.bind(subtle);
  subtle.importKey = (format, data, algorithm, ...rest) => ((algorithm?.name ?? algorithm) === 'Ed25519'
    ? Promise.reject(new globalThis.DOMException('Unrecognized algorithm name', 'NotSupportedError'))
    : importKey(format, data, algorithm, ...rest));
}

// The package's own entry for Node; its browser build is dist/index.js beside it (the `default` export condition,
// which Node never selects itself).
const require = createRequire(import.meta.url);
const sdk = backend === 'node'
  ? await import('@hutong/verifier-sdk')
  : await import(pathToFileURL(join(dirname(require.resolve('@hutong/verifier-sdk/package.json')), 'dist', 'index.js')).href);

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  let id = null;
  let answer;
  try {
    const req = JSON.parse(line);
    id = req.id;
    const r = await sdk.verify(req.qr, { trust: req.trust, jurisdiction: req.jurisdiction, now: new Date(req.now) });
    answer = { id, decision: r.decision, reason: r.reason };
  } catch (e) {
    answer = { id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
