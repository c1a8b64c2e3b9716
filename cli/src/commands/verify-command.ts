import { Command, Option } from 'commander';
import type { VerificationResult } from '@hutong/verifier-sdk';
import { gatewayTarget, type GlobalOptions } from '../cli-config.js';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from '../cli-error.js';
import { deskView, localeOf } from '../desk-view.js';
import { newGatewayClient } from '../gateway-client.js';
import { openSavedSnapshot, trustDir } from '../pinned-trust.js';
import { readQrInput } from '../qr-input.js';

/** A decision is an exit code; a verifier whose trust data is unusable could not judge at all. */
export function exitCodeOf(r: VerificationResult): ExitCode {
  if (r.reason === 'SNAPSHOT_STALE' || r.reason === 'SNAPSHOT_INVALID') return EXIT.UNAVAILABLE;
  return r.decision === 'ACCEPT' ? EXIT.OK : r.decision === 'RESCAN' ? EXIT.RESCAN : EXIT.REJECT;
}

export function verifyCommand(done: (code: ExitCode) => void): Command {
  return new Command('verify')
    .summary('verify a credential QR (text, PNG image, or - for standard input)')
    .description('Verify a credential QR at the gateway (checkpoint token), or offline against the saved trust snapshot (--offline).\n'
      + 'The answer: ACCEPT, REJECT or RESCAN, the reason code, its message and the facts that explain it.')
    .argument('<qr>', 'the QR text (HT1:…), a PNG image of the QR, or - to read text or a PNG from standard input')
    .option('--offline', 'verify with the snapshot saved by `hutong trust snapshot`, without the network')
    .option('--trust-dir <dir>', 'where `hutong trust snapshot` saved it (default: config trustDir, else $HUTONG_HOME/trust)')
    .option('--keys <file>', 'pinned snapshot keys (default: the copy saved with the snapshot)')
    .addOption(new Option('--max-age <seconds>', 'offline: refuse a snapshot older than this (SNAPSHOT_STALE)').argParser((v) => Number(v)))
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n  (4 also when the trust snapshot is stale or invalid)\n\nExamples:\n  hutong verify --org macau 'HT1:…'\n  hutong verify --json scan.png\n  zbarimg -q --raw photo.jpg | hutong verify --offline -`)
    .action(async (qr: string, opts: { offline?: boolean; trustDir?: string; keys?: string; maxAge?: number }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const locale = localeOf(global.lang);
      const input = await readQrInput(qr);
      let result: VerificationResult;
      if (opts.offline) {
        const store = await openSavedSnapshot(trustDir(opts.trustDir, global), opts.keys, opts.maxAge);
        result = await store.verify(input.text);
      } else {
        const client = newGatewayClient(gatewayTarget(global, 'checkpoint'));
        result = (await client.call<VerificationResult>('POST', '/v1/verifications', { qr: input.text })).body;
      }
      console.log(global.json ? JSON.stringify(result) : deskView(result, locale));
      done(exitCodeOf(result));
    });
}
