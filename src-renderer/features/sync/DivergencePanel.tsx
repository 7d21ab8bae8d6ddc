import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DivergenceReport } from '../../../src-shared/rpc/app-methods';
import { formatDateTime } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';

/** Records named per list on screen; the heading carries the whole count. */
const SHOWN = 10;
const ENTITY_KEYS = ['membership', 'competition', 'notification', 'user'];

type Item = DivergenceReport['added'][number];

function RecordList({ title, items, total }: { title: string; items: Item[]; total: number }) {
  const { t } = useTranslation();
  if (total === 0) return null;
  return (
    <div className="divergence-list">
      <h3>{title}</h3>
      <ul>
        {items.slice(0, SHOWN).map((r) => (
          <li key={`${r.entityType}:${r.entityId}`}>
            <span className="muted">{t(`divergence.entity.${ENTITY_KEYS.includes(r.entityType) ? r.entityType : 'other'}`)}:</span> {r.label}
          </li>
        ))}
        {total > SHOWN && <li className="muted">{t('divergence.more', { count: total - SHOWN })}</li>}
      </ul>
    </div>
  );
}

/**
 * The portal no longer holds the history this app saw (restored from a backup, issue 15):
 * what the re-sync changed, and the user's acknowledged changes it lost, offered to be sent again.
 */
export function DivergencePanel() {
  const { t, i18n } = useTranslation();
  const diverged = useApp((s) => s.sync?.diverged === true);
  const lastSyncAt = useApp((s) => s.sync?.lastSyncAt);
  const [report, setReport] = useState<DivergenceReport | null>(null);
  useEffect(() => {
    if (!diverged) {
      setReport(null);
      return;
    }
    void rpc.call('sync.divergence', {}).then((r) => setReport(r.report));
  }, [diverged, lastSyncAt]);
  if (!report || !report.complete) return null;
  const act = (method: 'sync.resendLost' | 'sync.dismissDivergence') =>
    void rpc.call(method, {}).then(() => rpc.call('sync.divergence', {}).then((r) => setReport(r.report)));
  return (
    <section className="divergence-panel" aria-labelledby="divergence-title" role="alert">
      <h2 id="divergence-title">{t('divergence.title')}</h2>
      <p>{t('divergence.body')}</p>
      <p className="muted small">{t('divergence.detectedAt', { time: formatDateTime(report.detectedAt, i18n.language as Language) })}</p>
      <div className="divergence-lists">
        <RecordList title={t('divergence.added', { count: report.counts.added })} items={report.added} total={report.counts.added} />
        <RecordList title={t('divergence.removed', { count: report.counts.removed })} items={report.removed} total={report.counts.removed} />
        <RecordList title={t('divergence.changed', { count: report.counts.changed })} items={report.changed} total={report.counts.changed} />
      </div>
      {report.lost.length > 0 && (
        <div className="divergence-lost">
          <h3>{t('divergence.lostTitle', { count: report.lost.length })}</h3>
          <p>{t('divergence.lostWhat')}</p>
          <ul>
            {report.lost.map((m) => (
              <li key={m.mutationId}>
                <strong>{t(`rejected.mutation.${m.name}`, { defaultValue: m.name })}</strong>
                {(m.args as { fullName?: string })?.fullName ? ` — ${(m.args as { fullName: string }).fullName}` : ''}
                <span className="muted small"> ({formatDateTime(m.at, i18n.language as Language)})</span>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-primary" onClick={() => act('sync.resendLost')}>
            {t('divergence.resend')}
          </button>
        </div>
      )}
      <button type="button" className="btn" onClick={() => act('sync.dismissDivergence')}>
        {t('divergence.dismiss')}
      </button>
    </section>
  );
}
