/**
 * `hutong` — the command line of hutong: verify at a desk, issue and revoke, keep a trust snapshot for offline use,
 * read the ledger's evidence, run the network and a gateway. Built on commander (see the commit that introduced it
 * for why). Every command has --help; results go to standard output (--json for scripts), errors to standard error
 * as `error CODE: message` (or `{ code, message, details? }` with --json), and the exit code says what happened.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, EXIT_CODES_HELP } from './cli-error.js';
import { auditCommand } from './commands/audit-command.js';
import { gatewayCommand, networkCommand } from './commands/delegate-command.js';
import { issueCommand } from './commands/issue-command.js';
import { revokeCommand } from './commands/revoke-command.js';
import { trustCommand } from './commands/trust-command.js';
import { verifyCommand } from './commands/verify-command.js';

const CONFIG_HELP = `Gateway and token, first found wins:
  --gateway URL / --token TOKEN
  HUTONG_GATEWAY_URL / HUTONG_TOKEN
  --org NAME: the running demo's $HUTONG_HOME/runtime.json (npm start), with the token of the role the command needs
  the config file: --config FILE, HUTONG_CLI_CONFIG, or ~/.config/hutong/cli.json:
    { "gateway": "http://127.0.0.1:8442", "token": "…", "tokens": { "issuer": "…" }, "snapshotKeys": "keys.json", "trustDir": "…" }
Language of the answers: --lang en | zh-Hant | zh-Hans | pt, or HUTONG_LANG.`;

/** The options every command (but network and gateway, which take their own) understands. */
function withGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--gateway <url>', 'the gateway, e.g. http://127.0.0.1:8442 (else HUTONG_GATEWAY_URL, --org, the config file)')
    .option('--token <token>', 'bearer token (else HUTONG_TOKEN, --org, the config file)')
    .option('--org <name>', 'use the running demo\'s gateway of this organisation and its token for the role needed')
    .option('--config <file>', 'config file (else HUTONG_CLI_CONFIG, else ~/.config/hutong/cli.json)')
    .option('--json', 'print the answer as one JSON document (errors as { code, message, details? } on standard error)')
    .addOption(new Option('--lang <locale>', 'language of the answer: en, zh-Hant, zh-Hans, pt (else HUTONG_LANG, else en)'));
}

function leaves(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leaves);
}

async function main(): Promise<void> {
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  let exitCode: number = EXIT.OK;
  const done = (code: number) => { exitCode = code; };
  const program = new Command('hutong')
    .description('hutong (互通): cross-border credential verification on Hyperledger Fabric')
    .version(version)
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\n${CONFIG_HELP}`);
  const own = [verifyCommand(done), issueCommand(done), revokeCommand(done), trustCommand(done), auditCommand(done)];
  for (const c of own) program.addCommand(c);
  program.addCommand(networkCommand(done)).addCommand(gatewayCommand(done));
  for (const c of own.flatMap(leaves)) withGlobalOptions(c);
  // Commander's own refusals (unknown option, missing argument) are usage errors.
  for (const c of [program, ...program.commands, ...own.flatMap((c) => c.commands)]) c.exitOverride();

  const json = process.argv.includes('--json');
  try {
    await program.parseAsync(process.argv);
    process.exitCode = exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
      return;
    }
    const err = e instanceof CliError ? e : new CliError('INTERNAL_ERROR', (e as Error)?.message ?? String(e), EXIT.UNAVAILABLE);
    console.error(json ? JSON.stringify({ code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) }) : `error ${err.code}: ${err.message}`);
    process.exitCode = err.exitCode;
  }
}

void main();
