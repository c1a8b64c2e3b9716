/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document (the subset zod emits: type, const, enum,
 * pattern, format uuid, min/max length, minimum/maximum, items, min/max items, properties, required,
 * additionalProperties, propertyNames, maxProperties, anyOf/oneOf). `validOf` draws values the schema accepts,
 * boundary values included (lengths, sizes and ranges at their limits); `invalidOf` draws values that break the
 * schema in one place (a wrong type, one past a limit, a pattern missed, a member missing or unknown).
 */
import fc from 'fast-check';

export type JsonSchema = Record<string, unknown>;

export interface ArbitraryOptions {
  /** Live values worth trying for members and parameters of a given name (issuer ids, kids, …), besides generated ones. */
  known?: Readonly<Record<string, readonly unknown[]>>;
  /** Largest array drawn for a valid value (a bulk of 10,000 credentials is a benchmark, not a fuzz case). */
  maxItems?: number;
}

const DEFAULT_MAX_ITEMS = 8;
/** Values of every JSON type: a wrong type is drawn from those the schema does not allow. */
const ANY_TYPE: ReadonlyArray<[string, unknown]> = [
  ['null', null], ['boolean', true], ['integer', 0], ['number', -1.5], ['string', ''], ['string', 'x'], ['array', []], ['object', {}],
];

function num(schema: JsonSchema, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' ? v : undefined;
}

function typesOf(schema: JsonSchema): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return t === 'integer' ? ['integer'] : t === 'number' ? ['number', 'integer'] : [t];
  if ('const' in schema || 'enum' in schema) return ['string', 'number', 'integer', 'boolean', 'null'];
  return [];
}

function lengthOk(schema: JsonSchema, s: string): boolean {
  return s.length >= (num(schema, 'minLength') ?? 0) && s.length <= (num(schema, 'maxLength') ?? Infinity);
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const min = num(schema, 'minLength') ?? 0;
  const max = num(schema, 'maxLength');
  if (schema['format'] === 'uuid') return fc.uuid();
  const pattern = typeof schema['pattern'] === 'string' ? new RegExp(schema['pattern']) : undefined;
  if (pattern) {
    const matching = fc.stringMatching(pattern, max !== undefined ? { size: max > 64 ? 'medium' : 'small' } : {}).filter((s) => lengthOk(schema, s));
    return max !== undefined && max > 64
      // Long patterned strings (QR texts, JWSs) at their length limit too.
      ? fc.oneof({ arbitrary: matching, weight: 4 }, {
        arbitrary: matching.map((s) => {
          const long = s.repeat(Math.ceil(max / Math.max(1, s.length))).slice(0, max);
          return pattern.test(long) ? long : s;
        }),
        weight: 1,
      })
      : matching;
  }
  const cap = Math.min(max ?? 40, 300);
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: cap }).filter((s) => lengthOk(schema, s)), weight: 4 },
    { arbitrary: fc.string({ minLength: min, maxLength: min }), weight: 1 },
    { arbitrary: fc.string({ minLength: cap, maxLength: cap }).filter((s) => lengthOk(schema, s)), weight: 1 },
  );
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = num(schema, 'minimum') ?? (num(schema, 'exclusiveMinimum') !== undefined ? (num(schema, 'exclusiveMinimum') as number) + 1 : undefined);
  const max = num(schema, 'maximum') ?? (num(schema, 'exclusiveMaximum') !== undefined ? (num(schema, 'exclusiveMaximum') as number) - 1 : undefined);
  const lo = min ?? (integer ? -(2 ** 31) : -1e9);
  const hi = max ?? (integer ? 2 ** 31 : 1e9);
  const body = integer ? fc.integer({ min: Math.max(lo, Number.MIN_SAFE_INTEGER), max: Math.min(hi, Number.MAX_SAFE_INTEGER) }) : fc.double({ min: lo, max: hi, noNaN: true });
  return fc.oneof({ arbitrary: body, weight: 3 }, { arbitrary: fc.constantFrom(lo, hi), weight: 1 });
}

function objectOf(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<Record<string, unknown>> {
  const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const fixed = fc.record(
    Object.fromEntries(Object.entries(props).map(([name, s]) => [name, validOf(s, options, name)])),
    { requiredKeys: [...required].filter((k) => k in props) },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const extra = schema['additionalProperties'];
  if (extra === undefined || extra === false || Object.keys(props).length > 0) return fixed;
  // A record: keys from `propertyNames`, values from `additionalProperties`.
  const keys = schema['propertyNames'] ? (stringOf(schema['propertyNames'] as JsonSchema).filter((k) => k !== '__proto__')) : fc.string({ maxLength: 16 });
  const values = extra === true ? fc.jsonValue({ maxDepth: 1 }) : validOf(extra as JsonSchema, options);
  return fc.dictionary(keys, values, { maxKeys: Math.min(num(schema, 'maxProperties') ?? 4, 4) });
}

/** Values `schema` accepts; `name` is the member or parameter the value is for (to mix in known live values). */
export function validOf(schema: JsonSchema, options: ArbitraryOptions = {}, name?: string): fc.Arbitrary<unknown> {
  const generated = validOfSchema(schema, options, name);
  // An array's known values are its items' (`qrs`: QR texts).
  const known = name !== undefined && schema['type'] !== 'array' ? options.known?.[name] : undefined;
  return known && known.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 2 }, { arbitrary: generated, weight: 1 }) : generated;
}

