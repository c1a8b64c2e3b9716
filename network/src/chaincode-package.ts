/**
 * The chaincode-as-a-service package, byte for byte reproducible: the package id is `label:sha256(package bytes)`, so
 * the same inputs must give the same bytes on every run and every machine. The package is a gzipped ustar archive of
 * `metadata.json` (`{"label","type":"ccaas"}`) and `code.tar.gz`, which holds `connection.json` (where the peer
 * dials the chaincode server). Entries are sorted, with mode 0644, owner 0, mtime 0; gzip headers carry no time.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'ascii');
}

const octal = (n: number, width: number): string => `${n.toString(8).padStart(width - 1, '0')}\0`;

/** A ustar archive of regular files (POSIX.1-1988 header, https://www.gnu.org/software/tar/manual/html_node/Standard.html). */
export function tar(files: ReadonlyArray<{ name: string; content: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const { name, content } of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (Buffer.byteLength(name) > 100) throw new RangeError(`tar entry name too long: ${name}`);
    const header = Buffer.alloc(BLOCK);
    field(header, 0, 100, name);
    field(header, 100, 8, octal(0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(content.length, 12));
    field(header, 136, 12, octal(0, 12));
    field(header, 148, 8, ' '.repeat(8)); // the checksum is computed with its own field as spaces
    field(header, 156, 1, '0');
    field(header, 257, 6, 'ustar\0');
    field(header, 263, 2, '00');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    parts.push(header, content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

/** gzip with no name and mtime 0 (Node writes neither), maximum compression: stable bytes for stable input. */
const gzip = (data: Buffer): Buffer => gzipSync(data, { level: 9 });

export interface ChaincodePackage {
  bytes: Buffer;
  packageId: string;
  label: string;
}

export function chaincodePackage(options: Readonly<{ label: string; address: string }>): ChaincodePackage {
  const connection = { address: options.address, dial_timeout: '10s', tls_required: false };
  const code = gzip(tar([{ name: 'connection.json', content: Buffer.from(JSON.stringify(connection)) }]));
  const metadata = { label: options.label, type: 'ccaas' };
  const bytes = gzip(tar([
    { name: 'code.tar.gz', content: code },
    { name: 'metadata.json', content: Buffer.from(JSON.stringify(metadata)) },
  ]));
  return { bytes, label: options.label, packageId: `${options.label}:${createHash('sha256').update(bytes).digest('hex')}` };
}
