/** The portal side of `notifications.markRead` (src-shared/notifications/model.ts). */
import { notificationMutations, type MarkReadArgs, type MarkReadState } from '../../src-shared/notifications/model';
import { feedHead } from '../sync/feed';
import type { PortalMutation } from '../sync/handler';
import { markNotificationsRead } from './outbox';

const markRead: PortalMutation<MarkReadArgs, MarkReadState> = {
  def: notificationMutations['notifications.markRead'],
  async loadState(trx, actor, args) {
    const rows = await trx.selectFrom('notifications').select('id').where('user_id', '=', actor.id).where('id', 'in', args.notificationIds).execute();
    return { own: rows.map((r) => r.id) };
  },
  async apply({ trx, actor, now, args }) {
    // The portal's clock decides when it was read; already read ones stay as they were.
    const seq = await markNotificationsRead(trx, now, actor.id, args.notificationIds);
    return { result: { marked: args.notificationIds.length }, seq: seq || (await feedHead(trx)) };
  },
};

export const notificationPortalMutations = { 'notifications.markRead': markRead };
