/**
 * Issue 15 (parts 2 and 6), portal side: a mutation the portal fails to apply is answered `retry` for
 * that mutation alone — never a 500 for the push — and nothing is stored under its id; permission is
 * checked before any costly preparation; a push runs at most MAX_PREPARED_PER_PUSH preparations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashStats } from '../../src-portal/accounts/passwords';
import { POISON_MARK } from '../../src-portal/sync/fault';
import { MAX_PREPARED_PER_PUSH } from '../../src-portal/sync/push';
import { demoId, employees, freshIin, mut, ORG, push, signIn, startTestPortal, uuid } from './helpers';

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let head = '';

const registerArgs = (o: { fullName?: string; organizationId?: string } = {}) => ({
  organizationId: o.organizationId ?? ORG,
  membershipId: uuid(),
  iin: freshIin(),
  fullName: o.fullName ?? 'Сәрсенов Арман',
  email: `f${uuid().slice(0, 8)}@example.kz`,
  preferredLanguage: 'ru',
  roles: ['organizer'],
});

beforeAll(async () => {
  process.env.SERIKTES_PORTAL_FAULT = 'poison';
  portal = await startTestPortal();
  head = await signIn(portal.url, 'orgHead');
});
afterAll(async () => {
  delete process.env.SERIKTES_PORTAL_FAULT;
  await portal.cleanup();
});

describe('a mutation the portal fails to apply', () => {
  it('is answered `retry` for itself, the ones before it apply, nothing is stored, the rest follows in the next push', async () => {
    const before = mut('employees.register', registerArgs({ fullName: 'Алдымен Бірінші' }));
    const poison = mut('employees.register', registerArgs({ fullName: `Улы ${POISON_MARK}` }));
    const after = mut('employees.register', registerArgs({ fullName: 'Кейін Екінші' }));
    const r = await push(portal.url, head, [before, poison, after]);
    expect(r.status).toBe(200);
    expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'retry']);
    expect(r.json.results[1]).toMatchObject({ id: poison.id, error: { code: 'mutation_failed' } });
    // Rolled back and not stored: the replay fails again rather than answering a stored result.
    expect(await portal.db.selectFrom('applied_mutations').select('id').where('id', '=', poison.id).executeTakeFirst()).toBeUndefined();
    expect(await portal.db.selectFrom('memberships').select('id').where('id', '=', (poison.args as { membershipId: string }).membershipId).executeTakeFirst()).toBeUndefined();
    // The client sends the rest without the failing one (and the failing one last): all apply, it fails again.
    const r2 = await push(portal.url, head, [after, poison]);
    expect(r2.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'retry']);
    const names = (await employees(portal.url, head)).map((e) => e.fullName);
    expect(names).toEqual(expect.arrayContaining(['Алдымен Бірінші', 'Кейін Екінші']));
    expect(names.some((n) => n.includes(POISON_MARK))).toBe(false);
  });
});

describe('authorize before work', () => {
  it('refuses 100 registrations for another organization without computing one password hash', async () => {
    const other = demoId('org', 'customer');
    const batch = Array.from({ length: 100 }, () => mut('employees.register', registerArgs({ organizationId: other })));
    const hashes = hashStats.computed;
    const r = await push(portal.url, head, batch);
    expect(r.status).toBe(200);
    expect(r.json.results).toHaveLength(100);
    expect(new Set(r.json.results.map((x: { status: string; error?: { code: string } }) => `${x.status}:${x.error?.code}`))).toEqual(new Set(['rejected:forbidden']));
    expect(hashStats.computed).toBe(hashes);
  });

  it(`runs at most ${MAX_PREPARED_PER_PUSH} preparations per push; the client pushes the rest next`, async () => {
    const batch = Array.from({ length: MAX_PREPARED_PER_PUSH + 2 }, (_, i) => mut('employees.register', registerArgs({ fullName: `Бюджет Сынақ ${i}` })));
    const hashes = hashStats.computed;
    const r = await push(portal.url, head, batch);
    expect(r.json.results).toHaveLength(MAX_PREPARED_PER_PUSH);
    expect(r.json.results.every((x: { status: string }) => x.status === 'applied')).toBe(true);
    expect(hashStats.computed - hashes).toBe(MAX_PREPARED_PER_PUSH);
    const rest = await push(portal.url, head, batch.slice(MAX_PREPARED_PER_PUSH));
    expect(rest.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
  });
});
