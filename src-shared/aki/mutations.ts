/**
 * AKI applications and templates as synced mutations. The same `check` runs
 * in the app (offline, over the local view) and on the portal (over its
 * database, with its clock); `applyLocal` is the optimistic view until the
 * portal answers.
 */
import { z } from 'zod';
import type { MembershipView } from '../accounts/permissions';
import { rolesIn, isMemberOf } from '../accounts/permissions';
import type { AppErrorShape, ErrorCode } from '../rpc/errors';
import type { LocalStore, MutationDef } from '../sync/mutation-def';
import { scopes } from '../sync/protocol';
import { safeText } from '../domain/text';
import { AnswersSchema, changedKeys, COMMENT_MAX, validateApplication, type FieldIssue } from './answers';
import {
  AKI_APPLICATION, AKI_CATEGORY, AKI_REVIEW, AKI_TEMPLATE, templateEntityId,
  type AkiApplicationRecord, type AkiCategoryRecord, type AkiTemplateRecord,
} from './records';
import { AKI_DECISIONS, canTransition, DECISION_STATUS, isDeletable, isEditable, type AkiStatus } from './status';
import { answerable, AkiTemplateSchema, type AkiTemplate } from './template';

/** What the rules need; the app builds it from its local view, the portal from its database. */
export interface AkiState {
  actor: readonly MembershipView[];
  actorUserId: string;
  /** Today in Almaty by the deciding clock (YYYY-MM-DD). */
  today: string;
  application: { record: AkiApplicationRecord; version: number } | null;
  category: AkiCategoryRecord | null;
  /** Templates by version for the category (at least the pinned and the current one, when known). */
  templates: Record<number, AkiTemplate>;
  /** Open applications of the supplier organization in the category (for `aki.create`). */
  openInCategory: readonly string[];
  /** Known groups and category codes (for `aki.category.create`). */
  groups?: readonly { groupId: string; code: string }[];
  categoryCodes?: readonly string[];
}

const Id = z.string().uuid();
const Version = z.number().int().min(0);

export const CreateArgs = z.object({ applicationId: Id, organizationId: Id, categoryId: Id, templateVersion: z.number().int().min(1), createdAt: z.string().datetime({ offset: false }) }).strict();
export type CreateArgs = z.infer<typeof CreateArgs>;
export const SaveArgs = z
  .object({
    applicationId: Id,
    baseVersion: Version,
    templateVersion: z.number().int().min(1),
    email: safeText({ max: 200, trim: false }),
    phone: safeText({ max: 40, trim: false }),
    comment: safeText({ max: COMMENT_MAX * 2, trim: false, multiline: true }),
    answers: AnswersSchema,
  })
  .strict();
export type SaveArgs = z.infer<typeof SaveArgs>;
export const DeleteArgs = z.object({ applicationId: Id, baseVersion: Version }).strict();
export type DeleteArgs = z.infer<typeof DeleteArgs>;
export const PublishArgs = z.object({ applicationId: Id, templateVersion: z.number().int().min(1) }).strict();
export type PublishArgs = z.infer<typeof PublishArgs>;
export const DecideArgs = z
  .object({
    applicationId: Id,
    baseVersion: Version,
    decision: z.enum(AKI_DECISIONS),
    reason: safeText({ max: 4000, trim: false, multiline: true }).default(''),
    requirementKeys: z.array(z.string().regex(/^[a-z0-9_]{1,64}$/)).max(500).default([]),
  })
  .strict();
export type DecideArgs = z.infer<typeof DecideArgs>;
const Code = z.string().regex(/^[a-z0-9_]{2,64}$/);
const NameSchema = z.object({ kk: safeText({ max: 300, min: 1 }), ru: safeText({ max: 300, min: 1 }), en: safeText({ max: 300 }).default('') }).strict();
export const CreateCategoryArgs = z
  .object({
    categoryId: Id,
    /** The customer organization that will own the category. */
    organizationId: Id,
    groupId: Id,
    /** Set when the group is new too (its id is `groupId`). */
    newGroup: z.object({ code: Code, name: NameSchema }).strict().optional(),
    code: Code,
    name: NameSchema,
  })
  .strict();
