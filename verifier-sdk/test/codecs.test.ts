// The table-driven codecs on the decode path against simple references: CRC-16 (two bytes per step) against the
// bitwise definition, Base45 decoding against the RFC 9285 arithmetic on any text, and the strict JSON parser
// against JSON.parse (same values; duplicates, depth and the number-length limit refused).
import fc from 'fast-check';
import { crc16 } from '../src/lib/crc16';
import { base45Decode, base45Encode } from '../src/lib/base45';
import { parseStrictJson, parseStrictJsonObject, JsonError } from '../src/lib/strict-json';
import { compactHeaderBytes, compactHeaderLength } from '../src/lib/envelope';
import { fromHex, toHex } from '../src/lib/hex';
import { base64urlDecode } from '../src/lib/base64url';
import { pooledBytes, poolMark, poolRelease } from '../src/lib/pool';

function crcBitwise(b: Uint8Array): number {
  let c = 0xffff;
  for (const x of b) {
    c ^= x << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

test('CRC-16/CCITT-FALSE: check value 0x29B1 and the bitwise definition for any bytes and end', () => {
  expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(), (b, cut) => {
    const end = b.length === 0 ? 0 : cut % (b.length + 1);
    expect(crc16(b, end)).toBe(crcBitwise(b.subarray(0, end)));
  }), { numRuns: 500 });
});

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
function base45Reference(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const digits = [...text.slice(i, i + 3)].map((ch) => ALPHABET.indexOf(ch));
    if (digits.some((d) => d < 0)) return null;
    const n = digits.reduce((acc, d, k) => acc + d * 45 ** k, 0);
    if (digits.length === 3) { if (n > 0xffff) return null; out.push(n >> 8, n & 0xff); } else { if (n > 0xff) return null; out.push(n); }
  }
  return Uint8Array.from(out);
}

test('Base45 decode = RFC 9285 arithmetic for any text (alphabet, near-alphabet, non-ASCII), with and without a prefix', () => {
  const near = fc.string({ unit: fc.constantFrom(...ALPHABET, 'a', 'z', '\u00c0', '\u0100', '\u4e2d', '\ud800', '\u0000'), maxLength: 60 });
  fc.assert(fc.property(fc.oneof(near, fc.string({ maxLength: 60 }), fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 90 })), (t) => {
    expect(base45Decode(t)).toEqual(base45Reference(t));
    expect(base45Decode(`HT1:${t}`, 4)).toEqual(base45Reference(t));
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
    expect(base45Decode(base45Encode(b))).toEqual(b);
  }));
});

test('Base45 decode with a CRC sink: the CRC-16 of all decoded bytes but the last two, in the same pass', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 700 }), fc.boolean(), (b, prefixed) => {
    const text = base45Encode(b);
    const sink = { crc: 12345 };
    const out = prefixed ? base45Decode(`HT1:${text}`, 4, sink) : base45Decode(text, 0, sink);
    expect(out).toEqual(b);
    expect(sink.crc).toBe(b.length < 2 ? -1 : crcBitwise(b.subarray(0, b.length - 2)));
  }), { numRuns: 700 });
  const sink = { crc: 7 };
  expect(base45Decode('GGW', 0, sink)).toBeNull(); // 'GGW' = 65536 + … overflows
});

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

test('strict JSON = JSON.parse on valid JSON without duplicates (numbers, escapes, nesting ≤ 8, whitespace)', () => {
  const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null), fc.constantFrom('陈*明', '\u2028', '"\\/\b\f\n\r\t'));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 5 }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 })),
  }));
  fc.assert(fc.property(value, fc.constantFrom(0, 2), (v, indent) => {
    const text = JSON.stringify(v, null, indent);
    expect(plain(parseStrictJson(text))).toEqual(JSON.parse(text));
  }), { numRuns: 800 });
  for (const t of ['-0', '0', '1e5', '-12.5E-3', '123456789012345', '1234567890123456789', '"\\u0041\\ud83d\\ude00"', ' [ 1 , {"a" : [] } ] ']) {
    expect(plain(parseStrictJson(t))).toEqual(plain(JSON.parse(t)));
  }
  expect(Object.is(parseStrictJson('-0'), -0)).toBe(true);
});

