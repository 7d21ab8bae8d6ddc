/**
 * Notifications in the app: read from the local cache (offline), marked read through the outbox,
 * and announced — a `notification` event for each new unread one that arrives by sync, which the
 * renderer turns into a desktop notification. "New" means newer than the last one announced
 * (kept in the account's database), so a restart never repeats them and a first sign-in does not
 * flood the desktop with the account's history.
 */
import type { Handlers } from '../../src-shared/rpc/dispatch';
import type { EventPayload } from '../../src-shared/rpc/contract';
import { NOTIFICATION_ENTITY, type NotificationItem, type NotificationRecord } from '../../src-shared/notifications/model';
import { renderMessage } from '../../src-shared/notifications/messages';
import type { AccountManager, OpenAccount } from '../accounts/accounts';

type NotificationHandlers<Ctx> = Pick<Handlers<Ctx>, 'notifications.list' | 'notifications.markRead'>;

const ANNOUNCED_KEY = 'notifications.announcedUpTo';

interface Row {
  entity_id: string;
  data_json: string;
  pending: number;
}

function rows(acc: OpenAccount, limit: number): NotificationItem[] {
  return (acc.db.sqlite.prepare('SELECT entity_id, data_json, pending FROM records_view WHERE entity_type = ? ORDER BY sort_key DESC, entity_id DESC LIMIT ?').all(NOTIFICATION_ENTITY, limit) as Row[]).map((r) => {
    const d = JSON.parse(r.data_json) as NotificationRecord;
    return { notificationId: r.entity_id, kind: d.kind, vars: d.vars, createdAt: d.createdAt, readAt: d.readAt, pending: r.pending === 1 };
  });
}

function unreadCount(acc: OpenAccount): number {
  return (acc.db.sqlite.prepare("SELECT COUNT(*) AS n FROM records_view WHERE entity_type = ? AND tags = '|unread|'").get(NOTIFICATION_ENTITY) as { n: number }).n;
}

export function notificationHandlers<Ctx>(accounts: AccountManager): NotificationHandlers<Ctx> {
  return {
    'notifications.list': ({ limit }) => {
      const acc = accounts.current;
      if (!acc) return { items: [], unread: 0 };
      return { items: rows(acc, limit), unread: unreadCount(acc) };
    },
    'notifications.markRead': ({ ids }) => {
      const acc = accounts.require();
      const unread = ids ?? (acc.db.sqlite.prepare("SELECT entity_id FROM records_view WHERE entity_type = ? AND tags = '|unread|' LIMIT 500").all(NOTIFICATION_ENTITY) as { entity_id: string }[]).map((r) => r.entity_id);
      if (unread.length === 0) return { marked: 0 };
      acc.local.mutate('notifications.markRead', { notificationIds: unread, readAt: accounts.now().toISOString() }, accounts.actor());
      acc.engine.poke();
      return { marked: unread.length };
    },
  };
}

/**
 * Unread notifications newer than the last announced one, rendered in `language`; remembers the
 * newest. Until the account has completed a pull nothing is announced; the first call after that
 * only sets the mark (the history the first pull brought is not "new").
 */
export function takeNewNotifications(acc: OpenAccount, language: string, pulled: boolean): EventPayload<'notification'>[] {
  if (!pulled) return [];
  const mark = acc.db.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(ANNOUNCED_KEY) as { value: string } | undefined;
  const newest = (acc.db.sqlite.prepare('SELECT MAX(sort_key) AS k FROM records_view WHERE entity_type = ?').get(NOTIFICATION_ENTITY) as { k: string | null }).k ?? '';
  if (mark && mark.value >= newest) return [];
  const fresh = mark
    ? (acc.db.sqlite
        .prepare("SELECT entity_id, data_json, pending FROM records_view WHERE entity_type = ? AND sort_key > ? AND tags = '|unread|' ORDER BY sort_key LIMIT 20")
        .all(NOTIFICATION_ENTITY, mark.value) as Row[])
    : [];
  acc.db.tx(() => {
    acc.db.sqlite.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(ANNOUNCED_KEY, newest);
  });
  return fresh.map((r) => {
    const d = JSON.parse(r.data_json) as NotificationRecord;
    const m = renderMessage(language, d.kind, d.vars);
    return { id: r.entity_id, kind: d.kind, title: m.subject, body: m.body, createdAt: d.createdAt };
  });
}
