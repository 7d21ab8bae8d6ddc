/** The header's bell: unread count, a link to the notifications screen, and a polite live announcement of new ones. */
import { useTranslation } from 'react-i18next';
import { useApp } from '../../app/store';
import { useNotifications } from './store';

export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useNotifications((s) => s.unread);
  const announcement = useNotifications((s) => s.announcement);
  const navigate = useApp((s) => s.navigate);
  const signedIn = useApp((s) => s.auth?.signedIn === true);
  if (!signedIn) return null;
  return (
    <div className="bell-wrap">
      <a
        href="#/notifications"
        className={`bell${unread > 0 ? ' bell-unread' : ''}`}
        aria-label={t('notifications.bell', { count: unread })}
        onClick={(e) => {
          e.preventDefault();
          navigate('notifications');
        }}
      >
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && <span className="bell-count" aria-hidden="true">{unread > 99 ? '99+' : unread}</span>}
      </a>
      <span className="visually-hidden" role="status" aria-live="polite">{announcement}</span>
    </div>
  );
}
