/**
 * Structured JSON logs (pino). Only identifiers, hashes and codes are ever logged — never a request or response
 * body, a JWS, a QR or a token; the privacy test scans every line for the personal data of test credentials.
 */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function newLogger(options: Readonly<{ org: string; level: LevelWithSilent; destination?: DestinationStream }>): Logger {
  return pino(
    {
      level: options.level,
      base: { org: options.org },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['authorization', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