function validOfSchema(schema: JsonSchema, options: ArbitraryOptions, name: string | undefined): fc.Arbitrary<unknown> {
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (variants) return fc.oneof(...variants.map((v) => validOf(v, options)));
  if ('const' in schema) return fc.constant(schema['const']);
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  switch (schema['type']) {
    case 'string': return stringOf(schema);
    case 'integer': return numberOf(schema, true);
    case 'number': return numberOf(schema, false);
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const min = num(schema, 'minItems') ?? 0;
      const max = Math.max(min, Math.min(num(schema, 'maxItems') ?? Infinity, options.maxItems ?? DEFAULT_MAX_ITEMS));
      return fc.array(validOf((schema['items'] ?? {}) as JsonSchema, options, name), { minLength: min, maxLength: max });
    }
    case 'object': return objectOf(schema, options);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values `schema` refuses, each broken in one place (at this level or in one member or item). */
export function invalidOf(schema: JsonSchema, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const allowed = typesOf(schema);
  const breaks: fc.Arbitrary<unknown>[] = [];
  if (allowed.length > 0) {
    const others = ANY_TYPE.filter(([t]) => !allowed.includes(t)).map(([, v]) => v);
    if (others.length > 0) breaks.push(fc.constantFrom(...others));
  }
  if (Array.isArray(schema['enum']) || 'const' in schema) breaks.push(fc.string({ maxLength: 12 }).filter((s) => !((schema['enum'] as unknown[] | undefined) ?? [schema['const']]).includes(s)));
  switch (schema['type']) {
    case 'string': {
      const min = num(schema, 'minLength');
      const max = num(schema, 'maxLength');
      if (min !== undefined && min > 0) breaks.push(fc.string({ maxLength: min - 1 }));
      if (max !== undefined) breaks.push(fc.constant('A'.repeat(max + 1)));
      if (typeof schema['pattern'] === 'string') {
        const re = new RegExp(schema['pattern']);
        breaks.push(fc.string({ unit: 'grapheme', maxLength: 24 }).filter((s) => !re.test(s)));
      }
      if (schema['format'] === 'uuid') breaks.push(fc.string({ maxLength: 36 }).filter((s) => !/^[0-9a-f]{8}-/.test(s)));
      break;
    }
    case 'integer':
    case 'number': {
      const min = num(schema, 'minimum');
      const max = num(schema, 'maximum');
      if (min !== undefined) breaks.push(fc.constantFrom(min - 1, min - 0.5));
      if (max !== undefined) breaks.push(fc.constantFrom(max + 1, max + 0.5, 1e300));
      if (schema['type'] === 'integer') breaks.push(fc.constantFrom(0.5, 1.25));
      break;
    }
    case 'array': {
      const item = (schema['items'] ?? {}) as JsonSchema;
      const max = num(schema, 'maxItems');
      const min = num(schema, 'minItems');
      if (max !== undefined) breaks.push(validOf(item, options).map((v) => Array.from({ length: max + 1 }, () => v)));
      if (min !== undefined && min > 0) breaks.push(fc.constant([]));
      if (Object.keys(item).length > 0) breaks.push(fc.tuple(invalidOf(item, options), fc.array(validOf(item, options), { maxLength: 2 })).map(([bad, good]) => [...good, bad]));
      break;
    }
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      const required = ((schema['required'] ?? []) as string[]).filter((k) => k in props);
      const whole = objectOf(schema, options);
      if (required.length > 0) breaks.push(fc.tuple(whole, fc.constantFrom(...required)).map(([o, k]) => { const c = { ...o }; delete c[k]; return c; }));
      if (schema['additionalProperties'] === false) breaks.push(fc.tuple(whole, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in props) && k !== '__proto__')).map(([o, k]) => ({ ...o, [k]: 1 })));
      const names = Object.keys(props);
      if (names.length > 0) {
        breaks.push(fc.constantFrom(...names).chain((k) => fc.tuple(whole, invalidOf(props[k] as JsonSchema, options)).map(([o, bad]) => ({ ...o, [k]: bad }))));
      }
      const maxProps = num(schema, 'maxProperties');
      if (maxProps !== undefined && schema['propertyNames']) {
        breaks.push(fc.uniqueArray(stringOf(schema['propertyNames'] as JsonSchema), { minLength: maxProps + 1, maxLength: maxProps + 1 })
          .chain((keys) => fc.tuple(...keys.map(() => validOf((schema['additionalProperties'] ?? {}) as JsonSchema, options))).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]])))));
      }
      break;
    }
    default:
      break;
  }
  if (breaks.length === 0) return fc.constant(undefined);
  return fc.oneof(...breaks);
}
