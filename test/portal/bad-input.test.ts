/**
 * Bad input: for every route that takes input, at least 50 generated invalid
 * bodies / params / queries (fast-check) must get a 4xx with {code, message},
 * never a 5xx or a dropped connection. One portal instance for all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { call, signIn, startTestPortal, demoId } from './helpers';

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[] };
interface Op { method: string; path: string; body?: JsonSchema; query: string[]; params: string[] }

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let token = '';
let ops: Op[] = [];

beforeAll(async () => {
  portal = await startTestPortal();
  token = await signIn(portal.url, 'orgHead');
  const doc = (await call(portal.url, 'GET', '/openapi.json')).json as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { in: string; name: string }[] }>>;
  };
  ops = Object.entries(doc.paths).flatMap(([p, ms]) =>
    Object.entries(ms).map(([m, op]) => ({
      method: m.toUpperCase(),
      path: p,
      body: op.requestBody?.content['application/json']?.schema,
      query: (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name),
      params: (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name),
    })),
  );
});
afterAll(async () => portal.cleanup());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A valid value for each path parameter, so only the part under test is wrong. */
const validParam = (name: string): string =>
  ({ orgId: demoId('org', 'organizer'), userId: demoId('user', 'secretary'), recordType: 'organization', recordId: demoId('org', 'organizer'), categoryId: demoId('aki_category', 'pipes') })[name] ??
  '0190f0e2-0000-7000-8000-000000000000';

const wrongType = (t: string | undefined) =>
  fc.oneof(
    ...(t !== 'string' ? [fc.string()] : []),
    ...(t !== 'number' && t !== 'integer' ? [fc.double({ noNaN: true, noDefaultInfinity: true })] : []),
    ...(t !== 'boolean' ? [fc.boolean()] : []),
    ...(t !== 'array' ? [fc.array(fc.integer(), { maxLength: 3 })] : []),
    fc.constant(null),
  );

/** Bodies that cannot satisfy the schema: not an object, an unknown key (all bodies are strict), a wrong-typed field, or broken JSON. */
function invalidBody(schema: JsonSchema): fc.Arbitrary<{ raw: string }> {
  const props = Object.keys(schema.properties ?? {});
  const notObject = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 4 })).map((v) => JSON.stringify(v));
  const extraKey = fc
    .tuple(fc.dictionary(fc.constantFrom(...(props.length ? props : ['x'])), fc.jsonValue(), { maxKeys: 3 }), fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !props.includes(k) && k !== '__proto__'), fc.jsonValue())
    .map(([base, k, v]) => JSON.stringify({ ...base, [k]: v }));
  const wrongField = props.length
    ? fc.constantFrom(...props).chain((p) => wrongType(schema.properties![p]!.type).map((v) => JSON.stringify({ [p]: v })))
    : extraKey;
  const broken = fc.string().map((s) => `{${s}`);
  return fc.oneof(notObject, extraKey, wrongField, broken).map((raw) => ({ raw }));
}

function invalidParam(): fc.Arbitrary<string> {
  return fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !UUID.test(s) && s !== 'organization' && s !== 'user' && s.trim() !== '' && s !== '.' && s !== '..');
}

describe('bad input never crashes the portal', () => {
  it('every route with input answers ≥ 50 invalid requests with 4xx {code, message}', async () => {
    const tested: string[] = [];
    for (const op of ops) {
      if (!op.body && op.query.length === 0 && op.params.length === 0 && op.method === 'GET') continue; // nothing to get wrong
      // 50 runs for each kind of input the route takes: bodies, path parameters, query strings.
      const kinds = [op.body || op.method !== 'GET' ? 'body' : null, op.params.length ? 'param' : null, op.query.length ? 'query' : null].filter((x): x is string => x !== null);
      for (const which of kinds) {
        const arb = fc.record({
          which: fc.constant(which),
          body: invalidBody(op.body ?? { properties: {} }),
          param: invalidParam(),
          paramIndex: fc.nat(),
          queryExtra: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 3 }),
        });
        await fc.assert(
          fc.asyncProperty(arb, async (c) => {
            const params = Object.fromEntries(op.params.map((n) => [n, validParam(n)]));
            if (c.which === 'param') params[op.params[c.paramIndex % op.params.length]!] = c.param;
            const url = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k]!));
            const query: Record<string, string> = {};
            if (op.query.includes('q')) query.q = 'ива';
            if (op.query.includes('offset')) query.offset = '0';
            // GET /verify/{serial} (issue 9) answers browsers with an HTML page; its JSON form carries the envelope.
            if (op.query.includes('format')) query.format = 'json';
            if (c.which === 'query') {
              for (const [k, v] of Object.entries(c.queryExtra)) query[op.query.includes(k) ? k : `${k}_x`] = op.query.includes(k) ? `${v}\u0000bad` : v;
            }
            const sendBody = c.which === 'body' || (op.body && op.method !== 'GET');
            const r = await call(portal.url, op.method, url, { token, query, ...(sendBody ? { body: c.which === 'body' ? c.body.raw : '{"__invalid__":true}' } : {}) });
            const ok = r.status >= 400 && r.status < 500 && typeof r.json?.code === 'string' && typeof r.json?.message === 'string';
            if (!ok) throw new Error(`${op.method} ${op.path} (${c.which}) → ${r.status} ${r.bytes.toString('utf8').slice(0, 300)}`);
          }),
          { numRuns: 50 },
        );
        tested.push(`${op.method} ${op.path} (${which})`);
      }
    }
    expect(new Set(tested.map((t) => t.replace(/ \(\w+\)$/, ''))).size).toBeGreaterThanOrEqual(18);
    expect(tested.length).toBeGreaterThanOrEqual(25);
    // The portal is still alive afterwards.
    expect((await call(portal.url, 'GET', '/api/health')).status).toBe(200);
  });
});
