/**
 * The portal moves `published` → `discussion` by itself when the start
 * arrives — also when it was down at that moment: stop the portal, move its
 * clock past the start, start it again on the same data: one tick does it.
 *
 * The same walk checks the status notifier (SPEC §1.3) through a real SMTP
 * server on loopback: publication and the discussion start each reach the
 * state partner's representative (the Head of the state partner
 * organization) and every initiator exactly once, in the recipient's
 * language, in the app inbox and by e-mail; nobody else hears of it.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MovableClock } from '../../src-portal/clock';
import { formatDateTime } from '../../src-shared/time/almaty';
import { SmtpReceiver } from '../helpers/smtp-receiver';
import { until } from '../helpers/until';
import { call, demoId, demoUser, isoIn, mut, pushOk, signIn, startTestPortal, tmpDir, upload, uuid, validCompetition } from './helpers';

const hour = 3_600_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('discussion start job', () => {
  it('survives a restart: clock moved past the start while stopped → `discussion` within one tick, with its audit entry; every party notified once per change, in their language', async () => {
    const smtp = new SmtpReceiver();
    await smtp.start();
    const dataDir = tmpDir('competition-sched-');
    dirs.push(dataDir);
    const clock = new MovableClock();
    let portal = await startTestPortal({ dataDir, clock, smtp: smtp.settings() });
    try {
      // The state partner's Head reads Russian; the first initiator Kazakh, the second (Smith John) English.
      await portal.db.updateTable('users').set({ preferred_language: 'ru' }).where('id', '=', demoId('user', 'stateHead')).execute();
      const organizer = await signIn(portal.url, 'organizer');
      const file = await upload(portal.url, organizer);
      const start = isoIn(hour, clock.now().getTime());
      const { mutations, id } = await validCompetition(portal.url, file, { start, end: isoIn(20 * 24 * hour, clock.now().getTime()) });
      const second = mut('competition.saveInitiator', {
        competitionId: id, baseVersion: 0,
        initiator: { id: uuid(), userId: demoId('user', 'private2Head'), userName: 'x', partnerIinBin: '190240000443', representative: 'Smith J.', position: 'CEO', phone: '', email: '' },
      });
      await pushOk(portal.url, organizer, [...mutations, second, mut('competition.publish', { competitionId: id, baseVersion: 0 })]);
      await portal.tick();
      const number = (await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record.number as string;
      expect((await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record.status).toBe('published');
      const [ru, kk, en] = ['stateHead', 'private1Head', 'private2Head'].map((k) => demoUser(k).email) as [string, string, string];
      await until(async () => smtp.received.length, (n) => n >= 3, 10_000);
      expect(smtp.to(ru).map((m) => [m.subject, m.language])).toEqual([[`Конкурс ${number}: Опубликован`, 'ru']]);
      expect(smtp.to(kk).map((m) => [m.subject, m.language])).toEqual([[`Конкурс ${number}: Жарияланды`, 'kk']]);
      expect(smtp.to(en).map((m) => [m.subject, m.language])).toEqual([[`Competition ${number}: Published`, 'en']]);
      expect(smtp.received).toHaveLength(3);
      await portal.close();

      const later = new MovableClock(undefined, clock.offset + 2 * hour);
      portal = await startTestPortal({ dataDir, clock: later, smtp: smtp.settings() });
      // Nothing ran yet: the restart itself changes nothing, the scheduler's tick does.
      expect((await call(portal.url, 'GET', `/api/competitions/${id}`)).json.record.status).toBe('published');
      await portal.tick();
      const r = await call(portal.url, 'GET', `/api/competitions/${id}`);
      expect(r.json.record).toMatchObject({ status: 'discussion', lotStatus: 'published' });
      const h = await call(portal.url, 'GET', `/api/competitions/${id}/history`);
      expect(h.json.entries.at(-1)).toMatchObject({ action: 'competition.discussion_started', fromStatus: 'published', toStatus: 'discussion', actorName: null });
      // A second tick finds nothing left to do: no second job run, no second mail.
      await until(async () => smtp.received.length, (n) => n >= 6, 10_000);
      await portal.tick();
      const job = await portal.db.selectFrom('scheduled_jobs').select(['status']).where('kind', '=', 'competition.startDiscussion').execute();
      expect(job.map((j) => j.status)).toEqual(['done']);
      expect(smtp.to(ru).map((m) => m.subject)).toEqual([`Конкурс ${number}: Опубликован`, `Конкурс ${number}: Опубликован (Обсуждение)`]);
      expect(smtp.to(kk).map((m) => m.subject)).toEqual([`Конкурс ${number}: Жарияланды`, `Конкурс ${number}: Жарияланды (Талқылау)`]);
      expect(smtp.to(en).map((m) => m.subject)).toEqual([`Competition ${number}: Published`, `Competition ${number}: Published (Discussion)`]);
      expect(smtp.received).toHaveLength(6);
      expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(6);
      // Portal time in the body: DD.MM.YYYY HH:mm in Almaty, whatever the language.
      expect(smtp.to(en)[1]!.raw).toContain(formatDateTime(start));

      // The in-app inbox (synced to the app, which shows it as a desktop notification), in the reader's language.
      const inbox = await call(portal.url, 'GET', '/api/notifications', { token: await signIn(portal.url, 'stateHead') });
      const mine = inbox.json.notifications.filter((n: { kind: string }) => n.kind === 'competitionStatus');
      expect(mine.map((n: { title: string }) => n.title).sort()).toEqual([`Конкурс ${number}: Опубликован`, `Конкурс ${number}: Опубликован (Обсуждение)`]);
      // Nobody outside the parties (not the organizer, no other organization), each party once per change.
      const rows = await portal.db.selectFrom('notifications').select('user_id').where('kind', '=', 'competitionStatus').execute();
      const parties = ['stateHead', 'private1Head', 'private2Head'].map((k) => demoId('user', k));
      expect(rows.map((x) => x.user_id).sort()).toEqual([...parties, ...parties].sort());
    } finally {
      await portal.close();
      await smtp.close();
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
