import { csvRows, parseCsv } from '../src/issuer/csv-rows';

test('RFC 4180: quotes, doubled quotes, CRLF, a byte-order mark and blank lines', () => {
  expect(parseCsv('a,"b,c","d""e"\r\n1,2,3\n')).toEqual([['a', 'b,c', 'd"e'], ['1', '2', '3']]);
  const { rows, failures } = csvRows('\uFEFFname,documentType,documentNumber,status\r\n"Chan, Tai Man",HRP,H1234567,green\r\n\r\nX,H1,123,green\n');
  expect(rows).toEqual([{ line: 2, name: 'Chan, Tai Man', documentType: 'HRP', documentNumber: 'H1234567', status: 'green' }]);
  expect(failures).toEqual([{ line: 4, code: 'CSV_ROW_INVALID' }]);
});

test('a header without a required column is refused as a whole', () => {
  expect(csvRows('name,documentType,status\nA,HRP,green\n').headerError).toBe('CSV_HEADER_INVALID');
});
