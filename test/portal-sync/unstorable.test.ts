/**
 * A NUL byte on PostgreSQL (issue 15): PostgreSQL refuses NUL in text, so a
 * mutation carrying one failed on every retry with a 500 and stopped the
 * app's queue for good. It must be refused per mutation with a 4xx-class
 * code, the valid mutations around it applied, the next push applied (the
 * queue is not stuck), and no REST route or query may turn it into a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusOf } from '../../src-portal/http/errors';
import type { ErrorCode } from '../../src-shared/rpc/errors';
import type { PushResult } from '../../src-shared/sync/protocol';
import { call, employees, freshIin, mut, ORG, pullAll, push, signIn, uuid } from './helpers';
import { BACKENDS, startBackendPortal, type TestPortal } from './backends';

let portal: TestPortal;
let head = '';

const register = (fullName: string, email = `n${uuid().slice(0, 8)}@example.kz`) =>
  mut('employees.register', { organizationId: ORG, membershipId: uuid(), iin: freshIin(), fullName, email, preferredLanguage: 'kk', roles: ['organizer'] });
const membershipOf = (m: { args: unknown }) => (m.args as { membershipId: string }).membershipId;

/** Refused for good, with a code the portal would answer with a 4xx status. */
function expectRefusedForGood(r: PushResult) {
  expect(r.status).toBe('rejected');
  const status = statusOf(r.error!.code as ErrorCode);
  expect(status, `${r.error!.code} answers ${status}`).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
}

describe.each(BACKENDS.filter((b) => b === 'postgres'))('a NUL byte on %s', (backend) => {
  beforeAll(async () => {
    portal = await startBackendPortal(backend);
    head = await signIn(portal.url, 'orgHead');
  });
  afterAll(async () => portal.cleanup());

  it('among valid mutations: refused on its own (4xx-class code), the others stored, the replay the same, the queue not stuck', async () => {
    const before = await pullAll(portal.url, head);
    const valid1 = register('Дұрыс Бірінші');
    const poison = register('Улы\u0000Атау');
    const poisonEmail = register('Улы Пошта', `nul\u0000${uuid().slice(0, 6)}@example.kz`);
    const valid2 = register('Дұрыс Екінші');
    const batch = [valid1, poison, poisonEmail, valid2];
    const r = await push(portal.url, head, batch);
    expect(r.status).toBe(200);
    const results = r.json.results as PushResult[];
    expect(results.map((x) => x.id)).toEqual(batch.map((m) => m.id));
    expect(results.map((x) => x.status)).toEqual(['applied', 'rejected', 'rejected', 'applied']);
    expectRefusedForGood(results[1]!);
    expectRefusedForGood(results[2]!);

    // Stored: the valid ones, readable by REST and by the feed; the poisoned ones nowhere.
    const staff = (await employees(portal.url, head)).map((e) => e.membershipId);
    expect(staff).toEqual(expect.arrayContaining([membershipOf(valid1), membershipOf(valid2)]));
    expect(staff).not.toContain(membershipOf(poison));
    expect(staff).not.toContain(membershipOf(poisonEmail));
    const feed = (await pullAll(portal.url, head, { cursor: before.cursor })).changes.map((c) => c.entityId);
    expect(feed).toEqual(expect.arrayContaining([membershipOf(valid1), membershipOf(valid2)]));
    expect(feed).not.toContain(membershipOf(poison));

    // The app retries what it did not see answered: the same answers, nothing applied twice.
    const again = await push(portal.url, head, batch);
    expect(again.status).toBe(200);
    expect(again.json.results).toEqual(results);

    // The queue moves on.
    const next = register('Келесі Өзгеріс');
    const after = await push(portal.url, head, [next]);
    expect(after.status).toBe(200);
    expect(after.json.results[0].status).toBe('applied');
  });

  it('in a mutation name, a REST body, a query or an out-of-range number: a 4xx refusal, never a 500', async () => {
    const named = await push(portal.url, head, [mut('employees.register\u0000', {}), register('Атаудан Кейін')]);
    expect(named.status).toBe(200);
    expectRefusedForGood(named.json.results[0]);
    expect(named.json.results[1].status).toBe('applied');

    const rest = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin: freshIin(), fullName: 'Рест\u0000Атау', email: `r${uuid().slice(0, 8)}@example.kz`, roles: ['customer'] } });
    expect(rest.status, rest.bytes.toString('utf8')).toBeGreaterThanOrEqual(400);
    expect(rest.status).toBeLessThan(500);
    expect(typeof rest.json.code).toBe('string');

    const search = await call(portal.url, 'GET', '/api/users/search', { token: head, query: { q: 'Сәр\u0000сен' } });
    expect(search.status, search.bytes.toString('utf8')).toBeLessThan(500);

    // A number beyond any column's range is a refusal of that mutation too, whichever layer finds it.
    const target = register('Ауқым Сынағы');
    const huge = await push(portal.url, head, [target, mut('employees.setRoles', { organizationId: ORG, membershipId: membershipOf(target), roles: ['secretary'], baseVersion: 2 ** 40 }), register('Ауқымнан Кейін')]);
    expect(huge.status, huge.bytes.toString('utf8')).toBe(200);
    expect(huge.json.results.map((x: PushResult) => x.status)).toEqual(['applied', 'rejected', 'applied']);
    expectRefusedForGood(huge.json.results[1]);

    const signin = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: 'nobody\u0000@example.kz', password: 'x'.repeat(12) } });
    expect(signin.status, signin.bytes.toString('utf8')).toBeGreaterThanOrEqual(400);
    expect(signin.status).toBeLessThan(500);
  });
});
