import { create } from 'zustand';
import type { AppInfo, Settings, SyncStatus } from '../../src-shared/rpc/app-methods';
import type { AuthStatus } from '../../src-shared/accounts/rpc';
import type { Language } from '../../src-shared/i18n';
import { rpc } from './rpc';
import { changeLanguage } from './i18n';

export type RouteId = 'workspace' | 'employees' | 'competitions' | 'competition-new' | 'competition-edit' | 'competition' | 'notFound' | 'aki' | 'aki-app' | 'aki-review' | 'aki-review-app' | 'aki-templates' | 'document' | 'settings' | 'notifications';

interface AppState {
  info: AppInfo | null;
  settings: Settings | null;
  sync: SyncStatus | null;
  hostConnected: boolean;
  auth: AuthStatus | null;
  route: RouteId;
  /** Signed out and browsing the published competitions without an account. */
  publicBrowse: boolean;
  refreshAuth(): Promise<void>;
  setLanguage(language: Language): Promise<void>;
  navigate(route: RouteId): void;
}

const ROUTES: RouteId[] = ['workspace', 'employees', 'competitions', 'competition-new', 'competition-edit', 'competition', 'aki', 'aki-app', 'aki-review', 'aki-review-app', 'aki-templates', 'document', 'settings', 'notifications'];
export const routeFromHash = (hash: string): RouteId => {
  // `#/<route>/<params…>`: features with parameters read the rest of the hash themselves.
  const id = (hash.replace(/^#\/?/, '') || 'workspace').split('/')[0]!;
  return (ROUTES as string[]).includes(id) ? (id as RouteId) : 'notFound';
};

export const useApp = create<AppState>((set) => ({
  info: null,
  settings: null,
  sync: null,
  hostConnected: true,
  auth: null,
  route: routeFromHash(window.location.hash),
  publicBrowse: false,
  async refreshAuth() {
    set({ auth: await rpc.call('auth.status', {}) });
  },
  async setLanguage(language) {
    // The choice is durable (main writes it) before the UI switches.
    const settings = await rpc.call('settings.setLanguage', { language });
    await changeLanguage(settings.language);
    set({ settings });
  },
  navigate(route) {
    window.location.hash = `#/${route}`;
    set({ route });
  },
}));

window.addEventListener('hashchange', () => useApp.setState({ route: routeFromHash(window.location.hash) }));
