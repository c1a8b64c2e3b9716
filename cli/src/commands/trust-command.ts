import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { gatewayTarget, hutongHome, loadConfigFile, type GlobalOptions } from '../cli-config.js';
import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import { newGatewayClient } from '../gateway-client.js';
import { readJwks, saveSnapshot, trustDir, type Jwks } from '../pinned-trust.js';

/** The pinned keys: --keys, the config file's snapshotKeys, or (with --org) the file the demo published. */
function pinnedKeysFile(keys: string | undefined, global: GlobalOptions): string | undefined {
  if (keys) return keys;
  const configured = loadConfigFile(global).snapshotKeys;
  if (configured) return configured;
  if (global.org) {
    const runtime = join(hutongHome(), 'runtime.json');
    if (existsSync(runtime)) {
      const file = (JSON.parse(readFileSync(runtime, 'utf8')) as { gateways?: Record<string, { snapshotKeys?: string }> }).gateways?.[global.org]?.snapshotKeys;
      if (file) return file;
    }
  }
  return undefined;
}

export function trustCommand(done: (code: ExitCode) => void): Command {
  const trust = new Command('trust').summary('the trust snapshot for offline verification')
    .description('Fetch and keep the gateway\'s signed trust snapshot for `hutong verify --offline`.');
  trust.command('snapshot')
    .summary('fetch the signed snapshot, check it against the pinned keys, save it')
    .description('Fetch GET /v1/trust/snapshot (a partner or checkpoint token), check its signature against the pinned snapshot\n'
      + 'keys (--keys FILE, the config file\'s snapshotKeys, or with --org the demo\'s .hutong/<org>/snapshot-keys.json)\n'
      + 'and save it with a copy of those keys in the trust directory.')
    .option('--keys <file>', 'the pinned snapshot JWKS (obtained ahead of time through a channel you trust)')
    .option('--trust-dir <dir>', 'where to save it (default: config trustDir, else $HUTONG_HOME/trust)')
    .option('--fetch-keys', 'trust on first use: take the keys from the gateway itself (not pinning; for trying things out)')
    .addHelpText('after', '\nExit codes: 0 saved; 3 usage, no pinned keys, or a snapshot not signed by them; 4 unavailable.\n\nExample:\n  hutong trust snapshot --org macau && hutong verify --offline \'HT1:…\'')
    .action(async (o: { keys?: string; trustDir?: string; fetchKeys?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const client = newGatewayClient(gatewayTarget(global, 'partner'));
      let jwks: Jwks;
      const file = pinnedKeysFile(o.keys, global);
      if (file) jwks = readJwks(file);
      else if (o.fetchKeys) {
        jwks = (await client.call<Jwks>('GET', '/v1/trust/snapshot-keys')).body;
        console.error('warning: the snapshot keys were fetched from the gateway itself, not pinned');
      } else {
        throw new CliError('KEYS_NOT_PINNED', 'no pinned snapshot keys: give --keys FILE (see "Pinning the snapshot keys" in gateway/src/README.md), or --fetch-keys to trust on first use');
      }
      const { body } = await client.call<{ jws: string; generatedAt: string; kid: string }>('GET', '/v1/trust/snapshot');
      const dir = trustDir(o.trustDir, global);
      const store = await saveSnapshot(dir, body.jws, jwks);
      const s = store.snapshot!;
      const summary = { saved: join(dir, 'snapshot.jws'), jurisdiction: s.jurisdiction, generatedAt: s.generatedAt, kid: body.kid,
        issuers: s.issuers.length, anchors: s.anchors.length, revocations: s.revocations.length };
      console.log(global.json ? JSON.stringify(summary) : `saved ${summary.saved}: ${s.jurisdiction}'s snapshot of ${s.generatedAt} (key ${body.kid}), `
        + `${summary.issuers} issuers, ${summary.anchors} anchors, ${summary.revocations} revocations`);
      done(EXIT.OK);
    });
  return trust;
}
