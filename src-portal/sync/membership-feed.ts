/**
 * Memberships in the change feed: entity type `membership`, id = membership
 * id, scope `org:<organizationId>`, data = the shared `EmployeeRecord`.
 * Used by the sync mutations and by the REST employee routes, so both paths
 * publish the same shape.
 */
import { EMPLOYEE_ENTITY, type EmployeeRecord } from '../../src-shared/accounts/employee-mutations';
import { scopes } from '../../src-shared/sync/protocol';
import { ROLES } from '../../src-shared/accounts/roles';
import type { Db, Queryable, Trx } from '../db/schema';
import { parseRoles } from '../http/auth';
import { publishChange } from './feed';

export interface EmployeeRow {
  record: EmployeeRecord;
  version: number;
}

const byRoleOrder = (roles: EmployeeRecord['roles']): EmployeeRecord['roles'] => ROLES.filter((r) => roles.includes(r));

export async function loadEmployeeRecord(db: Queryable, membershipId: string): Promise<EmployeeRow | null> {
  const r = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.id', 'memberships.organization_id', 'memberships.user_id', 'memberships.roles_json', 'memberships.version', 'users.full_name', 'users.email'])
    .where('memberships.id', '=', membershipId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    version: r.version,
    record: { membershipId: r.id, organizationId: r.organization_id, userId: r.user_id, fullName: r.full_name, email: r.email, roles: byRoleOrder(parseRoles(r.roles_json)) },
  };
}

/** Publishes the membership's current state (call after writing it, in the same transaction). */
export async function publishMembership(trx: Trx, at: string, membershipId: string): Promise<number> {
  const row = await loadEmployeeRecord(trx, membershipId);
  if (!row) throw new Error(`membership ${membershipId} not found`);
  return publishChange(trx, at, {
    entityType: EMPLOYEE_ENTITY,
    entityId: membershipId,
    scope: scopes.organization(row.record.organizationId),
    op: 'put',
    version: row.version,
    data: row.record,
  });
}

/** Publishes a membership's removal; `lastVersion` is its version before the delete. */
export async function publishMembershipRemoved(trx: Trx, at: string, m: { membershipId: string; organizationId: string; lastVersion: number }): Promise<number> {
  return publishChange(trx, at, {
    entityType: EMPLOYEE_ENTITY,
    entityId: m.membershipId,
    scope: scopes.organization(m.organizationId),
    op: 'delete',
    version: m.lastVersion + 1,
    data: null,
  });
}

/**
 * Publishes memberships that have no feed row yet (demo seed, databases
 * from before the feed existed). Idempotent; runs at start.
 */
export async function backfillMembershipFeed(db: Db, nowIso: () => string): Promise<number> {
  const missing = await db
    .selectFrom('memberships')
    .leftJoin('change_feed', (j) => j.onRef('change_feed.entity_id', '=', 'memberships.id').on('change_feed.entity_type', '=', EMPLOYEE_ENTITY))
    .select('memberships.id')
    .where('change_feed.seq', 'is', null)
    .orderBy('memberships.created_at')
    .orderBy('memberships.id')
    .execute();
  if (missing.length === 0) return 0;
  await db.transaction().execute(async (trx) => {
    const at = nowIso();
    for (const m of missing) await publishMembership(trx, at, m.id);
  });
  return missing.length;
}
