import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPETITION_STATUSES, type CompetitionStatus } from '../../../src-shared/competition/model';
import type { CompetitionRow } from '../../../src-shared/competition/rpc';
import type { Language } from '../../../src-shared/i18n';
import { formatDateTime } from '../../../src-shared/time/almaty';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { errorText } from '../../ui/errors';
import { canCreateAny, go } from './routes';
import { IconButton } from '../../ui/IconButton';

export const nameIn = (lang: string, r: { nameKk: string; nameRu: string; nameEn: string }): string =>
  (lang === 'ru' ? r.nameRu : lang === 'en' ? r.nameEn || r.nameRu : r.nameKk) || r.nameKk || r.nameRu;

/** «Менің конкурстарым (ұйымдастырушы)»: the organizer's list with search, status filter, edit and delete (drafts only). */
export function CompetitionsList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const auth = useApp((s) => s.auth);
  const sync = useApp((s) => s.sync);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<CompetitionStatus | ''>('');
  const [rows, setRows] = useState<CompetitionRow[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok'; key: string } | { kind: 'error'; error: unknown } | null>(null);
  const [deleting, setDeleting] = useState<CompetitionRow | null>(null);

  const load = useCallback(async () => {
    try {
      setRows((await rpc.call('competition.list', { query: query || undefined, status: status || undefined })).items);
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }, [query, status]);
  useEffect(() => {
    void load();
  }, [load, sync?.lastSyncAt, sync?.pending, sync?.rejected]);

  async function confirmDelete() {
    const row = deleting;
    setDeleting(null);
    if (!row) return;
    try {
      await rpc.call('competition.delete', { competitionId: row.competitionId });
      setMessage({ kind: 'ok', key: 'competition.deleted' });
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
    await load();
  }

  return (
    <section aria-labelledby="competitions-title" className="page">
      <h1 id="competitions-title">{t('competition.listTitle')}</h1>
      <div className="toolbar">
        <label className="inline-field">
          {t('competition.search')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label className="inline-field">
          {t('competition.statusFilter')}
          <select value={status} onChange={(e) => setStatus(e.target.value as CompetitionStatus | '')}>
            <option value="">{t('competition.allStatuses')}</option>
            {COMPETITION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`competition.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {canCreateAny(auth) ? (
          <button type="button" className="btn btn-primary" onClick={() => go('competition-new')}>
            {t('competition.create')}
          </button>
        ) : (
          <p className="muted small">{t('competition.noOrganizerRole')}</p>
        )}
      </div>
      <div role="status" aria-live="polite" className="live-region">
        {message && <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : 'notice-error'}`}>{message.kind === 'ok' ? t(message.key) : errorText(t, message.error)}</p>}
      </div>
      <div className="table-scroll">
        <table className="table competition-table">
          <thead>
            <tr>
              <th scope="col">{t('competition.number')}</th>
              <th scope="col">{t('competition.name')}</th>
              <th scope="col">{t('competition.fields.method')}</th>
              <th scope="col">{t('competition.statusFilter')}</th>
              <th scope="col">{t('competition.dates')}</th>
              <th scope="col">{t('competition.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6}>{t('competition.empty')}</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.competitionId} data-pending={r.pending || undefined}>
                <td className={r.number ? 'nowrap' : undefined}>{r.number ?? <span className="muted small">{t('competition.numberPending')}</span>}</td>
                <th scope="row">
                  <a href={`#/competition/${r.competitionId}`}>{nameIn(lang, r)}</a>
                  {r.pending && <span className="pill">{t('competition.pending')}</span>}
                  {r.publishRequested && <span className="pill">{t('competition.publishRequested')}</span>}
                </th>
                <td>{r.methodName[lang] ?? r.methodName.kk}</td>
                <td>{t(`competition.status.${r.status}`)}</td>
                <td className="small">
                  {r.discussionStart ? formatDateTime(r.discussionStart, lang) : '—'}
                  {' – '}
                  {r.discussionEnd ? formatDateTime(r.discussionEnd, lang) : '—'}
                </td>
                <td className="row-actions">
                  {r.canEdit && (
                    <IconButton kind="edit" label={`${t('competition.edit')}: ${nameIn(lang, r)}`} title={t('competition.edit')} onClick={() => go(`competition-edit/${r.competitionId}/general`)} />
                  )}
                  {r.canDelete && (
                    <IconButton kind="delete" label={`${t('competition.delete')}: ${nameIn(lang, r)}`} title={t('competition.delete')} onClick={() => setDeleting(r)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t('competition.delete')}
        message={t('competition.deleteConfirm', { name: deleting ? nameIn(lang, deleting) : '' })}
        confirmLabel={t('competition.delete')}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
