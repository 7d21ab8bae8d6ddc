/**
 * Portal side of the employees mutations (src-shared/accounts/employee-mutations.ts):
 * loads the state the shared rule needs, detects stale versions, and applies
 * register / setRoles / remove with audit entry, feed change and notifications.
 */
import { v7 as uuidv7 } from 'uuid';
import {
  EMPLOYEE_ENTITY,
  employeeMutations,
  type EmployeeState,
  type RegisterEmployeeArgs,
  type RemoveEmployeeArgs,
  type SetRolesArgs,
} from '../../src-shared/accounts/employee-mutations';
import { ROLES, type Role } from '../../src-shared/accounts/roles';
import { AppError, type AppErrorShape } from '../../src-shared/rpc/errors';
import type { Trx } from '../db/schema';
import { membershipsOf, parseRoles } from '../http/auth';
import { recordChange } from '../audit/audit';
import { notify, messageIdFor } from '../notify/outbox';
import { hashPassword, newInitialPassword } from '../accounts/passwords';
import type { PortalMutation, SyncActor } from './handler';
import { loadEmployeeRecord, publishMembership, publishMembershipRemoved } from './membership-feed';
import { MAX_OWN_CHAIN, lastEntries, madeByThisDevice } from './own-changes';

const sortRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => roles.includes(r));

async function loadEmployeeState(trx: Trx, actor: SyncActor, organizationId: string): Promise<EmployeeState> {
  const rows = await trx.selectFrom('memberships').select(['id', 'user_id', 'roles_json', 'version']).where('organization_id', '=', organizationId).execute();
  return {
    actor: await membershipsOf(trx, actor.id),
    employees: rows.map((r) => ({ membershipId: r.id, userId: r.user_id, roles: parseRoles(r.roles_json), version: r.version })),
  };
}

/**
 * baseVersion 0 is what the app holds for a membership it registered itself
 * and the portal has not confirmed yet; the portal gives a new membership
 * version 1, so 0 means "built on the version the portal created".
 */
const effectiveBase = (baseVersion: number): number => (baseVersion === 0 ? 1 : baseVersion);

/** The latest audit entry of a membership, as `conflict` details: who changed what, when, and what it is now. */
async function conflictDetails(trx: Trx, membershipId: string, current: { roles: readonly Role[]; version: number } | null): Promise<Record<string, unknown>> {
  const last = await trx
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select(['audit_log.at', 'audit_log.action', 'audit_log.actor_user_id', 'users.full_name'])
    .where('audit_log.entity_type', '=', EMPLOYEE_ENTITY)
    .where('audit_log.entity_id', '=', membershipId)
    .orderBy('audit_log.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    changedBy: last?.full_name ?? null,
    changedByUserId: last?.actor_user_id ?? null,
    changedAt: last?.at ?? null,
    action: last?.action ?? null,
    field: current ? 'roles' : 'membership',
    current: current ? current.roles : null,
    currentVersion: current ? current.version : null,
  };
}

async function staleness(trx: Trx, state: EmployeeState, args: { membershipId: string; baseVersion: number }, actor: SyncActor): Promise<AppErrorShape | null> {
  const target = state.employees.find((e) => e.membershipId === args.membershipId);
  if (target) {
    const since = target.version - effectiveBase(args.baseVersion);
    if (since === 0) return null;
    // Every version after base is one audit entry; if this device made them all, it built on them.
    if (since > 0 && since <= MAX_OWN_CHAIN && (await madeByThisDevice(trx, actor, await lastEntries(trx, EMPLOYEE_ENTITY, args.membershipId, since)))) return null;
    return { code: 'conflict', message: 'The employee was changed by someone else', details: await conflictDetails(trx, args.membershipId, target) };
  }
  // Removed since the client saw it: say who removed it rather than "not found".
  const removed = await trx.selectFrom('audit_log').select('seq').where('entity_type', '=', EMPLOYEE_ENTITY).where('entity_id', '=', args.membershipId).where('action', '=', 'membership.removed').executeTakeFirst();
  if (removed) return { code: 'conflict', message: 'The employee was removed by someone else', details: await conflictDetails(trx, args.membershipId, null) };
  return null;
}

async function orgName(trx: Trx, organizationId: string): Promise<string> {
  const org = await trx.selectFrom('organizations').select('name_kk').where('id', '=', organizationId).executeTakeFirst();
  if (!org) throw new AppError('not_found', 'Organization not found');
  return org.name_kk;
}

/**
 * An e-mail only (no in-app copy): the initial password must not sit in the
 * notifications list. It goes through the same outbox, so it is sent once,
 * after commit, and never blocks the change.
 */
async function emailOnly(trx: Trx, now: string, userId: string, template: string, vars: Record<string, string>): Promise<void> {
  const user = await trx.selectFrom('users').select(['email', 'preferred_language']).where('id', '=', userId).executeTakeFirstOrThrow();
  const id = uuidv7();
  await trx
    .insertInto('email_outbox')
    .values({
      id, user_id: userId, to_address: user.email, language: user.preferred_language, template, vars_json: JSON.stringify(vars),
      message_id: messageIdFor(id, 'seriktes.portal'), status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, created_at: now, sent_at: null,
    })
    .execute();
}

