import { sql } from 'kysely';
import type { Handlers } from '../../src-shared/rpc/dispatch';
import { AppError } from '../../src-shared/rpc/errors';
import type { AuthStatus, EmployeeRow } from '../../src-shared/accounts/rpc';
import { EMPLOYEE_ENTITY, type EmployeeRecord } from '../../src-shared/accounts/employee-mutations';
import { scopes } from '../../src-shared/sync/protocol';
import { uuidv7 } from '../../src-shared/sync/uuidv7';
import { foldForSearch } from '../sync/indexers';
import type { AccountManager } from './accounts';

type AccountHandlers<Ctx> = Pick<
  Handlers<Ctx>,
  'auth.status' | 'auth.signIn' | 'auth.signOut' | 'employees.list' | 'employees.register' | 'employees.setRoles' | 'employees.remove'
>;

export function authStatus(accounts: AccountManager): AuthStatus {
  const acc = accounts.current;
  if (!acc) return { signedIn: false, sessionExpired: false, user: null };
  return {
    signedIn: accounts.hasLiveSession(),
    sessionExpired: acc.sessionExpired,
    user: { id: acc.me.id, fullName: acc.me.fullName, email: acc.me.email, memberships: acc.me.memberships },
  };
}

export function accountHandlers<Ctx>(accounts: AccountManager): AccountHandlers<Ctx> {
  const afterMutation = () => accounts.current?.engine.poke();

  return {
    'auth.status': () => authStatus(accounts),
    'auth.signIn': async ({ login, password }) => {
      await accounts.signIn(login, password);
      return authStatus(accounts);
    },
    'auth.signOut': async () => {
      await accounts.signOut();
      return authStatus(accounts);
    },

    'employees.list': async ({ organizationId, query, role, offset, limit }) => {
      const acc = accounts.require();
      let q = acc.db.kysely
        .selectFrom('records_view')
        .where('entity_type', '=', EMPLOYEE_ENTITY)
        .where('scope', '=', scopes.organization(organizationId));
      if (query?.trim()) {
        // search_text is folded in JS (SQLite's LOWER() folds ASCII only); LIKE wildcards in the query are escaped.
        const needle = foldForSearch(query.trim()).replace(/[\\%_]/g, (ch) => `\\${ch}`);
        q = q.where(sql<boolean>`search_text LIKE ${`%${needle}%`} ESCAPE '\\'`);
      }
      if (role) q = q.where('tags', 'like', `%|${role}|%`);
      // One pass: the page and the total (window count) from the same scan.
      const rows = await q
        .select(['entity_id', 'version', 'data_json', 'pending'])
        .select(sql<number>`COUNT(*) OVER ()`.as('total'))
        .orderBy('sort_key')
        .orderBy('entity_id')
        .limit(limit)
        .offset(offset)
        .execute();
      const total = rows[0]?.total ?? (offset > 0 ? (await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0 : 0);
      const items: EmployeeRow[] = rows.map((r) => {
        const d = JSON.parse(r.data_json) as EmployeeRecord;
        return { membershipId: r.entity_id, userId: d.userId, fullName: d.fullName, email: d.email, roles: d.roles, version: r.version, pending: r.pending === 1 };
      });
      return { items, total: Number(total) };
    },

    'employees.register': (input) => {
      const acc = accounts.require();
      const membershipId = uuidv7();
      const { mutationId } = acc.local.mutate('employees.register', { ...input, membershipId }, accounts.actor());
      afterMutation();
      return { membershipId, mutationId };
    },
    'employees.setRoles': ({ organizationId, membershipId, roles }) => {
      const acc = accounts.require();
      acc.local.check('employees.setRoles', { organizationId, membershipId, roles, baseVersion: 0 }, accounts.actor());
      const amended = acc.local.amendUnsent('employees.register', (a) => a.membershipId === membershipId, (a) => ({ ...a, roles }), accounts.actor());
      if (amended) return { mutationId: amended };
      const baseVersion = confirmedVersion(accounts, membershipId);
      const { mutationId } = acc.local.mutate('employees.setRoles', { organizationId, membershipId, roles, baseVersion }, accounts.actor());
      afterMutation();
      return { mutationId };
    },
    'employees.remove': ({ organizationId, membershipId }) => {
      const acc = accounts.require();
      // Removing someone the portal never heard of just cancels the registration.
      acc.local.check('employees.remove', { organizationId, membershipId, baseVersion: 0 }, accounts.actor());
      const cancelled = acc.local.amendUnsent('employees.register', (a) => a.membershipId === membershipId, () => null, accounts.actor());
      if (cancelled) return { mutationId: cancelled };
      const baseVersion = confirmedVersion(accounts, membershipId);
      const { mutationId } = acc.local.mutate('employees.remove', { organizationId, membershipId, baseVersion }, accounts.actor());
      afterMutation();
      return { mutationId };
    },
  };
}

/** The version the user's edit is based on: what the portal last confirmed (0 if it never has). */
function confirmedVersion(accounts: AccountManager, membershipId: string): number {
  const acc = accounts.require();
  const row = acc.db.sqlite.prepare('SELECT version FROM records_view WHERE entity_type = ? AND entity_id = ?').get(EMPLOYEE_ENTITY, membershipId) as
    | { version: number }
    | undefined;
  if (!row) throw new AppError('not_found', 'No such employee');
  return row.version;
}
