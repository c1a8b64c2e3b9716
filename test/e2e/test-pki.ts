/**
 * Certificates made by a test with the `openssl` command line: a CA, a server certificate for 127.0.0.1 (SAN IP),
 * a client certificate from that CA, and a client certificate from another CA (same subject shape, other issuer).
 * P-256 keys, valid for a day, in a directory of the caller's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PemPair {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

export interface TestPki {
  caFile: string;
  ca: Buffer;
  server: PemPair;
  client: PemPair;
  /** Issued by a CA the gateway does not trust. */
  foreignClient: PemPair;
  /** The server's certificate offered as a client's: right CA, wrong purpose (serverAuth only). */
  serverAsClient: PemPair;
}

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`these tests make their certificates with the openssl command line: openssl ${args.slice(0, 2).join(' ')} failed (${(e as Error).message})`, { cause: e });
  }
}

export function makeTestPki(dir: string): TestPki {
  // A configuration of our own: the system's may add CA extensions to every certificate `req -x509` makes.
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n');
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const ca = (name: string): void => openssl(dir, [
    'req', '-config', config, '-x509', ...key, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=hutong test ${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const leaf = (name: string, issuer: string, subject: string, extensions: string[]): PemPair => {
    openssl(dir, [
      'req', '-config', config, '-x509', ...key, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${subject}`,
      '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-addext', 'basicConstraints=critical,CA:FALSE',
      ...extensions.flatMap((x) => ['-addext', x]),
    ]);
    const certFile = join(dir, `${name}.crt`);
    const keyFile = join(dir, `${name}.key`);
    return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
  };
  ca('ca');
  ca('other-ca');
  return {
    caFile: join(dir, 'ca.crt'),
    ca: readFileSync(join(dir, 'ca.crt')),
    server: leaf('server', 'ca', '127.0.0.1', ['subjectAltName=IP:127.0.0.1', 'extendedKeyUsage=serverAuth']),
    client: leaf('client', 'ca', 'checkpoint-lane-1', ['extendedKeyUsage=clientAuth']),
    foreignClient: leaf('foreign-client', 'other-ca', 'checkpoint-lane-1', ['extendedKeyUsage=clientAuth']),
    serverAsClient: leaf('server-as-client', 'ca', '127.0.0.1', ['subjectAltName=IP:127.0.0.1', 'extendedKeyUsage=serverAuth']),
  };
}
