/**
 * The portal moves `published` → `discussion` by itself when the start
 * arrives — also when it was down at that moment: stop the portal, move its
 * clock past the start, start it again on the same data: one tick does it.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MovableClock } from '../../src-portal/clock';
import { call, isoIn, mut, pushOk, signIn, startTestPortal, tmpDir, upload, validCompetition } from './helpers';

const hour = 3_600_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('discussion start job', () => {
  it('survives a restart: clock moved past the start while stopped → `discussion` within one tick, with its audit entry', async () => {
    const dataDir = tmpDir('competition-sched-');
    dirs.push(dataDir);
    const clock = new MovableClock();
    let portal = await startTestPortal({ dataDir, clock });
    const organizer = await signIn(portal.url, 'organizer');
    const file = await upload(portal.url, organizer);
    const start = isoIn(hour, clock.now().getTime());
    const { mutations, id } = await validCompetition(portal.url, file, { start, end: isoIn(20 * 24 * hour, clock.now().getTime()) });
    await pushOk(portal.url, organizer, [...mutations, mut('competition.publish', { competitionId: id, baseVersion: 0 })]);
    await portal.tick();
    expect((await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record.status).toBe('published');
    await portal.close();

    const later = new MovableClock(undefined, clock.offset + 2 * hour);
    portal = await startTestPortal({ dataDir, clock: later });
    try {
      // Nothing ran yet: the restart itself changes nothing, the scheduler's tick does.
      expect((await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record.status).toBe('published');
      await portal.tick();
      const r = await call(portal.url, 'GET', `/api/competitions/${id}`);
      expect(r.json.record).toMatchObject({ status: 'discussion', lotStatus: 'published' });
      const h = await call(portal.url, 'GET', `/api/competitions/${id}/history`);
      expect(h.json.entries.at(-1)).toMatchObject({ action: 'competition.discussion_started', fromStatus: 'published', toStatus: 'discussion', actorName: null });
      // A second tick finds nothing left to do.
      const job = await portal.db.selectFrom('scheduled_jobs').select(['status']).where('kind', '=', 'competition.startDiscussion').execute();
      expect(job.map((j) => j.status)).toEqual(['done']);
    } finally {
      await portal.close();
    }
  });

  it('does not start early: a tick before the start leaves it published', async () => {
    const portal = await startTestPortal();
    try {
      const organizer = await signIn(portal.url, 'organizer');
      const file = await upload(portal.url, organizer);
      const { mutations, id } = await validCompetition(portal.url, file, { start: isoIn(hour), end: isoIn(20 * 24 * hour) });
      await pushOk(portal.url, organizer, [...mutations, mut('competition.publish', { competitionId: id, baseVersion: 0 })]);
      await portal.tick();
      expect((await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record.status).toBe('published');
    } finally {
      await portal.cleanup();
    }
  });
});
