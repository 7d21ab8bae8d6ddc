/** The clock endpoint exists only in demo mode; scheduled jobs live in the database and survive restarts. */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { call, demoId, signIn, startTestPortal, tmpDir } from './helpers';
import { scheduleJob } from '../../src-portal/scheduler/scheduler';
import { openPortalDb } from '../../src-portal/db/open';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('demo clock', () => {
  it('answers 404 without --demo', async () => {
    const portal = await startTestPortal({ demo: false });
    try {
      const r = await call(portal.url, 'POST', '/api/demo/clock', { body: { advanceMs: 86_400_000 } });
      expect(r.status).toBe(404);
      expect(r.json.code).toBe('not_found');
      const doc = await call(portal.url, 'GET', '/openapi.json');
      expect(Object.keys(doc.json.paths)).not.toContain('/api/demo/clock');
      expect((await call(portal.url, 'GET', '/api/health')).json.demo).toBe(false);
    } finally {
      await portal.cleanup();
    }
  });

  it('moves time forward in demo mode, keeps it across restarts, never moves it back', async () => {
    const dataDir = tmpDir();
    dirs.push(dataDir);
    let portal = await startTestPortal({ dataDir });
    const before = Date.parse((await call(portal.url, 'GET', '/api/time')).json.now);
    const r = await call(portal.url, 'POST', '/api/demo/clock', { body: { advanceMs: 10 * 86_400_000 } });
    expect(r.status).toBe(200);
    expect(Date.parse(r.json.now) - before).toBeGreaterThanOrEqual(10 * 86_400_000);
    const back = await call(portal.url, 'POST', '/api/demo/clock', { body: { to: '2020-01-01T00:00:00.000Z' } });
    expect(Date.parse(back.json.now)).toBeGreaterThanOrEqual(Date.parse(r.json.now));
    await portal.close();
    portal = await startTestPortal({ dataDir });
    const after = Date.parse((await call(portal.url, 'GET', '/api/time')).json.now);
    expect(after - before).toBeGreaterThanOrEqual(10 * 86_400_000);
    await portal.close();
  });
});

describe('scheduler', () => {
  it('a job scheduled before a restart runs after it, when the clock reaches it', async () => {
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const userId = demoId('user', 'secretary');
    let portal = await startTestPortal({ dataDir });
    const dueAt = new Date(portal.ctx.clock.now().getTime() + 2 * 86_400_000).toISOString();
    await portal.db.transaction().execute((trx) => scheduleJob(trx, portal.ctx.nowIso(), { kind: 'reminder', dueAt, payload: { userId, subject: 'Талқылау', text: 'Талқылау басталады' } }));
    await portal.tick();
    expect((await portal.db.selectFrom('scheduled_jobs').select('status').where('kind', '=', 'reminder').executeTakeFirstOrThrow()).status).toBe('pending');
    await portal.close();

    portal = await startTestPortal({ dataDir });
    try {
      // Moving the demo clock runs a tick: the job, read from the database, is now due.
      await call(portal.url, 'POST', '/api/demo/clock', { body: { advanceMs: 3 * 86_400_000 } });
      const job = await portal.db.selectFrom('scheduled_jobs').selectAll().where('kind', '=', 'reminder').executeTakeFirstOrThrow();
      expect(job.status).toBe('done');
      const token = await signIn(portal.url, 'secretary');
      const n = await call(portal.url, 'GET', '/api/notifications', { token });
      const reminder = n.json.notifications.find((x: { kind: string }) => x.kind === 'reminder');
      // The secretary reads Russian.
      expect(reminder.title).toBe('Напоминание: Талқылау');
    } finally {
      await portal.close();
    }
  });

  it('the periodic tick picks up a job that fell due while the portal was down', async () => {
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const nowIso = () => new Date().toISOString();
    const { db } = await openPortalDb(dataDir, nowIso);
    await db.transaction().execute((trx) => scheduleJob(trx, nowIso(), { kind: 'sessions.purge', dueAt: new Date(Date.now() - 1000).toISOString(), payload: {} }));
    await db.destroy();
    const portal = await startTestPortal({ dataDir, demo: false, tickMs: 50 });
    try {
      const deadline = Date.now() + 5000;
      let status = 'pending';
      while (Date.now() < deadline && status !== 'done') {
        await new Promise((r) => setTimeout(r, 50));
        status = (await portal.db.selectFrom('scheduled_jobs').select('status').where('kind', '=', 'sessions.purge').executeTakeFirstOrThrow()).status;
      }
      expect(status).toBe('done');
      // Housekeeping reschedules itself in the database: after moving a day on, a new one is pending.
      const maint = await portal.db.selectFrom('scheduled_jobs').select(['status', 'due_at']).where('kind', '=', 'maintenance.daily').execute();
      expect(maint.filter((j) => j.status === 'pending')).toHaveLength(1);
    } finally {
      await portal.close();
    }
  });
});

describe('one portal per data folder', () => {
  it('a second portal on the same folder is refused; after close it starts', async () => {
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const a = await startTestPortal({ dataDir });
    await expect(startTestPortal({ dataDir })).rejects.toThrow(/in use by another portal/);
    await a.close();
    const b = await startTestPortal({ dataDir });
    await b.close();
    // A lock left by a dead process is stale and taken over.
    fs.writeFileSync(`${dataDir}/portal.lock`, '999999');
    const c = await startTestPortal({ dataDir });
    await c.close();
  });
});
