// The optional native proof fold (native/merkle-fold.c): built on this machine by `npm test` (and `npm ci`), equal to
// the node:crypto fold on arbitrary inputs, and strict about its arguments. backends.test.ts also runs the native
// and the node:crypto fold through the RFC 9162 oracle on real trees.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import native from '../native/index.cjs';
import { hasAddonHeaders, nodeIncludeDir } from '../native/toolchain.cjs';
import { nativeFoldStatus, newNodeBackend } from '../src/lib/node-backend';

const headers = nodeIncludeDir();
const compiler = (() => {
  try {
    execFileSync(process.env.CC ?? 'cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const buildable = compiler && hasAddonHeaders(headers);
const wanted = buildable && process.env.HUTONG_NATIVE !== '0';
const sha = (d: Uint8Array): Buffer => createHash('sha256').update(d).digest();

test('the native fold is built and loaded wherever a C compiler and Node\'s addon headers exist (as on CI)', () => {
  expect(nativeFoldStatus()).toEqual({ loaded: wanted, loadError: null });
  if (!wanted) console.warn(`native fold not exercised here: ${buildable ? 'HUTONG_NATIVE=0' : `no C compiler or no Node addon headers in ${headers}`}`);
});

const fold = native.fold!;
const maybe = wanted ? test : test.skip;

maybe('native fold = node:crypto fold for any leaf input, path, offset, sides and count (0…64)', () => {
  const pure = newNodeBackend({ nativeFold: false });
  fc.assert(fc.property(
    fc.uint8Array({ maxLength: 2000 }), fc.nat(64), fc.nat(40), fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.nat(20),
    (leafInput, count, at, sideBits, tail) => {
      const path = Buffer.alloc(at + 32 * count + tail);
      for (let k = 0; k < path.length; k++) path[k] = (k * 131 + count) & 0xff;
      const sides = sideBits.map((b) => b & 1);
      const out = new Uint8Array(64);
      fold(leafInput, path, at, sides, count, out);
      const expected = pure.foldProof!(leafInput, path, at, sides, count);
      expect({ leafHash: Buffer.from(out.subarray(0, 32)).toString('hex'), root: Buffer.from(out.subarray(32)).toString('hex') }).toEqual(expected);
      // And by hand, as docs/protocol.md §4 defines it.
      let r = sha(leafInput);
      for (let k = 0; k < count; k++) {
        const s = path.subarray(at + 32 * k, at + 32 * k + 32);
        r = sha(Buffer.concat([Buffer.from([1]), sides[k] === 1 ? s : r, sides[k] === 1 ? r : s]));
      }
      expect(Buffer.from(out.subarray(32)).equals(r)).toBe(true);
    }), { numRuns: 400 });
});

maybe('native fold refuses arguments out of shape with TypeError / RangeError, and writes nothing then', () => {
  const path = new Uint8Array(32 * 4), sides = new Uint8Array(64), leaf = new Uint8Array(10);
  const out = new Uint8Array(64).fill(7);
  const bad: Array<[unknown[], 'TypeError' | 'RangeError']> = [
    [[leaf, path, 0, sides, 4], 'TypeError'], // five arguments
    [['x', path, 0, sides, 4, out], 'TypeError'],
    [[leaf, Buffer.from(path).buffer, 0, sides, 4, out], 'TypeError'], // an ArrayBuffer is not a Uint8Array
    [[leaf, new Uint16Array(64), 0, sides, 4, out], 'TypeError'],
    [[leaf, path, 0, sides, 4, {}], 'TypeError'],
    [[leaf, path, '0', sides, 4, out], 'RangeError'],
    [[leaf, path, 1, sides, 4, out], 'RangeError'], // 1 + 4 × 32 > 128
    [[leaf, path, 0, sides, 5, out], 'RangeError'],
    [[leaf, path, -1, sides, 1, out], 'RangeError'],
    [[leaf, path, 0.5, sides, 1, out], 'RangeError'],
    [[leaf, path, 0, sides, Number.NaN, out], 'RangeError'],
    [[leaf, path, 0, sides, 65, out], 'RangeError'], // more than MAX_PROOF_HASHES
    [[leaf, path, 0, new Uint8Array(3), 4, out], 'RangeError'], // fewer sides than hashes
    [[leaf, path, 0, sides, 4, new Uint8Array(63)], 'RangeError'],
    [[leaf, path, 2 ** 53, sides, 0, out], 'RangeError'],
  ];
  // The addon's errors come from Node's own realm, not jest's: compare names and codes, not constructors.
  const thrown = (args: unknown[]): unknown => {
    try {
      (fold as (...a: unknown[]) => void)(...args);
    } catch (e) {
      return e;
    }
    return null;
  };
  for (const [args, type] of bad) {
    expect(thrown(args)).toMatchObject({ name: type, code: type === 'TypeError' ? 'ERR_INVALID_ARG' : 'ERR_OUT_OF_RANGE' });
    expect(out.every((b) => b === 7)).toBe(true);
  }
  fold(leaf, path, 128, sides, 0, out); // an empty path at the very end is in range
  expect(Buffer.from(out.subarray(32)).equals(sha(leaf))).toBe(true);
  // `out` over the path itself: the inputs are read before anything is written.
  const pure = newNodeBackend({ nativeFold: false });
  const frame = new Uint8Array(32 * 4).map((_, k) => k);
  const expected = pure.foldProof!(leaf, frame, 0, sides, 4);
  fold(leaf, frame, 0, sides, 4, frame.subarray(0, 64));
  expect({ leafHash: Buffer.from(frame.subarray(0, 32)).toString('hex'), root: Buffer.from(frame.subarray(32, 64)).toString('hex') }).toEqual(expected);
});
