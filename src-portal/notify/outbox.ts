/**
 * Notifications are written in the same transaction as the change that
 * causes them: an in-app row and (optionally) an e-mail outbox row. Sending
 * happens later in the mail worker, so an SMTP outage never blocks or
 * rolls back a business action.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Trx } from '../db/schema';
import type { MessageKind, MessageVars } from './messages';

export interface NotifyInput {
  userId: string;
  kind: MessageKind;
  vars: MessageVars;
  email?: boolean;
}

/** The Message-ID is fixed when the row is written, so a resend after a crash carries the same id. */
export const messageIdFor = (outboxId: string, domain: string): string => `<${outboxId}@${domain}>`;

export async function notify(trx: Trx, nowIso: string, n: NotifyInput, mailDomain = 'seriktes.portal'): Promise<void> {
  const user = await trx.selectFrom('users').select(['email', 'preferred_language']).where('id', '=', n.userId).executeTakeFirst();
  if (!user) return;
  const varsJson = JSON.stringify(n.vars);
  await trx.insertInto('notifications').values({ id: uuidv7(), user_id: n.userId, kind: n.kind, vars_json: varsJson, created_at: nowIso, read_at: null }).execute();
  if (n.email === false) return;
  const id = uuidv7();
  await trx
    .insertInto('email_outbox')
    .values({
      id,
      user_id: n.userId,
      to_address: user.email,
      language: user.preferred_language,
      template: n.kind,
      vars_json: varsJson,
      message_id: messageIdFor(id, mailDomain),
      status: 'pending',
      attempts: 0,
      next_attempt_at: nowIso,
      last_error: null,
      created_at: nowIso,
      sent_at: null,
    })
    .execute();
}
