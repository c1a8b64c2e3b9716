// The SDK's raw DEFLATE decoder (src/lib/inflate.ts) against node:zlib as the oracle: same accept/reject decision and
// same bytes, for every compression level and strategy, for valid, damaged and random streams. One documented
// difference: zlib ignores bytes after the final block, the SDK refuses them (the oracle counts them as a refusal).
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { inflateRaw, inflateRawInto, inflateRawView, INFLATE_INVALID, INFLATE_TOO_LARGE } from '../src/lib/inflate';
import { QR_DICTIONARY, QR_DICTIONARY_TEXT } from '../src/lib/qr-dictionary';

const BIG = 1 << 22; // no cap in play for the oracle comparisons (inputs here inflate to far less)

function zlibOracle(d: Uint8Array, dictionary?: Uint8Array): string {
  try {
    const { buffer, engine } = inflateRawSync(d, { info: true, ...(dictionary ? { dictionary } : {}) }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return engine.bytesWritten === d.length ? buffer.toString('hex') : 'invalid'; // trailing bytes: refused by the SDK
  } catch {
    return 'invalid';
  }
}

const outcome = (r: Uint8Array | string): string => (typeof r === 'string' ? r : Buffer.from(r).toString('hex'));

function sdk(d: Uint8Array, cap = BIG, dictionary?: Uint8Array): string {
  return outcome(inflateRaw(d, cap, dictionary));
}

const STRATEGIES = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED];
const textLike = fc.array(fc.constantFrom(...'{"iss":"gd-health-code","st":"green"} 陈*明 HRP-1234 aaaa'.split('')), { maxLength: 3000 }).map((a) => Buffer.from(a.join('')));
const input = fc.oneof(fc.uint8Array({ maxLength: 3000 }), textLike, fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(Array(60).fill(Buffer.from(u).toString('latin1')).join(''), 'latin1')));

test('valid streams: every level 0–9 and strategy (default, filtered, Huffman-only, RLE, fixed) inflate to the input', () => {
  fc.assert(fc.property(input, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...STRATEGIES), (data, level, strategy) => {
    const d = deflateRawSync(data, { level, strategy });
    expect(sdk(d)).toBe(Buffer.from(data).toString('hex'));
    expect(zlibOracle(d)).toBe(Buffer.from(data).toString('hex'));
  }), { numRuns: 400 });
});

test('damaged streams (bit flips, byte changes, truncation, trailing bytes) and random bytes: same decision and bytes as zlib', () => {
  fc.assert(fc.property(input, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...STRATEGIES), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('flip', 'byte', 'truncate', 'trailing'), (data, level, strategy, where, how) => {
      const d = Buffer.from(deflateRawSync(data, { level, strategy }));
      let m: Buffer = d;
      if (how === 'flip') for (const w of where) m[Math.floor(w / 8) % m.length]! ^= 1 << (w % 8);
      if (how === 'byte') for (const w of where) m[w % m.length] = w & 0xff;
      if (how === 'truncate') m = d.subarray(0, where[0]! % d.length);
      if (how === 'trailing') m = Buffer.concat([d, Buffer.from(where.map((w) => w & 0xff))]);
      expect(sdk(m)).toBe(zlibOracle(m));
      if (how === 'trailing') expect(sdk(m)).toBe('invalid');
    }), { numRuns: 1000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (garbage) => {
    expect(sdk(garbage)).toBe(zlibOracle(garbage));
  }), { numRuns: 3000 });
  // Random bytes behind a valid block header of each type reach the table-building and decoding code.
  fc.assert(fc.property(fc.constantFrom(0b011, 0b101, 0b010, 0b100), fc.uint8Array({ minLength: 1, maxLength: 120 }), (head, rest) => {
    const m = Buffer.from(rest);
    m[0] = (m[0]! & ~0b111) | head;
    expect(sdk(m)).toBe(zlibOracle(m));
  }), { numRuns: 3000 });
});

