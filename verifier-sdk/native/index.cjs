'use strict';
// The optional native Merkle fold (merkle-fold.c, built by build.mjs). `fold` is null when the addon was not built
// (no C compiler or Node headers), cannot load (e.g. a Node whose OpenSSL does not export SHA256_Init), or when
// HUTONG_NATIVE=0; the SDK then folds with node:crypto, with identical results.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, 'build', 'merkle-fold.node');
let fold = null;
let loadError = null;
if (process.env.HUTONG_NATIVE !== '0' && existsSync(file)) {
  try {
    fold = require(file).fold;
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
  }
}
module.exports = { fold, loadError };
