import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/app.css';
import { App } from './app/App';
import { connectRpc, transport } from './app/rpc';
import { initI18n } from './app/i18n';
import { NoSessionError } from './transport/browser';
import { useApp } from './app/store';
import type { SyncStatus } from '../src-shared/rpc/app-methods';
import type { EventPayload } from '../src-shared/rpc/contract';
import { showDesktopNotification, useNotifications } from './features/notifications/store';
import { translate, isLanguage } from '../src-shared/i18n';

async function boot() {
  const rpc = await connectRpc();
  const [info, settings, sync, auth] = await Promise.all([
    rpc.call('app.info', {}),
    rpc.call('settings.get', {}),
    rpc.call('sync.status', {}),
    rpc.call('auth.status', {}),
  ]);
  await initI18n(settings.language);
  useApp.setState({ info, settings, sync, auth });
  if (auth.signedIn) void useNotifications.getState().refresh().catch(() => undefined);
  transport.subscribe((event, payload) => {
    if (event === 'sync.status') {
      const status = payload as SyncStatus;
      useApp.setState({ sync: status });
      // A session that ended (or a sign-in elsewhere) changes what the user may see.
      if (status.state === 'session_expired' || status.state === 'online') void useApp.getState().refreshAuth();
    }
    if (event === 'sync.status' || event === 'notification') {
      if (useApp.getState().auth?.signedIn) void useNotifications.getState().refresh().catch(() => undefined);
    }
    if (event === 'notification') {
      const n = payload as EventPayload<'notification'>;
      const lang = useApp.getState().settings?.language;
      useNotifications.setState({ announcement: translate(lang && isLanguage(lang) ? lang : 'kk', 'notifications.newOne', { title: n.title }) });
      showDesktopNotification(n, () => useApp.getState().navigate('notifications'));
    }
    if (event === 'host.connection') useApp.setState({ hostConnected: (payload as { connected: boolean }).connected });
  });
  const root = document.getElementById('root');
  if (!root) throw new Error('no #root');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

boot().catch((err: unknown) => {
  // Before the back end answers we do not know the user's language: say it in all three.
  const root = document.getElementById('root');
  if (!root) return;
  root.setAttribute('role', 'alert');
  root.className = 'boot-error';
  const lines =
    err instanceof NoSessionError
      ? [
          'Қолданбаны терминалда көрсетілген «app url:» сілтемесі арқылы ашыңыз.',
          'Откройте приложение по ссылке «app url:», показанной в терминале.',
          'Open the app through the “app url:” link shown in the terminal.',
        ]
      : [
          'Қолданба іске қосылмады. Қайта іске қосып көріңіз.',
          'Приложение не запустилось. Попробуйте перезапустить его.',
          'The app failed to start. Try restarting it.',
        ];
  for (const text of lines) {
    const p = document.createElement('p');
    p.textContent = text;
    root.appendChild(p);
  }
});
