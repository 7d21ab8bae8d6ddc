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
  /** Drops expired sessions, then plans the next sweep. */
  'sessions.purge': async (trx, _ctx, _payload, now) => {
    await trx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  },
};

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
