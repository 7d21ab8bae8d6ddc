/**
 * «Конкурстар»: every signed-in user's competitions from the local cache, in three scopes — mine
 * (organizer, secretary: search, status, edit and delete of drafts), where I take part (state partner,
 * initiators), all published. The portal's feed decided what the cache holds; this only presents it.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompetitionStatus } from '../../../src-shared/competition/model';
import { COMPETITION_SCOPES, type CompetitionRow, type CompetitionScope } from '../../../src-shared/competition/rpc';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { errorText } from '../../ui/errors';
import { IconButton } from '../../ui/IconButton';
import { Segmented } from '../../ui/Segmented';
import { canCreateAny, go, organizesOrSecretary } from './routes';
import { CompetitionFilters, CompetitionTable, nameIn } from './CompetitionTable';

export { nameIn };

export const isScope = (s: string | undefined): s is CompetitionScope => (COMPETITION_SCOPES as readonly string[]).includes(s ?? '');

export function CompetitionsList({ scope: asked }: { scope?: CompetitionScope }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const auth = useApp((s) => s.auth);
  const sync = useApp((s) => s.sync);
  const organizes = organizesOrSecretary(auth);
  // Only organizers and secretaries have a "mine"; everyone else starts where they take part.
  const scopes: readonly CompetitionScope[] = organizes ? COMPETITION_SCOPES : COMPETITION_SCOPES.filter((s) => s !== 'mine');
  const scope: CompetitionScope = asked && scopes.includes(asked) ? asked : scopes[0]!;
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<CompetitionStatus | ''>('');
  const [rows, setRows] = useState<CompetitionRow[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok'; key: string } | { kind: 'error'; error: unknown } | null>(null);
  const [deleting, setDeleting] = useState<CompetitionRow | null>(null);

  const load = useCallback(async () => {
    try {
      setRows((await rpc.call('competition.list', { scope, query: query || undefined, status: status || undefined })).items);
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    }
  }, [scope, query, status]);
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
      <h1 id="competitions-title">{t('nav.competitions')}</h1>
      <Segmented
        label={t('competition.scopeLabel')}
        value={scope}
        options={scopes.map((s) => ({ value: s, label: t(`competition.scopes.${s}`) }))}
        onChange={(s) => go(`competitions/${s}`)}
      />
      <CompetitionFilters query={query} status={status} onQuery={setQuery} onStatus={setStatus}>
        {scope === 'mine' &&
          (canCreateAny(auth) ? (
            <button type="button" className="btn btn-primary" onClick={() => go('competition-new')}>
              {t('competition.create')}
            </button>
          ) : (
            <p className="muted small">{t('competition.noOrganizerRole')}</p>
          ))}
      </CompetitionFilters>
      <div role="status" aria-live="polite" className="live-region">
        {message && <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : 'notice-error'}`}>{message.kind === 'ok' ? t(message.key) : errorText(t, message.error)}</p>}
      </div>
      <CompetitionTable
        rows={rows}
        empty={t(`competition.scopeEmpty.${scope}`)}
        href={(r) => `#/competition/${r.competitionId}`}
        actions={
          scope === 'mine'
            ? (r) => (
                <>
                  {r.canEdit && (
                    <IconButton kind="edit" label={`${t('competition.edit')}: ${nameIn(lang, r)}`} title={t('competition.edit')} onClick={() => go(`competition-edit/${r.competitionId}/general`)} />
                  )}
                  {r.canDelete && <IconButton kind="delete" label={`${t('competition.delete')}: ${nameIn(lang, r)}`} title={t('competition.delete')} onClick={() => setDeleting(r)} />}
                </>
              )
            : undefined
        }
      />
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
