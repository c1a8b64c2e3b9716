import { Command } from 'commander';
import { gatewayTarget, type GlobalOptions } from '../cli-config.js';
import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import { newGatewayClient } from '../gateway-client.js';
import { readQrInput } from '../qr-input.js';

/** Answers are the gateway's audit records as they are: indented JSON, one line with --json. */
function print(body: unknown, global: GlobalOptions): void {
  console.log(global.json ? JSON.stringify(body) : JSON.stringify(body, null, 2));
}

export function auditCommand(done: (code: ExitCode) => void): Command {
  const audit = new Command('audit').summary('read the ledger through the gateway (auditor token)')
    .description('Ledger evidence through the gateway\'s audit routes (auditor token). Exit codes: 0 answered (verify-chain:\nintact); 1 verify-chain found a break; 3 usage or not found; 4 unavailable.');
  const run = (path: (...a: string[]) => string, method: 'GET' | 'POST' = 'GET', body?: (...a: string[]) => Promise<unknown>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const positional = args.slice(0, -2).map(String);
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const client = newGatewayClient(gatewayTarget(global, 'auditor'));
      print((await client.call(method, path(...positional), body ? await body(...positional) : undefined)).body, global);
      done(EXIT.OK);
    };
  audit.command('anchors')
    .summary('anchors (batch roots) of an issuer, oldest first')
    .requiredOption('--issuer <id>', 'issuer id')
    .option('--from <iso>', 'anchoredAt ≥ this (ISO-8601 UTC)')
    .option('--to <iso>', 'anchoredAt < this')
    .option('--page-size <n>', 'up to 1000', '100')
    .option('--bookmark <b>', 'the bookmark of the previous page')
    .action(async (o: { issuer: string; from?: string; to?: string; pageSize: string; bookmark?: string }, cmd: Command) => {
      const q = new URLSearchParams({ pageSize: o.pageSize, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), ...(o.bookmark ? { bookmark: o.bookmark } : {}) });
      await run(() => `/v1/audit/issuers/${encodeURIComponent(o.issuer)}/anchors?${q}`)(o, cmd);
    });
  audit.command('tx').summary('where a transaction was committed and who endorsed it').argument('<txId>', 'transaction id')
    .action(run((txId) => `/v1/audit/transactions/${encodeURIComponent(txId!)}`));
  audit.command('block').summary('one block: hash chain, transactions, creators, endorsers').argument('<number>', 'block number')
    .action(run((n) => {
      if (!/^\d+$/.test(n!)) throw new CliError('USAGE', 'a block number is a non-negative integer');
      return `/v1/audit/blocks/${n}`;
    }));
  audit.command('verify-chain')
    .summary('check the hash chain of the gateway organisation\'s ledger copy, every block (exit 1 on a break)')
    .option('--from <n>', 'first block', '0')
    .action(async (o: { from: string }, cmd: Command) => {
      if (!/^\d+$/.test(o.from)) throw new CliError('USAGE', '--from takes a block number');
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const client = newGatewayClient(gatewayTarget(global, 'auditor'));
      // The gateway checks at most 1,000 blocks a call; each page starts where the last ended (its link included).
      let from = Number(o.from);
      let checked: { height: number; from: number; to: number; valid: boolean; tipHash: string; firstBreak?: unknown } | undefined;
      const start = from;
      for (;;) {
        const page = (await client.call('GET', `/v1/audit/chain-verification?from=${from}&limit=1000`)).body as NonNullable<typeof checked>;
        checked = { ...page, from: start };
        if (!page.valid || page.to >= page.height || page.to === from) break;
        from = page.to;
      }
      if (global.json) console.log(JSON.stringify(checked));
      else if (checked.valid) console.log(`chain intact: blocks ${checked.from}–${checked.to - 1} of ${checked.height}, tip ${checked.tipHash}`);
      else console.log(`chain BROKEN: ${JSON.stringify(checked.firstBreak)}`);
      done(checked.valid ? EXIT.OK : EXIT.REJECT);
    });
  audit.command('leaf').summary('whether a credential was anchored (transaction, block, endorsers) and revoked')
    .argument('<qr>', 'the QR text, a PNG image of it, or - for standard input')
    .action(run(() => '/v1/audit/leaf-status', 'POST', async (qr) => ({ qr: (await readQrInput(qr!)).text })));
  return audit;
}
