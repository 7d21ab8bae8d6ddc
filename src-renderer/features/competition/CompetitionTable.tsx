/**
 * The competitions table and its filters, shared by «Конкурстар» (every scope) and the signed-out
 * view: number, name, method, status, discussion dates in portal (Almaty) time, row actions.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPETITION_STATUSES, type CompetitionStatus } from '../../../src-shared/competition/model';
import type { CompetitionRow } from '../../../src-shared/competition/rpc';
import type { Language } from '../../../src-shared/i18n';
import { formatDateTime } from '../../../src-shared/time/almaty';

export const nameIn = (lang: string, r: { nameKk: string; nameRu: string; nameEn: string }): string =>
  (lang === 'ru' ? r.nameRu : lang === 'en' ? r.nameEn || r.nameRu : r.nameKk) || r.nameKk || r.nameRu;

export function CompetitionFilters({ query, status, onQuery, onStatus, children }: {
  query: string;
  status: CompetitionStatus | '';
  onQuery(q: string): void;
  onStatus(s: CompetitionStatus | ''): void;
  /** Further toolbar items (e.g. «Конкурс құру»). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="toolbar">
      <label className="inline-field">
        {t('competition.search')}
        <input type="search" value={query} onChange={(e) => onQuery(e.target.value)} />
      </label>
      <label className="inline-field">
        {t('competition.statusFilter')}
        <select value={status} onChange={(e) => onStatus(e.target.value as CompetitionStatus | '')}>
          <option value="">{t('competition.allStatuses')}</option>
          {COMPETITION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`competition.status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {children}
    </div>
  );
}

export function CompetitionTable({ rows, empty, href, actions }: {
  rows: CompetitionRow[];
  empty: string;
  href(row: CompetitionRow): string;
  /** Row actions (edit, delete); without it the table has no actions column. */
  actions?(row: CompetitionRow): ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const columns = actions ? 6 : 5;
  return (
    <div className="table-scroll">
      <table className="table competition-table">
        <thead>
          <tr>
            <th scope="col">{t('competition.number')}</th>
            <th scope="col">{t('competition.name')}</th>
            <th scope="col">{t('competition.fields.method')}</th>
            <th scope="col">{t('competition.statusFilter')}</th>
            <th scope="col">{t('competition.dates')}</th>
            {actions && <th scope="col">{t('competition.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns}>{empty}</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.competitionId} data-pending={r.pending || undefined}>
              <td className={r.number ? 'nowrap' : undefined}>{r.number ?? <span className="muted small">{t('competition.numberPending')}</span>}</td>
              <th scope="row">
                <a href={href(r)}>{nameIn(lang, r)}</a>
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
              {actions && <td className="row-actions">{actions(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
