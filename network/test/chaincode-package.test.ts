/**
 * The chaincode-as-a-service package and our external builder. The package id is `label:sha256(bytes)`, so the
 * bytes must be the same on every run; GNU tar is the oracle for the archive format; the builder's three scripts are
 * run as the peer runs them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chaincodePackage, tar } from '../src/chaincode-package';

const builder = resolve(__dirname, '..', 'builder', 'bin');
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hutong-ccaas-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function untar(archive: Buffer, into: string): string[] {
  const file = join(dir, `a-${Math.random().toString(36).slice(2)}.tgz`);
  writeFileSync(file, archive);
  mkdirSync(into, { recursive: true });
  const r = spawnSync('tar', ['-xzvf', file, '-C', into], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.trim().split('\n').sort();
}

test('same inputs, same bytes, same package id; a different address, a different id', () => {
  const a = chaincodePackage({ label: 'hutong_1.0', address: '127.0.0.1:7115' });
  const b = chaincodePackage({ label: 'hutong_1.0', address: '127.0.0.1:7115' });
  expect(b.bytes.equals(a.bytes)).toBe(true);
  expect(a.packageId).toBe(`hutong_1.0:${createHash('sha256').update(a.bytes).digest('hex')}`);
  expect(chaincodePackage({ label: 'hutong_1.0', address: '127.0.0.1:7135' }).packageId).not.toBe(a.packageId);
});

test('GNU tar reads the package: exactly metadata.json and code.tar.gz, the latter holding connection.json', () => {
  const pkg = chaincodePackage({ label: 'hutong_1.0', address: '127.0.0.1:7115' });
  const out = join(dir, 'pkg');
  expect(untar(pkg.bytes, out)).toEqual(['code.tar.gz', 'metadata.json']);
  expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'))).toEqual({ label: 'hutong_1.0', type: 'ccaas' });
  const code = join(dir, 'code');
  expect(untar(readFileSync(join(out, 'code.tar.gz')), code)).toEqual(['connection.json']);
  expect(JSON.parse(readFileSync(join(code, 'connection.json'), 'utf8'))).toEqual({ address: '127.0.0.1:7115', dial_timeout: '10s', tls_required: false });
});

test('tar entries are sorted, owned by 0, dated 1970, and a name over 100 bytes is refused', () => {
  const archive = tar([{ name: 'b', content: Buffer.from('2') }, { name: 'a', content: Buffer.alloc(513, 1) }]);
  expect(archive.subarray(0, 1).toString()).toBe('a');
  expect(archive.length % 512).toBe(0);
  const file = join(dir, 'x.tar');
  writeFileSync(file, archive);
  const listing = spawnSync('tar', ['--numeric-owner', '-tvf', file], { encoding: 'utf8' }).stdout;
  expect(listing).toMatch(/^-rw-r--r-- 0\/0\s+513 1970-01-01 00:00 a$/m);
  expect(() => tar([{ name: 'x'.repeat(101), content: Buffer.alloc(0) }])).toThrow(RangeError);
});

describe('external builder', () => {
  const run = (script: string, ...args: string[]) => spawnSync(join(builder, script), args, { encoding: 'utf8' });

  test('detect claims ccaas packages only', () => {
    const meta = join(dir, 'meta');
    mkdirSync(meta);
    writeFileSync(join(meta, 'metadata.json'), '{"label":"hutong_1.0","type":"ccaas"}');
    expect(run('detect', join(dir, 'src'), meta).status).toBe(0);
    writeFileSync(join(meta, 'metadata.json'), '{ "type" : "ccaas", "label":"x"}');
    expect(run('detect', join(dir, 'src'), meta).status).toBe(0);
    writeFileSync(join(meta, 'metadata.json'), '{"label":"ccaas","type":"node"}');
    expect(run('detect', join(dir, 'src'), meta).status).not.toBe(0);
  });

  test('build keeps connection.json, release puts it where the peer reads it; no connection.json fails', () => {
    const [src, out, rel] = ['src', 'out', 'rel'].map((d) => join(dir, d)) as [string, string, string];
    for (const d of [src, out, rel]) mkdirSync(d);
    expect(run('build', src, join(dir, 'meta'), out).status).not.toBe(0);
    writeFileSync(join(src, 'connection.json'), '{"address":"127.0.0.1:7115"}');
    expect(run('build', src, join(dir, 'meta'), out).status).toBe(0);
    expect(run('release', out, rel).status).toBe(0);
    const released = join(rel, 'chaincode', 'server', 'connection.json');
    expect(existsSync(released) && readFileSync(released, 'utf8')).toBe('{"address":"127.0.0.1:7115"}');
  });
});
