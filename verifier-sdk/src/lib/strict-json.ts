// RFC 8259 JSON with the restrictions of RFC 7515 §5.2 / RFC 7493 (I-JSON): duplicate member names are an error
// (JSON.parse silently keeps the last one, which lets two parsers disagree about a signed header).
import { MAX_JSON_DEPTH } from './limits.js';

export class JsonError extends Error {
  constructor(readonly duplicateKey: boolean, message: string) {
    super(message);
  }
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** What a parse found out besides the value, written into an object the caller already has (no allocation). */
export interface JsonShape {
  /** The value is an object whose every member is a string, number or boolean (no object, array or null). */
  scalarMembers: boolean;
}

/**
 * Parses one JSON text. Besides RFC 8259 and the duplicate rule: no byte-order mark (U+FEFF is not white space),
 * arrays and objects nested at most MAX_JSON_DEPTH deep (the outermost one is at depth 1), number tokens of at most
 * MAX_NUMBER_CHARS characters that denote a finite double, and strings that are well-formed Unicode (no escape leaves
 * a surrogate unpaired). Any of those defects outranks a duplicate name wherever the two stand in the text
 * (docs/protocol.md §5.7): the duplicate is reported (JsonError with `duplicateKey`) only for a text that is
 * otherwise valid.
 */
export function parseStrictJson(text: string, shape?: JsonShape): JsonValue {
  return parse(text, shape, false);
}

/** As parseStrictJson, for a text that must be an object: any other value is a (non-duplicate) JsonError, which also outranks a duplicate. */
export function parseStrictJsonObject(text: string, shape?: JsonShape): { [k: string]: JsonValue } {
  return parse(text, shape, true) as { [k: string]: JsonValue };
}

function parse(text: string, shape: JsonShape | undefined, objectOnly: boolean): JsonValue {
  const p = new Cursor(text);
  const v = value(p, 0);
  ws(p);
  if (p.i !== text.length) throw new JsonError(false, 'trailing characters');
  const isObject = typeof v === 'object' && v !== null && !Array.isArray(v);
  if (objectOnly && !isObject) throw new JsonError(false, 'not an object');
  if (p.duplicate) throw new JsonError(true, 'duplicate member name');
  if (shape) shape.scalarMembers = p.scalarMembers && isObject;
  return v;
}

class Cursor {
  i = 0;
  /** No member of the top-level object has an object, array or null value (so far). */
  scalarMembers = true;
  /** Some object named a member twice; reported once the whole text has parsed. */
  duplicate = false;
  constructor(readonly text: string) {}
}

// Character codes.
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, MINUS = 0x2d, DOT = 0x2e;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Longest number token accepted (the token is refused, not truncated). */
const MAX_NUMBER_CHARS = 40;

function ws(p: Cursor): void {
  const t = p.text;
  let i = p.i;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else break;
  }
  p.i = i;
}

/** A value inside `depth` arrays/objects: an array or object there has nesting depth `depth + 1`. */
function value(p: Cursor, depth: number): JsonValue {
  ws(p);
  const t = p.text;
  const c = t.charCodeAt(p.i);
  if (c === QUOTE) return string(p);
  // An array or object deeper than the limit is refused even when empty: the depth is the container's own.
  if ((c === LBRACE || c === LBRACKET) && depth >= MAX_JSON_DEPTH) throw new JsonError(false, 'too deep');
  if (c === LBRACE) return object(p, depth);
  if (c === LBRACKET) {
    p.i++;
    const arr: JsonValue[] = [];
    ws(p);
    if (t.charCodeAt(p.i) === RBRACKET) { p.i++; return arr; }
    for (;;) {
      arr.push(value(p, depth + 1));
      ws(p);
      const d = t.charCodeAt(p.i++);
      if (d === RBRACKET) return arr;
      if (d !== COMMA) throw new JsonError(false, 'bad array');
    }
  }
  if (c === 0x74 && t.startsWith('true', p.i)) { p.i += 4; return true; }
  if (c === 0x66 && t.startsWith('false', p.i)) { p.i += 5; return false; }
  if (c === 0x6e && t.startsWith('null', p.i)) { p.i += 4; return null; }
  return number(p);
}

/** RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? — what follows is the caller's business. */
function number(p: Cursor): number {
  const t = p.text;
  const start = p.i;
  let i = start;
  let c = t.charCodeAt(i);
  if (c === MINUS) c = t.charCodeAt(++i);
  if (c === 0x30) c = t.charCodeAt(++i);
  else if (c >= 0x31 && c <= 0x39) { do c = t.charCodeAt(++i); while (isDigit(c)); }
  else throw new JsonError(false, 'unexpected token');
  let simple = true;
  if (c === DOT && isDigit(t.charCodeAt(i + 1))) {
    simple = false;
    i++;
    do c = t.charCodeAt(++i); while (isDigit(c));
  }
  if (c === 0x65 || c === 0x45) {
    let j = i + 1;
    const s = t.charCodeAt(j);
    if (s === 0x2b || s === MINUS) j++;
    if (isDigit(t.charCodeAt(j))) {
      simple = false;
      i = j;
      do c = t.charCodeAt(++i); while (isDigit(c));
    }
  }
  if (i - start > MAX_NUMBER_CHARS) throw new JsonError(false, 'number too long');
  p.i = i;
  // Small integers (every timestamp) without a substring; anything else exactly as Number() reads it.
  if (simple && i - start <= 15) {
    let k = start, n = 0;
    const neg = t.charCodeAt(k) === MINUS;
    if (neg) k++;
    for (; k < i; k++) n = n * 10 + (t.charCodeAt(k) - 0x30);
    return neg ? -n : n;
  }
  const n = Number(t.slice(start, i));
  // 1e400 would become Infinity, which no JSON text can carry back out (I-JSON, RFC 7493 §2.2).
  if (n === Infinity || n === -Infinity) throw new JsonError(false, 'number out of range');
  return n;
}

