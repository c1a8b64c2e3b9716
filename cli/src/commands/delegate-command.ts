/**
 * `hutong network …` and `hutong gateway …` run the packages' own command lines (the same as `npm run network --` and
 * `npm run gateway --`, without the build step), with this process's terminal, and exit with their exit code.
 * Their options and --help are theirs; exit codes: 0 done, 1 (network status) something is down, 4 it failed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CliError, EXIT, type ExitCode } from '../cli-error.js';

function entry(pkg: '@hutong/network' | '@hutong/gateway', relative: string): string {
  const file = join(dirname(fileURLToPath(import.meta.resolve(pkg))), relative);
  if (!existsSync(file)) throw new CliError('NOT_BUILT', `${file} is missing: build first (npx tsc -b)`);
  return file;
}

/**
 * The child's exit code in the CLI's terms: 0 done; for the network, 1 (status) something is down; anything else,
 * whatever the child's own numbering (the network's 2, the gateway's 1 are "an error"), is 4: the command failed,
 * its message says why.
 */
function exitCodeOf(code: number | null, downMeansOne: boolean): ExitCode {
  return code === 0 ? EXIT.OK : code === 1 && downMeansOne ? EXIT.REJECT : EXIT.UNAVAILABLE;
}

function run(file: string, args: readonly string[], done: (code: ExitCode) => void, downMeansOne = false): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal's process group; a signal sent to this process only is passed on.
    // This process waits for the child to stop cleanly instead of dying first.
    const forward = (s: NodeJS.Signals) => child.kill(s);
    const wait = () => undefined;
    process.on('SIGTERM', forward);
    process.on('SIGINT', wait);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', wait);
      done(signal && code === null ? EXIT.UNAVAILABLE : exitCodeOf(code, downMeansOne));
      resolve();
    });
  });
}

export function networkCommand(done: (code: ExitCode) => void): Command {
  return new Command('network')
    .summary('the real Fabric network: up | down | status | logs | clean | install (as npm run network)')
    .description('Runs the network package\'s command line; `hutong network --help` shows its commands and options.')
    .argument('[args...]', 'the network command and its options')
    .helpOption(false).allowUnknownOption().passThroughOptions()
    .action((args: string[]) => run(entry('@hutong/network', 'cli.js'), args.length ? args : ['--help'], done, true));
}

export function gatewayCommand(done: (code: ExitCode) => void): Command {
  return new Command('gateway')
    .summary('run one organisation\'s gateway (as npm run gateway)')
    .description('Runs the gateway package\'s command line; `hutong gateway --help` shows its options.')
    .argument('[args...]', 'the gateway\'s options, e.g. --org macau --ledger embedded')
    .helpOption(false).allowUnknownOption().passThroughOptions()
    .action((args: string[]) => run(entry('@hutong/gateway', 'cli/gateway.js'), args, done));
}
