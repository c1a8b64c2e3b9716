/**
 * A batch of holders from a CSV file (RFC 4180: commas, quoted fields, CRLF or LF). The header names the columns:
 * name, documentType, documentNumber, status are required; credentialType and validityHours optional (the form's
 * values otherwise). Rows the gateway would refuse for their shape are listed with a code here, before sending.
 */
export interface CsvRow {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number;
  name: string;
  documentType: string;
  documentNumber: string;
  status: string;
  credentialType?: string;
  validityHours?: number;
}
export interface CsvFailure { line: number; code: string }

const REQUIRED = ['name', 'documentType', 'documentNumber', 'status'] as const;
export const MAX_ROWS = 10_000;

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

export function csvRows(text: string): { rows: CsvRow[]; failures: CsvFailure[]; headerError?: string } {
  const table = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (table[0] ?? []).map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) return { rows: [], failures: [], headerError: 'CSV_HEADER_INVALID' };
  const col = (name: string) => header.indexOf(name);
  const rows: CsvRow[] = [];
  const failures: CsvFailure[] = [];
  table.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    if (rows.length + failures.length >= MAX_ROWS) return void failures.push({ line, code: 'CSV_TOO_MANY_ROWS' });
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const row: CsvRow = { line, name: get('name'), documentType: get('documentType'), documentNumber: get('documentNumber'), status: get('status') };
    const type = get('credentialType');
    if (type) row.credentialType = type;
    const hours = get('validityHours');
    if (hours) row.validityHours = Number(hours);
    const invalid = !row.name || row.name.length > 200 || !/^[A-Za-z]{2,8}$/.test(row.documentType)
      || row.documentNumber.length < 4 || row.documentNumber.length > 40 || !/^[a-z0-9][a-z0-9-]{0,31}$/.test(row.status)
      || (row.validityHours !== undefined && !(Number.isInteger(row.validityHours) && row.validityHours >= 1 && row.validityHours <= 9600));
    if (invalid) failures.push({ line, code: 'CSV_ROW_INVALID' });
    else rows.push(row);
  });
  return { rows, failures };
}
