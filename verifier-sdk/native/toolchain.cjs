'use strict';
// Where the headers for Node addons are and whether they are all there: shared by build.mjs (which builds the
// native fold) and the test that requires the fold to load wherever it can be built.
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** NODE_INCLUDE_DIR, else `<node prefix>/include/node` of the running node. */
function nodeIncludeDir() {
  return process.env.NODE_INCLUDE_DIR ?? join(dirname(process.execPath), '..', 'include', 'node');
}

/** Whether `dir` has what merkle-fold.c includes: N-API and OpenSSL's sha.h. */
function hasAddonHeaders(dir) {
  return existsSync(join(dir, 'node_api.h')) && existsSync(join(dir, 'openssl', 'sha.h'));
}

module.exports = { nodeIncludeDir, hasAddonHeaders };
