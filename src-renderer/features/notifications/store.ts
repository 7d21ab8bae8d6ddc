/** The signed-in user's notifications as the bell and the notifications screen show them (from the local cache). */
import { create } from 'zustand';
import type { NotificationItem } from '../../../src-shared/notifications/model';
import { rpc } from '../../app/rpc';

interface NotificationsState {
  items: NotificationItem[];
  unread: number;
  loaded: boolean;
  /** The latest arrival, for the bell's live region (screen readers) while the app is in front. */
  announcement: string;
  refresh(): Promise<void>;
  markRead(ids?: string[]): Promise<void>;
}

export const useNotifications = create<NotificationsState>((set, get) => ({
  items: [],
  unread: 0,
  loaded: false,
  announcement: '',
  async refresh() {
    const r = await rpc.call('notifications.list', {});
    set({ items: r.items, unread: r.unread, loaded: true });
  },
  async markRead(ids) {
    await rpc.call('notifications.markRead', ids ? { ids } : {});
    await get().refresh();
  },
}));

/**
 * A desktop notification when the user is not looking at the app (Notification API: Electron
 * grants it to the app's own pages; a browser asks once). In front, the bell's live region says it.
 */
export function showDesktopNotification(n: { id: string; title: string; body: string }, onClick: () => void): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
  if (!document.hidden && document.hasFocus()) return false;
  const shown = new Notification(n.title, { body: n.body, tag: n.id, lang: document.documentElement.lang });
  shown.onclick = () => {
    window.focus();
    onClick();
    shown.close();
  };
  return true;
}
