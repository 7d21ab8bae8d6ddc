/** Accounts, sessions, organizations, employees, user search, reference data, seed. */
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, demoBin, demoId, demoUser, freshIin, signIn, startTestPortal, tmpDir, DEMO_PASSWORD } from './helpers';
import { seedDemoData } from '../../src-portal/seed/seed';
import { auditHead } from '../../src-portal/audit/audit';
import { isValidBin } from '../../src-shared/domain/identity';
import { REQUIREMENT_TYPES } from '../../src-shared/reference/requirements';

let portal: Awaited<ReturnType<typeof startTestPortal>>;
let head = '';
const ORG = demoId('org', 'organizer');

beforeAll(async () => {
  portal = await startTestPortal({ limits: { sessionTtlMs: 3600_000 } });
  head = await signIn(portal.url, 'orgHead');
});
afterAll(async () => portal.cleanup());

describe('sign-in and sessions', () => {
  it('wrong password and unknown login get the same answer; tokens are stored only as hashes', async () => {
    const a = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: demoUser('orgHead').email, password: 'wrong-password-1' } });
    const b = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: 'nobody@example.kz', password: 'wrong-password-1' } });
    expect(a.status).toBe(401);
    expect(a.json).toEqual(b.json);
    expect(a.json.code).toBe('invalid_credentials');
    const byIin = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: (await call(portal.url, 'GET', '/api/me', { token: head })).json.iin, password: DEMO_PASSWORD } });
    expect(byIin.status).toBe(200);
    const db = new SQLite(path.join(portal.dataDir, 'portal.sqlite'), { readonly: true });
    const rows = db.prepare('select token_hash from sessions').all() as { token_hash: string }[];
    db.close();
    expect(rows.some((r) => r.token_hash === head)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('too many failed sign-ins for one login are rate limited; other logins are not', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: 'guess@example.kz', password: `guess-${i}` } })).json.code).toBe('invalid_credentials');
    }
    const r = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: 'guess@example.kz', password: 'guess-x' } });
    expect(r.status).toBe(429);
    expect(r.json.code).toBe('rate_limited');
    expect(r.json.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await signIn(portal.url, 'stateHead')).toBeTruthy();
  });

  it('a session expires by the portal clock', async () => {
    const token = await signIn(portal.url, 'customer');
    expect((await call(portal.url, 'GET', '/api/me', { token })).status).toBe(200);
    await call(portal.url, 'POST', '/api/demo/clock', { body: { advanceMs: 3600_000 + 1000 } });
    const r = await call(portal.url, 'GET', '/api/me', { token });
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('session_expired');
    head = await signIn(portal.url, 'orgHead');
  });

  it('password change: checks the current one and strength, signs out other sessions', async () => {
    const t1 = await signIn(portal.url, 'supplier');
    const t2 = await signIn(portal.url, 'supplier');
    expect((await call(portal.url, 'POST', '/api/me/password', { token: t1, body: { currentPassword: 'nope-nope-1', newPassword: 'Another-pass-2027' } })).json.code).toBe('invalid_credentials');
    expect((await call(portal.url, 'POST', '/api/me/password', { token: t1, body: { currentPassword: DEMO_PASSWORD, newPassword: 'short' } })).json.code).toBe('weak_password');
    expect((await call(portal.url, 'POST', '/api/me/password', { token: t1, body: { currentPassword: DEMO_PASSWORD, newPassword: 'Another-pass-2027' } })).status).toBe(200);
    expect((await call(portal.url, 'GET', '/api/me', { token: t1 })).status).toBe(200);
    expect((await call(portal.url, 'GET', '/api/me', { token: t2 })).status).toBe(401);
    await expect(signIn(portal.url, 'supplier')).rejects.toThrow();
    expect(await signIn(portal.url, 'supplier', 'Another-pass-2027')).toBeTruthy();
  });
});