// Parsed objects inherit from one frozen, empty, null-prototype object: no inherited members (so "__proto__" or
// "toString" are ordinary member names and `out[key] !== undefined` means "own member"), but unlike
// Object.create(null) they stay in V8's fast mode, where building them and reading claims is several times faster.
const NO_MEMBERS: object = Object.freeze(Object.create(null) as object);

// Member names of the credential header and claims. A name read from the text is a new string, and a keyed access
// with it is a megamorphic lookup (string table, then the object's map) on every member of every credential. Known
// names are recognised in the text instead and read and written as named properties below, whose inline caches
// see the same few object shapes every time. Indexed by the name's first character code: [name, id] pairs.
const KNOWN = ['alg', 'kid', 'typ', 'iss', 'jti', 'iat', 'nbf', 'exp', 'vct', 'st', 'sub', 'name', 'doc'] as const;
const KNOWN_BY_CHAR: (number[] | undefined)[] = [];
KNOWN.forEach((name, id) => { (KNOWN_BY_CHAR[name.charCodeAt(0)] ??= []).push(id); });

/** The id of the known member name whose token is at `p.i` (an opening quote), advancing past it; else -1. */
function knownName(p: Cursor): number {
  const t = p.text, i = p.i + 1;
  const ids = KNOWN_BY_CHAR[t.charCodeAt(i)];
  if (ids === undefined) return -1;
  for (let n = 0; n < ids.length; n++) {
    const name = KNOWN[ids[n]!]!, len = name.length;
    if (t.charCodeAt(i + len) !== QUOTE) continue;
    let k = 1;
    while (k < len && t.charCodeAt(i + k) === name.charCodeAt(k)) k++;
    if (k === len) {
      p.i = i + len + 1;
      return ids[n]!;
    }
  }
  return -1;
}

type Members = Record<string, JsonValue>;

/** `o[KNOWN[id]]`, as a named property load. */
function getKnown(o: Members, id: number): JsonValue | undefined {
  switch (id) {
    case 0: return o['alg'];
    case 1: return o['kid'];
    case 2: return o['typ'];
    case 3: return o['iss'];
    case 4: return o['jti'];
    case 5: return o['iat'];
    case 6: return o['nbf'];
    case 7: return o['exp'];
    case 8: return o['vct'];
    case 9: return o['st'];
    case 10: return o['sub'];
    case 11: return o['name'];
    default: return o['doc'];
  }
}

/** `o[KNOWN[id]] = v`, as a named property store. */
function setKnown(o: Members, id: number, v: JsonValue): void {
  switch (id) {
    case 0: o['alg'] = v; break;
    case 1: o['kid'] = v; break;
    case 2: o['typ'] = v; break;
    case 3: o['iss'] = v; break;
    case 4: o['jti'] = v; break;
    case 5: o['iat'] = v; break;
    case 6: o['nbf'] = v; break;
    case 7: o['exp'] = v; break;
    case 8: o['vct'] = v; break;
    case 9: o['st'] = v; break;
    case 10: o['sub'] = v; break;
    case 11: o['name'] = v; break;
    default: o['doc'] = v;
  }
}

function object(p: Cursor, depth: number): JsonValue {
  p.i++;
  const t = p.text;
  const out = Object.create(NO_MEMBERS) as Members;
  ws(p);
  if (t.charCodeAt(p.i) === RBRACE) { p.i++; return out; }
  for (;;) {
    ws(p);
    if (t.charCodeAt(p.i) !== QUOTE) throw new JsonError(false, 'expected member name');
    const id = knownName(p);
    const key = id < 0 ? string(p) : '';
    // Nothing inherited and no undefined values: a defined entry is an own member. The rest of the text is still
    // read: a syntax error after the duplicate outranks it.
    if ((id < 0 ? out[key] : getKnown(out, id)) !== undefined) p.duplicate = true;
    ws(p);
    if (t.charCodeAt(p.i++) !== COLON) throw new JsonError(false, 'expected colon');
    const v = value(p, depth + 1);
    if (depth === 0 && typeof v === 'object') p.scalarMembers = false; // null, an array or an object
    if (id < 0) out[key] = v;
    else setKnown(out, id, v);
    ws(p);
    const d = t.charCodeAt(p.i++);
    if (d === RBRACE) return out;
    if (d !== COMMA) throw new JsonError(false, 'bad object');
  }
}

function string(p: Cursor): string {
  const t = p.text;
  const start = p.i;
  let i = start + 1;
  let escaped = false;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === QUOTE) { i++; break; }
    if (c === BACKSLASH) { i += 2; escaped = true; continue; }
    if (c < 0x20 || c !== c) throw new JsonError(false, c !== c ? 'unterminated string' : 'control character in string');
    i++;
  }
  p.i = i;
  if (!escaped) return t.slice(start + 1, i - 1);
  // The slice is a complete JSON string token; JSON.parse validates and decodes its escapes.
  let s: string;
  try {
    s = JSON.parse(t.slice(start, i)) as string;
  } catch {
    throw new JsonError(false, 'bad string escape');
  }
  // Unescaped text came through a fatal UTF-8 decoder, so only an escape (\ud800) can leave a surrogate unpaired:
  // such a string has no UTF-8 form, and other JSON libraries would replace or refuse it.
  if (!wellFormed(s)) throw new JsonError(false, 'unpaired surrogate');
  return s;
}

function wellFormed(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false; // a low surrogate first
    const d = s.charCodeAt(++k);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
  }
  return true;
}
