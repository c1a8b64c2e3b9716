// Every route's path and query parameters as the gateway validates them (its zod schemas) equal what /openapi.json
// describes: the same names, the same required ones, the same enumerated values; and on the live gateway every
// documented value of an enumerated query parameter is accepted, an undocumented parameter refused.
import type { z } from 'zod';
import { allRoutes, type AppDeps } from '../../gateway/src/http/app';
import { call, startEmbeddedHarness, type EmbeddedHarness } from './harness';

let h: EmbeddedHarness;
let doc: { paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string; required: boolean; schema: { enum?: string[] } }> }>> };
beforeAll(async () => {
  h = await startEmbeddedHarness();
  doc = (await call('GET', `${h.url('macau')}/openapi.json`)).body;
});
afterAll(async () => h?.dispose());

type Shape = Record<string, z.ZodType>;
interface Def { type: string; options?: z.ZodType[]; values?: unknown[]; in?: z.ZodType }
const def = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** The objects a query or path schema accepts: the object itself, or each option of a union. */
function objectsOf(s: z.ZodType): Shape[] {
  const d = def(s);
  if (d.type === 'object') return [(s as unknown as { shape: Shape }).shape];
  if (d.type === 'union') return d.options!.flatMap(objectsOf);
  if (d.type === 'pipe') return objectsOf(d.in!);
  throw new Error(`unexpected parameter schema ${d.type}`);
}

/** What the schema accepts, parameter by parameter: required by every option?, and its constants if it is a discriminator. */
function accepted(s: z.ZodType | undefined): Map<string, { required: boolean; constants?: string[] }> {
  const out = new Map<string, { required: boolean; constants?: string[] }>();
  if (!s) return out;
  const objects = objectsOf(s);
  const names = new Set(objects.flatMap((o) => Object.keys(o)));
  for (const name of names) {
    const members = objects.map((o) => o[name]);
    const required = members.every((m) => m !== undefined && !m.safeParse(undefined).success);
    const literals = members.every((m) => m !== undefined && def(m).type === 'literal');
    out.set(name, { required, ...(literals ? { constants: members.flatMap((m) => def(m!).values as string[]) } : {}) });
  }
  return out;
}

// Route definitions need services only in their handlers, which this test never calls.
const routes = allRoutes(new Proxy({}, { get: () => ({}) }) as AppDeps);

test('every route with parameters: the OpenAPI parameters are exactly those its schemas accept', () => {
  let checked = 0;
  for (const r of routes) {
    const op = doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method];
    expect({ route: `${r.method} ${r.path}`, documented: op !== undefined }).toEqual({ route: `${r.method} ${r.path}`, documented: true });
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      const want = accepted(schema);
      const got = new Map(op!.parameters.filter((p) => p.in === where).map((p) => [p.name, { required: p.required, ...(p.schema.enum ? { constants: p.schema.enum } : {}) }]));
      expect({ route: `${r.method} ${r.path} (${where})`, parameters: Object.fromEntries(got) }).toEqual({ route: `${r.method} ${r.path} (${where})`, parameters: Object.fromEntries(want) });
      checked += want.size;
    }
  }
  expect(checked).toBeGreaterThan(10);
});

test('GET /v1/audit/history: `record` is required and lists every kind of record the route accepts', () => {
  const record = doc.paths['/v1/audit/history']!['get']!.parameters.find((p) => p.name === 'record')!;
  expect(record).toMatchObject({ in: 'query', required: true });
  expect([...record.schema.enum!].sort()).toEqual(['anchor', 'consortium', 'issuer', 'issuerKey', 'membership', 'recognition', 'revocation']);
});

test('on the live gateway, every documented record kind is accepted with its members, anything else refused', async () => {
  const members: Record<string, string> = {
    issuerId: 'gd-health-code', kid: 'gd-hc-2026-1', mspId: 'MacauMSP', credentialType: 'health-code', root: '0'.repeat(64), leafHash: '0'.repeat(64),
  };
  const history = routes.find((r) => r.path === '/v1/audit/history')!;
  const token = h.token('macau', 'auditor');
  for (const option of objectsOf(history.query!)) {
    const kind = (def(option['record']!).values as string[])[0]!;
    const q = new URLSearchParams({ record: kind, ...Object.fromEntries(Object.keys(option).filter((k) => k !== 'record').map((k) => [k, members[k]!])) });
    const r = await call('GET', `${h.url('macau')}/v1/audit/history?${q}`, { token });
    expect({ kind, answered: r.status === 200 || r.body?.code === 'RECORD_NOT_FOUND' }).toEqual({ kind, answered: true });
  }
  expect((await call('GET', `${h.url('macau')}/v1/audit/history?record=everything`, { token })).status).toBe(400);
  expect((await call('GET', `${h.url('macau')}/v1/audit/history?record=consortium&nope=1`, { token })).status).toBe(400);
  expect((await call('GET', `${h.url('macau')}/v1/audit/blocks?nope=1`, { token })).status).toBe(400);
});
