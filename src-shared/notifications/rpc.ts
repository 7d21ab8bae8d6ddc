import { z } from 'zod';
import { method } from '../rpc/define';
import { NotificationItemSchema } from './model';

export const notificationMethods = {
  /** The signed-in user's notifications, newest first (from the local cache: works offline). */
  'notifications.list': method(
    z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(),
    z.object({ items: z.array(NotificationItemSchema), unread: z.number().int().nonnegative() }),
  ),
  /** Marks notifications read (all unread ones when `ids` is omitted); queued like any edit. */
  'notifications.markRead': method(
    z.object({ ids: z.array(z.string().uuid()).min(1).max(500).optional() }).strict(),
    z.object({ marked: z.number().int().nonnegative() }),
  ),
};
