/*
 * Optional Node accelerator for the RFC 6962 inclusion-proof fold (docs/protocol.md §4): the leaf hash and the
 * fold of its audit path in one call, with the SHA-256 of the OpenSSL inside the running Node binary (which uses
 * the CPU's SHA extensions where present). node:crypto pays ~0.4 µs of call overhead per hash; a proof of 12
 * hashes is 13 such calls. Input is bounds-checked here against the typed arrays' own lengths; nothing is parsed.
 *
 * fold(leafInput: Uint8Array, path: Uint8Array, pathAt: number, sides: Uint8Array, count: number, out: Uint8Array)
 *   out[0..32)  = SHA-256(leafInput)                       (leafInput already starts with the 0x00 leaf prefix)
 *   out[32..64) = the root: for k < count, r = SHA-256(0x01 ‖ path[pathAt+32k..] ‖ r) when sides[k] is 1,
 *                 else SHA-256(0x01 ‖ r ‖ path[pathAt+32k..])
 * Throws TypeError / RangeError on any argument out of shape; returns undefined.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <node_api.h>

/* OpenSSL's low-level SHA-256, exported by the node executable and resolved when the addon is loaded; the header
 * is the one Node ships for addons (include/node/openssl), so it matches the OpenSSL linked into node. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#define MAX_PROOF_HASHES 64

static void sha256(const uint8_t *data, size_t len, uint8_t out[32]) {
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, data, len);
  SHA256_Final(out, &c);
}

static int bytes_arg(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type type;
  size_t length, offset;
  void *base;
  napi_value ab;
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &base, &ab, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = (uint8_t *)base;
  *len = length;
  return 1;
}

static int index_arg(napi_env env, napi_value v, size_t max, size_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return 0;
  if (!(d >= 0 && d <= (double)max) || d != (double)(size_t)d) return 0;
  *out = (size_t)d;
  return 1;
}

static napi_value fold(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 6) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "fold takes 6 arguments");
    return NULL;
  }
  uint8_t *leaf, *path, *sides, *out;
  size_t leafLen, pathLen, sidesLen, outLen, at, count;
  if (!bytes_arg(env, argv[0], &leaf, &leafLen) || !bytes_arg(env, argv[1], &path, &pathLen)
      || !bytes_arg(env, argv[3], &sides, &sidesLen) || !bytes_arg(env, argv[5], &out, &outLen)) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "leafInput, path, sides and out must be Uint8Arrays");
    return NULL;
  }
  if (!index_arg(env, argv[2], pathLen, &at) || !index_arg(env, argv[4], MAX_PROOF_HASHES, &count)
      || count > sidesLen || count * 32 > pathLen - at || outLen < 64) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "pathAt, count or out out of range");
    return NULL;
  }
  uint8_t node[65], leafHash[32], r[32];
  sha256(leaf, leafLen, leafHash);
  memcpy(r, leafHash, 32);
  node[0] = 0x01;
  for (size_t k = 0; k < count; k++) {
    const uint8_t *sibling = path + at + 32 * k;
    if (sides[k] == 1) { memcpy(node + 1, sibling, 32); memcpy(node + 33, r, 32); }
    else { memcpy(node + 1, r, 32); memcpy(node + 33, sibling, 32); }
    sha256(node, 65, r);
  }
  /* Written last: `out` may share memory with the inputs. */
  memcpy(out, leafHash, 32);
  memcpy(out + 32, r, 32);
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  if (napi_create_function(env, "fold", NAPI_AUTO_LENGTH, fold, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "fold", fn) != napi_ok) return NULL;
  return exports;
}
