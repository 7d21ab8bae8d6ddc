/**
 * Push: mutations applied in order with the shared rule, results stored
 * under the mutation id and returned on every replay (sequential, concurrent,
 * after the clock moved 60 days), conflicts naming who changed what, refusals
 * that do not stop the batch, the protocol version gate, a mutation the portal fails to apply
 * (answered per mutation), authorization before costly work and the per-push cost budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortabilityRecorder } from '../../src-portal/db/portability';
import { MAX_PUSH_BATCH, SYNC_PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { hashStats } from '../../src-portal/accounts/passwords';
import { POISON_MARK } from '../../src-portal/sync/fault';
import { MAX_PREPARED_PER_PUSH } from '../../src-portal/sync/push';
import { call, demoUser, employees, freshIin, mut, ORG, pullAll, push, signIn, uuid, demoId } from './helpers';
import { BACKENDS, startBackendPortal, type TestPortal } from './backends';

let portal: TestPortal;
let head = '';

const portability = new PortabilityRecorder();

const registerArgs = (o: Partial<{ membershipId: string; iin: string; email: string; fullName: string; roles: string[]; organizationId: string }> = {}) => ({
  organizationId: o.organizationId ?? ORG,
  membershipId: o.membershipId ?? uuid(),
  iin: o.iin ?? freshIin(),
  fullName: o.fullName ?? 'Сәрсенов Арман',
  email: o.email ?? `e${uuid().slice(0, 8)}@example.kz`,
  preferredLanguage: 'ru',
  roles: o.roles ?? ['organizer'],
});

const count = async (table: 'memberships' | 'audit_log' | 'applied_mutations' | 'email_outbox', where?: [string, string]) => {
  let q = portal.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (where) q = q.where(where[0] as any, '=', where[1]);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe.each(BACKENDS)('push on %s', (backend) => {
  beforeAll(async () => {
    portal = await startBackendPortal(backend, { kyselyPlugins: [portability] });
    head = await signIn(portal.url, 'orgHead');
  });
  afterAll(async () => portal.cleanup());

  it('applies a registration: membership with the client id, audit entry, feed change, password e-mailed but never stored in the result', async () => {
    const args = registerArgs({ fullName: 'Жаңабаев Ерік' });
    const m = mut('employees.register', args);
    const r = await push(portal.url, head, [m]);
    expect(r.status).toBe(200);
    const [res] = r.json.results;
    expect(res).toMatchObject({ id: m.id, status: 'applied', result: { version: 1, accountCreated: true, record: { membershipId: args.membershipId, organizationId: ORG, fullName: 'Жаңабаев Ерік', roles: ['organizer'] } } });
    expect(res.seq).toBeGreaterThan(0);

    const row = await portal.db.selectFrom('memberships').selectAll().where('id', '=', args.membershipId).executeTakeFirstOrThrow();
    expect(row.version).toBe(1);
    const audit = await portal.db.selectFrom('audit_log').selectAll().where('entity_id', '=', args.membershipId).execute();
    expect(audit.map((a) => a.action)).toEqual(['membership.created']);
    expect(JSON.parse(audit[0]!.data_json)).toMatchObject({ mutationId: m.id });

    // The feed shows it to the organization's members at the seq the push answered.
    const { changes } = await pullAll(portal.url, head);
    const change = changes.find((c) => c.entityId === args.membershipId)!;
    expect(change).toMatchObject({ entityType: 'membership', scope: `org:${ORG}`, op: 'put', version: 1, seq: res.seq, data: { userId: res.result.record.userId, email: args.email } });

    // The initial password goes by e-mail (outbox), and it works; it is nowhere in the stored result.
    const mail = await portal.db.selectFrom('email_outbox').selectAll().where('template', '=', 'accountCreated').where('user_id', '=', res.result.record.userId).executeTakeFirstOrThrow();
    const password = (JSON.parse(mail.vars_json) as { password: string }).password;
    expect(password.length).toBeGreaterThanOrEqual(10);
    const stored = await portal.db.selectFrom('applied_mutations').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(JSON.stringify(r.json)).not.toContain(password);
    const signin = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: args.email, password } });
    expect(signin.status).toBe(200);
  });

  it('register with a known IIN reuses the account (no new user, no password mail)', async () => {
    const users = await count('users' as 'memberships');
    const mails = await count('email_outbox', ['template', 'accountCreated']);
    const privateOrg = demoId('org', 'private1');
    const p1 = await signIn(portal.url, 'private1Head');
    const { demoIin } = await import('../../src-portal/seed/seed');
    const args = registerArgs({ organizationId: privateOrg, iin: demoIin('supplier'), roles: ['secretary'] });
    const r = await push(portal.url, p1, [mut('employees.register', args)]);
    expect(r.json.results[0]).toMatchObject({ status: 'applied', result: { accountCreated: false, record: { userId: demoUser('supplier').id, fullName: demoUser('supplier').fullName } } });
    expect(await count('users' as 'memberships')).toBe(users);
    expect(await count('email_outbox', ['template', 'accountCreated'])).toBe(mails);
  });

  it('a replay returns the first result and applies nothing again', async () => {
    const m = mut('employees.register', registerArgs());
    const first = await push(portal.url, head, [m]);
    const before = { memberships: await count('memberships'), audit: await count('audit_log'), mails: await count('email_outbox') };
    const again = await push(portal.url, head, [m]);
    const third = await push(portal.url, head, [m], { clientId: uuid() });
    expect(again.json.results).toEqual(first.json.results);
    expect(third.json.results).toEqual(first.json.results);
    expect({ memberships: await count('memberships'), audit: await count('audit_log'), mails: await count('email_outbox') }).toEqual(before);
  });

  it('the same mutation id pushed from two connections at once applies once; both get the same result', async () => {
    const m = mut('employees.register', registerArgs());
    const before = await count('memberships');
    const [a, b] = await Promise.all([push(portal.url, head, [m]), push(portal.url, head, [m])]);
    expect(a.status).toBe(200);
    expect(b.json.results).toEqual(a.json.results);
    expect(a.json.results[0].status).toBe('applied');
    expect(await count('memberships')).toBe(before + 1);
    expect(await count('applied_mutations', ['id', m.id])).toBe(1);
  });

  it('someone else reusing a mutation id learns nothing and changes nothing', async () => {
    const m = mut('employees.register', registerArgs());
    const first = await push(portal.url, head, [m]);
    const other = await signIn(portal.url, 'private1Head');
    const r = await push(portal.url, other, [m]);
    expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict' } });
    expect(r.json.results[0].result).toBeUndefined();
    expect((await push(portal.url, head, [m])).json.results).toEqual(first.json.results);
  });

  it('a replay after the clock moved 60 days returns the first result; after the retention period the result is purged', async () => {
    const m = mut('employees.register', registerArgs());
    const first = await push(portal.url, head, [m]);
    expect(first.json.results[0].status).toBe('applied');
    const move = (days: number) => call(portal.url, 'POST', '/api/demo/clock', { body: { advanceMs: days * 86_400_000 } });
    expect((await move(60)).status).toBe(200); // runs the tick, including the purge
    await portal.tick();
    const head2 = await signIn(portal.url, 'orgHead'); // the old session expired with the move
    const replay = await push(portal.url, head2, [m]);
    expect(replay.json.results).toEqual(first.json.results);
    expect(await count('applied_mutations', ['id', m.id])).toBe(1);
    // 181 days after the push the result may go (MUTATION_RETENTION_DAYS = 180).
    await move(121);
    expect(await count('applied_mutations', ['id', m.id])).toBe(0);
    head = await signIn(portal.url, 'orgHead');
  });

  it('a stale baseVersion is a conflict naming who changed what and when; the current version applies', async () => {
    // A second Head, so someone other than the pusher changes the record.
    const args2 = registerArgs({ roles: ['head'], fullName: 'Екінші Басшы' });
    const reg = await push(portal.url, head, [mut('employees.register', args2)]);
    const mail = await portal.db.selectFrom('email_outbox').selectAll().where('template', '=', 'accountCreated').where('user_id', '=', reg.json.results[0].result.record.userId).executeTakeFirstOrThrow();
    const head2 = (await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: args2.email, password: JSON.parse(mail.vars_json).password } })).json.token as string;

    const sec = (await employees(portal.url, head)).find((e) => e.userId === demoUser('secretary').id)!;
    const byOther = await push(portal.url, head2, [mut('employees.setRoles', { organizationId: ORG, membershipId: sec.membershipId, roles: ['secretary', 'customer'], baseVersion: sec.version })]);
    expect(byOther.json.results[0]).toMatchObject({ status: 'applied', result: { version: sec.version + 1 } });

    const stale = await push(portal.url, head, [
      mut('employees.setRoles', { organizationId: ORG, membershipId: sec.membershipId, roles: ['organizer'], baseVersion: sec.version }),
      mut('employees.remove', { organizationId: ORG, membershipId: sec.membershipId, baseVersion: sec.version }),
    ]);
    for (const r of stale.json.results) {
      expect(r).toMatchObject({ status: 'rejected', error: { code: 'conflict', details: { changedBy: 'Екінші Басшы', field: 'roles', current: ['secretary', 'customer'], currentVersion: sec.version + 1, action: 'membership.roles_changed' } } });
      expect(Date.parse(r.error.details.changedAt)).not.toBeNaN();
    }
    const now = (await employees(portal.url, head)).find((e) => e.userId === demoUser('secretary').id)!;
    expect(now.roles).toEqual(['secretary', 'customer']);

    const fresh = await push(portal.url, head, [mut('employees.setRoles', { organizationId: ORG, membershipId: sec.membershipId, roles: ['secretary'], baseVersion: now.version })]);
    expect(fresh.json.results[0]).toMatchObject({ status: 'applied', result: { version: now.version + 1, record: { roles: ['secretary'] } } });

    // Removed by someone else: a later edit is a conflict that says so.
    const tmp = registerArgs();
    await push(portal.url, head, [mut('employees.register', tmp)]);
    await push(portal.url, head2, [mut('employees.remove', { organizationId: ORG, membershipId: tmp.membershipId, baseVersion: 1 })]);
    const late = await push(portal.url, head, [mut('employees.setRoles', { organizationId: ORG, membershipId: tmp.membershipId, roles: ['secretary'], baseVersion: 1 })]);
    expect(late.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict', details: { changedBy: 'Екінші Басшы', field: 'membership', current: null, action: 'membership.removed' } } });
  });

  it('baseVersion 0 (the app\'s own unconfirmed registration) applies on the version the portal created', async () => {
    const args = registerArgs();
    const r = await push(portal.url, head, [
      mut('employees.register', args),
      mut('employees.setRoles', { organizationId: ORG, membershipId: args.membershipId, roles: ['secretary'], baseVersion: 0 }),
    ]);
    expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
    expect(r.json.results[1].result).toMatchObject({ version: 2, record: { roles: ['secretary'] } });
    expect(r.json.results[1].seq).toBeGreaterThan(r.json.results[0].seq);
  });

  it('refusals (forbidden, last Head, bad args, unknown mutation) are stored and explained; later mutations in the batch still apply', async () => {
    const supplierHead = await signIn(portal.url, 'supplier1Head');
    const ownOrg = demoId('org', 'supplier1');
    const headMembership = (await employees(portal.url, supplierHead, ownOrg)).find((e) => e.userId === demoUser('supplier1Head').id)!;
    const forbidden = mut('employees.register', registerArgs()); // ORG: not this user's organization
    const applied = mut('employees.register', registerArgs({ organizationId: ownOrg, roles: ['supplier'] }));
    const lastHead = mut('employees.setRoles', { organizationId: ownOrg, membershipId: headMembership.membershipId, roles: ['supplier'], baseVersion: headMembership.version });
    const badArgs = mut('employees.register', { organizationId: ownOrg });
    const unknown = mut('employees.promoteEveryone', {});
    const after = mut('employees.register', registerArgs({ organizationId: ownOrg, roles: ['customer'] }));
    const r = await push(portal.url, supplierHead, [forbidden, applied, lastHead, badArgs, unknown, after]);
    expect(r.status).toBe(200);
    const byId = (id: string) => r.json.results.find((x: { id: string }) => x.id === id);
    expect(r.json.results.map((x: { id: string }) => x.id)).toEqual([forbidden.id, applied.id, lastHead.id, badArgs.id, unknown.id, after.id]);
    expect(byId(forbidden.id)).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    expect(byId(applied.id)).toMatchObject({ status: 'applied' });
    expect(byId(lastHead.id)).toMatchObject({ status: 'rejected', error: { code: 'last_head' } });
    expect(byId(badArgs.id)).toMatchObject({ status: 'rejected', error: { code: 'invalid_input' } });
    expect(byId(badArgs.id).error.details.issues.length).toBeGreaterThan(0);
    expect(byId(unknown.id)).toMatchObject({ status: 'rejected', error: { code: 'unknown_method' } });
    expect(byId(after.id)).toMatchObject({ status: 'applied' });
    // The forbidden one changed nothing; its refusal replays too.
    expect(await count('memberships', ['id', (forbidden.args as { membershipId: string }).membershipId])).toBe(0);
    expect((await push(portal.url, supplierHead, [forbidden])).json.results[0]).toEqual(byId(forbidden.id));
  });

  it('a refusal found mid-apply (e-mail of another account) is rolled back completely and stored', async () => {
    const before = { users: await count('users' as 'memberships'), audit: await count('audit_log') };
    const m = mut('employees.register', registerArgs({ email: demoUser('organizer').email }));
    const r = await push(portal.url, head, [m]);
    expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict', details: { field: 'email' } } });
    expect({ users: await count('users' as 'memberships'), audit: await count('audit_log') }).toEqual(before);
    expect(await count('applied_mutations', ['id', m.id])).toBe(1);
  });

  it('protocol N−2 gets 426 upgrade_required and nothing is applied or stored; N−1 and N are accepted', async () => {
    const m = mut('employees.register', registerArgs());
    const old = await push(portal.url, head, [m], { protocolVersion: SYNC_PROTOCOL_VERSION - 2 });
    expect(old.status).toBe(426);
    expect(old.json).toMatchObject({ code: 'upgrade_required', details: { supported: [SYNC_PROTOCOL_VERSION - 1, SYNC_PROTOCOL_VERSION] } });
    // Even with a body today's schema would refuse: the version decides first.
    const ancient = await call(portal.url, 'POST', '/api/sync/push', { token: head, body: { protocolVersion: SYNC_PROTOCOL_VERSION - 5, changes: [] } });
    expect(ancient.status).toBe(426);
    expect(await count('applied_mutations', ['id', m.id])).toBe(0);
    expect(await count('memberships', ['id', (m.args as { membershipId: string }).membershipId])).toBe(0);
    const prev = await push(portal.url, head, [m], { protocolVersion: SYNC_PROTOCOL_VERSION - 1 });
    expect(prev.json.results[0].status).toBe('applied');
    expect((await push(portal.url, head, [mut('employees.register', registerArgs())], { protocolVersion: SYNC_PROTOCOL_VERSION + 1 })).status).toBe(426);
    // Batches are bounded.
    const tooMany = Array.from({ length: MAX_PUSH_BATCH + 1 }, () => mut('employees.promoteEveryone', {}));
    expect((await push(portal.url, head, tooMany)).status).toBe(400);
    expect((await push(portal.url, head, [])).status).toBe(400);
  });

  it('REST employee routes publish the same feed changes as sync', async () => {
    const iin = freshIin();
    const reg = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin, fullName: 'Арқылы Рест', email: `rest${uuid().slice(0, 6)}@example.kz`, roles: ['customer'] } });
    expect(reg.status).toBe(200);
    const put = await call(portal.url, 'PUT', `/api/orgs/${ORG}/employees/${reg.json.userId}/roles`, { token: head, body: { roles: ['customer', 'organizer'], version: 1 } });
    expect(put.status).toBe(200);
    let c = (await pullAll(portal.url, head)).changes.find((x) => x.entityId === reg.json.membershipId)!;
    expect(c).toMatchObject({ op: 'put', version: 2, data: { roles: ['organizer', 'customer'], userId: reg.json.userId } });
    expect((await call(portal.url, 'DELETE', `/api/orgs/${ORG}/employees/${reg.json.userId}`, { token: head })).status).toBe(200);
    c = (await pullAll(portal.url, head)).changes.find((x) => x.entityId === reg.json.membershipId)!;
    expect(c).toMatchObject({ op: 'delete', version: 3, data: null });
  });
});

// Issue 15 (parts 2 and 6): a mutation the portal fails to apply is answered `retry` for that mutation
// alone — never a 500 for the push — and nothing is stored under its id; permission is checked before
// any costly preparation; a push runs at most MAX_PREPARED_PER_PUSH preparations.
describe('push: failures and costs', () => {
  beforeAll(async () => {
    portal = await startBackendPortal('sqlite', { kyselyPlugins: [portability] });
    head = await signIn(portal.url, 'orgHead');
  });
  afterAll(async () => portal.cleanup());

  it('a mutation the portal fails to apply is answered `retry` for itself; the ones before it apply, nothing is stored, the rest follows in the next push', async () => {
    process.env.SERIKTES_PORTAL_FAULT = 'poison';
    try {
      const before = mut('employees.register', registerArgs({ fullName: 'Алдымен Бірінші' }));
      const poison = mut('employees.register', registerArgs({ fullName: `Улы ${POISON_MARK}` }));
      const after = mut('employees.register', registerArgs({ fullName: 'Кейін Екінші' }));
      const r = await push(portal.url, head, [before, poison, after]);
      expect(r.status).toBe(200);
      expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'retry']);
      expect(r.json.results[1]).toMatchObject({ id: poison.id, error: { code: 'mutation_failed' } });
      // Rolled back and not stored: a replay is tried again rather than answered from storage.
      expect(await count('applied_mutations', ['id', poison.id])).toBe(0);
      expect(await count('memberships', ['id', (poison.args as { membershipId: string }).membershipId])).toBe(0);
      // The client sends the rest without the failing one, which goes last: the rest applies, it fails again.
      const r2 = await push(portal.url, head, [after, poison]);
      expect(r2.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'retry']);
      expect((await employees(portal.url, head)).map((e) => e.fullName)).toEqual(expect.arrayContaining(['Алдымен Бірінші', 'Кейін Екінші']));
    } finally {
      delete process.env.SERIKTES_PORTAL_FAULT;
    }
  });

  it('refuses 100 registrations for another organization without computing one password hash', async () => {
    const batch = Array.from({ length: 100 }, () => mut('employees.register', registerArgs({ organizationId: demoId('org', 'customer') })));
    const hashes = hashStats.computed;
    const r = await push(portal.url, head, batch);
    expect(r.status).toBe(200);
    expect(r.json.results).toHaveLength(100);
    expect(new Set(r.json.results.map((x: { status: string; error?: { code: string } }) => `${x.status}:${x.error?.code}`))).toEqual(new Set(['rejected:forbidden']));
    expect(hashStats.computed).toBe(hashes);
  });

  it(`runs at most ${MAX_PREPARED_PER_PUSH} preparations per push; the client pushes the rest next`, async () => {
    const batch = Array.from({ length: MAX_PREPARED_PER_PUSH + 1 }, () => mut('employees.register', registerArgs()));
    const hashes = hashStats.computed;
    const r = await push(portal.url, head, batch);
    expect(r.json.results.map((x: { id: string; status: string }) => `${x.id}:${x.status}`)).toEqual(batch.slice(0, MAX_PREPARED_PER_PUSH).map((m) => `${m.id}:applied`));
    expect(hashStats.computed - hashes).toBe(MAX_PREPARED_PER_PUSH);
    expect((await push(portal.url, head, batch.slice(MAX_PREPARED_PER_PUSH))).json.results).toMatchObject([{ status: 'applied' }]);
  });
});

// Last: after every test above has exercised the routes.
it('every query the sync routes ran also compiles for PostgreSQL, with no SQLite-only SQL', () => {
  expect(portability.checked).toBeGreaterThan(100);
  expect(portability.violations).toEqual([]);
});
