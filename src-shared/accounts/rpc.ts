import { z } from 'zod';
import { safeText, secretText } from '../domain/text';
import { method } from '../rpc/define';
import { ROLES } from './roles';
import { RegisterEmployeeArgs } from './employee-mutations';

export const RoleSchema = z.enum(ROLES);

export const AccountMembershipSchema = z.object({
  organizationId: z.string(),
  bin: z.string(),
  organizationName: z.string(),
  roles: z.array(RoleSchema),
});

export const AuthStatusSchema = z.object({
  signedIn: z.boolean(),
  /** Signed in before, but the portal session ended: sign in again; nothing unsent is lost. */
  sessionExpired: z.boolean(),
  user: z
    .object({
      id: z.string(),
      fullName: z.string(),
      email: z.string(),
      memberships: z.array(AccountMembershipSchema),
    })
    .nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatusSchema>;

export const EmployeeRowSchema = z.object({
  membershipId: z.string(),
  userId: z.string().nullable(),
  fullName: z.string(),
  email: z.string(),
  roles: z.array(RoleSchema),
  version: z.number().int(),
  /** Changed here and not yet confirmed by the portal. */
  pending: z.boolean(),
});
export type EmployeeRow = z.infer<typeof EmployeeRowSchema>;

const OrgId = z.object({ organizationId: z.string().uuid() });

export const accountMethods = {
  'auth.status': method(z.object({}).strict(), AuthStatusSchema),
  'auth.signIn': method(
    z.object({ login: safeText({ max: 200, min: 1 }), password: secretText(200) }).strict(),
    AuthStatusSchema,
  ),
  'auth.signOut': method(z.object({}).strict(), AuthStatusSchema),
  'employees.list': method(
    OrgId.extend({
      query: safeText({ max: 100, trim: false }).optional(),
      role: RoleSchema.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(200).default(50),
    }).strict(),
    z.object({ items: z.array(EmployeeRowSchema), total: z.number().int() }),
  ),
  'employees.register': method(
    RegisterEmployeeArgs.omit({ membershipId: true }).strict(),
    z.object({ membershipId: z.string(), mutationId: z.string() }),
  ),
  'employees.setRoles': method(
    OrgId.extend({ membershipId: z.string().uuid(), roles: z.array(RoleSchema).min(1).max(ROLES.length) }).strict(),
    z.object({ mutationId: z.string() }),
  ),
  'employees.remove': method(OrgId.extend({ membershipId: z.string().uuid() }).strict(), z.object({ mutationId: z.string() })),
};
