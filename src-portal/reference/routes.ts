/** Public reference data: PPP methods and AKI category groups/categories with their requirement templates. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as S from '../../src-shared/portal-api/schemas';
import { RequirementTemplateSchema } from '../../src-shared/reference/requirements';
import { AppError } from '../../src-shared/rpc/errors';
import type { PortalContext } from '../context';
import { errorResponses } from '../http/responses';

export function registerReferenceRoutes(app0: FastifyInstance, ctx: PortalContext): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  app.get('/api/reference/methods', {
    config: { auth: 'public' },
    schema: { tags: ['reference'], summary: 'Methods of determining a private partner', response: { 200: S.PppMethodListSchema, ...errorResponses } },
  }, async () => {
    const rows = await db.selectFrom('ppp_methods').selectAll().orderBy('code').execute();
    return { methods: rows.map((m) => ({ id: m.id, code: m.code, name: { kk: m.name_kk, ru: m.name_ru, en: m.name_en }, minDiscussionDays: m.min_discussion_days, version: m.version })) };
  });

  app.get('/api/reference/aki-groups', {
    config: { auth: 'public' },
    schema: { tags: ['reference'], summary: 'AKI category groups with their categories', response: { 200: S.AkiGroupListSchema, ...errorResponses } },
  }, async () => {
    const groups = await db.selectFrom('aki_groups').selectAll().orderBy('code').execute();
    const cats = await db.selectFrom('aki_categories').selectAll().orderBy('code').execute();
    return {
      groups: groups.map((g) => ({
        id: g.id, code: g.code, name: { kk: g.name_kk, ru: g.name_ru, en: g.name_en }, version: g.version,
        categories: cats.filter((c) => c.group_id === g.id).map((c) => ({ id: c.id, code: c.code, name: { kk: c.name_kk, ru: c.name_ru, en: c.name_en }, requirementsVersion: c.requirements_version, version: c.version })),
      })),
    };
  });

  app.get('/api/reference/aki-categories/:categoryId/requirements', {
    config: { auth: 'public' },
    schema: {
      tags: ['reference'],
      summary: 'The current (or a given) version of a category\'s requirement template',
      params: z.object({ categoryId: S.IdSchema }),
      querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(),
      response: { 200: z.object({ categoryId: S.IdSchema, templateVersion: z.number().int(), template: RequirementTemplateSchema }), ...errorResponses },
    },
  }, async (req) => {
    const cat = await db.selectFrom('aki_categories').select(['id', 'requirements_version']).where('id', '=', req.params.categoryId).executeTakeFirst();
    if (!cat) throw new AppError('not_found', 'No such category');
    const version = req.query.version ?? cat.requirements_version;
    const t = await db.selectFrom('aki_requirement_templates').select(['template_json', 'template_version']).where('category_id', '=', cat.id).where('template_version', '=', version).executeTakeFirst();
    if (!t) throw new AppError('not_found', 'No such template version');
    return { categoryId: cat.id, templateVersion: t.template_version, template: RequirementTemplateSchema.parse(JSON.parse(t.template_json)) };
  });
}