test('strict JSON refuses duplicates (also spelled with escapes, also __proto__), bad tokens, deep nesting and 41-char numbers', () => {
  const dup = (t: string): boolean => { try { parseStrictJson(t); return false; } catch (e) { return e instanceof JsonError && e.duplicateKey; } };
  expect(dup('{"a":1,"a":2}')).toBe(true);
  expect(dup('{"a":1,"\\u0061":2}')).toBe(true);
  expect(dup('{"__proto__":1,"__proto__":2}')).toBe(true);
  expect(dup('{"x":{"toString":1,"toString":null}}')).toBe(true);
  for (const bad of ['', '01', '1.', '.5', '-', '+1', '1e', 'tru', 'nul', '[1,]', '{"a":1,}', '{"a"1}', '"\u0001"', '"abc', '"\\x"', '[1] 2', 'NaN', '1'.repeat(41), `${'['.repeat(10)}${']'.repeat(10)}`]) {
    expect(() => parseStrictJson(bad)).toThrow(JsonError);
  }
  expect(parseStrictJson('1'.repeat(40))).toBe(Number('1'.repeat(40)));
  // Depth is the container's own (the outermost is 1): 8 nested arrays or objects are read, a 9th is refused even empty.
  for (const [open, close] of [['[', ']'], ['{"a":', '}']] as const) {
    const nest = (n: number, inner: string): string => `${open.repeat(n)}${inner}${close.repeat(n)}`;
    expect(plain(parseStrictJson(nest(8, '1')))).toEqual(JSON.parse(nest(8, '1')));
    expect(plain(parseStrictJson(nest(7, '[]')))).toEqual(JSON.parse(nest(7, '[]')));
    expect(() => parseStrictJson(nest(8, '[]'))).toThrow(JsonError);
    expect(() => parseStrictJson(nest(8, '{}'))).toThrow(JsonError);
    expect(() => parseStrictJson(nest(9, '1'))).toThrow(JsonError);
  }
  const o = parseStrictJson('{"__proto__":{"polluted":1},"toString":2}') as Record<string, unknown>;
  expect(Object.keys(o)).toEqual(['__proto__', 'toString']);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((parseStrictJson('{}') as Record<string, unknown>).hasOwnProperty).toBeUndefined();
});

test('strict JSON: any other defect outranks a duplicate name, wherever each stands; an object is required before duplicates count', () => {
  const kind = (t: string, parse: (t: string) => unknown = parseStrictJson): string => {
    try { parse(t); return 'ok'; } catch (e) { return e instanceof JsonError && e.duplicateKey ? 'duplicate' : 'syntax'; }
  };
  expect(kind('{"a":1,"a":2}')).toBe('duplicate');
  expect(kind('{"a":1,"a":2,}')).toBe('syntax');
  expect(kind('{"a":1,"a":2} x')).toBe('syntax');
  expect(kind(`{"a":1,"a":${'['.repeat(8)}${']'.repeat(8)}}`)).toBe('syntax');
  expect(kind(String.raw`{"a":1,"a":"\ud800"}`)).toBe('syntax');
  expect(kind('{"a":1,"a":1e400}')).toBe('syntax');
  expect(kind('{"a":"x","b":1,"b":2,"c":tru}')).toBe('syntax');
  expect(kind('[{"a":1,"a":2}]')).toBe('duplicate');
  expect(kind('[{"a":1,"a":2}]', parseStrictJsonObject)).toBe('syntax');
  expect(kind('{"a":[{"b":1,"b":2}]}', parseStrictJsonObject)).toBe('duplicate');
  expect(kind('"x"', parseStrictJsonObject)).toBe('syntax');
  expect(plain(parseStrictJsonObject('{"a":[1]}'))).toEqual({ a: [1] });
});

