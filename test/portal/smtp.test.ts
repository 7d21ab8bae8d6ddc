/**
 * E-mail through a real SMTP server on loopback: an outage never blocks the
 * business action, and the mail arrives exactly once after the server (and
 * the portal) come back.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SmtpReceiver } from '../helpers/smtp-receiver';
import { call, demoId, demoUser, signIn, startTestPortal, tmpDir } from './helpers';

const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('mail outbox', () => {
  it('SMTP down: the action succeeds; SMTP and portal back: the mail arrives exactly once, in the recipient\'s language', async () => {
    const smtp = new SmtpReceiver();
    await smtp.start();
    const received = smtp.received;
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const smtpSettings = smtp.settings();
    let portal = await startTestPortal({ dataDir, smtp: smtpSettings, tickMs: 50 });

    const head = await signIn(portal.url, 'orgHead');
    const secretary = demoUser('secretary');

    // SMTP goes down.
    await smtp.close();
    const org = demoId('org', 'organizer');
    const list = await call(portal.url, 'GET', `/api/orgs/${org}/employees`, { token: head });
    const sec = list.json.employees.find((e: { userId: string }) => e.userId === secretary.id);
    // The change is applied while SMTP is down (the mail does not block it) and the mail waits.
    const r = await call(portal.url, 'PUT', `/api/orgs/${org}/employees/${secretary.id}/roles`, { token: head, body: { roles: ['organizer', 'secretary'], version: sec.version } });
    expect(r.status).toBe(200);
    // The worker tried and failed; the mail waits in the outbox.
    expect(await waitFor(async () => ((await portal.db.selectFrom('email_outbox').select('attempts').where('to_address', '=', secretary.email).executeTakeFirst())?.attempts ?? 0) >= 1, 15_000)).toBe(true);
    const row = await portal.db.selectFrom('email_outbox').selectAll().where('to_address', '=', secretary.email).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.last_error).toBeTruthy();

    // The portal restarts while SMTP is still down; then SMTP comes back on the same port.
    await portal.close();
    await smtp.start(); // the same port
    portal = await startTestPortal({ dataDir, smtp: smtpSettings, tickMs: 50 });
    try {
      expect(await waitFor(() => received.length >= 1, 10_000)).toBe(true);
      // Give the worker many more ticks: nothing is sent twice.
      await new Promise((res) => setTimeout(res, 600));
      await portal.tick();
      const mine = received.filter((m) => m.to === secretary.email);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.messageId).toBe(row.message_id);
      // The secretary reads Russian: subject and localised role names.
      expect(mine[0]!.subject).toBe('Ваши роли в организации «Управление инвестиций города Алматы» изменены');
      const sent = await portal.db.selectFrom('email_outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(sent.status).toBe('sent');
      expect(sent.sent_at).toBeTruthy();
      // The in-app notification was written with the change.
      const token = await signIn(portal.url, 'secretary');
      const n = await call(portal.url, 'GET', '/api/notifications', { token });
      expect(n.json.notifications[0]).toMatchObject({ kind: 'rolesChanged', readAt: null });
      expect(n.json.notifications[0].body).toContain('Организатор, Секретарь');
      const read = await call(portal.url, 'POST', `/api/notifications/${n.json.notifications[0].id}/read`, { token });
      expect(read.status).toBe(200);
    } finally {
      await portal.close();
      await smtp.close();
    }
  });
});

describe('mail directory (demo without SMTP)', () => {
  it('writes each mail once as <Message-ID>.eml in <data>/mail', async () => {
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const portal = await startTestPortal({ dataDir, smtp: null });
    try {
      const head = await signIn(portal.url, 'orgHead');
      const secretary = demoUser('secretary');
      const org = demoId('org', 'organizer');
      const list = await call(portal.url, 'GET', `/api/orgs/${org}/employees`, { token: head });
      const sec = list.json.employees.find((e: { userId: string }) => e.userId === secretary.id);
      await call(portal.url, 'PUT', `/api/orgs/${org}/employees/${secretary.id}/roles`, { token: head, body: { roles: ['secretary', 'organizer'], version: sec.version } });
      await portal.tick();
      await portal.tick();
      const files = fs.readdirSync(`${dataDir}/mail`).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const eml = fs.readFileSync(`${dataDir}/mail/${files[0]}`, 'utf8');
      const row = await portal.db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
      expect(eml).toContain(`Message-ID: ${row.message_id}`);
      expect(eml).toContain(`To: ${secretary.email}`);
    } finally {
      await portal.close();
    }
  });
});
