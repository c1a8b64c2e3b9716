import { Command } from 'commander';
import { decodeQr } from '@hutong/verifier-sdk';
import { MESSAGES } from '@hutong/verifier-sdk/messages';
import { gatewayTarget, type GlobalOptions } from '../cli-config.js';
import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import { newGatewayClient } from '../gateway-client.js';
import { readQrInput } from '../qr-input.js';

// The ledger's revocation reasons, as the message catalogue names them (the gateway checks them again).
const REASONS = Object.keys(MESSAGES.en.revocationReasons);

export function revokeCommand(done: (code: ExitCode) => void): Command {
  return new Command('revoke')
    .summary('revoke one of your issuer\'s credentials by its QR')
    .description('Revoke a credential at the gateway (issuer token for the credential\'s issuer). Durable: a revocation the\n'
      + 'ledger cannot take now is queued (state pending) and committed later.')
    .argument('<qr>', 'the QR text, a PNG image of it, or - for standard input')
    .requiredOption('--reason <code>', `revocation reason: ${REASONS.join(', ')}`)
    .option('--issuer <id>', 'the issuer (default: the one the credential names)')
    .addHelpText('after', '\nExit codes: 0 committed or queued; 2 the QR cannot be read; 3 usage, refused; 4 unavailable.\n\nExample:\n  hutong revoke --org guangdong --reason status-change \'HT1:…\'')
    .action(async (qr: string, o: { reason: string; issuer?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      if (!REASONS.includes(o.reason)) throw new CliError('USAGE', `--reason must be one of: ${REASONS.join(', ')}`);
      const input = await readQrInput(qr);
      let issuerId = o.issuer;
      if (issuerId === undefined) {
        try {
          const iss = (await decodeQr(input.text)).claims['iss'];
          if (typeof iss === 'string') issuerId = iss;
        } catch (e) {
          throw new CliError((e as { code?: string }).code ?? 'QR_UNDECODABLE', 'the QR cannot be read: scan it again', EXIT.RESCAN);
        }
      }
      if (issuerId === undefined) throw new CliError('USAGE', 'the credential names no issuer: give --issuer');
      const client = newGatewayClient(gatewayTarget(global, 'issuer'));
      const { body } = await client.call<{ state: string; leafHash: string; outboxId: string }>('POST', '/v1/revocations', { issuerId, reason: o.reason, qr: input.text });
      console.log(global.json ? JSON.stringify(body) : `revocation ${body.state}: leaf ${body.leafHash} (outbox ${body.outboxId})`);
      done(EXIT.OK);
    });
}
