/** Sign-in, sign-out, profile, password change, organizations and employees, user search. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import * as S from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import { canManageEmployees, canSeeEmployees, checkRoleChange } from '../../src-shared/accounts/permissions';
import { ROLES, type Role } from '../../src-shared/accounts/roles';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { userOf, parseRoles } from '../http/auth';
import { recordChange } from '../audit/audit';
import { notify } from '../notify/outbox';
import { dummyHash, hashPassword, isStrongEnough, newInitialPassword, newSessionToken, tokenHash, verifyPassword } from './passwords';
import { errorResponses } from '../http/responses';
import { publishMembership, publishMembershipRemoved } from '../sync/membership-feed';
import { lockFeed } from '../sync/feed';

/** The organization's name in every language: the message renderer picks the recipient's. */
const orgNameVars = (o: { name_kk: string; name_ru: string; name_en: string }) => ({ organization: o.name_kk, organization_ru: o.name_ru, organization_en: o.name_en });

const sortRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => roles.includes(r));

export async function loadMe(db: Queryable, userId: string): Promise<z.infer<typeof S.MeSchema>> {
  const u = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  const ms = await db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
    .select(['memberships.organization_id', 'memberships.roles_json', 'organizations.bin', 'organizations.name_kk'])
    .where('memberships.user_id', '=', userId)
    .orderBy('organizations.bin')
    .execute();
  return {
    id: u.id,
    fullName: u.full_name,
    email: u.email,
    iin: u.iin,
    phone: u.phone,
    preferredLanguage: u.preferred_language as z.infer<typeof S.LanguageSchema>,
    mustChangePassword: u.must_change_password === 1,
    version: u.version,
    memberships: ms.map((m) => ({ organizationId: m.organization_id, bin: m.bin, organizationName: m.name_kk, roles: parseRoles(m.roles_json) })),
  };
}

async function loadEmployees(db: Queryable, organizationId: string) {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.id', 'memberships.user_id', 'memberships.roles_json', 'memberships.version', 'users.full_name', 'users.email'])
    .where('memberships.organization_id', '=', organizationId)
    .orderBy('users.full_name')
    .execute();
  return rows.map((r) => ({ membershipId: r.id, userId: r.user_id, fullName: r.full_name, email: r.email, roles: parseRoles(r.roles_json), version: r.version }));
}

/**
 * Password guessing brake: after 10 failures for one login within 15 minutes, that login is refused
 * with `rate_limited` until the window passes. Kept in memory (a restart resets it), keyed by the
 * login string whether or not such an account exists, so it reveals nothing.
 */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

