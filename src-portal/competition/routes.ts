/**
 * REST reads of competitions (changes go through the sync push, one rule for
 * app and API clients). A draft is visible to its organization's members
 * only, and answers 404 to anyone else, signed in or not; published
 * competitions are public.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as S from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import { COMPETITION_STATUSES, type CompetitionRecord } from '../../src-shared/competition/model';
import { canSeeCompetition, type Actor } from '../../src-shared/competition/rules';
import type { MembershipView } from '../../src-shared/accounts/permissions';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { errorResponses } from '../http/responses';
import { loadCompetition } from './store';

const RecordBody = z.object({ record: z.record(z.string(), z.unknown()), version: z.number().int() });
const Params = z.object({ competitionId: S.IdSchema });

const actorOf = (auth: { id: string; memberships: readonly MembershipView[] } | null | undefined): Actor | null =>
  auth ? { userId: auth.id, memberships: auth.memberships } : null;

/** recordAccess for attachments of a competition (files/routes.ts): the same visibility as the record. */
export async function canSeeCompetitionRecord(db: Queryable, memberships: readonly MembershipView[], competitionId: string): Promise<boolean> {
  const row = await db.selectFrom('competitions').select(['status', 'organization_id']).where('id', '=', competitionId).executeTakeFirst();
  return !!row && canSeeCompetition({ userId: '', memberships }, { status: row.status as CompetitionRecord['status'], organizationId: row.organization_id });
}

export function registerCompetitionRoutes(app0: FastifyInstance, ctx: PortalContext): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  app.get('/api/competitions', {
    config: { auth: 'public' },
    schema: {
      tags: ['competitions'],
      summary: 'Competitions you may see: published ones, and the drafts of your organizations',
      querystring: z.object({ status: z.enum(COMPETITION_STATUSES).optional(), organizationId: S.IdSchema.optional() }).strict(),
      response: { 200: z.object({ competitions: z.array(RecordBody), serverTime: z.string().optional() }), ...errorResponses },
    },
  }, async (req) => {
    const actor = actorOf(req.auth);
    const orgs = actor?.memberships.map((m) => m.organizationId) ?? [];
    let q = db.selectFrom('competitions').select(['data_json', 'version']).where((eb) =>
      orgs.length ? eb.or([eb('status', '!=', 'draft'), eb('organization_id', 'in', orgs)]) : eb('status', '!=', 'draft'));
    if (req.query.status) q = q.where('status', '=', req.query.status);
    if (req.query.organizationId) q = q.where('organization_id', '=', req.query.organizationId);
    const rows = await q.orderBy('created_at', 'desc').limit(500).execute();
    // serverTime: the portal's clock, so a signed-out app still shows portal time.
    return { competitions: rows.map((r) => ({ record: JSON.parse(r.data_json) as Record<string, unknown>, version: r.version })), serverTime: ctx.nowIso() };
  });

  app.get('/api/competitions/:competitionId', {
    config: { auth: 'public' },
    schema: { tags: ['competitions'], summary: 'One competition (drafts: members of its organization only)', params: Params, response: { 200: RecordBody, ...errorResponses } },
  }, async (req) => {
    const c = await loadCompetition(db, req.params.competitionId);
    if (!c || !canSeeCompetition(actorOf(req.auth), c.record)) throw new AppError('not_found', 'No such competition');
    return { record: c.record as unknown as Record<string, unknown>, version: c.version };
  });

  app.get('/api/competitions/:competitionId/history', {
    config: { auth: 'public' },
    schema: {
      tags: ['competitions'],
      summary: 'The competition\'s audit entries (status history), oldest first',
      params: Params,
      response: {
        200: z.object({ entries: z.array(z.object({ seq: z.number(), at: z.string(), action: z.string(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(), actorName: z.string().nullable() })) }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const c = await loadCompetition(db, req.params.competitionId);
    if (!c || !canSeeCompetition(actorOf(req.auth), c.record)) throw new AppError('not_found', 'No such competition');
    const rows = await db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_user_id')
      .select(['audit_log.seq', 'audit_log.at', 'audit_log.action', 'audit_log.from_status', 'audit_log.to_status', 'users.full_name'])
      .where('audit_log.record_type', '=', 'competition').where('audit_log.record_id', '=', req.params.competitionId)
      .orderBy('audit_log.seq').limit(1000).execute();
    return { entries: rows.map((r) => ({ seq: Number(r.seq), at: r.at, action: r.action, fromStatus: r.from_status, toStatus: r.to_status, actorName: r.full_name })) };
  });
}
