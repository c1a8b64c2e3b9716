#!/usr/bin/env node
// npm run network -- install|up|down|status|logs [--topology dev|consortium] [--wipe]
import { install, installedBinDir, NetworkError } from '../src/install.mjs';

const [command = 'status', ...rest] = process.argv.slice(2);
const topology = rest.includes('--topology') ? rest[rest.indexOf('--topology') + 1] : 'dev';

function fail(error) {
  const code = error instanceof NetworkError ? error.code : 'NETWORK_ERROR';
  console.error(`network: [${code}] ${error.message}`);
  process.exit(2);
}

try {
  if (!['dev', 'consortium'].includes(topology)) throw new NetworkError('INVALID_ARGUMENT', `unknown topology '${topology}' (dev | consortium)`);
  switch (command) {
    case 'install':
      install();
      break;
    case 'status': {
      const dir = installedBinDir();
      console.log(dir ? `fabric binaries: ${dir}` : 'fabric binaries: not installed (npm run network -- install)');
      console.log('network: not running');
      break;
    }
    case 'up':
    case 'down':
    case 'logs':
      install();
      throw new NetworkError('NETWORK_BLOCKED', `'${command}' is not built yet: it was blocked on this project's machines by the missing Fabric binaries (see README, "The real Fabric network")`);
    default:
      throw new NetworkError('INVALID_ARGUMENT', `unknown command '${command}' (install | up | down | status | logs)`);
  }
} catch (error) {
  fail(error);
}