test('RFC 1951 examples: stored, fixed and dynamic blocks; reserved type, bad stored length, distance too far back, trailing bytes', () => {
  const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');
  // Final stored block (BFINAL=1, BTYPE=00), LEN=5, NLEN=~5, "hello".
  expect(sdk(hex('01 0500 faff 68656c6c6f'))).toBe(Buffer.from('hello').toString('hex'));
  // Non-final empty stored block, then a final one.
  expect(sdk(hex('00 0000 ffff 01 0100 feff 21'))).toBe('21');
  // Final fixed-Huffman block holding only end-of-block (BFINAL=1, BTYPE=01, code 0000000): 03 00.
  expect(sdk(hex('0300'))).toBe('');
  // zlib's fixed-Huffman "a" repeated: literal 'a' then a length-3 match at distance 1.
  const aaaa = deflateRawSync(Buffer.from('aaaaaaaaaa'), { strategy: constants.Z_FIXED });
  expect(sdk(aaaa)).toBe(Buffer.from('aaaaaaaaaa').toString('hex'));
  expect(sdk(deflateRawSync(Buffer.from('dynamic blocks, dynamic blocks, dynamic blocks!'), { level: 9 }))).toBe(Buffer.from('dynamic blocks, dynamic blocks, dynamic blocks!').toString('hex'));
  expect(sdk(hex('07 00'))).toBe('invalid'); // BTYPE=11 is reserved
  expect(sdk(hex('01 0500 fbff 68656c6c6f'))).toBe('invalid'); // NLEN is not the complement of LEN
  expect(sdk(hex('01 0500 faff 6865'))).toBe('invalid'); // stored data cut short
  // Fixed block starting with a match (length code 257, distance code 0): distance 1 with no output yet.
  expect(sdk(hex('0302 00'))).toBe(zlibOracle(hex('0302 00')));
  expect(sdk(hex('0302 00'))).toBe('invalid');
  expect(sdk(hex('0300 00'))).toBe('invalid'); // a byte after the final block
  expect(zlibOracle(hex('0300 00'))).toBe('invalid'); // (the oracle counts zlib's ignored trailing byte as a refusal)
  expect(sdk(new Uint8Array(0))).toBe('invalid');
  expect(sdk(hex('00'))).toBe('invalid'); // non-final stored block header with no lengths
});

// (Formerly compared across crypto backends; every build now inflates with this one decoder.)
test('truncated, extended and random streams, and caps just below the size: the same decision as zlib, or too-large', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('ok', 'truncate', 'junk', 'random', 'cap'), fc.nat(), (data, how, n) => {
    let input: Uint8Array = deflateRawSync(data);
    let cap = 4096;
    if (how === 'truncate') input = input.subarray(0, n % Math.max(1, input.length));
    if (how === 'junk') input = Buffer.concat([input, Buffer.from([n & 0xff])]);
    if (how === 'random') input = data.subarray(0, 64);
    if (how === 'cap') cap = Math.max(1, data.length - 1 - (n % 10));
    const out = sdk(input, cap);
    if (how !== 'cap') expect(sdk(input)).toBe(zlibOracle(input)); // uncapped: exactly zlib's decision and bytes
    if (how === 'ok' && data.length <= cap) expect(out).toBe(Buffer.from(data).toString('hex'));
    if (how === 'cap' && data.length > cap) expect(out).toBe('too-large');
  }), { numRuns: 150 });
});

describe('output cap', () => {
  test('a dynamic-block bomb (4 MiB of zeros) and a stored-block bomb stop at the cap, quickly', () => {
    const dynamicBomb = deflateRawSync(new Uint8Array(4 << 20), { level: 9 });
    const storedBomb = deflateRawSync(new Uint8Array(200_000).map((_, i) => (i * 7919) & 0xff), { level: 0 });
    for (const bomb of [dynamicBomb, storedBomb]) {
      const t0 = performance.now();
      expect(inflateRaw(bomb, 4096)).toBe('too-large');
      expect(performance.now() - t0).toBeLessThan(50);
    }
  });

  test('exactly the cap is accepted, one byte more is too large, and nothing is ever written at or past the cap', () => {
    fc.assert(fc.property(input, fc.integer({ min: 0, max: 9 }), fc.constantFrom(...STRATEGIES), fc.nat(50), (data, level, strategy, slack) => {
      fc.pre(data.length > 0);
      const d = deflateRawSync(data, { level, strategy });
      expect(sdk(d, data.length)).toBe(Buffer.from(data).toString('hex'));
      expect(sdk(d, data.length - 1)).toBe('too-large');
      const cap = Math.max(0, data.length - 1 - slack);
      const out = new Uint8Array(cap + 64).fill(0xa5);
      expect(inflateRawInto(d, out, cap)).toBe(INFLATE_TOO_LARGE);
      expect(out.subarray(cap).every((b) => b === 0xa5)).toBe(true);
    }), { numRuns: 300 });
    expect(inflateRawInto(Buffer.from('07', 'hex'), new Uint8Array(8))).toBe(INFLATE_INVALID);
  });

  test('the returned bytes are a copy: a later call does not change them', () => {
    const a = inflateRaw(deflateRawSync(Buffer.from('first')), 4096) as Uint8Array;
    inflateRaw(deflateRawSync(Buffer.from('second call')), 4096);
    expect(Buffer.from(a).toString()).toBe('first');
  });
});

