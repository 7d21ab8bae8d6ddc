/**
 * In-app notifications as synced records: the portal writes one when something happens to a user
 * (an AKI application returned, roles changed, a reminder…) and publishes it to that user's scope,
 * so the app has it offline, shows it on the notifications screen and as a desktop notification.
 * Marking read is a synced mutation (works offline; the portal confirms).
 */
import { z } from 'zod';
import type { AppErrorShape } from '../rpc/errors';
import type { LocalStore, MutationDef } from '../sync/mutation-def';
import { scopes } from '../sync/protocol';

export const NOTIFICATION_ENTITY = 'notification';

export interface NotificationRecord {
  notificationId: string;
  userId: string;
  kind: string;
  vars: Record<string, string | number>;
  createdAt: string;
  readAt: string | null;
}

/** The record's version: 1 as written, 2 once read (read is final). */
export const notificationVersion = (r: Pick<NotificationRecord, 'readAt'>): number => (r.readAt ? 2 : 1);

export const MarkReadArgs = z
  .object({
    notificationIds: z.array(z.string().uuid()).min(1).max(500),
    readAt: z.string().datetime({ offset: false }),
  })
  .strict();
export type MarkReadArgs = z.infer<typeof MarkReadArgs>;

/** What the rule needs: which of the ids are the actor's own notifications. */
export interface MarkReadState {
  own: readonly string[];
}

export const notificationMutations = {
  'notifications.markRead': {
    args: MarkReadArgs,
    check(state: MarkReadState, args: MarkReadArgs): AppErrorShape | null {
      // Someone else's notification (or one that does not exist) is the same "not found".
      return args.notificationIds.every((id) => state.own.includes(id)) ? null : { code: 'not_found', message: 'No such notification' };
    },
    applyLocal(store: LocalStore, args: MarkReadArgs) {
      for (const id of args.notificationIds) {
        const cur = store.get<NotificationRecord>(NOTIFICATION_ENTITY, id);
        if (!cur || cur.data.readAt) continue;
        const data = { ...cur.data, readAt: args.readAt };
        store.put({ entityType: NOTIFICATION_ENTITY, entityId: id, scope: scopes.user(cur.data.userId), version: cur.version, data });
      }
    },
  } satisfies MutationDef<MarkReadArgs, MarkReadState>,
};

export const NotificationItemSchema = z.object({
  notificationId: z.string(),
  kind: z.string(),
  vars: z.record(z.string(), z.union([z.string(), z.number()])),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  /** Read locally, not yet confirmed by the portal. */
  pending: z.boolean(),
});
export type NotificationItem = z.infer<typeof NotificationItemSchema>;
