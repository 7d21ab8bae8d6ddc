/**
 * Step 4 «Регламентті дайындау»: «Құжат қосу» asks for the ru* and kk*
 * names; the name, a link, attaches the file (native dialog in Electron,
 * file input in the browser host). The file is staged locally at once (it
 * counts for «Келесі» offline) and the sync engine uploads it before the
 * mutation that references it is pushed.
 */
import { DocumentBadges } from '../documents/Badges';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompetitionRecord, Regulation } from '../../../src-shared/competition/model';
import { checkRegulationNames, checkRegulations, hasProblems, type Problems } from '../../../src-shared/competition/rules';
import { pickFiles, rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { TextField } from './fields';
import { useFormDraft } from './data';
import { IconButton } from '../../ui/IconButton';

export const fileSize = (n: number): string => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

export function RegulationsStep(props: { record: CompetitionRecord; onBack(): void; onNext(): void; onError(err: unknown): void; reload(): Promise<void> }) {
  const { t, i18n } = useTranslation();
  const { record } = props;
  const sync = useApp((s) => s.sync);
  const [adding, setAdding] = useState(false);
  const [names, setNames] = useState({ nameRu: '', nameKk: '' });
  const [problems, setProblems] = useState<Problems>({});
  const [listProblems, setListProblems] = useState<Problems>({});
  const [removing, setRemoving] = useState<Regulation | null>(null);
  const [progress, setProgress] = useState<{ id: string; sent: number; total: number } | null>(null);
  // Names typed into «Құжат қосу» survive a restart until «Сақтау» or «Бас тарту».
  const { restored, keep } = useFormDraft(`regulation:${record.competitionId}`);
  useEffect(() => {
    if (restored && (restored.nameRu || restored.nameKk)) {
      setNames({ nameRu: restored.nameRu ?? '', nameKk: restored.nameKk ?? '' });
      setAdding(true);
    }
  }, [restored]);
  useEffect(() => {
    if (adding && (names.nameRu || names.nameKk)) keep(names);
  }, [adding, names, keep]);
  const title = (r: Regulation) => (i18n.language === 'ru' ? r.nameRu : r.nameKk) || r.nameRu;

  const [busy, setBusy] = useState(false);

  async function add() {
    const p = checkRegulationNames(names);
    setProblems(p);
    if (hasProblems(p)) return;
    setBusy(true);
    try {
      await rpc.call('competition.saveRegulation', { competitionId: record.competitionId, regulation: { ...names, file: null } });
      keep(null);
      setNames({ nameRu: '', nameKk: '' });
      setAdding(false);
      setListProblems({});
      await props.reload();
    } catch (err) {
      props.onError(err);
    } finally {
      setBusy(false);
    }
  }

  async function attach(r: Regulation) {
    setBusy(true);
    try {
      const [picked] = await pickFiles('any', false, (sent, total) => setProgress({ id: r.id, sent, total }));
      setProgress(null);
      if (!picked) return;
      const file = await rpc.call('files.stage', { handle: picked.handle });
      await rpc.call('competition.saveRegulation', { competitionId: record.competitionId, regulation: { id: r.id, nameRu: r.nameRu, nameKk: r.nameKk, file } });
      // The file is there now: the earlier "attach the file" problem no longer applies.
      setListProblems({});
      await props.reload();
    } catch (err) {
      setProgress(null);
      props.onError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="wizard-form">
      {record.regulations.length === 0 ? (
        <p className="muted">{t('competition.regulations.empty')}</p>
      ) : (
        <ul className="doc-list" aria-label={t('competition.steps.regulations')}>
          {record.regulations.map((r, i) => (
            <li key={r.id} className={listProblems[`regulations.${i}.file`] ? 'doc-invalid' : ''}>
              <div>
                {/* The seed's hyperlink: clicking the name attaches the file. */}
                <a
                  href="#attach"
                  className="link-btn"
                  aria-describedby={`reg-${r.id}-file`}
                  onClick={(e) => {
                    e.preventDefault();
                    void attach(r);
                  }}
                >
                  {title(r)}
                </a>
                <div className="muted small">
                  {r.nameRu} / {r.nameKk}
                </div>
                <div id={`reg-${r.id}-file`} className="small">
                  {r.file ? t('competition.regulations.file', { name: r.file.name, size: fileSize(r.file.size) }) : t('competition.regulations.noFile')}
                  {r.file && !r.attachmentId && <span className="pill">{sync?.state === 'online' || sync?.state === 'syncing' ? t('competition.regulations.uploading') : t('competition.regulations.waitingUpload')}</span>}
                  {r.file && r.attachmentId && <span className="muted"> · {t('competition.regulations.uploaded')}</span>}
                </div>
                {r.file && <DocumentBadges sha256={r.file.sha256} name={r.file.name} />}
                {progress?.id === r.id && <progress max={progress.total} value={progress.sent} aria-label={t('competition.regulations.uploading')} />}
                {listProblems[`regulations.${i}.file`] && (
                  <div className="field-error" role="alert">
                    {t('competition.problems.file_missing')}
                  </div>
                )}
              </div>
              <div className="row-actions">
                {r.file && (
                  <button type="button" className="btn btn-small" onClick={() => void attach(r)}>
                    {t('competition.regulations.replace')}
                  </button>
                )}
                <IconButton kind="delete" label={`${t('competition.delete')}: ${title(r)}`} title={t('competition.delete')} onClick={() => setRemoving(r)} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {!adding && (
        <p className="muted small">{record.regulations.length > 0 ? t('competition.regulations.attach') : ''}</p>
      )}
      {adding ? (
        <form noValidate className="subform" aria-label={t('competition.regulations.add')} onSubmit={(e) => { e.preventDefault(); void add(); }}>
          <TextField label={t('competition.fields.regulationRu')} required value={names.nameRu} problem={problems.nameRu} onChange={(v) => setNames({ ...names, nameRu: v })} />
          <TextField label={t('competition.fields.regulationKk')} required value={names.nameKk} problem={problems.nameKk} onChange={(v) => setNames({ ...names, nameKk: v })} />
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => { keep(null); setNames({ nameRu: '', nameKk: '' }); setAdding(false); setProblems({}); }}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary">
              {t('common.save')}
            </button>
          </div>
        </form>
      ) : (
        <div className="toolbar">
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            {t('competition.regulations.add')}
          </button>
        </div>
      )}
      {listProblems.regulations && (
        <p className="field-error" role="alert">
          {t(`competition.problems.${listProblems.regulations}`)}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={props.onBack}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          // Until a save or an attachment has landed, «Келесі» would judge the list as it was before it.
          disabled={busy}
          aria-busy={busy || undefined}
          onClick={() => {
            const p = checkRegulations(record);
            setListProblems(p);
            if (!hasProblems(p)) props.onNext();
          }}
        >
          {t('common.next')}
        </button>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={t('competition.delete')}
        message={t('competition.regulations.deleteConfirm', { name: removing ? title(removing) : '' })}
        confirmLabel={t('competition.delete')}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const r = removing;
          setRemoving(null);
          if (r) void rpc.call('competition.removeRegulation', { competitionId: record.competitionId, regulationId: r.id }).then(() => props.reload(), props.onError);
        }}
      />
    </div>
  );
}
