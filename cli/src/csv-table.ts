/**
 * CSV (RFC 4180: comma-separated, double-quoted fields with "" for a quote, CRLF or LF line ends) into rows of named
 * fields, by its header line; and one row back into a CSV line.
 */
import { CliError } from './cli-error.js';

function records(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false, i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a spreadsheet's byte-order mark
  while (i < body.length) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && body[i + 1] === '\n') i++;
    if (c === '\n' || c === '\r') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (quoted) throw new CliError('CSV_INVALID', 'a quoted field is not closed');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** The rows of a CSV text with a header line, as objects keyed by the header's names (trimmed). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...rows] = records(text);
  if (!header) throw new CliError('CSV_INVALID', 'the CSV file is empty (a header line is expected)');
  const names = header.map((h) => h.trim());
  return rows.map((r, n) => {
    if (r.length !== names.length) throw new CliError('CSV_INVALID', `line ${n + 2} has ${r.length} fields, the header ${names.length}`);
    return Object.fromEntries(names.map((name, k) => [name, r[k]!]));
  });
}

export function csvLine(fields: ReadonlyArray<string | number>): string {
  return fields.map((f) => (typeof f === 'string' && /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : String(f))).join(',');
}
