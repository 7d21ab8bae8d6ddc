/** Health, time, audit, notifications and the demo clock. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as S from '../../src-shared/portal-api/schemas';
import { AppError } from '../../src-shared/rpc/errors';
import type { PortalContext } from '../context';
import type { MovableClock } from '../clock';
import { userOf } from './auth';
import { errorResponses } from './responses';
import { auditHead } from '../audit/audit';
import { assertCanSeeRecord } from '../files/routes';
import { renderMessage, type MessageVars } from '../notify/messages';
import { markNotificationsRead } from '../notify/outbox';

export const PORTAL_VERSION = '0.1.0';

export function registerSystemRoutes(app0: FastifyInstance, ctx: PortalContext, opts: { schemaVersion: number; movableClock: MovableClock | null; onClockMoved: () => Promise<void> }): void {
  const app = app0.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  app.get('/api/health', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'Liveness and versions', response: { 200: S.HealthSchema, ...errorResponses } },
  }, async () => {
    await db.selectFrom('audit_head').select('seq').executeTakeFirst();
    return { status: 'ok' as const, version: PORTAL_VERSION, schemaVersion: opts.schemaVersion, now: ctx.nowIso(), demo: ctx.demo };
  });

  app.get('/api/time', {
    config: { auth: 'public' },
    schema: { tags: ['system'], summary: 'The portal clock (the authority on deadlines)', response: { 200: S.TimeSchema, ...errorResponses } },
  }, async () => ({ now: ctx.nowIso() }));

  app.get('/api/audit/head', {
    config: { auth: 'public' },
    schema: { tags: ['audit'], summary: 'Sequence and hash of the latest audit entry (sync pulls carry it too)', response: { 200: S.AuditHeadSchema, ...errorResponses } },
  }, async () => auditHead(db));

  app.get('/api/records/:recordType/:recordId/audit', {
    config: { auth: 'user' },
    schema: {
      tags: ['audit'],
      summary: 'Audit entries of a record you may see',
      params: z.object({ recordType: z.enum(['organization', 'user']), recordId: S.IdSchema }),
      querystring: S.AuditListQuerySchema,
      response: { 200: S.AuditListSchema, ...errorResponses },
    },
  }, async (req) => {
    const me = userOf(req);
    const { recordType, recordId } = req.params;
    if (recordType === 'user') {
      if (recordId !== me.id) throw new AppError('not_found', 'Not found');
    } else {
      await assertCanSeeRecord(db, me.memberships, recordType, recordId);
    }
    const PAGE = 500;
    const rows = await db.selectFrom('audit_log').selectAll().where('record_type', '=', recordType).where('record_id', '=', recordId)
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

  app.get('/api/notifications', {
    config: { auth: 'user' },
    schema: { tags: ['notifications'], summary: 'Your in-app notifications, newest first, in your language', response: { 200: S.NotificationListSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    const rows = await db.selectFrom('notifications').selectAll().where('user_id', '=', me.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
    return {
      notifications: rows.map((n) => {
        const vars = JSON.parse(n.vars_json) as MessageVars;
        const m = renderMessage(me.preferredLanguage, n.kind, vars);
        return { id: n.id, kind: n.kind, vars, title: m.subject, body: m.body, createdAt: n.created_at, readAt: n.read_at };
      }),
    };
  });

  app.post('/api/notifications/:notificationId/read', {
    config: { auth: 'user' },
    schema: { tags: ['notifications'], summary: 'Marks one of your notifications read', params: z.object({ notificationId: S.IdSchema }), response: { 200: S.OkSchema, ...errorResponses } },
  }, async (req) => {
    const me = userOf(req);
    await db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('notifications').select('id').where('id', '=', req.params.notificationId).where('user_id', '=', me.id).executeTakeFirst();
      if (!exists) throw new AppError('not_found', 'Not found');
      await markNotificationsRead(trx, ctx.nowIso(), me.id, [req.params.notificationId]);
    });
    return { ok: true as const };
  });

  // The clock endpoint exists only in demo mode and tests: a production portal never lets anyone move time.
  const clock = opts.movableClock;
  if (ctx.demo && clock) {
    app.post('/api/demo/clock', {
      config: { auth: 'public' },
      schema: { tags: ['demo'], summary: 'Demo only: moves the portal clock forward, then runs due jobs', body: S.ClockMoveSchema, response: { 200: S.TimeSchema, ...errorResponses } },
    }, async (req) => {
      if (req.body.advanceMs !== undefined) clock.advance(req.body.advanceMs);
      if (req.body.to !== undefined) clock.setTo(new Date(req.body.to));
      await db.insertInto('portal_state').values({ key: 'demo_clock_offset_ms', value: String(clock.offset) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: String(clock.offset) })).execute();
      await opts.onClockMoved();
      return { now: ctx.nowIso() };
    });
  }
}
