/** The competition screens behind `#/competitions`, `#/competition-new`, `#/competition-edit/<id>/<step>` and `#/competition/<id>`. */
import { useEffect, useState } from 'react';
import type { AuthStatus } from '../../../src-shared/accounts/rpc';
import type { RouteId } from '../../app/store';
import { CompetitionsList, isScope } from './CompetitionsList';
import { Wizard, isStep } from './Wizard';
import { CompetitionPage } from './CompetitionPage';

export const organizesOrSecretary = (auth: AuthStatus | null): boolean =>
  (auth?.user?.memberships ?? []).some((m) => m.roles.includes('organizer') || m.roles.includes('secretary'));
export const canCreateAny = (auth: AuthStatus | null): boolean => (auth?.user?.memberships ?? []).some((m) => m.roles.includes('organizer'));

export const go = (path: string) => {
  window.location.hash = `#/${path}`;
};

export function useHashParams(): string[] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const f = () => setHash(window.location.hash);
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').slice(1).map(decodeURIComponent);
}

export function CompetitionRoutes({ route }: { route: RouteId }) {
  const params = useHashParams();
  if (route === 'competitions') return <CompetitionsList scope={isScope(params[0]) ? params[0] : undefined} />;
  if (route === 'competition-new') return <Wizard key="new" competitionId={null} step="general" />;
  if (route === 'competition-edit' && params[0]) {
    const step = params[1] ?? 'general';
    return <Wizard key={params[0]} competitionId={params[0]} step={isStep(step) ? step : 'general'} />;
  }
  if (route === 'competition' && params[0]) return <CompetitionPage key={params[0]} competitionId={params[0]} />;
  return <CompetitionsList />;
}
