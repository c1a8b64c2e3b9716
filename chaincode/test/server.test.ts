/**
 * The built chaincode boots as chaincode-as-a-service: fabric-chaincode-node loads `contracts` from the package's
 * `main` (CommonJS), generates its metadata by introspection and listens for peers on the given address.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

const chaincodeDir = resolve(__dirname, '..');
const cli = join(chaincodeDir, '..', 'node_modules', 'fabric-shim', 'cli.js');

function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      done(true);
    });
    socket.on('error', () => done(false));
  });
}

test('fabric-chaincode-node serves the built contract on 127.0.0.1', async () => {
  expect(existsSync(join(chaincodeDir, 'dist', 'index.js'))).toBe(true); // `npm test` builds first (tsc -b)
  const port = 20_000 + (process.pid % 20_000);
  const child = spawn(process.execPath, [cli, 'server', '--chaincode-address', `127.0.0.1:${port}`, '--chaincode-id', 'hutong:test'], {
    cwd: chaincodeDir,
    env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    let up = false;
    for (let i = 0; i < 100 && !up && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await listening(port);
    }
    expect({ up, exitCode: child.exitCode }).toEqual({ up: true, exitCode: null });
    expect(output).toContain('Bootstrap process completed');
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}, 30_000);
