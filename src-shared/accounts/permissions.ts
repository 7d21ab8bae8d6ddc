/**
 * Permission rules shared by the app (to hide what the user cannot do and to
 * check mutations offline) and the portal (which enforces them). Pure
 * functions over plain data; callers load the data.
 */
import type { Role } from './roles';

/** What a rule needs to know about the acting user in one organization. */
export interface MembershipView {
  organizationId: string;
  roles: readonly Role[];
}

export const rolesIn = (memberships: readonly MembershipView[], organizationId: string): readonly Role[] =>
  memberships.find((m) => m.organizationId === organizationId)?.roles ?? [];

export const isMemberOf = (memberships: readonly MembershipView[], organizationId: string): boolean =>
  memberships.some((m) => m.organizationId === organizationId);

/** Only the Head («Басшы») registers employees and assigns their roles. */
export const canManageEmployees = (memberships: readonly MembershipView[], organizationId: string): boolean =>
  rolesIn(memberships, organizationId).includes('head');

/** Employees of an organization see its member list; outsiders see only the public lookup. */
export const canSeeEmployees = (memberships: readonly MembershipView[], organizationId: string): boolean =>
  isMemberOf(memberships, organizationId);

/** Organization documents: members read them; the Head attaches them. */
export const canSeeOrganizationRecord = canSeeEmployees;
export const canAttachToOrganization = canManageEmployees;

/**
 * An organization must keep at least one Head, or nobody could manage it any more.
 * Returns an error code for the app to translate, or null when the change is allowed.
 */
export function checkRoleChange(
  employees: readonly { userId: string; roles: readonly Role[] }[],
  change: { userId: string; roles: readonly Role[] | null /* null = removed from the organization */ },
): 'last_head' | 'no_roles' | null {
  if (change.roles !== null && change.roles.length === 0) return 'no_roles';
  const headsAfter = employees.filter((e) =>
    e.userId === change.userId ? (change.roles ?? []).includes('head') : e.roles.includes('head'),
  );
  return headsAfter.length === 0 ? 'last_head' : null;
}
