/**
 * The CLI's exit codes (documented in `hutong --help` and README.md) and its one error type. A verification's
 * decision is its exit code, so a script can branch on `hutong verify` without parsing anything.
 */
export const EXIT = {
  /** verify: ACCEPT; any other command: done. */
  OK: 0,
  /** verify: REJECT; issue: some rows failed; status commands: something is down. */
  REJECT: 1,
  /** verify: RESCAN (the text or image is not a readable credential). */
  RESCAN: 2,
  /** Wrong arguments, configuration or input (no gateway URL, no token, a refused token, a 4xx request). */
  USAGE: 3,
  /** The gateway or the network could not answer (connection refused, timeout, 5xx, 503). */
  UNAVAILABLE: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  ACCEPT (verify), or done
  1  REJECT (verify); issue: some rows failed; audit verify-chain: the chain is broken
  2  RESCAN (verify): not a readable credential, scan again
  3  usage: wrong arguments, configuration, token or input
  4  unavailable: the gateway or the network did not answer`;

/** A refusal with a stable code, a message for people and the exit code it ends the process with. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = EXIT.USAGE,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
