/**
 * Step 3 «Жоба бастамашысы туралы ақпарат»: «Бастамашыны қосу» opens
 * «Пайдаланушыны таңдау» (the portal's user search; needs the portal), then
 * the form «Жоба бастамашысының сипаттамасы». Any number of initiators.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompetitionRecord, Initiator } from '../../../src-shared/competition/model';
import { checkInitiator, hasProblems, type Problems } from '../../../src-shared/competition/rules';
import { rpc } from '../../app/rpc';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { errorText } from '../../ui/errors';
import { TextField } from './fields';
import { useFormDraft } from './data';
import { IconButton } from '../../ui/IconButton';

type Draft = Omit<Initiator, 'id'> & { id?: string };
const EMPTY: Draft = { userId: '', userName: '', partnerIinBin: '', representative: '', position: '', phone: '', email: '' };

export function InitiatorsStep(props: { record: CompetitionRecord; offline: boolean; onBack(): void; onNext(): void; onError(err: unknown): void; reload(): Promise<void> }) {
  const { t } = useTranslation();
  const { record } = props;
  const [mode, setMode] = useState<'list' | 'select' | 'form'>('list');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problems, setProblems] = useState<Problems>({});
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<{ userId: string; fullName: string; organizations: { bin: string; name: string }[] }[] | null>(null);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [removing, setRemoving] = useState<Initiator | null>(null);
  // A half-filled description survives a restart (kept locally until «Сақтау» or «Бас тарту»).
  const { restored, keep } = useFormDraft(`initiator:${record.competitionId}`);
  useEffect(() => {
    if (restored?.userId) {
      setDraft({ ...EMPTY, ...restored } as Draft);
      setMode('form');
    }
  }, [restored]);
  useEffect(() => {
    if (mode === 'form' && draft.userId) keep(Object.fromEntries(Object.entries(draft).filter(([, v]) => typeof v === 'string')) as Record<string, string>);
  }, [mode, draft, keep]);

  async function search() {
    setSearchError(null);
    if (q.trim().length < 3) return;
    try {
      setUsers((await rpc.call('competition.searchUsers', { q: q.trim() })).users);
    } catch (err) {
      setUsers(null);
      setSearchError(err);
    }
  }

  async function saveDraft() {
    const p = checkInitiator(draft);
    setProblems(p);
    if (hasProblems(p)) return;
    try {
      await rpc.call('competition.saveInitiator', { competitionId: record.competitionId, initiator: { ...draft, partnerIinBin: draft.partnerIinBin.trim(), phone: draft.phone.trim(), email: draft.email.trim() } });
      await props.reload();
      keep(null);
      setMode('list');
      setDraft(EMPTY);
    } catch (err) {
      props.onError(err);
    }
  }

  if (mode === 'select') {
    const cannot = props.offline;
    return (
      <div className="wizard-form" role="group" aria-labelledby="select-user-title">
        <h3 id="select-user-title">{t('competition.initiators.selectUser')}</h3>
        {cannot && <p className="notice notice-warn">{t('competition.initiators.offline')}</p>}
        <form noValidate className="bin-row" onSubmit={(e) => { e.preventDefault(); void search(); }}>
          <div className="field">
            <label htmlFor="c-user-q">{t('competition.initiators.searchUsers')}</label>
            <input id="c-user-q" type="search" value={q} minLength={3} disabled={cannot} onChange={(e) => setQ(e.target.value)} />
          </div>
          <button type="submit" className="btn" disabled={cannot || q.trim().length < 3}>
            {t('common.find')}
          </button>
        </form>
        {searchError != null && (
          <p className="notice notice-error" role="alert">
            {(searchError as { code?: string }).code === 'offline' ? t('competition.initiators.offline') : errorText(t, searchError)}
          </p>
        )}
        {users && users.length === 0 && <p className="muted">{t('competition.initiators.noUsers')}</p>}
        {users && users.length > 0 && (
          <ul className="pick-list">
            {users.map((u) => (
              <li key={u.userId}>
                <span>
                  <strong>{u.fullName}</strong>
                  <span className="muted small"> {u.organizations.map((o) => `${o.name} (${o.bin})`).join('; ')}</span>
                </span>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${t('competition.initiators.choose')}: ${u.fullName}`}
                  onClick={() => {
                    setDraft({ ...draft, userId: u.userId, userName: u.fullName, partnerIinBin: draft.partnerIinBin || (u.organizations[0]?.bin ?? '') });
                    setMode('form');
                  }}
                >
                  {t('competition.initiators.choose')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => setMode('list')}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    );
  }

  if (mode === 'form') {
    const set = (k: keyof Draft) => (v: string) => {
      setDraft({ ...draft, [k]: v });
      setProblems(({ [k]: _gone, ...rest }) => rest);
    };
    return (
      <form noValidate className="wizard-form" aria-labelledby="initiator-form-title" onSubmit={(e) => { e.preventDefault(); void saveDraft(); }}>
        <h3 id="initiator-form-title">{t('competition.initiators.details')}</h3>
        <p>{t('competition.initiators.chosen', { name: draft.userName })}</p>
        <TextField label={t('competition.fields.initiatorPartner')} required value={draft.partnerIinBin} inputMode="numeric" maxLength={12} hint={t('competition.fields.initiatorPartnerHint')} problem={problems.partnerIinBin} onChange={(v) => set('partnerIinBin')(v.replace(/\D/g, ''))} />
        <TextField label={t('competition.fields.initiatorRepresentative')} value={draft.representative} problem={problems.representative} onChange={set('representative')} />
        <TextField label={t('competition.fields.position')} value={draft.position} problem={problems.position} onChange={set('position')} />
        <TextField label={t('competition.fields.phone')} value={draft.phone} inputMode="tel" maxLength={40} problem={problems.phone} onChange={set('phone')} />
        <TextField label={t('competition.fields.email')} value={draft.email} inputMode="email" maxLength={200} problem={problems.email} onChange={set('email')} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => { keep(null); setMode('list'); setDraft(EMPTY); setProblems({}); }}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('common.save')}
          </button>
        </div>
      </form>
    );
  }

  return (
    <div className="wizard-form">
      <div className="toolbar">
        <button type="button" className="btn" onClick={() => { setDraft(EMPTY); setUsers(null); setMode('select'); }}>
          {t('competition.initiators.add')}
        </button>
      </div>
      {record.initiators.length === 0 ? (
        <p className="muted">{t('competition.initiators.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('competition.fields.initiatorUser')}</th>
              <th scope="col">{t('competition.fields.initiatorPartner')}</th>
              <th scope="col">{t('competition.fields.initiatorRepresentative')}</th>
              <th scope="col">{t('competition.fields.phone')} / {t('competition.fields.email')}</th>
              <th scope="col">{t('competition.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {record.initiators.map((i) => (
              <tr key={i.id}>
                <th scope="row">{i.userName}</th>
                <td>{i.partnerIinBin}</td>
                <td>
                  {i.representative}
                  {i.position && <span className="muted small"> · {i.position}</span>}
                </td>
                <td className="small">
                  {i.phone}
                  {i.phone && i.email && <br />}
                  {i.email}
                </td>
                <td className="row-actions">
                  <IconButton kind="edit" label={`${t('competition.edit')}: ${i.userName}`} title={t('competition.edit')} onClick={() => { setDraft(i); setProblems({}); setMode('form'); }} />
                  <IconButton kind="delete" label={`${t('competition.delete')}: ${i.userName}`} title={t('competition.delete')} onClick={() => setRemoving(i)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={props.onBack}>
          {t('common.back')}
        </button>
        <button type="button" className="btn btn-primary" onClick={props.onNext}>
          {t('common.next')}
        </button>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={t('competition.delete')}
        message={t('competition.initiators.deleteConfirm', { name: removing?.userName ?? '' })}
        confirmLabel={t('competition.delete')}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const r = removing;
          setRemoving(null);
          if (r) void rpc.call('competition.removeInitiator', { competitionId: record.competitionId, initiatorId: r.id }).then(() => props.reload(), props.onError);
        }}
      />
    </div>
  );
}
