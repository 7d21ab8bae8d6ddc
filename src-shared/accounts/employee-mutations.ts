/**
 * The employees feature as synced mutations: the Head of an organization
 * registers employees, sets their roles and removes them. The same `check`
 * runs in the app (before anything is queued) and on the portal (which
 * decides); `applyLocal` is the optimistic view until the portal answers.
 */
import { z } from 'zod';
import { ROLES, type Role } from './roles';
import { canManageEmployees, checkRoleChange, type MembershipView } from './permissions';
import { isValidIin } from '../domain/identity';
import { safeText } from '../domain/text';
import type { AppErrorShape } from '../rpc/errors';
import type { LocalStore, MutationDef } from '../sync/mutation-def';
import { scopes } from '../sync/protocol';

export const EMPLOYEE_ENTITY = 'membership';

export interface EmployeeRecord {
  membershipId: string;
  organizationId: string;
  userId: string | null; // null until the portal has created or found the account
  fullName: string;
  email: string;
  roles: Role[];
}

/** What the rules need: the actor's memberships and the organization's current employees. */
export interface EmployeeState {
  actor: readonly MembershipView[];
  employees: readonly { membershipId: string; userId: string | null; roles: readonly Role[]; version: number }[];
}

const RoleList = z
  .array(z.enum(ROLES))
  .min(1)
  .max(ROLES.length)
  // Canonical order (the order of ROLES), the same the portal stores: no reshuffle when the portal confirms.
  .transform((roles) => ROLES.filter((r) => roles.includes(r)));

export const RegisterEmployeeArgs = z
  .object({
    organizationId: z.string().uuid(),
    membershipId: z.string().uuid(),
    iin: z.string().refine(isValidIin, { message: 'invalid_iin' }),
    fullName: safeText({ max: 200, min: 1 }),
    email: z.string().trim().toLowerCase().email().max(200),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{7,20}$/).optional(),
    preferredLanguage: z.enum(['kk', 'ru', 'en']).default('kk'),
    roles: RoleList,
  })
  .strict();
export type RegisterEmployeeArgs = z.infer<typeof RegisterEmployeeArgs>;

export const SetRolesArgs = z
  .object({
    organizationId: z.string().uuid(),
    membershipId: z.string().uuid(),
    roles: RoleList,
    /** The version the user saw; the portal answers `conflict` if someone changed it since. */
    baseVersion: z.number().int().min(0),
  })
  .strict();
export type SetRolesArgs = z.infer<typeof SetRolesArgs>;

export const RemoveEmployeeArgs = z
  .object({ organizationId: z.string().uuid(), membershipId: z.string().uuid(), baseVersion: z.number().int().min(0) })
  .strict();
export type RemoveEmployeeArgs = z.infer<typeof RemoveEmployeeArgs>;

const forbidden = (message: string): AppErrorShape => ({ code: 'forbidden', message });

function checkTarget(state: EmployeeState, membershipId: string): AppErrorShape | null {
  return state.employees.some((e) => e.membershipId === membershipId) ? null : { code: 'not_found', message: 'Not an employee of this organization' };
}

function roleProblem(state: EmployeeState, membershipId: string, roles: readonly Role[] | null): AppErrorShape | null {
  const employees = state.employees.map((e) => ({ userId: e.membershipId, roles: e.roles }));
  const problem = checkRoleChange(employees, { userId: membershipId, roles });
  if (problem === 'last_head') return { code: 'last_head', message: 'The organization must keep at least one Head' };
  if (problem === 'no_roles') return { code: 'invalid_input', message: 'An employee needs at least one role' };
  return null;
}

const putEmployee = (store: LocalStore, version: number, data: EmployeeRecord) =>
  store.put({ entityType: EMPLOYEE_ENTITY, entityId: data.membershipId, scope: scopes.organization(data.organizationId), version, data });

export const employeeMutations = {
  'employees.register': {
    args: RegisterEmployeeArgs,
    check(state, args) {
      if (!canManageEmployees(state.actor, args.organizationId)) return forbidden('Only the Head registers employees');
      if (state.employees.some((e) => e.membershipId === args.membershipId)) return { code: 'conflict', message: 'Already registered' };
      return null;
    },
    applyLocal(store, args) {
      putEmployee(store, 0, {
        membershipId: args.membershipId,
        organizationId: args.organizationId,
        userId: null,
        fullName: args.fullName,
        email: args.email,
        roles: args.roles,
      });
    },
  } satisfies MutationDef<RegisterEmployeeArgs, EmployeeState>,

  'employees.setRoles': {
    args: SetRolesArgs,
    coalesceKey: (args) => `employees.setRoles:${args.membershipId}`,
    check(state, args) {
      if (!canManageEmployees(state.actor, args.organizationId)) return forbidden('Only the Head assigns roles');
      return checkTarget(state, args.membershipId) ?? roleProblem(state, args.membershipId, args.roles);
    },
    applyLocal(store, args) {
      const current = store.get<EmployeeRecord>(EMPLOYEE_ENTITY, args.membershipId);
      if (current) putEmployee(store, current.version, { ...current.data, roles: args.roles });
    },
  } satisfies MutationDef<SetRolesArgs, EmployeeState>,

  'employees.remove': {
    args: RemoveEmployeeArgs,
    check(state, args) {
      if (!canManageEmployees(state.actor, args.organizationId)) return forbidden('Only the Head removes employees');
      return checkTarget(state, args.membershipId) ?? roleProblem(state, args.membershipId, null);
    },
    applyLocal(store, args) {
      store.delete(EMPLOYEE_ENTITY, args.membershipId);
    },
  } satisfies MutationDef<RemoveEmployeeArgs, EmployeeState>,
};

export type EmployeeMutationName = keyof typeof employeeMutations;