const register: PortalMutation<RegisterEmployeeArgs, EmployeeState, { password: string; hash: string }> = {
  def: employeeMutations['employees.register'],
  async prepare() {
    const password = newInitialPassword();
    return { password, hash: await hashPassword(password) };
  },
  loadState: (trx, actor, args) => loadEmployeeState(trx, actor, args.organizationId),
  async apply({ trx, actor, now, mutationId, args, prepared }) {
    const organization = await orgName(trx, args.organizationId);
    const taken = await trx.selectFrom('memberships').select('organization_id').where('id', '=', args.membershipId).executeTakeFirst();
    if (taken) throw new AppError('conflict', 'This membership id is already used', { field: 'membershipId' });
    const roles = sortRoles(args.roles);
    let user = await trx.selectFrom('users').select(['id', 'full_name']).where('iin', '=', args.iin).executeTakeFirst();
    let created = false;
    if (!user) {
      const clash = await trx.selectFrom('users').select('id').where('email', '=', args.email).executeTakeFirst();
      if (clash) throw new AppError('conflict', 'This e-mail belongs to another account', { field: 'email' });
      const id = uuidv7();
      await trx.insertInto('users').values({
        id, iin: args.iin, email: args.email, phone: args.phone ?? null, full_name: args.fullName, search_name: args.fullName.toLowerCase(),
        password_hash: prepared.hash, preferred_language: args.preferredLanguage, must_change_password: 1, version: 1, created_at: now, updated_at: now,
      }).execute();
      await recordChange(trx, now, { actorUserId: actor.id, entityType: 'user', entityId: id, recordType: 'organization', recordId: args.organizationId, action: 'user.created', data: { fullName: args.fullName, mutationId } });
      user = { id, full_name: args.fullName };
      created = true;
    }
    const existing = await trx.selectFrom('memberships').select('id').where('organization_id', '=', args.organizationId).where('user_id', '=', user.id).executeTakeFirst();
    if (existing) throw new AppError('conflict', 'Already an employee of this organization', { membershipId: existing.id });
    await trx.insertInto('memberships').values({ id: args.membershipId, organization_id: args.organizationId, user_id: user.id, roles_json: JSON.stringify(roles), version: 1, created_at: now, updated_at: now }).execute();
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: EMPLOYEE_ENTITY, entityId: args.membershipId, recordType: 'organization', recordId: args.organizationId,
      action: 'membership.created', toStatus: 'active', data: { userId: user.id, roles, mutationId },
    });
    const seq = await publishMembership(trx, now, args.membershipId);
    await notify(trx, now, { userId: user.id, kind: 'employeeAdded', vars: { name: user.full_name, organization, roles: roles.join(',') } });
    if (created) await emailOnly(trx, now, user.id, 'accountCreated', { name: user.full_name, organization, login: args.email, password: prepared.password });
    const row = await loadEmployeeRecord(trx, args.membershipId);
    // The result is stored for replays: it never carries the initial password.
    return { result: { version: row!.version, record: row!.record, accountCreated: created }, seq };
  },
};

const setRoles: PortalMutation<SetRolesArgs, EmployeeState> = {
  def: employeeMutations['employees.setRoles'],
  loadState: (trx, actor, args) => loadEmployeeState(trx, actor, args.organizationId),
  staleness,
  async apply({ trx, actor, now, mutationId, args, state }) {
    const target = state.employees.find((e) => e.membershipId === args.membershipId)!;
    const roles = sortRoles(args.roles);
    const version = target.version + 1;
    await trx.updateTable('memberships').set({ roles_json: JSON.stringify(roles), version, updated_at: now }).where('id', '=', target.membershipId).execute();
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: EMPLOYEE_ENTITY, entityId: target.membershipId, recordType: 'organization', recordId: args.organizationId,
      action: 'membership.roles_changed', data: { userId: target.userId, from: sortRoles(target.roles), to: roles, mutationId },
    });
    const seq = await publishMembership(trx, now, target.membershipId);
    const row = (await loadEmployeeRecord(trx, target.membershipId))!;
    await notify(trx, now, { userId: row.record.userId!, kind: 'rolesChanged', vars: { name: row.record.fullName, organization: await orgName(trx, args.organizationId), roles: roles.join(',') } });
    return { result: { version: row.version, record: row.record }, seq };
  },
};

const remove: PortalMutation<RemoveEmployeeArgs, EmployeeState> = {
  def: employeeMutations['employees.remove'],
  loadState: (trx, actor, args) => loadEmployeeState(trx, actor, args.organizationId),
  staleness,
  async apply({ trx, actor, now, mutationId, args, state }) {
    const target = state.employees.find((e) => e.membershipId === args.membershipId)!;
    await trx.deleteFrom('memberships').where('id', '=', target.membershipId).execute();
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: EMPLOYEE_ENTITY, entityId: target.membershipId, recordType: 'organization', recordId: args.organizationId,
      action: 'membership.removed', fromStatus: 'active', toStatus: 'removed', data: { userId: target.userId, roles: sortRoles(target.roles), mutationId },
    });
    const seq = await publishMembershipRemoved(trx, now, { membershipId: target.membershipId, organizationId: args.organizationId, lastVersion: target.version });
    return { result: { version: target.version + 1, membershipId: target.membershipId }, seq };
  },
};

export const employeePortalMutations = {
  'employees.register': register,
  'employees.setRoles': setRoles,
  'employees.remove': remove,
};
