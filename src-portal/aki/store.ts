/**
 * AKI rows ↔ the shared records, and their place in the change feed:
 * categories and template versions are public reference data; an application
 * is published to its supplier organization (`aki_application`, scope
 * `org:<id>`) and, once submitted, to its category's customer
 * (`aki_review`, scope `aki-category:<id>`).
 */
import { AkiTemplateSchema, type AkiTemplate } from '../../src-shared/aki/template';
import {
  AKI_APPLICATION, AKI_CATEGORY, AKI_REVIEW, AKI_TEMPLATE, akiCategoryScope, templateEntityId,
  type AkiApplicationRecord, type AkiCategoryRecord, type AkiTemplateRecord,
} from '../../src-shared/aki/records';
import type { AkiStatus } from '../../src-shared/aki/status';
import type { Answers } from '../../src-shared/aki/answers';
import { scopes } from '../../src-shared/sync/protocol';
import type { AkiApplicationsTable, Queryable, Trx } from '../db/schema';
import { publishChange } from '../sync/feed';
import type { PortalContext } from '../context';
import { demoId } from '../seed/seed';

export async function loadCategory(db: Queryable, categoryId: string): Promise<{ record: AkiCategoryRecord; version: number } | null> {
  const r = await db
    .selectFrom('aki_categories')
    .innerJoin('aki_groups', 'aki_groups.id', 'aki_categories.group_id')
    .select([
      'aki_categories.id', 'aki_categories.code', 'aki_categories.name_kk', 'aki_categories.name_ru', 'aki_categories.name_en', 'aki_categories.requirements_version',
      'aki_categories.version', 'aki_categories.customer_org_id', 'aki_groups.id as group_id', 'aki_groups.code as group_code',
      'aki_groups.name_kk as group_kk', 'aki_groups.name_ru as group_ru', 'aki_groups.name_en as group_en',
    ])
    .where('aki_categories.id', '=', categoryId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    version: r.version,
    record: {
      categoryId: r.id, groupId: r.group_id, groupCode: r.group_code, groupName: { kk: r.group_kk, ru: r.group_ru, en: r.group_en },
      code: r.code, name: { kk: r.name_kk, ru: r.name_ru, en: r.name_en }, customerOrgId: r.customer_org_id, templateVersion: r.requirements_version,
    },
  };
}

export async function loadTemplate(db: Queryable, categoryId: string, version: number): Promise<AkiTemplate | null> {
  const t = await db.selectFrom('aki_requirement_templates').select('template_json').where('category_id', '=', categoryId).where('template_version', '=', version).executeTakeFirst();
  return t ? AkiTemplateSchema.parse(JSON.parse(t.template_json)) : null;
}

export function toRecord(r: AkiApplicationsTable, orgName: { kk: string; ru: string; en: string } | null): AkiApplicationRecord {
  return {
    applicationId: r.id, number: r.number, supplierOrgId: r.supplier_org_id, supplierOrgName: orgName, categoryId: r.category_id, templateVersion: r.template_version,
    status: r.status as AkiStatus, email: r.email, phone: r.phone, comment: r.comment, answers: JSON.parse(r.answers_json) as Answers,
    revision: r.revision_json ? (JSON.parse(r.revision_json) as AkiApplicationRecord['revision']) : null,
    decision: r.decision_json ? (JSON.parse(r.decision_json) as AkiApplicationRecord['decision']) : null,
    createdAt: r.created_at, createdBy: r.created_by, submittedAt: r.submitted_at,
  };
}

export async function loadApplication(db: Queryable, id: string): Promise<{ record: AkiApplicationRecord; version: number; row: AkiApplicationsTable } | null> {
  const r = await db.selectFrom('aki_applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  const org = await db.selectFrom('organizations').select(['name_kk', 'name_ru', 'name_en']).where('id', '=', r.supplier_org_id).executeTakeFirst();
  return { record: toRecord(r, org ? { kk: org.name_kk, ru: org.name_ru, en: org.name_en } : null), version: r.version, row: r };
}

/** Publishes the application's current state to its readers (call after writing it, in the same transaction). */
export async function publishApplication(trx: Trx, at: string, id: string): Promise<number> {
  const a = await loadApplication(trx, id);
  if (!a) throw new Error(`AKI application ${id} not found`);
  let seq = await publishChange(trx, at, { entityType: AKI_APPLICATION, entityId: id, scope: scopes.organization(a.record.supplierOrgId), op: 'put', version: a.version, data: a.record });
  if (a.record.status !== 'draft') {
    seq = await publishChange(trx, at, { entityType: AKI_REVIEW, entityId: id, scope: akiCategoryScope(a.record.categoryId), op: 'put', version: a.version, data: a.record });
  }
  return seq;
}

export async function publishApplicationDeleted(trx: Trx, at: string, r: { id: string; supplierOrgId: string; lastVersion: number }): Promise<number> {
  return publishChange(trx, at, { entityType: AKI_APPLICATION, entityId: r.id, scope: scopes.organization(r.supplierOrgId), op: 'delete', version: r.lastVersion + 1, data: null });
}

export async function publishCategory(trx: Trx, at: string, categoryId: string): Promise<number> {
  const c = await loadCategory(trx, categoryId);
  if (!c) throw new Error(`AKI category ${categoryId} not found`);
  return publishChange(trx, at, { entityType: AKI_CATEGORY, entityId: categoryId, scope: scopes.public, op: 'put', version: c.version, data: c.record });
}

export async function publishTemplate(trx: Trx, at: string, categoryId: string, version: number): Promise<number> {
  const template = await loadTemplate(trx, categoryId, version);
  if (!template) throw new Error(`AKI template ${categoryId}/${version} not found`);
  const data: AkiTemplateRecord = { categoryId, templateVersion: version, template };
  return publishChange(trx, at, { entityType: AKI_TEMPLATE, entityId: templateEntityId(categoryId, version), scope: scopes.public, op: 'put', version: 1, data });
}

/**
 * At start: the demo's categories belong to the demo customer (Qarmet), and
 * every category and template version is in the public feed (seeded rows
 * were written before the feed knew about them). Idempotent.
 */
export async function prepareAkiReference(ctx: PortalContext): Promise<void> {
  const { db } = ctx;
  await db.transaction().execute(async (trx) => {
    const now = ctx.nowIso();
    if (ctx.demo) {
      const qarmet = demoId('org', 'customer');
      const exists = await trx.selectFrom('organizations').select('id').where('id', '=', qarmet).executeTakeFirst();
      if (exists) {
        await trx.updateTable('aki_categories').set((eb) => ({ customer_org_id: qarmet, version: eb('version', '+', 1), updated_at: now })).where('customer_org_id', 'is', null).execute();
      }
    }
    const cats = await trx.selectFrom('aki_categories').select(['id', 'version']).execute();
    const published = new Map((await trx.selectFrom('change_feed').select(['entity_id', 'version']).where('entity_type', '=', AKI_CATEGORY).execute()).map((r) => [r.entity_id, r.version]));
    const templates = new Set((await trx.selectFrom('change_feed').select('entity_id').where('entity_type', '=', AKI_TEMPLATE).execute()).map((r) => r.entity_id));
    for (const c of cats) {
      if (published.get(c.id) !== c.version) await publishCategory(trx, now, c.id);
      const versions = await trx.selectFrom('aki_requirement_templates').select('template_version').where('category_id', '=', c.id).execute();
      for (const v of versions) if (!templates.has(templateEntityId(c.id, v.template_version))) await publishTemplate(trx, now, c.id, v.template_version);
    }
  });
}
