import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../src-shared/i18n';
import { formatDateTime } from '../../src-shared/time/almaty';
import { useApp, type RouteId } from './store';
import { WorkspacePage } from '../features/workspace/WorkspacePage';
import { EmployeesPage } from '../features/employees/EmployeesPage';
import { SignInPage } from '../features/auth/SignInPage';
import { RejectedPanel } from '../features/sync/RejectedPanel';
import { DivergencePanel } from '../features/sync/DivergencePanel';
import { isErrorCode } from '../../src-shared/rpc/errors';
import { DocumentPage } from '../features/documents/DocumentPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { CompetitionRoutes, canCreateAny } from '../features/competition/routes';
import { PublicView } from '../features/competition/PublicView';
import { usePortalNow } from './portal-time';
import type { AuthStatus } from '../../src-shared/accounts/rpc';
import { AkiRoutes, isCustomer, isSupplier } from '../features/aki/routes';
import { rpc } from './rpc';
import { NotificationBell } from '../features/notifications/Bell';
import { NotificationsPage } from '../features/notifications/NotificationsPage';

interface NavItem {
  route: RouteId;
  labelKey: string;
  /** Shown only to users it applies to (role-based entries). */
  visible?(auth: AuthStatus | null): boolean;
}

/** Features add their entries here as they land (competitions, AKI, employees…). */
const NAV: NavItem[] = [
  { route: 'workspace', labelKey: 'nav.workspace' },
  { route: 'employees', labelKey: 'nav.employees' },
  { route: 'competitions', labelKey: 'nav.competitions' },
  { route: 'competition-new', labelKey: 'nav.createCompetition', visible: canCreateAny },
  { route: 'aki', labelKey: 'nav.myAkiApplications', visible: isSupplier },
  { route: 'aki-review', labelKey: 'aki.reviewTitle', visible: isCustomer },
  { route: 'aki-templates', labelKey: 'aki.templatesTitle', visible: isCustomer },
  { route: 'settings', labelKey: 'nav.settings' },
  { route: 'notifications', labelKey: 'nav.notifications' },
];

function UserMenu() {
  const { t } = useTranslation();
  const auth = useApp((s) => s.auth);
  if (!auth?.user) return null;
  return (
    <div className="user-menu">
      <span className="user-name">{t('auth.signedInAs', { name: auth.user.fullName })}</span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void rpc.call('auth.signOut', {}).then((status) => useApp.setState({ auth: status }))}
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}

function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const setLanguage = useApp((s) => s.setLanguage);
  return (
    <div className="lang-switcher" role="group" aria-label={t('app.language')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          aria-pressed={i18n.language === lng}
          className={i18n.language === lng ? 'active' : ''}
          onClick={() => void setLanguage(lng as Language)}
        >
          {t(`language.${lng}`)}
        </button>
      ))}
    </div>
  );
}

function SyncBadge() {
  const { t, i18n } = useTranslation();
  const sync = useApp((s) => s.sync);
  const hostConnected = useApp((s) => s.hostConnected);
  if (!sync) return null;
  const state = !hostConnected ? 'offline' : sync.state;
  const labels: Record<string, string> = {
    online: t('sync.online'),
    offline: t('sync.offline'),
    portal_error: t('sync.portalError'),
    syncing: t('sync.syncing'),
    signed_out: t('sync.signedOut'),
    session_expired: t('sync.sessionExpired'),
    upgrade_required: t('sync.upgradeRequired'),
    untrusted: t('divergence.untrusted'),
  };
  const label = labels[state] ?? state;
  return (
    <div className={`sync-badge sync-${state}`} role="status" aria-live="polite">
      <div className="sync-line">
        <span className="dot" aria-hidden="true" />
        <span className="sync-state">{label}</span>
        {sync.pending > 0 && <span className="pill">{t('sync.pending', { count: sync.pending })}</span>}
        {sync.rejected > 0 && <span className="pill pill-danger">{t('sync.rejected', { count: sync.rejected })}</span>}
        {sync.progress && <progress max={sync.progress.total ?? undefined} value={sync.progress.done} aria-label={t('sync.syncing')} />}
        {(state === 'offline' || state === 'portal_error') && (
          <button type="button" className="btn btn-small" onClick={() => void rpc.call('sync.now', {}).then((s) => useApp.setState({ sync: s }))}>
            {t('common.retry')}
          </button>
        )}
      </div>
      {state === 'untrusted' && sync.trustError && <span className="small sync-trust-error">{t(`errors.${isErrorCode(sync.trustError) ? sync.trustError : 'internal'}`)}</span>}
      <span className="muted small">
        {t('sync.lastSync', { time: sync.lastSyncAt ? formatDateTime(sync.lastSyncAt, i18n.language as Language) : t('sync.never') })}
      </span>
    </div>
  );
}

/** The portal decides deadlines in Almaty time; the user always sees it, whatever the PC's zone. */
function AlmatyClock() {
  const { t, i18n } = useTranslation();
  // The portal's clock (its demo clock when it runs), not the PC's.
  const now = usePortalNow();
  return (
    <p className="clock">
      <span className="muted small">{t('workspace.now')}</span>
      <time dateTime={now.toISOString()} data-utc={now.toISOString()}>
        {formatDateTime(now, i18n.language as Language)}
      </time>
    </p>
  );
}

export function App() {
  const { t } = useTranslation();
  const route = useApp((s) => s.route);
  const navigate = useApp((s) => s.navigate);
  const auth = useApp((s) => s.auth);
  const signedIn = auth?.signedIn === true;
  const publicBrowse = useApp((s) => s.publicBrowse);
  const [, setTick] = useState(0);
  useEffect(() => {
    document.title = `${t('app.name')} — ${t(NAV.find((n) => n.route === route)?.labelKey ?? (route.startsWith('competition') ? 'nav.competitions' : 'workspace.notFound'))}`;
  });
  useEffect(() => {
    const id = window.setInterval(() => setTick((n) => n + 1), 30_000);
    return () => window.clearInterval(id);
  }, []);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">S</span>
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <SyncBadge />
        <NotificationBell />
        <UserMenu />
        <LanguageSwitcher />
      </header>
      <nav className="sidebar" aria-label={t('app.mainNavigation')}>
        <AlmatyClock />
        <ul>
          {NAV.filter((item) => (signedIn || item.route === 'workspace') && (!item.visible || item.visible(auth))).map((item) => (
            <li key={item.route}>
              <a
                href={`#/${item.route}`}
                aria-current={route === item.route ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(item.route);
                }}
              >
                {t(item.labelKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {!signedIn ? (
          publicBrowse ? <PublicView /> : <SignInPage />
        ) : (
          <>
            <DivergencePanel />
            <RejectedPanel />
            {route === 'workspace' ? <WorkspacePage /> : route === 'employees' ? <EmployeesPage /> : route.startsWith('competition') ? <CompetitionRoutes route={route} /> : route.startsWith('aki') ? <AkiRoutes route={route} /> : route === 'document' ? <DocumentPage /> : route === 'settings' ? <SettingsPage /> : route === 'notifications' ? <NotificationsPage /> : <p>{t('workspace.notFound')}</p>}
          </>
        )}
      </main>
    </div>
  );
}