export type CreateCategoryArgs = z.infer<typeof CreateCategoryArgs>;
export const SaveTemplateArgs = z.object({ categoryId: Id, baseTemplateVersion: z.number().int().min(1), template: AkiTemplateSchema }).strict();
export type SaveTemplateArgs = z.infer<typeof SaveTemplateArgs>;

const err = (code: ErrorCode, message: string, details?: Record<string, unknown>): AppErrorShape => ({ code, message, ...(details ? { details } : {}) });
const forbidden = (message: string) => err('forbidden', message);
const invalid = (issues: FieldIssue[]) => err('validation_failed', 'Correct the fields shown', { issues });

export const isSupplierOf = (m: readonly MembershipView[], orgId: string): boolean => rolesIn(m, orgId).includes('supplier');
export const isCustomerOf = (m: readonly MembershipView[], orgId: string | null): boolean => orgId !== null && rolesIn(m, orgId).includes('customer');

/** The target application, readable and the actor's organization's. */
function ownApplication(state: AkiState): AppErrorShape | { record: AkiApplicationRecord; version: number } {
  const a = state.application;
  // Outside the supplier organization the application does not exist (its existence is not disclosed).
  if (!a || !isMemberOf(state.actor, a.record.supplierOrgId)) return err('not_found', 'No such application');
  if (!isSupplierOf(state.actor, a.record.supplierOrgId)) return forbidden('Only the supplier organization\'s users change its application');
  return a;
}
const isError = (v: unknown): v is AppErrorShape => !!v && typeof v === 'object' && 'code' in v && 'message' in v;

/** In revision only the requirements sent back may change; contacts and comment stay as submitted. */
export function lockedChanges(record: AkiApplicationRecord, next: Pick<SaveArgs, 'email' | 'phone' | 'comment' | 'answers'>): string[] {
  if (record.status !== 'revision') return [];
  const allowed = new Set(record.revision?.keys ?? []);
  const locked = changedKeys(record.answers, next.answers).filter((k) => !allowed.has(k));
  if (record.email.trim().toLowerCase() !== next.email.trim().toLowerCase()) locked.push('email');
  if (record.phone.trim() !== next.phone.trim()) locked.push('phone');
  if (record.comment !== next.comment) locked.push('comment');
  return locked;
}

const putApplication = (store: LocalStore, version: number, r: AkiApplicationRecord) => {
  store.put({ entityType: AKI_APPLICATION, entityId: r.applicationId, scope: scopes.organization(r.supplierOrgId), version, data: r });
};

/** Changes the application where the reader holds it (the supplier under its org scope, the customer under the category scope). */
function withStatus(store: LocalStore, applicationId: string, change: (r: AkiApplicationRecord) => AkiApplicationRecord, entityType = AKI_APPLICATION) {
  const cur = store.get<AkiApplicationRecord>(entityType, applicationId);
  if (!cur) return;
  store.put({ entityType, entityId: applicationId, scope: cur.scope, version: cur.version, data: change(cur.data) });
}

