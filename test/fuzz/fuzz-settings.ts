/**
 * How long the HTTP fuzzer runs. `npm test`: a fixed seed and a bounded count (the suites stay within ~30 s).
 * `npm run fuzz`: many more runs from a fresh seed each time (printed, so a failure can be replayed).
 *   HUTONG_FUZZ_RUNS=<n per operation>  HUTONG_FUZZ_SEED=<integer>  npm run fuzz
 */
const LONG = process.env['npm_lifecycle_event'] === 'fuzz';

function integer(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not ${raw}`);
  return n;
}

export const fuzzSettings = {
  /** Generated requests per operation. */
  runs: integer('HUTONG_FUZZ_RUNS') ?? (LONG ? 400 : 24),
  seed: integer('HUTONG_FUZZ_SEED') ?? (LONG ? Date.now() % 2 ** 31 : 20261129),
  long: LONG,
};

/** Jest's time budget for a test that sends `requests` requests (a write costs a commit on the embedded ledger). */
export function budgetMs(requests: number): number {
  return 30_000 + requests * 200;
}
