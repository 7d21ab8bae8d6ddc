/**
 * AKI e-mails through a real SMTP server on loopback: SMTP stops during the
 * decisions and the portal restarts; once SMTP is back each mail arrives
 * exactly once, to the right person, with the seed's subject in the
 * recipient's language.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SmtpReceiver } from '../helpers/smtp-receiver';
import { demoUser, signIn, startTestPortal, tmpDir } from '../portal/helpers';
import { CAT, CAT2, PDF, call, createDraft, fullAnswers, one, upload, version } from './helpers';

const waitFor = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end && !cond()) await new Promise((r) => setTimeout(r, 50));
  return cond();
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('AKI mail', () => {
  it('SMTP down during submission and decisions, portal restarted: every mail once, right recipient, subject and language', async () => {
    const smtp = new SmtpReceiver();
    await smtp.start();
    const received = smtp.received;
    const dataDir = tmpDir();
    dirs.push(dataDir);
    const smtpSettings = smtp.settings();
    let portal = await startTestPortal({ dataDir, smtp: smtpSettings, tickMs: 50 });
    await smtp.close(); // down from here on
    const ru = await signIn(portal.url, 'supplier'); // Петров, reads Russian
    const kk = await signIn(portal.url, 'supplier1Head'); // Омаров, reads Kazakh
    const customer = await signIn(portal.url, 'customer'); // Бекова, reads Kazakh

    const submit = async (token: string, cat: string) => {
      const { applicationId } = await createDraft(portal.url, token, { cat });
      const file = await upload(portal.url, token, Buffer.concat([PDF, Buffer.from(cat)]), 'c.pdf');
      await one(portal.url, token, 'aki.save', { applicationId, baseVersion: 1, templateVersion: 1, email: 'a@b.kz', phone: '+7 701 111 22 33', comment: '', answers: fullAnswers(file) });
      expect((await one(portal.url, token, 'aki.publish', { applicationId, templateVersion: 1 })).status).toBe('applied');
      return applicationId;
    };
    const a1 = await submit(ru, CAT);
    const a2 = await submit(kk, CAT2);
    // An SMTP outage never blocks a decision: both are applied while the mails wait in the outbox.
    expect((await one(portal.url, customer, 'aki.decide', { applicationId: a1, baseVersion: await version(portal.url, customer, a1), decision: 'revision', reason: 'Файлды ауыстырыңыз', requirementKeys: ['registration_certificate'] })).status).toBe('applied');
    expect((await one(portal.url, customer, 'aki.decide', { applicationId: a2, baseVersion: await version(portal.url, customer, a2), decision: 'reject', reason: 'Лицензия жоқ', requirementKeys: [] })).status).toBe('applied');
    const pending = await portal.db.selectFrom('email_outbox').selectAll().where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(4);

    await portal.close();
    await smtp.start(); // the same port
    portal = await startTestPortal({ dataDir, smtp: smtpSettings, tickMs: 50 });
    try {
      expect(await waitFor(() => received.length >= 4, 10_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 600));
      await portal.tick();
      const to = (key: string) => received.filter((m) => m.to === demoUser(key).email);
      const cust = to('customer');
      expect(cust.map((m) => m.subject).sort()).toEqual(['Жаңа АКІ өтінімі: AKI-000001', 'Жаңа АКІ өтінімі: AKI-000002']);
      expect(to('supplier').map((m) => m.subject)).toEqual(['Ваша заявка на прохождение ПКО возвращена на доработку']);
      expect(to('supplier1Head').map((m) => m.subject)).toEqual(['Сіздің АКІ-ға өтінішіңіз кері қайтарылды']);
      expect(received).toHaveLength(4);
      expect(new Set(received.map((m) => m.messageId)).size).toBe(4);
      // Nobody else got anything: not the other supplier's people, not the Qarmet head (no Customer role).
      expect(to('supplier2Head')).toHaveLength(0);
      expect(to('customerHead')).toHaveLength(0);
      // In-app notifications for the same events, in the reader's language.
      const n = await call(portal.url, 'GET', '/api/notifications', { token: await signIn(portal.url, 'supplier') });
      expect(n.json.notifications.map((x: { kind: string }) => x.kind)).toContain('akiReturned');
      expect(n.json.notifications.find((x: { kind: string }) => x.kind === 'akiReturned').body).toContain('Файлды ауыстырыңыз');
    } finally {
      await portal.close();
      await smtp.close();
    }
  });
});
