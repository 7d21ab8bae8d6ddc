/**
 * Request and response bodies of the portal's HTTP API. The portal validates
 * and documents (OpenAPI) with these; the app's sync client parses portal
 * answers with the same schemas, so a contract drift fails loudly on one side.
 */
import { z } from 'zod';
import { ROLES, ORGANIZATION_KINDS } from '../accounts/roles';
import { LANGUAGES } from '../i18n/languages';
import { ERROR_CODES } from '../rpc/errors';
import { isValidBin, isValidIin } from '../domain/identity';
import { safeText, secretText } from '../domain/text';

export const IdSchema = z.string().uuid();
export const IsoTimeSchema = z.string().datetime({ offset: false });
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
export const BinSchema = z.string().refine(isValidBin, { message: 'invalid BIN' });
export const IinSchema = z.string().refine(isValidIin, { message: 'invalid IIN' });
export const RoleSchema = z.enum(ROLES);
export const LanguageSchema = z.enum(LANGUAGES);
export const OrganizationKindSchema = z.enum(ORGANIZATION_KINDS);
const text = (max: number) => safeText({ max, min: 1 });

export const ErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  schemaVersion: z.number().int(),
  now: IsoTimeSchema,
  demo: z.boolean(),
});
export const TimeSchema = z.object({ now: IsoTimeSchema });
export const ClockMoveSchema = z
  .object({ advanceMs: z.number().int().min(0).max(10 * 365 * 86_400_000).optional(), to: IsoTimeSchema.optional() })
  .strict()
  .refine((b) => (b.advanceMs === undefined) !== (b.to === undefined), { message: 'exactly one of advanceMs or to' });

// ---- accounts ----
export const SignInSchema = z
  .object({ login: text(200), password: secretText(200) })
  .strict();
export const MembershipSchema = z.object({
  organizationId: IdSchema,
  bin: z.string(),
  organizationName: z.string(),
  roles: z.array(RoleSchema),
});
export const MeSchema = z.object({
  id: IdSchema,
  fullName: z.string(),
  email: z.string(),
  iin: z.string().nullable(),
  phone: z.string().nullable(),
  preferredLanguage: LanguageSchema,
  mustChangePassword: z.boolean(),
  version: z.number().int(),
  memberships: z.array(MembershipSchema),
});
export const SessionSchema = z.object({ token: z.string(), expiresAt: IsoTimeSchema, user: MeSchema });
export const PasswordChangeSchema = z
  .object({ currentPassword: secretText(200), newPassword: secretText(200) })
  .strict();
export const ProfileUpdateSchema = z.object({ preferredLanguage: LanguageSchema }).strict();
export const OkSchema = z.object({ ok: z.literal(true) });

const OrgNamesSchema = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
export const PublicOrganizationSchema = z.object({
  id: IdSchema,
  bin: z.string(),
  /** Kazakh name (the official one); `names` has all three. */
  name: z.string(),
  names: OrgNamesSchema,
  kind: OrganizationKindSchema,
  heads: z.array(z.object({ userId: IdSchema, fullName: z.string() })),
});
export const EmployeeSchema = z.object({
  membershipId: IdSchema,
  userId: IdSchema,
  fullName: z.string(),
  email: z.string(),
  roles: z.array(RoleSchema),
  version: z.number().int(),
});
export const EmployeeListSchema = z.object({ organizationId: IdSchema, employees: z.array(EmployeeSchema) });
export const RegisterEmployeeSchema = z
  .object({
    iin: IinSchema,
    fullName: text(200),
    email: z.string().trim().email().max(200),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{7,20}$/).optional(),
    preferredLanguage: LanguageSchema.default('kk'),
    roles: z.array(RoleSchema).min(1).max(ROLES.length),
  })
  .strict();
export const RegisteredEmployeeSchema = EmployeeSchema.extend({
  /** Present only when the portal created the account: shown once to the Head, who hands it over. */
  initialPassword: z.string().optional(),
});
export const SetRolesSchema = z
  .object({ roles: z.array(RoleSchema).min(1).max(ROLES.length), version: z.number().int().min(1) })
  .strict();
export const UserSearchQuerySchema = z.object({ q: safeText({ max: 100, min: 3 }) }).strict();
/** Deliberately narrow: search never returns IIN, e-mail or phone. */
export const UserSearchResultSchema = z.object({
  users: z
    .array(z.object({ userId: IdSchema, fullName: z.string(), organizations: z.array(z.object({ bin: z.string(), name: z.string() })) }))
    .max(20),
});

// ---- reference data ----
const LabelsSchema = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
export const PppMethodSchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: LabelsSchema,
  minDiscussionDays: z.number().int().min(0),
  version: z.number().int(),
});
export const PppMethodListSchema = z.object({ methods: z.array(PppMethodSchema) });
export const AkiCategorySchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: LabelsSchema,
  requirementsVersion: z.number().int(),
  version: z.number().int(),
});
export const AkiGroupListSchema = z.object({
  groups: z.array(z.object({ id: IdSchema, code: z.string(), name: LabelsSchema, version: z.number().int(), categories: z.array(AkiCategorySchema) })),
});

// ---- files ----
export const CreateUploadSchema = z
  .object({ size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), sha256: Sha256Schema, name: text(255).optional() })
  .strict();
export const UploadStatusSchema = z.object({
  uploadId: IdSchema,
  size: z.number().int(),
  offset: z.number().int(),
  status: z.enum(['open', 'complete']),
  maxChunkBytes: z.number().int(),
});
export const UploadChunkQuerySchema = z.object({ offset: z.coerce.number().int().min(0) }).strict();
export const FinalizedFileSchema = z.object({ sha256: Sha256Schema, size: z.number().int(), contentType: z.string() });
export const RecordTypeSchema = z.enum(['organization', 'competition', 'aki_application']);
export const CreateAttachmentSchema = z
  .object({ recordType: RecordTypeSchema, recordId: IdSchema, sha256: Sha256Schema, name: text(255) })
  .strict();
export const AttachmentSchema = z.object({
  id: IdSchema,
  recordType: RecordTypeSchema,
  recordId: IdSchema,
  sha256: Sha256Schema,
  name: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  attachedBy: IdSchema,
  attachedAt: IsoTimeSchema,
});
export const AttachmentListSchema = z.object({ attachments: z.array(AttachmentSchema) });

// ---- audit ----
export const AuditHeadSchema = z.object({ seq: z.number().int(), hash: z.string() });
export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: IsoTimeSchema,
  actorUserId: IdSchema.nullable(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  data: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export const AuditListSchema = z.object({
  head: AuditHeadSchema,
  entries: z.array(AuditEntrySchema),
  /** Pass as `afterSeq` for the next page; null on the last page. */
  nextAfterSeq: z.number().int().nullable(),
});
export const AuditListQuerySchema = z.object({ afterSeq: z.coerce.number().int().min(0).optional() }).strict();

// ---- notifications ----
export const NotificationSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  vars: z.record(z.string(), z.union([z.string(), z.number()])),
  title: z.string(),
  body: z.string(),
  createdAt: IsoTimeSchema,
  readAt: IsoTimeSchema.nullable(),
});
export const NotificationListSchema = z.object({ notifications: z.array(NotificationSchema) });
