/**
 * Issue 15, text every layer can store, on a real portal over loopback:
 * - a poison mutation (lone surrogate or NUL in `employees.register`) is refused for that mutation
 *   alone with `invalid_text`; the next mutation of the batch applies; never a 500;
 * - fast-check strings with surrogates, NULs and controls in every string of every mutation of the
 *   registry (walked, so new mutations are covered): `invalid_text` for what cannot be stored, never
 *   a 500, the batch goes on; where state exists (competition texts, employee names over sync and
 *   REST) what is accepted is read back exactly as the schema parsed it;
 * - the body guard: every JSON route refuses a lone surrogate or NUL (keys included) with 400 `invalid_text`;
 * - the audit chain refuses unstorable text with an AppError, never a TypeError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { mutationRegistry } from '../../src-shared/sync/registry';
import { TEXT_FIELDS, readField, type CompetitionRecord } from '../../src-shared/competition/model';
import { SetFieldArgs } from '../../src-shared/competition/mutations';
import { RegisterEmployeeArgs } from '../../src-shared/accounts/employee-mutations';
import { RegisterEmployeeSchema } from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import { recordChange } from '../../src-portal/audit/audit';
import { hasLoneSurrogateOrNul, nastyText, textLeaves } from '../helpers/zod-text';
import { call, employees, freshIin, mut, ORG, pullAll, push, signIn, startTestPortal, uuid, type Mut } from './helpers';
import { directNegotiations } from '../competition/helpers';
import { postgresBin, sharedPostgres } from '../portal/postgres';

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let head = '';
let organizer = '';
let method: Awaited<ReturnType<typeof directNegotiations>>;

type Result = { id: string; status: 'applied' | 'rejected'; error?: { code: string; details?: unknown } };

const register = (fullName: string) => ({
  organizationId: ORG, membershipId: uuid(), iin: freshIin(), fullName, email: `e${uuid().slice(0, 8)}@example.kz`, preferredLanguage: 'ru', roles: ['organizer'],
});
const createCompetition = (names: { nameKk: string; nameRu: string; nameEn: string }, competitionId = uuid()) =>
  mut('competition.create', { competitionId, organizationId: ORG, method, ...names });

/** What a field's schema makes of the text (trimmed or not), or null when it refuses it. */
function parsedText(schema: z.ZodType, s: string): string | null {
  const r = schema.safeParse(s);
  return r.success ? (r.data as string) : null;
}
const refusesAsText = (schema: z.ZodType, s: string) => (schema.safeParse(s).error?.issues ?? []).some((i) => i.message === 'invalid_text');

