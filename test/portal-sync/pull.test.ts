/**
 * Pull: only the scopes the user may read now, in order, paged, compressed;
 * a gained scope is back-filled with what existed before; a lost scope
 * disappears from `scopes` and its later changes are no longer served.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortabilityRecorder } from '../../src-portal/db/portability';
import { SYNC_PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { demoIin } from '../../src-portal/seed/seed';
import { auditHead } from '../../src-portal/audit/audit';
import { publishChange } from '../../src-portal/sync/feed';
import { call, demoId, demoUser, employees, freshIin, mut, ORG, pull, pullAll, push, signIn, uuid } from './helpers';
import { BACKENDS, startBackendPortal, type TestPortal } from './backends';

let portal: TestPortal;
const tokens: Record<string, string> = {};
const P1 = demoId('org', 'private1');

const portability = new PortabilityRecorder();

const register = (organizationId: string, o: { iin?: string; roles?: string[] } = {}) =>
  mut('employees.register', {
    organizationId, membershipId: uuid(), iin: o.iin ?? freshIin(), fullName: 'Тест Қызметкер', email: `p${uuid().slice(0, 8)}@example.kz`, roles: o.roles ?? ['organizer'],
  });

describe.each(BACKENDS)('pull on %s', (backend) => {
  beforeAll(async () => {
    portal = await startBackendPortal(backend, { kyselyPlugins: [portability] });
    for (const k of ['orgHead', 'secretary', 'private1Head', 'private2Head', 'customer']) tokens[k] = await signIn(portal.url, k);
  });
  afterAll(async () => portal.cleanup());

  it('an initial pull is the current state of the readable scopes only, in seq order, with scopes and the audit head', async () => {
    const sec = demoUser('secretary').id;
    const { changes, scopes } = await pullAll(portal.url, tokens.secretary!, { limit: 2 });
    expect(scopes).toEqual(['public', `user:${sec}`, `org:${ORG}`]);
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes.every((c) => scopes.includes(c.scope))).toBe(true);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // The seeded staff are there (back-filled into the feed at start), as EmployeeRecords.
    const staff = changes.filter((c) => c.entityType === 'membership' && c.op === 'put').map((c) => c.data.userId as string);
    expect(staff).toEqual(expect.arrayContaining([demoUser('orgHead').id, demoUser('organizer').id, sec]));
    expect(staff).not.toContain(demoUser('private1Head').id);

    const r = await pull(portal.url, tokens.secretary!);
    expect(r.json.auditHead).toMatchObject(await auditHead(portal.db));
  });

  it('pages: limit, hasMore and cursor walk the feed with no gap and no repeat; an empty page keeps a usable cursor', async () => {
    for (let i = 0; i < 5; i++) await push(portal.url, tokens.orgHead!, [register(ORG)]);
    const all = await pullAll(portal.url, tokens.orgHead!, { limit: 1000 });
    const paged = await pullAll(portal.url, tokens.orgHead!, { limit: 3 });
    expect(paged.changes).toEqual(all.changes);
    const last = await pull(portal.url, tokens.orgHead!, { cursor: paged.cursor });
    expect(last.json).toMatchObject({ changes: [], hasMore: false, cursor: paged.cursor });
  });

  it('compaction: an entity changed many times appears once, at its latest version', async () => {
    const m = register(ORG);
    await push(portal.url, tokens.orgHead!, [m]);
    const id = (m.args as { membershipId: string }).membershipId;
    for (let v = 1; v <= 4; v++) {
      await push(portal.url, tokens.orgHead!, [mut('employees.setRoles', { organizationId: ORG, membershipId: id, roles: v % 2 ? ['secretary'] : ['organizer'], baseVersion: v })]);
    }
    const rows = await portal.db.selectFrom('change_feed').selectAll().where('entity_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    const { changes } = await pullAll(portal.url, tokens.orgHead!);
    expect(changes.filter((c) => c.entityId === id)).toEqual([expect.objectContaining({ version: 5, data: expect.objectContaining({ roles: ['organizer'] }) })]);
  });

  it('an entity moved to another scope leaves a tombstone in the old one; one feed row per key', async () => {
    const id = uuid();
    const put = (scope: string, version: number) =>
      portal.db.transaction().execute((trx) => publishChange(trx, portal.ctx.nowIso(), { entityType: 'probe', entityId: id, scope, op: 'put', version, data: { v: version } }));
    await put(`org:${ORG}`, 1);
    const { cursor } = await pullAll(portal.url, tokens.secretary!);
    await put(`org:${P1}`, 2);
    const sec = await pullAll(portal.url, tokens.secretary!, { cursor });
    expect(sec.changes.filter((c) => c.entityId === id)).toEqual([expect.objectContaining({ scope: `org:${ORG}`, op: 'delete', version: 2, data: null })]);
    const p1 = await pullAll(portal.url, tokens.private1Head!);
    expect(p1.changes.filter((c) => c.entityId === id)).toEqual([expect.objectContaining({ scope: `org:${P1}`, op: 'put', version: 2, data: { v: 2 } })]);
    await put(`org:${P1}`, 3);
    const rows = await portal.db.selectFrom('change_feed').select(['scope', 'op', 'version']).where('entity_id', '=', id).orderBy('scope').execute();
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(expect.arrayContaining([{ scope: `org:${ORG}`, op: 'delete', version: 2 }, { scope: `org:${P1}`, op: 'put', version: 3 }]));
  });

  it('gzip when accepted (and the bytes are real gzip), plain JSON otherwise', async () => {
    const u = new URL('/api/sync/pull', portal.url);
    u.searchParams.set('protocolVersion', String(SYNC_PROTOCOL_VERSION));
    const http = await import('node:http');
    const get = (enc: string | null) => new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = http.get(u, { headers: { authorization: `Bearer ${tokens.orgHead}`, ...(enc ? { 'accept-encoding': enc } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
    });
    const gz = await get('gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await get(null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The same page; only the portal's time (serverTime) moved on between the two requests.
    const page = (text: string) => {
      const { serverTime, ...rest } = JSON.parse(text) as { serverTime?: string };
      expect(typeof serverTime).toBe('string');
      return rest;
    };
    expect(page(gunzipSync(gz.body).toString('utf8'))).toEqual(page(plain.body.toString('utf8')));
    expect(gz.body.length).toBeLessThan(plain.body.length);
    expect(JSON.parse(plain.body.toString('utf8')).changes.length).toBeGreaterThan(0);
  });

  it('refuses: no session 401, unsupported protocol 426, a scope the user may not read 403, bad query 400', async () => {
    expect((await call(portal.url, 'GET', '/api/sync/pull', { query: { protocolVersion: 1 } })).status).toBe(401);
    const old = await pull(portal.url, tokens.secretary!, { protocolVersion: SYNC_PROTOCOL_VERSION - 2 });
    expect(old.status).toBe(426);
    expect(old.json.code).toBe('upgrade_required');
    expect((await pull(portal.url, tokens.secretary!, { protocolVersion: SYNC_PROTOCOL_VERSION - 1 })).status).toBe(200);
    const other = await pull(portal.url, tokens.secretary!, { scope: `org:${P1}` });
    expect(other.status).toBe(403);
    expect(other.json.code).toBe('forbidden');
    expect((await pull(portal.url, tokens.secretary!, { scope: `user:${demoUser('orgHead').id}` })).status).toBe(403);
    expect((await pull(portal.url, tokens.secretary!, { limit: 5000 })).status).toBe(400);
    expect((await call(portal.url, 'GET', '/api/sync/pull', { token: tokens.secretary!, query: {} })).status).toBe(400);
    // A cursor beyond the feed (the portal restored from a backup): 409 so the client starts over.
    const ahead = await pull(portal.url, tokens.secretary!, { cursor: 10_000_000 });
    expect(ahead.status).toBe(409);
    expect(ahead.json).toMatchObject({ code: 'conflict', details: { reason: 'cursor_ahead' } });
  });

  it('added to an organization: scopes gain it and a scope back-fill returns its existing employees; removed: the scope is gone', async () => {
    const sec = demoUser('secretary');
    const mine = await pullAll(portal.url, tokens.secretary!);
    expect(mine.scopes).not.toContain(`org:${P1}`);

    const add = register(P1, { iin: demoIin('secretary'), roles: ['secretary'] });
    const added = await push(portal.url, tokens.private1Head!, [add]);
    expect(added.json.results[0]).toMatchObject({ status: 'applied', result: { record: { userId: sec.id } } });

    // The regular pull from the old cursor: the new scope is listed, but older rows of it are not (they are below the cursor).
    const inc = await pullAll(portal.url, tokens.secretary!, { cursor: mine.cursor });
    expect(inc.scopes).toContain(`org:${P1}`);
    expect(inc.changes.filter((c) => c.scope === `org:${P1}`).map((c) => c.data?.userId)).toEqual([sec.id]);
    // Back-fill of the gained scope from 0: everything that existed before, the Head included.
    const back = await pullAll(portal.url, tokens.secretary!, { scope: `org:${P1}`, limit: 1 });
    expect(back.changes.every((c) => c.scope === `org:${P1}`)).toBe(true);
    const p1Staff = (await employees(portal.url, tokens.private1Head!, P1)).map((e) => e.userId).sort();
    expect(back.changes.filter((c) => c.op === 'put' && c.entityType === 'membership').map((c) => c.data.userId as string).sort()).toEqual(p1Staff);
    expect(p1Staff).toContain(demoUser('private1Head').id);

    // Removed: the scope disappears and later changes in it are not served.
    const membershipId = (add.args as { membershipId: string }).membershipId;
    const rm = await push(portal.url, tokens.private1Head!, [mut('employees.remove', { organizationId: P1, membershipId, baseVersion: 1 })]);
    expect(rm.json.results[0].status).toBe('applied');
    await push(portal.url, tokens.private1Head!, [register(P1)]);
    const after = await pullAll(portal.url, tokens.secretary!, { cursor: inc.cursor });
    expect(after.scopes).toEqual(['public', `user:${sec.id}`, `org:${ORG}`]);
    expect(after.changes.some((c) => c.scope === `org:${P1}`)).toBe(false);
    expect((await pull(portal.url, tokens.secretary!, { scope: `org:${P1}` })).status).toBe(403);
  });

  it('a user without organizations reads nothing of anyone else', async () => {
    const org = demoId('org', 'private2');
    const r = await pullAll(portal.url, tokens.private2Head!);
    expect(r.changes.every((c) => c.scope === `org:${org}` || c.scope === 'public' || c.scope === `user:${demoUser('private2Head').id}`)).toBe(true);
    expect(r.changes.some((c) => c.scope === `org:${ORG}`)).toBe(false);
  });
});

// Last: after every test above has exercised the routes.
it('every query the sync routes ran also compiles for PostgreSQL, with no SQLite-only SQL', () => {
  expect(portability.checked).toBeGreaterThan(100);
  expect(portability.violations).toEqual([]);
});
