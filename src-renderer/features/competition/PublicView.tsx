/**
 * "Browse without signing in" (SPEC §0: anonymous visitors read open competitions): the published
 * competitions straight from the portal through the back end, read-only. There is no anonymous offline
 * copy: without the portal the view says it cannot be reached.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompetitionRecord, CompetitionStatus } from '../../../src-shared/competition/model';
import type { CompetitionRow } from '../../../src-shared/competition/rpc';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { errorText } from '../../ui/errors';
import { CompetitionHeading } from './CompetitionPage';
import { CompetitionFilters, CompetitionTable } from './CompetitionTable';
import { CompetitionSummary } from './Summary';
import { go, useHashParams } from './routes';

const UNREACHABLE = ['portal_unreachable', 'timeout', 'offline'];

function Problem({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useTranslation();
  const code = (error as { code?: string } | null)?.code ?? '';
  return (
    <div className="notice notice-error" role="alert">
      <p>{UNREACHABLE.includes(code) ? t('publicView.unreachable') : errorText(t, error)}</p>
      <button type="button" className="btn btn-small" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}

function PublicList() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<CompetitionStatus | ''>('');
  const [rows, setRows] = useState<CompetitionRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setRows((await rpc.call('competition.public.list', { query: query || undefined, status: status || undefined })).items);
      setError(null);
      // The answer told the back end the portal's time: the sidebar clock follows it.
      useApp.setState({ sync: await rpc.call('sync.status', {}) });
    } catch (err) {
      setRows(null);
      setError(err);
    }
  }, [query, status]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <>
      <h1 id="public-title">{t('publicView.title')}</h1>
      <p className="lead">{t('publicView.intro')}</p>
      <CompetitionFilters query={query} status={status} onQuery={setQuery} onStatus={setStatus} />
      {error != null && <Problem error={error} onRetry={() => void load()} />}
      {rows && <CompetitionTable rows={rows} empty={t('competition.scopeEmpty.published')} href={(r) => `#/competition/${r.competitionId}`} />}
    </>
  );
}

function PublicCompetition({ competitionId }: { competitionId: string }) {
  const { t } = useTranslation();
  const [record, setRecord] = useState<CompetitionRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    rpc.call('competition.public.get', { competitionId }).then(
      (r) => { setRecord(r.record as unknown as CompetitionRecord); setError(null); },
      setError,
    );
  }, [competitionId]);
  useEffect(load, [load]);
  return (
    <>
      <p>
        <a href="#/competitions">{t('publicView.backToList')}</a>
      </p>
      {error != null && <Problem error={error} onRetry={load} />}
      {record && (
        <>
          <CompetitionHeading record={record} />
          <CompetitionSummary record={record} />
        </>
      )}
    </>
  );
}

export function PublicView() {
  const { t } = useTranslation();
  const route = useApp((s) => s.route);
  const params = useHashParams();
  return (
    <section className="page" aria-labelledby={route === 'competition' ? 'competition-title' : 'public-title'}>
      <div className="toolbar">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            useApp.setState({ publicBrowse: false });
            go('workspace');
          }}
        >
          {t('publicView.backToSignIn')}
        </button>
      </div>
      {route === 'competition' && params[0] ? <PublicCompetition key={params[0]} competitionId={params[0]} /> : <PublicList />}
    </section>
  );
}
