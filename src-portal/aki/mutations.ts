/**
 * Portal side of the AKI mutations (src-shared/aki/mutations.ts): loads the
 * rule's state from the database (with the portal's clock for dates),
 * detects stale versions (two reviewers at once: the second gets
 * `conflict`), and applies with audit entry, feed change and notifications.
 */
import { v7 as uuidv7 } from 'uuid';
import {
  akiMutations, isCustomerOf, type AkiState, type CreateArgs, type CreateCategoryArgs, type DecideArgs, type DeleteArgs, type PublishArgs, type SaveArgs, type SaveTemplateArgs,
} from '../../src-shared/aki/mutations';
import { checkAnswer, changedKeys, type FieldIssue } from '../../src-shared/aki/answers';
import { answerable, type AkiTemplate } from '../../src-shared/aki/template';
import { DECISION_STATUS } from '../../src-shared/aki/status';
import { AKI_APPLICATION } from '../../src-shared/aki/records';
import { almatyDate } from '../../src-shared/time/almaty';
import { isMemberOf } from '../../src-shared/accounts/permissions';
import { AppError, type AppErrorShape } from '../../src-shared/rpc/errors';
import type { AttachmentRef } from '../../src-shared/files/attachments';
import type { Trx } from '../db/schema';
import { membershipsOf, parseRoles } from '../http/auth';
import { recordChange } from '../audit/audit';
import { notify } from '../notify/outbox';
import type { PortalMutation, SyncActor } from '../sync/handler';
import { madeByThisDevice } from '../sync/own-changes';
import { loadApplication, loadCategory, loadTemplate, publishApplication, publishApplicationDeleted, publishCategory, publishTemplate } from './store';

async function loadState(trx: Trx, actor: SyncActor, now: string, o: { applicationId?: string; categoryId?: string; organizationId?: string }): Promise<AkiState> {
  const application = o.applicationId ? await loadApplication(trx, o.applicationId) : null;
  const categoryId = application?.record.categoryId ?? o.categoryId;
  const category = categoryId ? await loadCategory(trx, categoryId) : null;
  const templates: Record<number, AkiTemplate> = {};
  if (category) {
    for (const v of new Set([category.record.templateVersion, application?.record.templateVersion ?? category.record.templateVersion])) {
      const t = await loadTemplate(trx, category.record.categoryId, v);
      if (t) templates[v] = t;
    }
  }
  let openInCategory: string[] = [];
  if (o.organizationId && categoryId) {
    const rows = await trx.selectFrom('aki_applications').select('id').where('open_key', '=', `${o.organizationId}:${categoryId}`).execute();
    openInCategory = rows.map((r) => r.id);
  }
  return {
    actor: await membershipsOf(trx, actor.id), actorUserId: actor.id, today: almatyDate(now),
    application: application ? { record: application.record, version: application.version } : null,
    category: category?.record ?? null, templates, openInCategory,
  };
}

const effectiveBase = (v: number): number => (v === 0 ? 1 : v);

