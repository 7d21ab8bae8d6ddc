/**
 * «Менің АКІ өтінімдерім» (supplier) and the customer's review queue: filters
 * Мәртебесі / Топ / Санат (enabled once a group is chosen), «Тазалау» and
 * «Табу»; a table with ID, category, date created, status and actions.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AKI_STATUSES, isDeletable, isEditable, type AkiStatus } from '../../../src-shared/aki/status';
import type { AkiRow } from '../../../src-shared/aki/rpc';
import { formatDate } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { errorText } from '../../ui/errors';
import { StatusPill } from './StatusPill';
import { go, pick } from './shared';
import { IconButton } from '../../ui/IconButton';

type Groups = Awaited<ReturnType<typeof rpc.call<'aki.reference'>>>['groups'];
interface Filters { status: AkiStatus | ''; groupId: string; categoryId: string }
const NO_FILTERS: Filters = { status: '', groupId: '', categoryId: '' };

export function ApplicationsList({ as }: { as: 'supplier' | 'customer' }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const auth = useApp((s) => s.auth);
  const sync = useApp((s) => s.sync);
  const [groups, setGroups] = useState<Groups>([]);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<AkiRow[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok'; key: string } | { kind: 'error'; error: unknown } | null>(null);
  const [creating, setCreating] = useState(false);
  const [newGroup, setNewGroup] = useState('');
  const [newCategory, setNewCategory] = useState('');
  const [deleting, setDeleting] = useState<AkiRow | null>(null);
  const supplierOrgs = (auth?.user?.memberships ?? []).filter((m) => m.roles.includes('supplier'));
  const [orgId, setOrgId] = useState(supplierOrgs[0]?.organizationId ?? '');

  const load = useCallback(async () => {
    try {
      const [ref, list] = await Promise.all([
        rpc.call('aki.reference', {}),
        rpc.call('aki.list', { as, status: applied.status || undefined, groupId: applied.groupId || undefined, categoryId: applied.categoryId || undefined }),
      ]);
      setGroups(ref.groups);
      setRows(list.items);
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }, [as, applied]);
  useEffect(() => {
    void load();
  }, [load, sync?.lastSyncAt, sync?.pending, sync?.rejected]);

  const categoriesOf = (groupId: string) => groups.find((g) => g.groupId === groupId)?.categories ?? [];
  const titleKey = as === 'supplier' ? 'aki.title' : 'aki.reviewTitle';

  async function create() {
    if (!newCategory || !orgId) return;
    try {
      const r = await rpc.call('aki.create', { organizationId: orgId, categoryId: newCategory });
      go(`aki-app/${r.applicationId}/edit`);
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }

  async function confirmDelete() {
    const row = deleting;
    setDeleting(null);
    if (!row) return;
    try {
      await rpc.call('aki.delete', { applicationId: row.applicationId });
      setMessage({ kind: 'ok', key: 'aki.form.deleted' });
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
    await load();
  }

  const idText = (r: AkiRow) => r.number ?? t('aki.idPending');

  return (
    <section aria-labelledby="aki-list-title" className="page aki-page">
      <h1 id="aki-list-title">{t(titleKey)}</h1>
      {as === 'supplier' && (
        <div className="aki-create">
          {!creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={supplierOrgs.length === 0}>
              {t('aki.create')}
            </button>
          ) : (
            <div className="card aki-create-panel" role="group" aria-labelledby="aki-create-title">
              <h2 id="aki-create-title">{t('aki.create')}</h2>
              {supplierOrgs.length > 1 && (
                <label className="inline-field">
                  {t('employees.organization')}
                  <select value={orgId} onChange={(e) => setOrgId(e.target.value)}>
                    {supplierOrgs.map((m) => (
                      <option key={m.organizationId} value={m.organizationId}>{m.organizationName}</option>
                    ))}
                  </select>
                </label>
              )}
              <label className="inline-field">
                {t('aki.group')}
                <select value={newGroup} onChange={(e) => { setNewGroup(e.target.value); setNewCategory(''); }}>
                  <option value="">{t('aki.choose')}</option>
                  {groups.map((g) => <option key={g.groupId} value={g.groupId}>{pick(g.name, lang)}</option>)}
                </select>
              </label>
              <label className="inline-field">
                {t('aki.category')}
                <select value={newCategory} disabled={!newGroup} onChange={(e) => setNewCategory(e.target.value)}>
                  <option value="">{t('aki.choose')}</option>
                  {categoriesOf(newGroup).map((c) => <option key={c.categoryId} value={c.categoryId}>{pick(c.name, lang)}</option>)}
                </select>
              </label>
              <div className="form-actions">
                <button type="button" className="btn btn-primary" disabled={!newCategory} onClick={() => void create()}>{t('aki.createConfirm')}</button>
                <button type="button" className="btn" onClick={() => setCreating(false)}>{t('common.cancel')}</button>
              </div>
            </div>
          )}
        </div>
      )}

      <form className="toolbar aki-filters" aria-label={t('aki.filters')} onSubmit={(e) => { e.preventDefault(); setApplied(draft); }}>
        <label className="inline-field">
          {t('aki.status')}
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as AkiStatus | '' })}>
            <option value="">{t('aki.any')}</option>
            {AKI_STATUSES.filter((s) => as === 'supplier' || s !== 'draft').map((s) => <option key={s} value={s}>{t(`aki.statuses.${s}`)}</option>)}
          </select>
        </label>
        <label className="inline-field">
          {t('aki.group')}
          <select value={draft.groupId} onChange={(e) => setDraft({ ...draft, groupId: e.target.value, categoryId: '' })}>
            <option value="">{t('aki.any')}</option>
            {groups.map((g) => <option key={g.groupId} value={g.groupId}>{pick(g.name, lang)}</option>)}
          </select>
        </label>
        <label className="inline-field">
          {t('aki.category')}
          <select value={draft.categoryId} disabled={!draft.groupId} onChange={(e) => setDraft({ ...draft, categoryId: e.target.value })}>
            <option value="">{t('aki.any')}</option>
            {categoriesOf(draft.groupId).map((c) => <option key={c.categoryId} value={c.categoryId}>{pick(c.name, lang)}</option>)}
          </select>
        </label>
        <div className="toolbar-buttons">
          <button type="button" className="btn" onClick={() => { setDraft(NO_FILTERS); setApplied(NO_FILTERS); }}>{t('aki.clear')}</button>
          <button type="submit" className="btn btn-primary">{t('aki.find')}</button>
        </div>
      </form>

      <div role="status" aria-live="polite" className="live-region">
        {message && <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : 'notice-error'}`}>{message.kind === 'ok' ? t(message.key) : errorText(t, message.error)}</p>}
      </div>

      <div className="table-scroll">
        <table className="table aki-table">
          <caption className="muted">{t('aki.total', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('aki.id')}</th>
              <th scope="col">{t('aki.category')}</th>
              {as === 'customer' && <th scope="col">{t('aki.supplier')}</th>}
              <th scope="col">{as === 'supplier' ? t('aki.created') : t('aki.submitted')}</th>
              <th scope="col">{t('aki.status')}</th>
              <th scope="col">{t('aki.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && <tr><td colSpan={as === 'customer' ? 6 : 5}>{t('aki.empty')}</td></tr>}
            {rows.map((r) => (
              <tr key={r.applicationId} data-pending={r.pending || undefined}>
                <th scope="row" className={r.number ? '' : 'muted'}>
                  {idText(r)}
                  {r.pending && <span className="pill">{t('employees.pending')}</span>}
                </th>
                <td>{pick(r.categoryName, lang)}</td>
                {as === 'customer' && <td>{pick(r.supplierOrgName, lang)}</td>}
                <td>{formatDate(as === 'supplier' ? r.createdAt : (r.submittedAt ?? r.createdAt), lang)}</td>
                <td><StatusPill status={r.status} /></td>
                <td className="aki-actions">
                  <a className="icon-btn" href={`#/${as === 'supplier' ? 'aki-app' : 'aki-review-app'}/${r.applicationId}`} aria-label={`${t('aki.view')}: ${idText(r)}`} title={t('aki.view')}>
                    <span aria-hidden="true">👁</span>
                  </a>
                  {as === 'supplier' && isEditable(r.status) && (
                    <a className="icon-btn" href={`#/aki-app/${r.applicationId}/edit`} aria-label={`${t('aki.edit')}: ${idText(r)}`} title={t('aki.edit')}>
                      <span aria-hidden="true">✎</span>
                    </a>
                  )}
                  {as === 'supplier' && isDeletable(r.status) && (
                    <IconButton kind="delete" label={`${t('aki.remove')}: ${idText(r)}`} title={t('aki.remove')} onClick={() => setDeleting(r)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t('aki.remove')}
        message={t('aki.form.deleteConfirm')}
        confirmLabel={t('aki.remove')}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
