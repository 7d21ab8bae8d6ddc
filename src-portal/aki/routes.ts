/**
 * REST reads of AKI applications (changes go through the sync push: one rule
 * for the app and API clients). Isolation: a supplier organization's members
 * see its applications; a category's customer (role Customer in the owning
 * organization) sees the submitted applications of that category; anyone
 * else gets 404, as if the application did not exist.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as S from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import { isMemberOf, type MembershipView } from '../../src-shared/accounts/permissions';
import { isCustomerOf } from '../../src-shared/aki/mutations';
import { AKI_STATUSES } from '../../src-shared/aki/status';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { errorResponses } from '../http/responses';
import { userOf } from '../http/auth';
import { auditHead } from '../audit/audit';
import { loadApplication, loadCategory, toRecord } from './store';

/** May this user read the application (and its files and audit)? */
export async function canSeeAkiApplication(db: Queryable, memberships: readonly MembershipView[], applicationId: string): Promise<boolean> {
  const row = await db.selectFrom('aki_applications').innerJoin('aki_categories', 'aki_categories.id', 'aki_applications.category_id')
    .select(['aki_applications.supplier_org_id', 'aki_applications.status', 'aki_categories.customer_org_id']).where('aki_applications.id', '=', applicationId).executeTakeFirst();
  if (!row) return false;
  if (isMemberOf(memberships, row.supplier_org_id)) return true;
  return row.status !== 'draft' && isCustomerOf(memberships, row.customer_org_id);
}

const RecordSchema = z.record(z.string(), z.unknown());
const Params = z.object({ applicationId: S.IdSchema });

export function registerAkiRoutes(app0: FastifyInstance, ctx: PortalContext): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  app.get('/api/aki/applications', {
    config: { auth: 'user' },
    schema: {
      tags: ['aki'],
      summary: 'AKI applications you may see: your organizations\' (as supplier) or those submitted in your categories (as customer)',
      querystring: z.object({
        as: z.enum(['supplier', 'customer']).default('supplier'),
        status: z.enum(AKI_STATUSES).optional(),
        groupId: S.IdSchema.optional(),
        categoryId: S.IdSchema.optional(),
      }).strict(),
      response: { 200: z.object({ applications: z.array(z.object({ record: RecordSchema, version: z.number().int() })) }), ...errorResponses },
    },
  }, async (req) => {
    const me = userOf(req);
    const q = req.query;
    let query = db.selectFrom('aki_applications').innerJoin('aki_categories', 'aki_categories.id', 'aki_applications.category_id').selectAll('aki_applications');
    if (q.as === 'supplier') {
      const orgs = me.memberships.map((m) => m.organizationId);
      if (orgs.length === 0) return { applications: [] };
      query = query.where('aki_applications.supplier_org_id', 'in', orgs);
    } else {
      const orgs = me.memberships.filter((m) => m.roles.includes('customer')).map((m) => m.organizationId);
      if (orgs.length === 0) return { applications: [] };
      query = query.where('aki_categories.customer_org_id', 'in', orgs).where('aki_applications.status', '!=', 'draft');
    }
    if (q.status) query = query.where('aki_applications.status', '=', q.status);
    if (q.groupId) query = query.where('aki_categories.group_id', '=', q.groupId);
    if (q.categoryId) query = query.where('aki_applications.category_id', '=', q.categoryId);
    const rows = await query.orderBy('aki_applications.serial', 'desc').limit(1000).execute();
    return { applications: rows.map((r) => ({ record: toRecord(r, null) as unknown as Record<string, unknown>, version: r.version })) };
  });

  app.get('/api/aki/applications/:applicationId', {
    config: { auth: 'user' },
    schema: { tags: ['aki'], summary: 'One AKI application you may see, with its category', params: Params, response: { 200: z.object({ record: RecordSchema, version: z.number().int(), category: RecordSchema }), ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    if (!(await canSeeAkiApplication(db, me.memberships, req.params.applicationId))) throw new AppError('not_found', 'Not found');
    const a = (await loadApplication(db, req.params.applicationId))!;
    const cat = (await loadCategory(db, a.record.categoryId))!;
    return { record: a.record as unknown as Record<string, unknown>, version: a.version, category: cat.record as unknown as Record<string, unknown> };
  });

  app.get('/api/aki/applications/:applicationId/audit', {
    config: { auth: 'user' },
    schema: { tags: ['aki', 'audit'], summary: 'Audit entries of an AKI application you may see', params: Params, querystring: S.AuditListQuerySchema, response: { 200: S.AuditListSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const id = req.params.applicationId;
    if (!(await canSeeAkiApplication(db, me.memberships, id))) throw new AppError('not_found', 'Not found');
    const PAGE = 500;
    const rows = await db.selectFrom('audit_log').selectAll().where('record_type', '=', 'aki_application').where('record_id', '=', id)
      .where('seq', '>', req.query.afterSeq ?? 0).orderBy('seq').limit(PAGE + 1).execute();
    const more = rows.length > PAGE;
    if (more) rows.pop();
    return {
      head: await auditHead(db),
      nextAfterSeq: more ? Number(rows[rows.length - 1]!.seq) : null,
      entries: rows.map((r) => ({
        seq: Number(r.seq), at: r.at, actorUserId: r.actor_user_id, entityType: r.entity_type, entityId: r.entity_id, action: r.action,
        fromStatus: r.from_status, toStatus: r.to_status, data: JSON.parse(r.data_json) as unknown, prevHash: r.prev_hash, hash: r.hash,
      })),
    };
  });
}
