/**
 * What a scanner sends, made into the QR text it read (docs/protocol.md §5.6). USB and Bluetooth scanners in keyboard
 * mode end the text with CR, LF or CR LF (some with a tab or a space), and with Caps Lock on they invert the case of
 * every letter. Neither can change a genuine QR: its text uses the QR alphanumeric alphabet (no lower-case letter, no
 * control character), and its last character is a Base45 digit of value ≤ 32 (`0`–`9`, `A`–`W`), never a space.
 * So ASCII whitespace at either end is removed and lower-case ASCII letters are upper-cased; nothing else is touched.
 * The verifier applies this to every input, and the gateway to every QR it receives, through this one function.
 */

// Leading or trailing ASCII whitespace (HT, LF, VT, FF, CR, space), or any lower-case ASCII letter.
const NEEDS_WORK = /^[\t\n\v\f\r ]|[\t\n\v\f\r ]$|[a-z]/;
const EDGES = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;
const LOWER = /[a-z]+/g;

/**
 * The QR text a scan stands for: ASCII whitespace trimmed at both ends, ASCII letters upper-cased. Idempotent; a
 * genuine QR text is returned unchanged (the same string).
 *
 * @example
 * ```ts
 * import { normaliseScan } from '@hutong/verifier-sdk';
 * normaliseScan('ht1:NCFOXN…\r\n'); // 'HT1:NCFOXN…'
 * ```
 */
export function normaliseScan(scanned: string): string {
  if (!NEEDS_WORK.test(scanned)) return scanned;
  return scanned.replace(EDGES, '').replace(LOWER, (s) => s.toUpperCase());
}