/** The last change to an application, as `conflict` details: who, when, what it is now. */
async function lastChange(trx: Trx, applicationId: string) {
  return trx
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select(['audit_log.at', 'audit_log.action', 'audit_log.actor_user_id', 'audit_log.to_status', 'audit_log.data_json', 'users.full_name'])
    .where('audit_log.entity_type', '=', AKI_APPLICATION)
    .where('audit_log.entity_id', '=', applicationId)
    .orderBy('audit_log.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function conflict(trx: Trx, state: AkiState, message: string): Promise<AppErrorShape> {
  const last = await lastChange(trx, state.application!.record.applicationId);
  return {
    code: 'conflict', message,
    details: { changedBy: last?.full_name ?? null, changedByUserId: last?.actor_user_id ?? null, changedAt: last?.at ?? null, action: last?.action ?? null, status: state.application!.record.status, currentVersion: state.application!.version },
  };
}

/**
 * A supplier's own consecutive edits on one device never conflict with each
 * other (a save queued while the previous one is in flight carries the older
 * version); an edit built on a version someone else — or the same user on
 * another device — changed since does.
 */
async function supplierStaleness(trx: Trx, state: AkiState, args: { baseVersion: number }, actor: SyncActor): Promise<AppErrorShape | null> {
  const a = state.application;
  // Outsiders get the rule's not_found: a conflict would name who changed an application they may not know of.
  if (!a || !isMemberOf(state.actor, a.record.supplierOrgId) || a.version === effectiveBase(args.baseVersion)) return null;
  const last = await lastChange(trx, a.record.applicationId);
  if (last && (await madeByThisDevice(trx, actor, [last]))) return null;
  return conflict(trx, state, 'The application was changed by someone else');
}

/** Users of an organization holding a role (recipients of notifications). */
async function usersWithRole(trx: Trx, organizationId: string, role: string): Promise<string[]> {
  const rows = await trx.selectFrom('memberships').select(['user_id', 'roles_json']).where('organization_id', '=', organizationId).execute();
  return rows.filter((r) => parseRoles(r.roles_json).includes(role as never)).map((r) => r.user_id).sort();
}

async function audit(trx: Trx, now: string, actor: SyncActor | null, applicationId: string, action: string, extra: { from?: string; to?: string; data: Record<string, unknown> }) {
  await recordChange(trx, now, {
    actorUserId: actor?.id ?? null, entityType: AKI_APPLICATION, entityId: applicationId, recordType: 'aki_application', recordId: applicationId, action,
    fromStatus: extra.from ?? null, toStatus: extra.to ?? null, data: extra.data,
  });
}

const isFileRef = (v: unknown): v is AttachmentRef => !!v && typeof v === 'object' && !Array.isArray(v) && 'sha256' in v;

/**
 * Files newly referenced by a save: the acting user uploaded exactly these
 * bytes (proof of possession), and the type detected from the bytes and the
 * real size satisfy the requirement; each becomes an attachment of the application.
 */
async function attachFiles(trx: Trx, now: string, actor: SyncActor, applicationId: string, template: AkiTemplate, before: Record<string, unknown>, answers: SaveArgs['answers'], today: string) {
  const issues: FieldIssue[] = [];
  const out = { ...answers };
  for (const r of answerable(template)) {
    if (r.type !== 'file') continue;
    const v = answers[r.key];
    if (!isFileRef(v)) continue;
    const prev = before[r.key];
    if (isFileRef(prev) && prev.sha256 === v.sha256) continue;
    const proof = await trx.selectFrom('uploads').select('id').where('user_id', '=', actor.id).where('sha256', '=', v.sha256).where('status', '=', 'complete').executeTakeFirst();
    const file = proof ? await trx.selectFrom('files').select(['size', 'content_type']).where('sha256', '=', v.sha256).executeTakeFirst() : undefined;
    if (!file) throw new AppError('not_found', 'Upload the file first', { field: r.key, sha256: v.sha256 });
    // What the bytes are, not what the client said.
    const real: AttachmentRef = { sha256: v.sha256, name: v.name, size: Number(file.size), contentType: file.content_type };
    const issue = checkAnswer(r, real, today);
    if (issue) { issues.push(issue); continue; }
    // The supplier's statements about the document (issue date, language: issue 9) stay with it.
    out[r.key] = { ...real, ...('issuedOn' in v && v.issuedOn ? { issuedOn: v.issuedOn } : {}), ...('language' in v && v.language ? { language: v.language } : {}) };
    const id = uuidv7();
    await trx.insertInto('attachments').values({ id, record_type: 'aki_application', record_id: applicationId, sha256: v.sha256, name: v.name, attached_by: actor.id, version: 1, created_at: now }).execute();
    await recordChange(trx, now, { actorUserId: actor.id, entityType: 'attachment', entityId: id, recordType: 'aki_application', recordId: applicationId, action: 'attachment.added', data: { sha256: v.sha256, name: v.name, size: real.size, requirement: r.key } });
  }
  if (issues.length > 0) throw new AppError('validation_failed', 'A file does not meet its requirement', { issues });
  return out;
}

const create: PortalMutation<CreateArgs, AkiState> = {
  def: akiMutations['aki.create'],
  loadState: (trx, actor, args, now) => loadState(trx, actor, now, { applicationId: args.applicationId, categoryId: args.categoryId, organizationId: args.organizationId }),
  async apply({ trx, actor, now, mutationId, args, state }) {
    const cat = state.category!;
    const last = await trx.selectFrom('aki_applications').select((eb) => eb.fn.max('serial').as('m')).executeTakeFirst();
    const serial = Number(last?.m ?? 0) + 1;
    const number = `AKI-${String(serial).padStart(6, '0')}`;
    await trx.insertInto('aki_applications').values({
      id: args.applicationId, serial, number, supplier_org_id: args.organizationId, category_id: cat.categoryId, template_version: cat.templateVersion, status: 'draft',
      open_key: `${args.organizationId}:${cat.categoryId}`, email: '', phone: '', comment: '', answers_json: '{}', revision_json: null, decision_json: null,
      created_by: actor.id, version: 1, created_at: now, submitted_at: null, updated_at: now,
    }).execute();
    await audit(trx, now, actor, args.applicationId, 'aki.created', { to: 'draft', data: { number, categoryId: cat.categoryId, organizationId: args.organizationId, templateVersion: cat.templateVersion, mutationId } });
    const seq = await publishApplication(trx, now, args.applicationId);
    return { result: { number, templateVersion: cat.templateVersion }, seq };
  },
};

const save: PortalMutation<SaveArgs, AkiState> = {
  def: akiMutations['aki.save'],
  loadState: (trx, actor, args, now) => loadState(trx, actor, now, { applicationId: args.applicationId }),
  staleness: supplierStaleness,
  async apply({ trx, actor, now, mutationId, args, state }) {
    const a = state.application!;
    const template = state.templates[args.templateVersion] ?? (await loadTemplate(trx, a.record.categoryId, args.templateVersion));
    if (!template) throw new AppError('not_found', 'No such template version');
    const answers = await attachFiles(trx, now, actor, a.record.applicationId, template, a.record.answers, args.answers, state.today);
    const version = a.version + 1;
    await trx.updateTable('aki_applications').set({
      template_version: args.templateVersion, email: args.email.trim(), phone: args.phone.trim(), comment: args.comment, answers_json: JSON.stringify(answers), version, updated_at: now,
    }).where('id', '=', a.record.applicationId).execute();
    await audit(trx, now, actor, a.record.applicationId, 'aki.saved', {
      data: { changed: changedKeys(a.record.answers, answers), templateVersion: args.templateVersion, fromTemplateVersion: a.record.templateVersion, mutationId },
    });
    const seq = await publishApplication(trx, now, a.record.applicationId);
    return { result: { version }, seq };
  },
};

const remove: PortalMutation<DeleteArgs, AkiState> = {
  def: akiMutations['aki.delete'],
  loadState: (trx, actor, args, now) => loadState(trx, actor, now, { applicationId: args.applicationId }),
  staleness: supplierStaleness,
  async apply({ trx, actor, now, mutationId, state }) {
    const a = state.application!;
    await trx.deleteFrom('attachments').where('record_type', '=', 'aki_application').where('record_id', '=', a.record.applicationId).execute();
    await trx.deleteFrom('aki_applications').where('id', '=', a.record.applicationId).execute();
    await audit(trx, now, actor, a.record.applicationId, 'aki.deleted', { from: 'draft', to: 'deleted', data: { number: a.record.number, mutationId } });
    const seq = await publishApplicationDeleted(trx, now, { id: a.record.applicationId, supplierOrgId: a.record.supplierOrgId, lastVersion: a.version });
    return { result: { deleted: true }, seq };
  },
};

const publish: PortalMutation<PublishArgs, AkiState> = {
  def: akiMutations['aki.publish'],
  loadState: (trx, actor, args, now) => loadState(trx, actor, now, { applicationId: args.applicationId }),
  async apply({ trx, actor, now, mutationId, state }) {
    const a = state.application!;
    const id = a.record.applicationId;
    const version = a.version + 1;
    // Published, then at once under review (seed: «Жарияланды», then «Өтінішті қарау»): both steps audited.
    await audit(trx, now, actor, id, 'aki.published', { from: a.record.status, to: 'published', data: { templateVersion: a.record.templateVersion, mutationId } });
    await audit(trx, now, null, id, 'aki.review_started', { from: 'published', to: 'under_review', data: { mutationId } });
    await trx.updateTable('aki_applications').set({ status: 'under_review', submitted_at: now, version, updated_at: now }).where('id', '=', id).execute();
    const seq = await publishApplication(trx, now, id);
    const cat = state.category!;
    if (cat.customerOrgId) {
      const org = a.record.supplierOrgName;
      for (const userId of await usersWithRole(trx, cat.customerOrgId, 'customer')) {
        await notify(trx, now, {
          userId, kind: 'akiSubmitted',
          vars: { number: a.record.number ?? '', category: cat.name.kk, category_ru: cat.name.ru, category_en: cat.name.en, supplier: org?.kk ?? '', supplier_ru: org?.ru ?? '', supplier_en: org?.en ?? '', applicationId: id },
        });
      }
    }
    return { result: { status: 'under_review', version }, seq };
  },
};

const decide: PortalMutation<DecideArgs, AkiState> = {
  def: akiMutations['aki.decide'],
  loadState: (trx, actor, args, now) => loadState(trx, actor, now, { applicationId: args.applicationId }),
  async staleness(trx, state, args) {
    // Two reviewers at once: whoever comes second built on a version that is gone.
    const a = state.application;
    if (!a || a.version === effectiveBase(args.baseVersion)) return null;
    // Only readers of the application learn who changed it (outsiders get the rule's not_found).
    if (!isMemberOf(state.actor, a.record.supplierOrgId) && !isCustomerOf(state.actor, state.category?.customerOrgId ?? null)) return null;
    return conflict(trx, state, 'Another reviewer decided or the supplier changed the application');
  },
  async apply({ trx, actor, now, mutationId, args, state }) {
    const a = state.application!;
    const id = a.record.applicationId;
    const to = DECISION_STATUS[args.decision];
    const version = a.version + 1;
    const reason = args.reason.trim();
    const revision = args.decision === 'revision' ? { reason, keys: [...new Set(args.requirementKeys)].sort(), at: now } : a.record.revision;
    const decision = args.decision === 'revision' ? null : { decision: args.decision, reason, at: now };
    await trx.updateTable('aki_applications').set({
      status: to, version, updated_at: now, revision_json: revision ? JSON.stringify(revision) : null, decision_json: decision ? JSON.stringify(decision) : null,
      // Decided applications no longer block a new one in the category.
      ...(to === 'approved' || to === 'rejected' ? { open_key: null } : {}),
    }).where('id', '=', id).execute();
    await audit(trx, now, actor, id, `aki.${args.decision === 'revision' ? 'returned' : to}`, { from: a.record.status, to, data: { reason, requirementKeys: revision?.keys ?? [], mutationId } });
    const seq = await publishApplication(trx, now, id);
    const cat = state.category!;
    const kind = args.decision === 'approve' ? 'akiApproved' : args.decision === 'reject' ? 'akiRejected' : 'akiReturned';
    await notify(trx, now, {
      userId: a.record.createdBy, kind,
      vars: { number: a.record.number ?? '', category: cat.name.kk, category_ru: cat.name.ru, category_en: cat.name.en, reason, applicationId: id },
    });
    return { result: { status: to, version }, seq };
  },
};

const saveTemplate: PortalMutation<SaveTemplateArgs, AkiState> = {
  def: akiMutations['aki.template.save'],
  loadState: (trx, actor, args, now) => loadState(trx, actor, now, { categoryId: args.categoryId }),
  async staleness(trx, state, args) {
    const cat = state.category;
    if (!cat || cat.templateVersion === args.baseTemplateVersion) return null;
    const last = await trx.selectFrom('aki_requirement_templates').leftJoin('users', 'users.id', 'aki_requirement_templates.created_by')
      .select(['users.full_name', 'aki_requirement_templates.created_at']).where('category_id', '=', cat.categoryId).where('template_version', '=', cat.templateVersion).executeTakeFirst();
    return { code: 'conflict', message: 'Someone saved a newer version of the requirements', details: { changedBy: last?.full_name ?? null, changedAt: last?.created_at ?? null, currentVersion: cat.templateVersion } };
  },
  async apply({ trx, actor, now, mutationId, args, state }) {
    const cat = state.category!;
    const version = cat.templateVersion + 1;
    const tid = uuidv7();
    await trx.insertInto('aki_requirement_templates').values({ id: tid, category_id: cat.categoryId, template_version: version, template_json: JSON.stringify(args.template), created_by: actor.id, created_at: now }).execute();
    await trx.updateTable('aki_categories').set((eb) => ({ requirements_version: version, version: eb('version', '+', 1), updated_at: now })).where('id', '=', cat.categoryId).execute();
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: 'aki_template', entityId: tid, recordType: 'aki_category', recordId: cat.categoryId, action: 'aki.template_saved',
      data: { templateVersion: version, requirements: args.template.requirements.length, mutationId },
    });
    await publishTemplate(trx, now, cat.categoryId, version);
    const seq = await publishCategory(trx, now, cat.categoryId);
    return { result: { templateVersion: version }, seq };
  },
};