describe('preset dictionary (the QR format preloads the window with QR_DICTIONARY)', () => {
  const viaView = (d: Uint8Array, dictionary: Uint8Array, cap = 4096): string => outcome(inflateRawView(d, cap, dictionary));
  const dictionaries = fc.oneof(fc.constant(QR_DICTIONARY), fc.uint8Array({ minLength: 1, maxLength: 600 }), textLike.map((b) => b.subarray(0, 800)));

  test('streams compressed with a dictionary inflate to the input, as zlib does; a wrong or missing dictionary does not', () => {
    fc.assert(fc.property(input, dictionaries, fc.integer({ min: 1, max: 9 }), fc.constantFrom(...STRATEGIES), (data, dictionary, level, strategy) => {
      const d = deflateRawSync(data, { level, strategy, dictionary });
      const want = Buffer.from(data).toString('hex');
      expect(zlibOracle(d, dictionary)).toBe(want);
      expect(inflateRaw(d, BIG, dictionary) as Uint8Array).toEqual(new Uint8Array(data));
      if (data.length <= 4096) expect(viaView(d, dictionary)).toBe(want);
      // Without the dictionary: zlib and the SDK agree (a match into the missing history is refused by both).
      expect(sdk(d)).toBe(zlibOracle(d));
    }), { numRuns: 300 });
  });

  test('damaged streams with a dictionary: the same decision and bytes as zlib', () => {
    fc.assert(fc.property(textLike, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (data, where) => {
      const d = Buffer.from(deflateRawSync(data, { level: 9, dictionary: QR_DICTIONARY }));
      for (const w of where) d[Math.floor(w / 8) % d.length]! ^= 1 << (w % 8);
      expect(sdk(d, BIG, QR_DICTIONARY)).toBe(zlibOracle(d, QR_DICTIONARY));
    }), { numRuns: 1000 });
  });

  test('a stream that never reaches into the dictionary decodes the same with or without it', () => {
    fc.assert(fc.property(input, (data) => {
      const d = deflateRawSync(data, { level: 9 });
      expect(inflateRaw(d, BIG, QR_DICTIONARY)).toEqual(inflateRaw(d, BIG));
    }), { numRuns: 200 });
  });

  test('a match reaching before the start of the dictionary is invalid; the cap counts output only', () => {
    const history = Buffer.concat([Buffer.from('X'.repeat(64)), Buffer.alloc(400)]);
    const far = deflateRawSync(Buffer.from('X'.repeat(40)), { level: 9, dictionary: history }); // distance > 400
    expect(zlibOracle(far, history)).toBe(Buffer.from('X'.repeat(40)).toString('hex'));
    expect(inflateRaw(far, BIG, history.subarray(64))).toBe('invalid');
    expect(viaView(far, history.subarray(64))).toBe('invalid');
    const d = deflateRawSync(Buffer.from(QR_DICTIONARY_TEXT), { level: 9, dictionary: QR_DICTIONARY });
    expect(d.length).toBeLessThanOrEqual(10); // two long matches into the history (a match is at most 258 bytes)
    expect(viaView(d, QR_DICTIONARY, QR_DICTIONARY.length)).toBe(Buffer.from(QR_DICTIONARY).toString('hex'));
    expect(viaView(d, QR_DICTIONARY, QR_DICTIONARY.length - 1)).toBe('too-large');
    expect(inflateRaw(d, QR_DICTIONARY.length - 1, QR_DICTIONARY)).toBe('too-large');
    expect(() => inflateRaw(d, 10, new Uint8Array(32 * 1024 + 1))).toThrow(RangeError);
  });

  test('the view keeps the dictionary intact across calls with other dictionaries or none', () => {
    const a = deflateRawSync(Buffer.from('{"iss":"gd-health-code","jti":"x"}'), { dictionary: QR_DICTIONARY });
    const want = Buffer.from('{"iss":"gd-health-code","jti":"x"}').toString('hex');
    expect(viaView(a, QR_DICTIONARY)).toBe(want);
    expect(viaView(deflateRawSync(Buffer.from('zzzz'.repeat(200))), new Uint8Array(0))).toBe(Buffer.from('zzzz'.repeat(200)).toString('hex'));
    expect(viaView(deflateRawSync(Buffer.from('abc'), { dictionary: Buffer.from('q'.repeat(500)) }), Buffer.from('q'.repeat(500)))).toBe(Buffer.from('abc').toString('hex'));
    expect(viaView(a, QR_DICTIONARY)).toBe(want);
  });
});