test("a compact header's length is known from its kid bytes: it equals the length of the bytes it stands for", () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 64 }), fc.constantFrom('ES256', 'EdDSA'), (kid, alg) => {
    expect(compactHeaderLength(new TextEncoder().encode(kid))).toBe(compactHeaderBytes(alg, kid).length);
  }), { numRuns: 500 });
  for (let c = 0; c < 128; c++) {
    const kid = String.fromCharCode(c);
    expect(compactHeaderLength(new TextEncoder().encode(kid))).toBe(compactHeaderBytes('ES256', kid).length);
  }
});

test('strict JSON refuses what docs/protocol.md rules out beyond RFC 8259: a BOM, numbers past a double, unpaired surrogates', () => {
  for (const bad of ['\ufeff{}', '{}\ufeff', '{"a":\ufeff1}', '1e400', '-1e400', '{"dose":1E+309}', '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"a\\ud83d"', '{"\\udfff":1}']) {
    expect(() => parseStrictJson(bad)).toThrow(JsonError);
  }
  expect(parseStrictJson('1e308')).toBe(1e308);
  expect(parseStrictJson('1e-400')).toBe(0);
  expect(parseStrictJson('"\\ud83d\\ude00 \u{1f600}"')).toBe('\u{1f600} \u{1f600}');
});

test('strict JSON reports whether every member of an object is a string, number or boolean', () => {
  const shape = { scalarMembers: false };
  const scalar = (t: string): boolean => { parseStrictJson(t, shape); return shape.scalarMembers; };
  expect(scalar('{"a":1,"b":"x","c":true,"d":false,"e":-0.5}')).toBe(true);
  expect(scalar('{}')).toBe(true);
  for (const t of ['{"a":null}', '{"a":[]}', '{"a":{}}', '{"a":1,"b":{"c":1}}', '[1]', '"x"', '1', 'null']) expect(scalar(t)).toBe(false);
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 3 }, fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 3 })),
  })).value;
  fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 6 }), (o) => {
    const expected = Object.values(o).every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
    expect(scalar(JSON.stringify(o))).toBe(expected);
  }), { numRuns: 300 });
});

test('hex: lower-case only, byte-exact against Buffer; anything else refused', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const hex = Buffer.from(bytes).toString('hex');
      expect(fromHex(hex)).toEqual(new Uint8Array(bytes));
      expect(toHex(bytes)).toBe(hex);
    }),
  );
  for (const bad of ['A0', '0', 'zz', '0g', ' 00', '００', 'ab\u0100c']) expect(fromHex(bad)).toBeNull();
});

test('base64url decode: canonical unpadded strings decode as Buffer does; padding, foreign characters and non-zero trailing bits refused', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
      const s = Buffer.from(bytes).toString('base64url');
      expect(base64urlDecode(s)).toEqual(new Uint8Array(bytes));
    }),
  );
  for (const bad of ['AA==', 'A', 'AB', 'A+B/', 'AAA\u00e9', 'AAAAA']) expect(base64urlDecode(bad)).toBeNull();
});

test('pool: released bytes come back zeroed and are reused; a release after a new slab started is a no-op', () => {
  const mark = poolMark();
  const a = pooledBytes(100);
  a.fill(0xee);
  poolRelease(mark);
  expect(a.every((b) => b === 0)).toBe(true); // the caller promised to keep no view: shown here only to test zeroing
  const b = pooledBytes(100);
  expect(b.byteOffset).toBe(a.byteOffset);
  expect(b.buffer).toBe(a.buffer);
  expect(b.every((x) => x === 0)).toBe(true);
  const old = poolMark();
  for (let k = 0; k < 20; k++) pooledBytes(4000); // crosses into a new slab
  const c = pooledBytes(8);
  poolRelease(old);
  expect(pooledBytes(8).byteOffset).toBe(c.byteOffset + 8);
});