const createCategory: PortalMutation<CreateCategoryArgs, AkiState> = {
  def: akiMutations['aki.category.create'],
  async loadState(trx, actor, args, now) {
    const base = await loadState(trx, actor, now, { categoryId: args.categoryId });
    const groups = (await trx.selectFrom('aki_groups').select(['id', 'code']).execute()).map((g) => ({ groupId: g.id, code: g.code }));
    const categoryCodes = (await trx.selectFrom('aki_categories').select('code').execute()).map((c) => c.code);
    return { ...base, groups, categoryCodes };
  },
  async apply({ trx, actor, now, mutationId, args }) {
    if (args.newGroup) {
      await trx.insertInto('aki_groups').values({ id: args.groupId, code: args.newGroup.code, name_kk: args.newGroup.name.kk, name_ru: args.newGroup.name.ru, name_en: args.newGroup.name.en, version: 1, created_at: now, updated_at: now }).execute();
      await recordChange(trx, now, { actorUserId: actor.id, entityType: 'aki_group', entityId: args.groupId, recordType: 'reference', recordId: 'aki', action: 'aki.group_created', data: { code: args.newGroup.code, mutationId } });
    }
    await trx.insertInto('aki_categories').values({
      id: args.categoryId, group_id: args.groupId, code: args.code, name_kk: args.name.kk, name_ru: args.name.ru, name_en: args.name.en,
      requirements_version: 1, version: 1, created_at: now, updated_at: now, customer_org_id: args.organizationId,
    }).execute();
    await trx.insertInto('aki_requirement_templates').values({ id: uuidv7(), category_id: args.categoryId, template_version: 1, template_json: JSON.stringify({ requirements: [] }), created_by: actor.id, created_at: now }).execute();
    await recordChange(trx, now, {
      actorUserId: actor.id, entityType: 'aki_category', entityId: args.categoryId, recordType: 'aki_category', recordId: args.categoryId, action: 'aki.category_created',
      data: { code: args.code, groupId: args.groupId, organizationId: args.organizationId, mutationId },
    });
    await publishTemplate(trx, now, args.categoryId, 1);
    const seq = await publishCategory(trx, now, args.categoryId);
    return { result: { categoryId: args.categoryId }, seq };
  },
};

export const akiPortalMutations = {
  'aki.category.create': createCategory,
  'aki.create': create,
  'aki.save': save,
  'aki.delete': remove,
  'aki.publish': publish,
  'aki.decide': decide,
  'aki.template.save': saveTemplate,
};
