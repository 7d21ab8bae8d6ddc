/**
 * Notifications are written in the same transaction as the change that
 * causes them: an in-app row and (optionally) an e-mail outbox row. Sending
 * happens later in the mail worker, so an SMTP outage never blocks or
 * rolls back a business action.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Trx } from '../db/schema';
import { NOTIFICATION_ENTITY, notificationVersion, type NotificationRecord } from '../../src-shared/notifications/model';
import { scopes } from '../../src-shared/sync/protocol';
import { publishChange } from '../sync/feed';
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
  const notificationId = uuidv7();
  await trx.insertInto('notifications').values({ id: notificationId, user_id: n.userId, kind: n.kind, vars_json: varsJson, created_at: nowIso, read_at: null }).execute();
  await publishNotification(trx, nowIso, { notificationId, userId: n.userId, kind: n.kind, vars: n.vars, createdAt: nowIso, readAt: null });
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

/** Publishes a notification to its user's scope in the change feed (the app caches it offline). Returns the feed seq. */
export function publishNotification(trx: Trx, at: string, r: NotificationRecord): Promise<number> {
  return publishChange(trx, at, { entityType: NOTIFICATION_ENTITY, entityId: r.notificationId, scope: scopes.user(r.userId), op: 'put', version: notificationVersion(r), data: r });
}

/** Marks the user's unread notifications among `ids` read and publishes them; returns the last feed seq (0 when none changed). */
export async function markNotificationsRead(trx: Trx, nowIso: string, userId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await trx.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('id', 'in', [...ids]).where('read_at', 'is', null).execute();
  let seq = 0;
  for (const row of rows) {
    await trx.updateTable('notifications').set({ read_at: nowIso }).where('id', '=', row.id).execute();
    seq = await publishNotification(trx, nowIso, {
      notificationId: row.id, userId, kind: row.kind, vars: JSON.parse(row.vars_json) as MessageVars, createdAt: row.created_at, readAt: nowIso,
    });
  }
  return seq;
}