export function registerAccountRoutes(app0: FastifyInstance, ctx: PortalContext): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  const failures = new Map<string, { count: number; since: number }>();

  app.post('/api/auth/sign-in', {
    config: { auth: 'public' },
    schema: { tags: ['accounts'], summary: 'Password sign-in (login = e-mail or IIN)', body: S.SignInSchema, response: { 200: S.SessionSchema, ...errorResponses } },
  }, async (req) => {
    const login = req.body.login.toLowerCase();
    const nowMs = ctx.clock.now().getTime();
    const f = failures.get(login);
    if (f && nowMs - f.since > FAILURE_WINDOW_MS) failures.delete(login);
    else if (f && f.count >= MAX_FAILURES) {
      throw new AppError('rate_limited', 'Too many failed sign-ins for this login', { retryAfterSeconds: Math.ceil((f.since + FAILURE_WINDOW_MS - nowMs) / 1000) });
    }
    const user = await db.selectFrom('users').select(['id', 'password_hash']).where((eb) => eb.or([eb('email', '=', login), eb('iin', '=', login)])).executeTakeFirst();
    // Same work whether or not the account exists: no user enumeration by timing.
    const ok = await verifyPassword(req.body.password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok) {
      const cur = failures.get(login) ?? { count: 0, since: nowMs };
      cur.count++;
      failures.set(login, cur);
      if (failures.size > 100_000) failures.clear(); // bounded memory under a spray of logins
      throw new AppError('invalid_credentials', 'Wrong login or password');
    }
    failures.delete(login);
    const token = newSessionToken();
    const now = ctx.clock.now();
    const expiresAt = new Date(now.getTime() + ctx.limits.sessionTtlMs).toISOString();
    await db.insertInto('sessions').values({ token_hash: tokenHash(token), user_id: user.id, created_at: now.toISOString(), expires_at: expiresAt }).execute();
    return { token, expiresAt, user: await loadMe(db, user.id) };
  });

  app.post('/api/auth/sign-out', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'Ends this session', response: { 200: S.OkSchema, ...errorResponses } },
  }, async (req) => {
    const token = (req.headers.authorization ?? '').slice(7).trim();
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
    return { ok: true as const };
  });

  app.get('/api/me', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'The signed-in user with memberships', response: { 200: S.MeSchema, ...errorResponses } },
  }, async (req) => loadMe(db, userOf(req).id));

  app.patch('/api/me', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'Updates the preferred language', body: S.ProfileUpdateSchema, response: { 200: S.MeSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    await db.transaction().execute(async (trx) => {
      const now = ctx.nowIso();
      await trx.updateTable('users').set((eb) => ({ preferred_language: req.body.preferredLanguage, version: eb('version', '+', 1), updated_at: now })).where('id', '=', me.id).execute();
      await recordChange(trx, now, { actorUserId: me.id, entityType: 'user', entityId: me.id, recordType: 'user', recordId: me.id, action: 'user.profile_updated', data: { preferredLanguage: req.body.preferredLanguage } });
    });
    return loadMe(db, me.id);
  });

  app.post('/api/me/password', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'Changes the password; other sessions are signed out', body: S.PasswordChangeSchema, response: { 200: S.OkSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const row = await db.selectFrom('users').select('password_hash').where('id', '=', me.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(req.body.currentPassword, row.password_hash))) throw new AppError('invalid_credentials', 'Current password is wrong');
    if (!isStrongEnough(req.body.newPassword)) throw new AppError('weak_password', 'Password too weak', { minLength: 10 });
    const newHash = await hashPassword(req.body.newPassword);
    const keep = tokenHash((req.headers.authorization ?? '').slice(7).trim());
    await db.transaction().execute(async (trx) => {
      const now = ctx.nowIso();
      await trx.updateTable('users').set((eb) => ({ password_hash: newHash, must_change_password: 0, version: eb('version', '+', 1), updated_at: now })).where('id', '=', me.id).execute();
      await trx.deleteFrom('sessions').where('user_id', '=', me.id).where('token_hash', '!=', keep).execute();
      await recordChange(trx, now, { actorUserId: me.id, entityType: 'user', entityId: me.id, recordType: 'user', recordId: me.id, action: 'user.password_changed', data: {} });
      await notify(trx, now, { userId: me.id, kind: 'passwordChanged', vars: { name: me.fullName } });
    });
    return { ok: true as const };
  });

  app.get('/api/orgs/by-bin/:bin', {
    config: { auth: 'public' },
    schema: {
      tags: ['organizations'],
      summary: 'Public lookup by BIN: name and employees with role Head only',
      params: z.object({ bin: S.BinSchema }),
      response: { 200: S.PublicOrganizationSchema, ...errorResponses },
    },
  }, async (req) => {
    const org = await db.selectFrom('organizations').selectAll().where('bin', '=', req.params.bin).executeTakeFirst();
    if (!org) throw new AppError('not_found', 'No organization with this BIN');
    const heads = (await loadEmployees(db, org.id)).filter((e) => e.roles.includes('head')).map((e) => ({ userId: e.userId, fullName: e.fullName }));
    return { id: org.id, bin: org.bin, name: org.name_kk, names: { kk: org.name_kk, ru: org.name_ru, en: org.name_en }, kind: org.kind as z.infer<typeof S.OrganizationKindSchema>, heads };
  });

  const OrgParams = z.object({ orgId: S.IdSchema });
  app.get('/api/orgs/:orgId/employees', {
    config: { auth: 'user' },
    schema: { tags: ['organizations'], summary: 'Employees with roles (members of the organization only)', params: OrgParams, response: { 200: S.EmployeeListSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    if (!canSeeEmployees(me.memberships, req.params.orgId)) throw new AppError('forbidden', 'Only employees of the organization see its employees');
    return { organizationId: req.params.orgId, employees: await loadEmployees(db, req.params.orgId) };
  });

  app.post('/api/orgs/:orgId/employees', {
    config: { auth: 'user' },
    schema: {
      tags: ['organizations'],
      summary: 'The Head registers an employee (creating the account if the IIN is new) and assigns roles',
      params: OrgParams,
      body: S.RegisterEmployeeSchema,
      response: { 200: S.RegisteredEmployeeSchema, ...errorResponses },
    },
  }, async (req) => {
    const me = userOf(req);
    const { orgId } = req.params;
    if (!canManageEmployees(me.memberships, orgId)) throw new AppError('forbidden', 'Only the Head registers employees');
    const b = req.body;
    const email = b.email.toLowerCase();
    const roles = sortRoles(b.roles);
    const initialPassword = newInitialPassword();
    const initialHash = await hashPassword(initialPassword);
    return db.transaction().execute(async (trx) => {
      // Take the feed lock first, as a sync push does: on PostgreSQL the two would otherwise deadlock.
      await lockFeed(trx);
      const now = ctx.nowIso();
      const org = await trx.selectFrom('organizations').select(['id', 'name_kk', 'name_ru', 'name_en']).where('id', '=', orgId).executeTakeFirst();
      if (!org) throw new AppError('not_found', 'Organization not found');
      let user = await trx.selectFrom('users').select(['id', 'full_name', 'email']).where('iin', '=', b.iin).executeTakeFirst();
      let created = false;
      if (!user) {
        const clash = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
        if (clash) throw new AppError('conflict', 'This e-mail belongs to another account', { field: 'email' });
        const id = uuidv7();
        await trx.insertInto('users').values({
          id, iin: b.iin, email, phone: b.phone ?? null, full_name: b.fullName, search_name: b.fullName.toLowerCase(), password_hash: initialHash,
          preferred_language: b.preferredLanguage, must_change_password: 1, version: 1, created_at: now, updated_at: now,
        }).execute();
        await recordChange(trx, now, { actorUserId: me.id, entityType: 'user', entityId: id, recordType: 'organization', recordId: orgId, action: 'user.created', data: { fullName: b.fullName } });
        user = { id, full_name: b.fullName, email };
        created = true;
      }
      const existing = await trx.selectFrom('memberships').select('id').where('organization_id', '=', orgId).where('user_id', '=', user.id).executeTakeFirst();
      if (existing) throw new AppError('conflict', 'Already an employee of this organization', { membershipId: existing.id });
      const membershipId = uuidv7();
      await trx.insertInto('memberships').values({ id: membershipId, organization_id: orgId, user_id: user.id, roles_json: JSON.stringify(roles), version: 1, created_at: now, updated_at: now }).execute();
      await recordChange(trx, now, { actorUserId: me.id, entityType: 'membership', entityId: membershipId, recordType: 'organization', recordId: orgId, action: 'membership.created', toStatus: 'active', data: { userId: user.id, roles } });
      await publishMembership(trx, now, membershipId);
      await notify(trx, now, { userId: user.id, kind: 'employeeAdded', vars: { name: user.full_name, ...orgNameVars(org), roles: roles.join(',') } });
      return { membershipId, userId: user.id, fullName: user.full_name, email: user.email, roles, version: 1, ...(created ? { initialPassword } : {}) };
    });
  });

  const EmpParams = z.object({ orgId: S.IdSchema, userId: S.IdSchema });
  app.put('/api/orgs/:orgId/employees/:userId/roles', {
    config: { auth: 'user' },
    schema: { tags: ['organizations'], summary: 'The Head sets an employee\'s roles (optimistic: send the version you saw)', params: EmpParams, body: S.SetRolesSchema, response: { 200: S.EmployeeSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const { orgId, userId } = req.params;
    if (!canManageEmployees(me.memberships, orgId)) throw new AppError('forbidden', 'Only the Head assigns roles');
    const roles = sortRoles(req.body.roles);
    return db.transaction().execute(async (trx) => {
      // Take the feed lock first, as a sync push does: on PostgreSQL the two would otherwise deadlock.
      await lockFeed(trx);
      const now = ctx.nowIso();
      const employees = await loadEmployees(trx, orgId);
      const target = employees.find((e) => e.userId === userId);
      if (!target) throw new AppError('not_found', 'Not an employee of this organization');
      if (target.version !== req.body.version) throw new AppError('conflict', 'The employee was changed by someone else', { currentVersion: target.version, roles: target.roles });
      const problem = checkRoleChange(employees, { userId, roles });
      if (problem === 'last_head') throw new AppError('last_head', 'The organization must keep at least one Head');
      await trx.updateTable('memberships').set({ roles_json: JSON.stringify(roles), version: target.version + 1, updated_at: now }).where('id', '=', target.membershipId).execute();
      await recordChange(trx, now, { actorUserId: me.id, entityType: 'membership', entityId: target.membershipId, recordType: 'organization', recordId: orgId, action: 'membership.roles_changed', data: { userId, from: target.roles, to: roles } });
      await publishMembership(trx, now, target.membershipId);
      const org = await trx.selectFrom('organizations').select(['name_kk', 'name_ru', 'name_en']).where('id', '=', orgId).executeTakeFirstOrThrow();
      await notify(trx, now, { userId, kind: 'rolesChanged', vars: { name: target.fullName, ...orgNameVars(org), roles: roles.join(',') } });
      return { ...target, roles, version: target.version + 1 };
    });
  });

  app.delete('/api/orgs/:orgId/employees/:userId', {
    config: { auth: 'user' },
    schema: { tags: ['organizations'], summary: 'The Head removes an employee from the organization', params: EmpParams, response: { 200: S.OkSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const { orgId, userId } = req.params;
    if (!canManageEmployees(me.memberships, orgId)) throw new AppError('forbidden', 'Only the Head removes employees');
    await db.transaction().execute(async (trx) => {
      // Take the feed lock first, as a sync push does: on PostgreSQL the two would otherwise deadlock.
      await lockFeed(trx);
      const now = ctx.nowIso();
      const employees = await loadEmployees(trx, orgId);
      const target = employees.find((e) => e.userId === userId);
      if (!target) throw new AppError('not_found', 'Not an employee of this organization');
      if (checkRoleChange(employees, { userId, roles: null }) === 'last_head') throw new AppError('last_head', 'The organization must keep at least one Head');
      await trx.deleteFrom('memberships').where('id', '=', target.membershipId).execute();
      await recordChange(trx, now, { actorUserId: me.id, entityType: 'membership', entityId: target.membershipId, recordType: 'organization', recordId: orgId, action: 'membership.removed', fromStatus: 'active', toStatus: 'removed', data: { userId, roles: target.roles } });
      await publishMembershipRemoved(trx, now, { membershipId: target.membershipId, organizationId: orgId, lastVersion: target.version });
    });
    return { ok: true as const };
  });

  app.get('/api/users/search', {
    config: { auth: 'user' },
    schema: { tags: ['accounts'], summary: 'Finds users by name (≥ 3 characters, ≤ 20 results; name and organizations only)', querystring: S.UserSearchQuerySchema, response: { 200: S.UserSearchResultSchema, ...errorResponses } },
  }, async (req) => {
    // Wildcards are dropped rather than escaped: LIKE escapes differ between SQLite and PostgreSQL.
    const q = req.query.q.toLowerCase().replace(/[\\%_]/g, '');
    const users = await db.selectFrom('users').select(['id', 'full_name']).where((eb) => eb('search_name', 'like', `%${q}%`)).orderBy('full_name').limit(20).execute();
    const ids = users.map((u) => u.id);
    const orgs = ids.length
      ? await db.selectFrom('memberships').innerJoin('organizations', 'organizations.id', 'memberships.organization_id').select(['memberships.user_id', 'organizations.bin', 'organizations.name_kk']).where('memberships.user_id', 'in', ids).execute()
      : [];
    return {
      users: users.map((u) => ({ userId: u.id, fullName: u.full_name, organizations: orgs.filter((o) => o.user_id === u.id).map((o) => ({ bin: o.bin, name: o.name_kk })) })),
    };
  });
}
