// Child process of durability.test.ts: the demo consortium (as `npm start` runs it, without the sample) on the built
// packages, its ledger wrapped by withUnavailableFlag, so the test can take the ledger down and SIGKILL the process.
// Usage: node unavailable-ledger-consortium.mjs <home> <flag file>. Writes <home>/runtime.json once every gateway
// listens; SIGTERM closes cleanly and exits 0.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CONSORTIUM, parseConsortium, startConsortium } from '@hutong/gateway';
import { withUnavailableFlag } from './unavailable-ledger.mjs';

const [home, flagFile] = process.argv.slice(2);
if (!home || !flagFile) throw new Error('usage: unavailable-ledger-consortium.mjs <home> <flag file>');

const running = await startConsortium({
  consortium: parseConsortium(DEMO_CONSORTIUM, 'the demo consortium'),
  home,
  ephemeralPorts: true,
  logLevel: 'warn',
  // Writes wait 300 ms for their commit, then answer 202 / 503 with the outbox id: the test does not wait 10 s.
  overrides: () => ({ issuance: { commitWaitMs: 300 } }),
  wrapBackend: (backend) => withUnavailableFlag(backend, flagFile),
});
process.once('SIGTERM', () => {
  running.close().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
});

const gateways = Object.fromEntries([...running.gateways].map(([name, g]) => [name, { url: g.url, tokens: running.tokens.get(name) }]));
// Renamed into place so that the polling parent never reads a half-written file.
writeFileSync(join(home, 'runtime.json.tmp'), JSON.stringify({ gateways }));
renameSync(join(home, 'runtime.json.tmp'), join(home, 'runtime.json'));
