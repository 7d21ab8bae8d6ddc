/** All notifications, newest first, readable offline; marking read is queued like any edit. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../src-shared/i18n';
import { renderMessage } from '../../../src-shared/notifications/messages';
import { formatDateTime } from '../../../src-shared/time/almaty';
import { errorText } from '../../ui/errors';
import { useNotifications } from './store';

type Permission = 'granted' | 'denied' | 'default' | 'unsupported';
const currentPermission = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

function DesktopPermission() {
  const { t } = useTranslation();
  const [permission, setPermission] = useState<Permission>(currentPermission);
  return (
    <section className="card notif-desktop" aria-labelledby="notif-desktop-title">
      <h2 id="notif-desktop-title">{t('notifications.desktopTitle')}</h2>
      {permission === 'default' && (
        <p>
          {t('notifications.desktopAsk')}{' '}
          <button type="button" className="btn btn-small" onClick={() => void Notification.requestPermission().then((p) => setPermission(p))}>
            {t('notifications.desktopEnable')}
          </button>
        </p>
      )}
      {permission === 'granted' && <p>{t('notifications.desktopOn')}</p>}
      {permission === 'denied' && <p>{t('notifications.desktopDenied')}</p>}
      {permission === 'unsupported' && <p>{t('notifications.desktopUnsupported')}</p>}
    </section>
  );
}

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const { items, unread, loaded, refresh, markRead } = useNotifications();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    void refresh().catch(setError);
  }, [refresh]);
  const act = (ids?: string[]) => {
    setError(null);
    void markRead(ids).catch(setError);
  };
  return (
    <section aria-labelledby="notif-title" className="page">
      <h1 id="notif-title">{t('notifications.title')}</h1>
      <div className="toolbar">
        <span className="muted">{t('notifications.unread', { count: unread })}</span>
        {unread > 0 && (
          <button type="button" className="btn" onClick={() => act()}>
            {t('notifications.markAll')}
          </button>
        )}
      </div>
      {error !== null && <p className="field-error" role="alert">{errorText(t, error)}</p>}
      {loaded && items.length === 0 && <p>{t('notifications.empty')}</p>}
      <ul className="notif-list">
        {items.map((n) => {
          const m = renderMessage(lang, n.kind, n.vars);
          return (
            <li key={n.notificationId} className={`notif${n.readAt ? '' : ' notif-unread'}`}>
              <div className="notif-main">
                <h2 className="notif-title">{m.subject}</h2>
                <p className="notif-body">{m.body}</p>
                <time className="muted small" dateTime={n.createdAt}>{formatDateTime(n.createdAt, lang)}</time>
              </div>
              <div className="notif-actions">
                {n.readAt ? (
                  <span className="muted small">{n.pending ? t('notifications.pendingRead') : t('notifications.read')}</span>
                ) : (
                  <button type="button" className="btn btn-small" onClick={() => act([n.notificationId])} aria-label={`${t('notifications.markRead')}: ${m.subject}`}>
                    {t('notifications.markRead')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <DesktopPermission />
    </section>
  );
}
