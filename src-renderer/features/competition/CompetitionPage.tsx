/**
 * The competition page: number, status and the tabs the later issues fill
 * («Талқылау», «Қорытынды», «Шарт»); here the information tab with the
 * general data, lot, state partner, initiators, regulations and the status
 * history from the portal's audit log.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../src-shared/i18n';
import { formatDateTime } from '../../../src-shared/time/almaty';
import { rpc } from '../../app/rpc';
import { errorText } from '../../ui/errors';
import { useCompetition } from './data';
import { CompetitionSummary } from './Summary';
import { nameIn } from './CompetitionTable';
import type { CompetitionRecord } from '../../../src-shared/competition/model';
import { go } from './routes';

const TABS = ['info', 'discussion', 'conclusion', 'contract'] as const;
type Tab = (typeof TABS)[number];

function History({ competitionId, status }: { competitionId: string; status: string }) {
  const { t, i18n } = useTranslation();
  const [entries, setEntries] = useState<{ at: string; action: string; fromStatus: string | null; toStatus: string | null; actorName: string | null }[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    rpc.call('competition.history', { competitionId }).then((r) => { setEntries(r.entries); setError(null); }, setError);
  }, [competitionId, status]);
  const statusEntries = (entries ?? []).filter((e) => e.toStatus && e.toStatus !== 'deleted' && e.action !== 'competition.lot_saved');
  return (
    <section className="summary-section" aria-labelledby="history-title">
      <h3 id="history-title">{t('competition.page.history')}</h3>
      {error != null && <p className="muted">{(error as { code?: string }).code === 'offline' ? t('competition.page.historyOffline') : errorText(t, error)}</p>}
      {entries && statusEntries.length === 0 && <p className="muted">{t('competition.page.historyEmpty')}</p>}
      {statusEntries.length > 0 && (
        <ol className="plain-list">
          {statusEntries.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatDateTime(e.at, i18n.language as Language)}</time> — {t(`competition.status.${e.toStatus}`, { defaultValue: e.toStatus ?? '' })}
              {e.actorName && <span className="muted small"> ({e.actorName})</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The name, number and status of a competition (its page and the signed-out view); `children` add pills and buttons. */
export function CompetitionHeading({ record: c, children }: { record: CompetitionRecord; children?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h1 id="competition-title">{nameIn(i18n.language, c)}</h1>
      <p className="competition-meta">
        <span>
          {t('competition.number')}: <strong>{c.number ?? t('competition.numberPending')}</strong>
        </span>
        <span className="status-chip">{t(`competition.status.${c.status}`)}</span>
        {children}
      </p>
    </>
  );
}

export function CompetitionPage({ competitionId }: { competitionId: string }) {
  const { t } = useTranslation();
  const { data, error } = useCompetition(competitionId);
  const [tab, setTab] = useState<Tab>('info');
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  if (error) return <p className="notice notice-error">{t('competition.page.notFound')}</p>;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  const c = data.record;
  const onKey = (e: React.KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i + TABS.length - 1) % TABS.length] : null;
    if (next) {
      setTab(next);
      refs.current[next]?.focus();
    }
  };
  return (
    <section className="page" aria-labelledby="competition-title">
      <CompetitionHeading record={c}>
        {data.pending && <span className="pill">{t('competition.pending')}</span>}
        {c.publishRequested && c.status === 'draft' && <span className="pill">{t('competition.publishRequested')}</span>}
        {data.canEdit && (
          <button type="button" className="btn btn-small" onClick={() => go(`competition-edit/${c.competitionId}/general`)}>
            {t('competition.edit')}
          </button>
        )}
      </CompetitionHeading>
      <div role="tablist" aria-label={t('competition.page.tabs')} className="tabs" onKeyDown={onKey}>
        {TABS.map((id) => (
          <button
            key={id}
            ref={(el) => { refs.current[id] = el; }}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
          >
            {t(`competition.page.${id}`)}
          </button>
        ))}
      </div>
      {TABS.map((id) => (
        <div key={id} role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={tab !== id} className="tab-panel">
          {id === 'info' ? (
            <>
              <CompetitionSummary record={c} downloads />
              <History competitionId={c.competitionId} status={c.status} />
            </>
          ) : (
            <p className="muted">{t('competition.page.later')}</p>
          )}
        </div>
      ))}
    </section>
  );
}
