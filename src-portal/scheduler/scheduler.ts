/**
 * Scheduled work lives in the `scheduled_jobs` table and every tick asks the
 * database what is due by the portal clock, so a restart (or a clock moved
 * forward in demo mode) loses nothing. Each job runs in its own transaction
 * with its effects; a failing job is retried on later ticks and marked
 * `failed` after MAX_ATTEMPTS.
 *
 * Later issues register handlers (discussion start, contract countdown).
 */
import { v7 as uuidv7 } from 'uuid';
import type { PortalContext } from '../context';
import type { Trx } from '../db/schema';
import { notify } from '../notify/outbox';

export type JobHandler = (trx: Trx, ctx: PortalContext, payload: Record<string, unknown>, now: string) => Promise<void>;

const MAX_ATTEMPTS = 5;
/** Expired sessions are kept a while so their owner is told "session expired" rather than "sign in". */
const SESSION_GRACE_MS = 30 * 86_400_000;
const sessionPurgeBefore = (now: string) => new Date(Date.parse(now) - SESSION_GRACE_MS).toISOString();

export async function scheduleJob(trx: Trx, nowIso: string, job: { kind: string; dueAt: string; payload: Record<string, unknown> }): Promise<string> {
  const id = uuidv7();
  await trx
    .insertInto('scheduled_jobs')
    .values({ id, kind: job.kind, due_at: job.dueAt, payload_json: JSON.stringify(job.payload), status: 'pending', attempts: 0, last_error: null, created_at: nowIso, finished_at: null })
    .execute();
  return id;
}

export const builtinJobs: Record<string, JobHandler> = {
  /** A reminder to one user (in-app + e-mail): used by the demo and as a template for real jobs. */
  reminder: async (trx, _ctx, payload, now) => {
    const userId = String(payload.userId ?? '');
    await notify(trx, now, { userId, kind: 'reminder', vars: { subject: String(payload.subject ?? ''), text: String(payload.text ?? '') } });
  },
  /** Drops expired sessions. */
  'sessions.purge': async (trx, _ctx, _payload, now) => {
    await trx.deleteFrom('sessions').where('expires_at', '<=', sessionPurgeBefore(now)).execute();
  },
  /**
   * Daily housekeeping: expired sessions, uploads abandoned for a week (their
   * partial bytes are deleted by the file store on the next start), then plans
   * the next run, so the chain of runs itself lives in the database.
   */
  'maintenance.daily': async (trx, _ctx, _payload, now) => {
    await trx.deleteFrom('sessions').where('expires_at', '<=', sessionPurgeBefore(now)).execute();
    const weekAgo = new Date(Date.parse(now) - 7 * 86_400_000).toISOString();
    await trx.updateTable('uploads').set({ status: 'abandoned', updated_at: now }).where('status', '=', 'open').where('updated_at', '<', weekAgo).execute();
    await scheduleJob(trx, now, { kind: 'maintenance.daily', dueAt: new Date(Date.parse(now) + 86_400_000).toISOString(), payload: {} });
  },
};

/** Makes sure one pending daily maintenance job exists (called at start). */
export async function ensureMaintenanceJob(ctx: PortalContext): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const pending = await trx.selectFrom('scheduled_jobs').select('id').where('kind', '=', 'maintenance.daily').where('status', '=', 'pending').executeTakeFirst();
    if (!pending) await scheduleJob(trx, ctx.nowIso(), { kind: 'maintenance.daily', dueAt: new Date(ctx.clock.now().getTime() + 3600_000).toISOString(), payload: {} });
  });
}

export class Scheduler {
  private running: Promise<number> | null = null;
  constructor(
    private readonly ctx: PortalContext,
    private readonly handlers: Record<string, JobHandler> = builtinJobs,
  ) {}

  /** Runs every job due now. Concurrent calls share one run. */
  tick(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    const { db } = this.ctx;
    const now = this.ctx.nowIso();
    const due = await db.selectFrom('scheduled_jobs').selectAll().where('status', '=', 'pending').where('due_at', '<=', now).orderBy('due_at').limit(100).execute();
    let done = 0;
    for (const job of due) {
      const handler = this.handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await db.transaction().execute(async (trx) => {
          await handler(trx, this.ctx, JSON.parse(job.payload_json) as Record<string, unknown>, now);
          await trx.updateTable('scheduled_jobs').set({ status: 'done', attempts: job.attempts + 1, finished_at: now }).where('id', '=', job.id).where('status', '=', 'pending').execute();
        });
        done++;
      } catch (err) {
        this.ctx.log(`job ${job.id} (${job.kind}) failed`, err);
        const attempts = job.attempts + 1;
        await db
          .updateTable('scheduled_jobs')
          .set({ attempts, last_error: err instanceof Error ? err.message.slice(0, 500) : 'error', status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending' })
          .where('id', '=', job.id)
          .execute();
      }
    }
    return done;
  }
}