// PostgreSQL refuses NUL in text where SQLite stores it: the poison batch, one fuzz round and the audit
// check also run there when the machine has PostgreSQL; the longer property runs stay on SQLite.
const BACKENDS = ['sqlite', ...(postgresBin ? ['postgres'] : [])] as const;
describe.each(BACKENDS)('text every layer can store (%s)', (backend) => {
  const full = backend === 'sqlite';
  // The property runs are declared on SQLite only (not skipped on PostgreSQL: `npm test` allows no skips).
  const itFull = (full ? it : () => undefined) as typeof it;
  beforeAll(async () => {
    const postgresUrl = full ? undefined : await (await sharedPostgres()).freshDb('text');
    portal = await startTestPortal(postgresUrl ? { postgresUrl } : {});
    head = await signIn(portal.url, 'orgHead');
    organizer = await signIn(portal.url, 'organizer');
    method = await directNegotiations(portal.url);
  }, 180_000);
  afterAll(async () => {
    await portal.cleanup();
  }, 180_000);

  it('a poison employees.register (lone surrogate, NUL, unstorable key) is refused alone; the next mutation applies; never 500', async () => {
    const poison = [
      mut('employees.register', register('Сәрсенов \uD800Арман')),
      mut('employees.register', register('Сәрсенов\u0000Арман')),
      mut('employees.register', { ...register('Сәрсенов Арман'), ['x\uDC00']: 1 }),
      mut('employees.register', register('Сәрсенов\u0007Арман')),
    ];
    const good = mut('employees.register', register('Жаңабаев Ерік'));
    const batch = [poison[0]!, good, ...poison.slice(1)];
    const r = await push(portal.url, head, batch);
    expect(r.status).toBe(200);
    const results = r.json.results as Result[];
    expect(results.map((x) => [x.status, x.error?.code ?? null])).toEqual([
      ['rejected', 'invalid_text'], ['applied', null], ['rejected', 'invalid_text'], ['rejected', 'invalid_text'], ['rejected', 'invalid_text'],
    ]);
    expect((await employees(portal.url, head)).some((e) => e.fullName === 'Жаңабаев Ерік')).toBe(true);
    // A retry (the app resends what it got no answer for) gets the same stored answers, still no 500.
    const again = await push(portal.url, head, batch);
    expect(again.status).toBe(200);
    expect(again.json.results).toEqual(r.json.results);
  }, 120_000);

  it('fast-check: every string of every mutation in the registry: invalid_text for unstorable text, never 500, the batch goes on', async () => {
    const injections = Object.entries(mutationRegistry).flatMap(([name, def]) => textLeaves(def.args).map((leaf) => ({ name, leaf })));
    expect(injections.length).toBeGreaterThan(60);
    await fc.assert(
      fc.asyncProperty(nastyText, async (s) => {
        for (let i = 0; i < injections.length; i += 90) {
          const chunk = injections.slice(i, i + 90);
          const trailer = createCompetition({ nameKk: 'Тексеру', nameRu: 'Проверка', nameEn: '' });
          const r = await push(portal.url, organizer, [...chunk.map((c) => mut(c.name, c.leaf.place(s))), trailer]);
          expect(r.status, r.bytes.toString('utf8').slice(0, 300)).toBe(200);
          const results = r.json.results as Result[];
          chunk.forEach((c, k) => {
            const res = results[k]!;
            const where = `${c.name} ${c.leaf.path} ${JSON.stringify(s)} → ${JSON.stringify(res)}`;
            expect(res.error?.code, where).not.toBe('internal');
            if (hasLoneSurrogateOrNul(s) || refusesAsText(c.leaf.schema, s)) expect(res.error?.code, where).toBe('invalid_text');
            if (res.status === 'applied') expect(parsedText(c.leaf.schema, s), where).not.toBeNull();
          });
          expect(results.at(-1)!.status).toBe('applied');
        }
      }),
      { numRuns: full ? 2 : 1, examples: full ? [['Ж\uD800'], ['Ж\u0000'], ['Ж\u0007'], ['Ж\tә\r\n😀']] : [['Ж\u0000']] },
    );
  }, 120_000);

  itFull('fast-check: competition texts are read back exactly as parsed, or refused with invalid_text', async () => {
    const nameSchema = textLeaves(mutationRegistry['competition.create']!.args).find((l) => l.path === 'nameKk')!.schema;
    await fc.assert(
      fc.asyncProperty(nastyText, async (s) => {
        const id = uuid();
        const other = uuid();
        const fields = TEXT_FIELDS.filter((f) => !f.startsWith('discussion') && f !== 'partner.bin');
        const batch: Mut[] = [
          createCompetition({ nameKk: 'Атауы', nameRu: 'Название', nameEn: '' }, id),
          ...fields.map((field) => mut('competition.setField', { competitionId: id, field, value: s, baseVersion: 0 })),
          createCompetition({ nameKk: s, nameRu: s, nameEn: s }, other),
        ];
        const r = await push(portal.url, organizer, batch);
        expect(r.status).toBe(200);
        const results = r.json.results as Result[];
        const { changes } = await pullAll(portal.url, organizer);
        const stored = (cid: string) => changes.filter((c) => c.entityId === cid).at(-1)?.data as CompetitionRecord | undefined;
        fields.forEach((field, k) => {
          const res = results[k + 1]!;
          const where = `${field} ${JSON.stringify(s)} → ${JSON.stringify(res)}`;
          const args = SetFieldArgs.safeParse({ competitionId: id, field, value: s, baseVersion: 0 });
          if (args.success) {
            expect(res.status, where).toBe('applied');
            expect(readField(stored(id)!, field), where).toBe(args.data.value);
          } else {
            expect(res.error?.code, where).toBe('invalid_text');
          }
        });
        const created = results.at(-1)!;
        const name = parsedText(nameSchema, s);
        if (name === null) expect(created.error?.code).toBe('invalid_text');
        else expect([stored(other)?.nameKk, stored(other)?.nameRu, stored(other)?.nameEn]).toEqual([name, name, name]);
      }),
      { numRuns: 4, examples: [['Ж\uD800'], ['Ж\n\t😀'], ['Ж\u000b']] },
    );
  }, 120_000);

  itFull('fast-check: an employee\'s name over sync and REST is read back exactly as parsed, or refused with invalid_text', async () => {
    const syncName = textLeaves(RegisterEmployeeArgs).find((l) => l.path === 'fullName')!.schema;
    const restName = textLeaves(RegisterEmployeeSchema).find((l) => l.path === 'fullName')!.schema;
    await fc.assert(
      fc.asyncProperty(nastyText, async (s) => {
        const viaSync = register(s);
        const r = await push(portal.url, head, [mut('employees.register', viaSync)]);
        expect(r.status).toBe(200);
        const res = r.json.results[0] as Result;
        const rest = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin: freshIin(), fullName: s, email: `r${uuid().slice(0, 8)}@example.kz`, roles: ['organizer'] } });
        const list = await employees(portal.url, head);
        const expectSync = parsedText(syncName, s);
        if (expectSync === null) expect(res.error?.code).toBe('invalid_text');
        else expect(list.find((e) => e.membershipId === viaSync.membershipId)?.fullName).toBe(expectSync);
        const expectRest = parsedText(restName, s);
        if (expectRest === null) expect([rest.status, rest.json.code]).toEqual([400, 'invalid_text']);
        else expect(list.find((e) => e.membershipId === rest.json.membershipId)?.fullName).toBe(expectRest);
      }),
      { numRuns: 3, examples: [['Ж\uDBFF'], ['Ж\u0000'], ['Ж 😀 ']] },
    );
  }, 120_000);

  itFull('the body guard: every JSON route answers a lone surrogate or NUL anywhere (keys too) with 400 invalid_text', async () => {
    const doc = (await call(portal.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ms]) =>
      Object.entries(ms).filter(([, op]) => op.requestBody?.content['application/json']).map(([m]) => ({ method: m.toUpperCase(), path: p.replace(/\{\w+\}/g, ORG) })));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const route of routes) {
      for (const body of [{ ['k\uD800']: 1 }, { a: [{ b: 'x\u0000' }] }, { a: '\uDC00' }]) {
        const r = await call(portal.url, route.method, route.path, { token: organizer, body });
        expect([route.method, route.path, r.status, r.json?.code]).toEqual([route.method, route.path, 400, 'invalid_text']);
      }
    }
    // The escape JSON.parse turns into a lone surrogate, sent as raw text.
    const raw = await call(portal.url, 'POST', '/api/auth/sign-in', { body: '{"login":"a\\ud800","password":"x"}' });
    expect([raw.status, raw.json.code]).toEqual([400, 'invalid_text']);
  }, 120_000);

  it('the audit chain refuses text it cannot encode or store with AppError invalid_text (rolled back), never a TypeError', async () => {
    for (const bad of ['x\uD800', 'x\u0000']) {
      const err = await portal.db.transaction().execute((trx) =>
        recordChange(trx, new Date().toISOString(), { actorUserId: null, entityType: 'test', entityId: uuid(), recordType: 'test', recordId: uuid(), action: 'test', data: { note: bad } }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('invalid_text');
    }
  }, 120_000);
});
