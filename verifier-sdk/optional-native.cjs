'use strict';
// The optional native proof fold, when its package (@hutong/verifier-sdk-native, an optionalDependency built at its
// own install) is installed: `fold` is null without it, and the SDK folds with node:crypto, with identical results.
let native = { fold: null, loadError: null };
try {
  native = require('@hutong/verifier-sdk-native');
} catch (e) {
  if (e?.code !== 'MODULE_NOT_FOUND') native = { fold: null, loadError: e instanceof Error ? e.message : String(e) };
}
module.exports = native;