export const akiMutations = {
  'aki.create': {
    args: CreateArgs,
    check(state, args) {
      if (!isSupplierOf(state.actor, args.organizationId)) return forbidden('Only a supplier (Пайдаланушы) of the organization creates applications');
      if (!state.category) return err('not_found', 'No such category');
      if (state.application) return err('conflict', 'This application id is already used');
      if (state.openInCategory.length > 0) return err('aki_open_exists', 'The organization already has an open application in this category', { applicationId: state.openInCategory[0]! });
      return null;
    },
    applyLocal(store, args, state) {
      putApplication(store, 0, {
        applicationId: args.applicationId, number: null, supplierOrgId: args.organizationId, supplierOrgName: null, categoryId: args.categoryId,
        templateVersion: state.category?.templateVersion ?? args.templateVersion, status: 'draft', email: '', phone: '', comment: '', answers: {},
        revision: null, decision: null, createdAt: args.createdAt, createdBy: state.actorUserId, submittedAt: null,
      });
    },
  } satisfies MutationDef<CreateArgs, AkiState>,

  'aki.save': {
    args: SaveArgs,
    coalesceKey: (args) => `aki.save:${args.applicationId}`,
    check(state, args) {
      const a = ownApplication(state);
      if (isError(a)) return a;
      const r = a.record;
      if (!isEditable(r.status)) return err('invalid_transition', 'The application can no longer be edited', { status: r.status });
      if (r.status === 'revision' && args.templateVersion !== r.templateVersion) return err('template_changed', 'An application in revision keeps its template version', { pinnedVersion: r.templateVersion });
      if (r.status === 'draft' && args.templateVersion !== r.templateVersion && args.templateVersion !== state.category?.templateVersion) {
        return err('template_changed', 'A draft moves only to the category\'s current template version', { pinnedVersion: r.templateVersion, currentVersion: state.category?.templateVersion ?? null });
      }
      const locked = lockedChanges(r, args);
      if (locked.length > 0) return err('aki_locked_field', 'Only the requirements sent back for revision may be changed', { fields: locked });
      const template = state.templates[args.templateVersion];
      if (template) {
        const known = new Set(answerable(template).map((q) => q.key));
        const unknown = Object.keys(args.answers).filter((k) => !known.has(k));
        if (unknown.length > 0) return err('invalid_input', 'Answers to requirements the template does not have', { fields: unknown });
      }
      return null;
    },
    applyLocal(store, args) {
      withStatus(store, args.applicationId, (r) => ({ ...r, templateVersion: args.templateVersion, email: args.email, phone: args.phone, comment: args.comment, answers: args.answers }));
    },
  } satisfies MutationDef<SaveArgs, AkiState>,

  'aki.delete': {
    args: DeleteArgs,
    check(state, _args) {
      const a = ownApplication(state);
      if (isError(a)) return a;
      return isDeletable(a.record.status) ? null : err('invalid_transition', 'Only a draft can be deleted', { status: a.record.status });
    },
    applyLocal(store, args) {
      store.delete(AKI_APPLICATION, args.applicationId);
    },
  } satisfies MutationDef<DeleteArgs, AkiState>,

  'aki.publish': {
    args: PublishArgs,
    check(state, args) {
      const a = ownApplication(state);
      if (isError(a)) return a;
      const r = a.record;
      if (!canTransition(r.status, 'published')) return err('invalid_transition', 'The application cannot be published now', { status: r.status });
      // A draft is published against the category's current template; an application in revision keeps its version.
      if (r.status === 'draft' && state.category && state.category.templateVersion !== r.templateVersion) {
        return err('template_changed', 'The customer changed the requirements: review the form and save it again', { pinnedVersion: r.templateVersion, currentVersion: state.category.templateVersion });
      }
      if (args.templateVersion !== r.templateVersion) return err('template_changed', 'The application was prepared against another template version', { pinnedVersion: r.templateVersion, currentVersion: state.category?.templateVersion ?? null });
      const template = state.templates[r.templateVersion];
      if (!template) return err('not_found', 'The template version is not known');
      const issues = validateApplication(template, r, state.today, { complete: true });
      return issues.length > 0 ? invalid(issues) : null;
    },
    applyLocal(store, args) {
      withStatus(store, args.applicationId, (r) => ({ ...r, status: 'published' as AkiStatus }));
    },
  } satisfies MutationDef<PublishArgs, AkiState>,

  'aki.decide': {
    args: DecideArgs,
    check(state, args) {
      const a = state.application;
      if (!a || !state.category) return err('not_found', 'No such application');
      const own = isMemberOf(state.actor, a.record.supplierOrgId);
      // Neither the supplier's nor the category's customer: the application does not exist for them.
      if (!own && !isCustomerOf(state.actor, state.category.customerOrgId)) return err('not_found', 'No such application');
      if (own) return forbidden('Nobody decides an application of their own organization');
      const to = DECISION_STATUS[args.decision];
      if (!canTransition(a.record.status, to)) return err('invalid_transition', 'The application is not awaiting a decision', { status: a.record.status });
      const issues: FieldIssue[] = [];
      if (args.decision !== 'approve' && args.reason.trim() === '') issues.push({ field: 'reason', code: 'required' });
      if (args.decision === 'revision') {
        const template = state.templates[a.record.templateVersion];
        const known = new Set(template ? answerable(template).map((q) => q.key) : []);
        if (args.requirementKeys.length === 0) issues.push({ field: 'requirementKeys', code: 'required' });
        else if (template && args.requirementKeys.some((k) => !known.has(k))) issues.push({ field: 'requirementKeys', code: 'invalid_option' });
      }
      return issues.length > 0 ? invalid(issues) : null;
    },
    applyLocal(store, args) {
      const to = DECISION_STATUS[args.decision];
      const at = new Date().toISOString();
      withStatus(
        store,
        args.applicationId,
        (r) => ({
          ...r,
          status: to,
          revision: args.decision === 'revision' ? { reason: args.reason.trim(), keys: [...new Set(args.requirementKeys)].sort(), at } : r.revision,
          decision: args.decision === 'revision' ? null : { decision: args.decision, reason: args.reason.trim(), at },
        }),
        AKI_REVIEW,
      );
    },
  } satisfies MutationDef<DecideArgs, AkiState>,

  'aki.category.create': {
    args: CreateCategoryArgs,
    check(state, args) {
      if (!isCustomerOf(state.actor, args.organizationId)) return forbidden('Only a customer (Тапсырыс беруші) creates categories');
      const groups = state.groups ?? [];
      if (args.newGroup) {
        if (groups.some((g) => g.groupId === args.groupId || g.code === args.newGroup!.code)) return err('conflict', 'This group already exists', { field: 'groupCode' });
      } else if (!groups.some((g) => g.groupId === args.groupId)) return err('not_found', 'No such group');
      if ((state.categoryCodes ?? []).includes(args.code)) return err('conflict', 'This category code is taken', { field: 'code' });
      if (state.category) return err('conflict', 'This category id is already used');
      return null;
    },
    applyLocal(store, args) {
      const group = args.newGroup ? { code: args.newGroup.code, name: args.newGroup.name } : null;
      const known = store.list<AkiCategoryRecord>(AKI_CATEGORY, scopes.public).find((c) => c.data.groupId === args.groupId)?.data;
      const rec: AkiCategoryRecord = {
        categoryId: args.categoryId, groupId: args.groupId, groupCode: group?.code ?? known?.groupCode ?? '', groupName: group?.name ?? known?.groupName ?? args.name,
        code: args.code, name: args.name, customerOrgId: args.organizationId, templateVersion: 1,
      };
      store.put({ entityType: AKI_CATEGORY, entityId: args.categoryId, scope: scopes.public, version: 0, data: rec });
      const tpl: AkiTemplateRecord = { categoryId: args.categoryId, templateVersion: 1, template: { requirements: [] } };
      store.put({ entityType: AKI_TEMPLATE, entityId: templateEntityId(args.categoryId, 1), scope: scopes.public, version: 0, data: tpl });
    },
  } satisfies MutationDef<CreateCategoryArgs, AkiState>,

  'aki.template.save': {
    args: SaveTemplateArgs,
    check(state, _args) {
      if (!state.category) return err('not_found', 'No such category');
      if (!isCustomerOf(state.actor, state.category.customerOrgId)) return forbidden('Only the category\'s customer edits its requirements');
      return null;
    },
    applyLocal(store, args, state) {
      const cat = state.category;
      if (!cat) return;
      const version = cat.templateVersion + 1;
      store.put({ entityType: AKI_CATEGORY, entityId: cat.categoryId, scope: scopes.public, version: 0, data: { ...cat, templateVersion: version } });
      const rec: AkiTemplateRecord = { categoryId: cat.categoryId, templateVersion: version, template: args.template };
      store.put({ entityType: AKI_TEMPLATE, entityId: templateEntityId(cat.categoryId, version), scope: scopes.public, version: 0, data: rec });
    },
  } satisfies MutationDef<SaveTemplateArgs, AkiState>,
};

export type AkiMutationName = keyof typeof akiMutations;
/** Mutations whose state names an application (the rest name a category). */
export const APPLICATION_MUTATIONS: readonly AkiMutationName[] = ['aki.save', 'aki.delete', 'aki.publish', 'aki.decide'];
