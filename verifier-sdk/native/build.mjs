// Builds the optional native Merkle fold (merkle-fold.c) into build/merkle-fold.node with the system C compiler and
// the headers Node ships for addons (<prefix>/include/node, which include OpenSSL's). Never fails the caller: without
// a compiler or headers it says so and the SDK folds with node:crypto. Skips the build when the addon is up to date.
// Usage: node verifier-sdk/native/build.mjs [--force]      Environment: CC (default cc), NODE_INCLUDE_DIR.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'merkle-fold.c');
const target = join(here, 'build', 'merkle-fold.node');
const say = (msg) => console.log(`verifier-sdk native fold: ${msg}`);

const require = createRequire(import.meta.url);
const { nodeIncludeDir, hasAddonHeaders } = require('./toolchain.cjs');
const includeDir = nodeIncludeDir();
const upToDate = existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs && statSync(target).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs;

if (upToDate && !process.argv.includes('--force')) {
  process.exit(0);
} else if (!hasAddonHeaders(includeDir)) {
  say(`not built: no Node addon headers in ${includeDir} (set NODE_INCLUDE_DIR); node:crypto folds instead`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `merkle-fold.${process.pid}.tmp.node`);
  try {
    execFileSync(process.env.CC ?? 'cc', ['-O2', '-std=c11', '-Wall', '-Wextra', '-Werror', '-fPIC', '-shared', '-fvisibility=hidden', '-I', includeDir, '-o', tmp, source], { stdio: ['ignore', 'inherit', 'inherit'] });
    // Load it before installing it: the OpenSSL symbols resolve only against the running node.
    const { fold } = require(tmp);
    if (typeof fold !== 'function') throw new Error('the built module exports no fold function');
    renameSync(tmp, target);
    say(`built ${target}`);
  } catch (e) {
    rmSync(tmp, { force: true });
    rmSync(target, { force: true });
    say(`not built (${e instanceof Error ? e.message.split('\n')[0] : e}); node:crypto folds instead`);
  }
}