describe('organizations and employees', () => {
  it('public lookup by BIN shows name and Heads only; a bad check digit is refused', async () => {
    const bin = demoBin('state');
    expect(isValidBin(bin)).toBe(true);
    const r = await call(portal.url, 'GET', `/api/orgs/by-bin/${bin}`);
    expect(r.status).toBe(200);
    expect(r.json.heads).toEqual([{ userId: demoId('user', 'stateHead'), fullName: demoUser('stateHead').fullName }]);
    expect(JSON.stringify(r.json)).not.toMatch(/@|iin/i);
    const wrong = bin.slice(0, 11) + String((Number(bin[11]) + 1) % 10);
    const bad = await call(portal.url, 'GET', `/api/orgs/by-bin/${wrong}`);
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('invalid_input');
  });

  it('the Head registers an employee who signs in with the one-time password', async () => {
    const iin = freshIin();
    const r = await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin, fullName: 'Әлиева Дана', email: 'Dana@Example.kz', roles: ['organizer', 'secretary'], preferredLanguage: 'en' } });
    expect(r.status).toBe(200);
    expect(r.json.roles).toEqual(['organizer', 'secretary']);
    const s = await call(portal.url, 'POST', '/api/auth/sign-in', { body: { login: 'dana@example.kz', password: r.json.initialPassword } });
    expect(s.status).toBe(200);
    expect(s.json.user).toMatchObject({ mustChangePassword: true, preferredLanguage: 'en', memberships: [{ organizationId: ORG, roles: ['organizer', 'secretary'] }] });
    // Registering the same person again is a conflict; the same IIN in a second organization reuses the account.
    expect((await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin, fullName: 'Әлиева Дана', email: 'dana@example.kz', roles: ['secretary'] } })).status).toBe(409);
    const other = await signIn(portal.url, 'private1Head');
    const r2 = await call(portal.url, 'POST', `/api/orgs/${demoId('org', 'private1')}/employees`, { token: other, body: { iin, fullName: 'ignored', email: 'ignored@example.kz', roles: ['supplier'] } });
    expect(r2.status).toBe(200);
    expect(r2.json.userId).toBe(r.json.userId);
    expect(r2.json.initialPassword).toBeUndefined();
  });

  it('roles use optimistic versions; the last Head cannot be removed', async () => {
    const list = await call(portal.url, 'GET', `/api/orgs/${ORG}/employees`, { token: head });
    const me = list.json.employees.find((e: { userId: string }) => e.userId === demoId('user', 'orgHead'));
    const demote = await call(portal.url, 'PUT', `/api/orgs/${ORG}/employees/${me.userId}/roles`, { token: head, body: { roles: ['organizer'], version: me.version } });
    expect(demote.status).toBe(409);
    expect(demote.json.code).toBe('last_head');
    const del = await call(portal.url, 'DELETE', `/api/orgs/${ORG}/employees/${me.userId}`, { token: head });
    expect(del.json.code).toBe('last_head');
    const org = list.json.employees.find((e: { userId: string }) => e.userId === demoId('user', 'organizer'));
    const ok = await call(portal.url, 'PUT', `/api/orgs/${ORG}/employees/${org.userId}/roles`, { token: head, body: { roles: ['organizer', 'secretary'], version: org.version } });
    expect(ok.json.version).toBe(org.version + 1);
    const stale = await call(portal.url, 'PUT', `/api/orgs/${ORG}/employees/${org.userId}/roles`, { token: head, body: { roles: ['organizer'], version: org.version } });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ code: 'conflict', details: { currentVersion: org.version + 1 } });
  });

  it('user search: ≥ 3 characters, ≤ 20 results, name and organizations only', async () => {
    for (let i = 0; i < 22; i++) {
      await call(portal.url, 'POST', `/api/orgs/${ORG}/employees`, { token: head, body: { iin: freshIin(), fullName: `Іздеу Тестов ${i}`, email: `search${i}@example.kz`, phone: '+7 701 000 00 00', roles: ['secretary'] } });
    }
    const r = await call(portal.url, 'GET', '/api/users/search', { token: head, query: { q: 'іздеу' } });
    expect(r.status).toBe(200);
    expect(r.json.users).toHaveLength(20);
    for (const u of r.json.users) expect(Object.keys(u).sort()).toEqual(['fullName', 'organizations', 'userId']);
    expect(JSON.stringify(r.json)).not.toMatch(/@|\+7|iin|phone|email/i);
    expect((await call(portal.url, 'GET', '/api/users/search', { token: head, query: { q: 'із' } })).status).toBe(400);
  });
});

describe('reference data and seed', () => {
  it('serves methods (direct negotiations with minDiscussionDays) and AKI templates with all six requirement types', async () => {
    const m = await call(portal.url, 'GET', '/api/reference/methods');
    expect(m.json.methods.find((x: { code: string }) => x.code === 'direct_negotiations')).toMatchObject({ name: { kk: 'Тікелей келіссөздер' }, minDiscussionDays: 15 });
    const g = await call(portal.url, 'GET', '/api/reference/aki-groups');
    expect(g.json.groups.length).toBeGreaterThanOrEqual(2);
    const cat = g.json.groups[0].categories[0];
    const t = await call(portal.url, 'GET', `/api/reference/aki-categories/${cat.id}/requirements`);
    expect(new Set(t.json.template.requirements.map((x: { type: string }) => x.type))).toEqual(new Set(REQUIREMENT_TYPES));
    expect((await call(portal.url, 'GET', `/api/reference/aki-categories/${cat.id}/requirements`, { query: { version: 9 } })).status).toBe(404);
  });

  it('DEMO_ACCOUNTS.md lists every demo account, IIN and BIN of the seed', async () => {
    const { DEMO_USERS, DEMO_ORGS } = await import('../../src-portal/seed/demo-data');
    const { demoIin } = await import('../../src-portal/seed/seed');
    const doc = fs.readFileSync(path.resolve(__dirname, '../../src-portal/DEMO_ACCOUNTS.md'), 'utf8');
    for (const u of DEMO_USERS) {
      expect(doc).toContain(u.email);
      expect(doc).toContain(demoIin(u.key));
    }
    for (const o of DEMO_ORGS) expect(doc).toContain(demoBin(o.key));
    expect(doc).toContain(DEMO_PASSWORD);
  });

  it('seed is idempotent (function and CLI)', async () => {
    const before = await auditHead(portal.db);
    expect((await seedDemoData(portal.ctx)).created).toBe(0);
    expect(await auditHead(portal.db)).toEqual(before);
    const dir = tmpDir();
    try {
      const root = path.resolve(__dirname, '../..');
      const run = () => spawnSync(process.execPath, [path.join(root, 'dist/portal/cli.cjs'), 'seed', '--data', dir], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      const first = run();
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/seeded .*: [1-9]\d* rows created/);
      const second = run();
      expect(second.stdout).toMatch(/: 0 rows created/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
