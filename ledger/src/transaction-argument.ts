/** A call's one JSON argument, as every ledger sends it to the chaincode; what JSON cannot carry is refused as the chaincode refuses bad input. */
import { LedgerError } from './ledger.js';

export function encodeArgument(input: unknown): string {
  let argument: string | undefined;
  try {
    argument = JSON.stringify(input);
  } catch (e) {
    throw new LedgerError('INVALID_ARGUMENT', '[INVALID_ARGUMENT] input is not serialisable to JSON', undefined, { cause: e });
  }
  return argument ?? '';
}
