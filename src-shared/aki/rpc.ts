/** RPC methods of the AKI feature (renderer ↔ app back end). Lists read the local view; actions queue synced mutations. */
import { z } from 'zod';
import { safeText } from '../domain/text';
import { method } from '../rpc/define';
import { AnswersSchema } from './answers';
import { AKI_DECISIONS, AKI_STATUSES } from './status';
import { AkiTemplateSchema } from './template';

const Names = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
const Id = z.string().uuid();
const Code = safeText({ max: 64, trim: false });
const NameInput = z.object({ kk: safeText({ max: 300, trim: false }), ru: safeText({ max: 300, trim: false }), en: safeText({ max: 300, trim: false }) });
const Status = z.enum(AKI_STATUSES);

export const AkiCategorySchema = z.object({ categoryId: z.string(), code: z.string(), name: Names, customerOrgId: z.string().nullable(), templateVersion: z.number().int() });
export const AkiGroupSchema = z.object({ groupId: z.string(), code: z.string(), name: Names, categories: z.array(AkiCategorySchema) });

export const AkiRowSchema = z.object({
  applicationId: z.string(),
  number: z.string().nullable(),
  categoryId: z.string(),
  categoryName: Names.nullable(),
  groupId: z.string().nullable(),
  supplierOrgName: Names.nullable(),
  status: Status,
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  version: z.number().int(),
  /** Changed here and not yet confirmed by the portal. */
  pending: z.boolean(),
});
export type AkiRow = z.infer<typeof AkiRowSchema>;

const RecordSchema = z.object({
  applicationId: z.string(), number: z.string().nullable(), supplierOrgId: z.string(), supplierOrgName: Names.nullable(), categoryId: z.string(), templateVersion: z.number().int(),
  status: Status, email: z.string(), phone: z.string(), comment: z.string(), answers: AnswersSchema,
  revision: z.object({ reason: z.string(), keys: z.array(z.string()), at: z.string() }).nullable(),
  decision: z.object({ decision: z.enum(AKI_DECISIONS), reason: z.string(), at: z.string() }).nullable(),
  createdAt: z.string(), createdBy: z.string(), submittedAt: z.string().nullable(),
});

export const AkiDetailSchema = z.object({
  record: RecordSchema,
  version: z.number().int(),
  pending: z.boolean(),
  category: AkiCategorySchema.extend({ groupName: Names }).nullable(),
  /** The template the application is pinned to (null until the app has pulled it). */
  template: AkiTemplateSchema.nullable(),
  /** Set for a draft whose category moved to a newer template: the new one, with the answers carried over by requirement id. */
  newerTemplate: z.object({ version: z.number().int(), template: AkiTemplateSchema, answers: AnswersSchema }).nullable(),
  /** The portal refused the last change of this application: why (until dismissed). */
  refused: z.object({ mutationId: z.string(), name: z.string(), code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
  /** Waiting for the portal: a publication or a decision queued here. */
  waiting: z.enum(['publish', 'decide', 'save']).nullable(),
});
export type AkiDetail = z.infer<typeof AkiDetailSchema>;

const Content = { email: safeText({ max: 200, trim: false }), phone: safeText({ max: 40, trim: false }), comment: safeText({ max: 4000, trim: false, multiline: true }), answers: AnswersSchema };

export const akiMethods = {
  'aki.reference': method(z.object({}).strict(), z.object({ groups: z.array(AkiGroupSchema) })),
  'aki.list': method(
    z.object({ as: z.enum(['supplier', 'customer']), status: Status.optional(), groupId: Id.optional(), categoryId: Id.optional() }).strict(),
    z.object({ items: z.array(AkiRowSchema), total: z.number().int() }),
  ),
  'aki.get': method(z.object({ applicationId: Id, as: z.enum(['supplier', 'customer']).default('supplier') }).strict(), AkiDetailSchema),
  'aki.create': method(z.object({ organizationId: Id, categoryId: Id }).strict(), z.object({ applicationId: z.string(), mutationId: z.string() })),
  'aki.save': method(z.object({ applicationId: Id, templateVersion: z.number().int().min(1), ...Content }).strict(), z.object({ mutationId: z.string() })),
  'aki.delete': method(z.object({ applicationId: Id }).strict(), z.object({ mutationId: z.string() })),
  'aki.publish': method(z.object({ applicationId: Id }).strict(), z.object({ mutationId: z.string() })),
  'aki.decide': method(
    z.object({ applicationId: Id, decision: z.enum(AKI_DECISIONS), reason: safeText({ max: 4000, trim: false, multiline: true }).default(''), requirementKeys: z.array(safeText({ max: 64, trim: false })).max(500).default([]) }).strict(),
    z.object({ mutationId: z.string() }),
  ),
  'aki.category.create': method(
    z.object({
      organizationId: Id,
      groupId: Id.optional(),
      newGroup: z.object({ code: Code, name: NameInput }).optional(),
      code: Code,
      name: NameInput,
    }).strict(),
    z.object({ categoryId: z.string(), mutationId: z.string() }),
  ),
  'aki.template.get': method(z.object({ categoryId: Id }).strict(), z.object({ templateVersion: z.number().int(), template: AkiTemplateSchema.nullable(), canEdit: z.boolean() })),
  'aki.template.save': method(z.object({ categoryId: Id, template: AkiTemplateSchema }).strict(), z.object({ mutationId: z.string() })),
};
