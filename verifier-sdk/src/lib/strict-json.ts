// RFC 8259 JSON with the restrictions of RFC 7515 §5.2 / RFC 7493 (I-JSON): duplicate member names are an error
// (JSON.parse silently keeps the last one, which lets two parsers disagree about a signed header).
import { MAX_JSON_DEPTH } from './limits.js';

export class JsonError extends Error {
  constructor(readonly duplicateKey: boolean, message: string) {
    super(message);
  }
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export function parseStrictJson(text: string): JsonValue {
  const p = { text, i: 0 };
  const v = value(p, 0);
  ws(p);
  if (p.i !== text.length) throw new JsonError(false, 'trailing characters');
  return v;
}

interface Cursor { text: string; i: number }

function ws(p: Cursor): void {
  for (;;) {
    const c = p.text.charCodeAt(p.i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p.i++;
    else return;
  }
}

function value(p: Cursor, depth: number): JsonValue {
  if (depth > MAX_JSON_DEPTH) throw new JsonError(false, 'too deep');
  ws(p);
  const c = p.text[p.i];
  if (c === '{') return object(p, depth);
  if (c === '[') {
    p.i++;
    const arr: JsonValue[] = [];
    ws(p);
    if (p.text[p.i] === ']') { p.i++; return arr; }
    for (;;) {
      arr.push(value(p, depth + 1));
      ws(p);
      const d = p.text[p.i++];
      if (d === ']') return arr;
      if (d !== ',') throw new JsonError(false, 'bad array');
    }
  }
  if (c === '"') return string(p);
  for (const [lit, v] of LITERALS) {
    if (p.text.startsWith(lit, p.i)) { p.i += lit.length; return v; }
  }
  const m = NUMBER.exec(p.text.slice(p.i, p.i + 40));
  if (!m) throw new JsonError(false, 'unexpected token');
  p.i += m[0].length;
  return Number(m[0]);
}

const LITERALS: ReadonlyArray<[string, JsonValue]> = [['true', true], ['false', false], ['null', null]];
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

function object(p: Cursor, depth: number): JsonValue {
  p.i++;
  const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
  ws(p);
  if (p.text[p.i] === '}') { p.i++; return out; }
  for (;;) {
    ws(p);
    if (p.text[p.i] !== '"') throw new JsonError(false, 'expected member name');
    const key = string(p);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new JsonError(true, 'duplicate member name');
    ws(p);
    if (p.text[p.i++] !== ':') throw new JsonError(false, 'expected colon');
    out[key] = value(p, depth + 1);
    ws(p);
    const d = p.text[p.i++];
    if (d === '}') return out;
    if (d !== ',') throw new JsonError(false, 'bad object');
  }
}

function string(p: Cursor): string {
  const start = p.i;
  p.i++;
  let escaped = false;
  for (;;) {
    const c = p.text.charCodeAt(p.i);
    if (Number.isNaN(c)) throw new JsonError(false, 'unterminated string');
    if (c < 0x20) throw new JsonError(false, 'control character in string');
    if (c === 0x5c) { p.i += 2; escaped = true; }
    else if (c === 0x22) { p.i++; break; }
    else p.i++;
  }
  if (!escaped) return p.text.slice(start + 1, p.i - 1);
  // The slice is a complete JSON string token; JSON.parse validates and decodes its escapes.
  try {
    return JSON.parse(p.text.slice(start, p.i)) as string;
  } catch {
    throw new JsonError(false, 'bad string escape');
  }
}
