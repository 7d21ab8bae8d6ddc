/**
 * The customer's application page: every answer and file, and the decisions
 * approve / reject (reason) / return for revision (reason + the requirements
 * to revise). Nobody decides an application of their own organization.
 */
import { useCallback, useEffect, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AkiDetail } from '../../../src-shared/aki/rpc';
import { isFileAnswer } from '../../../src-shared/aki/answers';
import type { AkiDecision } from '../../../src-shared/aki/status';
import { isDecidable } from '../../../src-shared/aki/status';
import { answerable } from '../../../src-shared/aki/template';
import { formatDate } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { errorText } from '../../ui/errors';
import { RequirementInput } from './RequirementInput';
import { StatusPill } from './StatusPill';
import { go, issueMessages, issuesFrom, pick } from './shared';
import { useInspections } from '../documents/useInspection';

export function ReviewPage({ applicationId }: { applicationId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const auth = useApp((s) => s.auth);
  const sync = useApp((s) => s.sync);
  const [detail, setDetail] = useState<AkiDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [decision, setDecision] = useState<AkiDecision>('approve');
  const [reason, setReason] = useState('');
  const [keys, setKeys] = useState<string[]>([]);
  const [fieldMsgs, setFieldMsgs] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'warn'; key: string } | { kind: 'error'; error: unknown } | null>(null);
  /** The answer file being downloaded for the viewer (files.fetch), by name. */
  const [fetching, setFetching] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setDetail(await rpc.call('aki.get', { applicationId, as: 'customer' }));
      // An earlier "not found" (the application had not synced yet) goes once the sync brings it in.
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [applicationId]);
  useEffect(() => {
    void load();
  }, [load, sync?.lastSyncAt, sync?.pending, sync?.rejected]);
  // The supplier's files come into this account's store in the background, so their badges (and the viewer)
  // are ready when the customer looks; offline or refused, the badge says "not checked" and Open says why.
  useEffect(() => {
    if (!detail) return;
    let cancelled = false;
    const files = Object.values(detail.record.answers).filter(isFileAnswer);
    void (async () => {
      for (const f of files) {
        if (cancelled) return;
        if (useInspections.getState().entries[f.sha256]?.state === 'ready') continue;
        try {
          await rpc.call('files.fetch', { recordType: 'aki_application', recordId: applicationId, sha256: f.sha256, name: f.name });
          await useInspections.getState().load(f.sha256, true);
        } catch {
          /* shown where it matters: the badge stays "not checked", the Open link reports the error */
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [detail, applicationId]);

  if (error) return <section className="page"><p className="notice notice-error" role="alert">{errorText(t, error)}</p><a href="#/aki-review">{t('aki.back')}</a></section>;
  if (!detail) return <p className="muted">{t('app.loading')}</p>;
  const r = detail.record;
  const own = (auth?.user?.memberships ?? []).some((m) => m.organizationId === r.supplierOrgId);
  const canDecide = isDecidable(r.status) && !own && detail.waiting !== 'decide';

  /**
   * The supplier's files are not in this account's store: an "Open" link to the viewer (#/document/<sha256>/…)
   * of a file answer first fetches the file from the portal (files.fetch: access-checked, hash-checked), then opens.
   */
  async function openAnswerFile(e: MouseEvent) {
    const link = (e.target as HTMLElement).closest('a[href^="#/document/"]');
    const href = link?.getAttribute('href');
    const sha256 = href?.split('/')[2];
    const file = Object.values(r.answers).find((v) => isFileAnswer(v) && v.sha256 === sha256);
    if (!href || !sha256 || !isFileAnswer(file)) return;
    e.preventDefault();
    if (fetching) return;
    setFetching(file.name);
    setMessage(null);
    try {
      await rpc.call('files.fetch', { recordType: 'aki_application', recordId: applicationId, sha256, name: file.name });
      window.location.hash = href;
    } catch (err) {
      setMessage({ kind: 'error', error: err });
    } finally {
      setFetching(null);
    }
  }

  async function submit() {
    try {
      await rpc.call('aki.decide', { applicationId, decision, reason, requirementKeys: decision === 'revision' ? keys : [] });
      setFieldMsgs({});
      const online = sync?.state === 'online' || sync?.state === 'syncing';
      setMessage({ kind: online ? 'ok' : 'warn', key: online ? 'aki.review.decided' : 'aki.review.decisionWaits' });
      await load();
    } catch (err) {
      setFieldMsgs(issueMessages(t, issuesFrom(err)));
      setMessage({ kind: 'error', error: err });
    }
  }

  return (
    <section aria-labelledby="aki-review-title" className="page aki-page">
      <h1 id="aki-review-title">{t('aki.form.title', { category: pick(detail.category?.name, lang) })}</h1>
      <dl className="facts aki-facts">
        <dt>{t('aki.id')}</dt><dd>{r.number ?? t('aki.idPending')}</dd>
        <dt>{t('aki.supplier')}</dt><dd>{pick(r.supplierOrgName, lang)}</dd>
        <dt>{t('aki.submitted')}</dt><dd>{r.submittedAt ? formatDate(r.submittedAt, lang) : '—'}</dd>
        <dt>{t('aki.status')}</dt><dd><StatusPill status={r.status} />{detail.pending && <span className="pill">{t('employees.pending')}</span>}</dd>
        <dt>{t('aki.email')}</dt><dd>{r.email}</dd>
        <dt>{t('aki.phone')}</dt><dd>{r.phone}</dd>
      </dl>
      {detail.waiting === 'decide' && <p className="notice notice-warn" role="status">{t('aki.review.decisionWaits')}</p>}
      {detail.refused && <p className="notice notice-error" role="alert">{t('aki.form.portalRejected', { reason: t(`errors.${detail.refused.code}`, { defaultValue: detail.refused.message }) })}</p>}
      {r.revision && r.status === 'revision' && <div className="notice notice-warn aki-reason"><h2>{t('aki.form.revisionReason')}</h2><p>{r.revision.reason}</p></div>}
      {r.decision && <div className="notice aki-reason"><h2>{t(`aki.statuses.${r.status}`)}</h2>{r.decision.reason && <p>{r.decision.reason}</p>}</div>}

      <div className="card aki-form" role="group" aria-labelledby="aki-answers-title" onClickCapture={(e) => void openAnswerFile(e)}>
        <h2 id="aki-answers-title">{t('aki.review.answers')}</h2>
        {detail.template?.requirements.map((q) => (
          <RequirementInput key={q.key} requirement={q} value={r.answers[q.key]} editable={false} flagged={r.status === 'revision' && (r.revision?.keys ?? []).includes(q.key)} onChange={() => {}} />
        ))}
        {r.comment && <div className="field"><span className="label-like">{t('aki.comment')}</span><p>{r.comment}</p></div>}
      </div>

      {own && isDecidable(r.status) && <p className="notice notice-warn">{t('aki.review.ownOrganization')}</p>}
      {canDecide && (
        <form className="card aki-decide" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }} aria-labelledby="aki-decide-title">
          <h2 id="aki-decide-title">{t('aki.actions')}</h2>
          <fieldset className="role-set">
            <legend className="visually-hidden">{t('aki.actions')}</legend>
            {(['approve', 'reject', 'revision'] as const).map((d) => (
              <label key={d} className="check">
                <input type="radio" name="decision" checked={decision === d} onChange={() => { setDecision(d); setFieldMsgs({}); setMessage(null); }} />
                {t(d === 'approve' ? 'aki.review.approve' : d === 'reject' ? 'aki.review.reject' : 'aki.review.returnForRevision')}
              </label>
            ))}
          </fieldset>
          {decision !== 'approve' && (
            <div className={`field${fieldMsgs.reason ? ' field-invalid' : ''}`}>
              <label htmlFor="aki-reason">{t('aki.review.reason')}<span aria-hidden="true" className="req"> *</span></label>
              <textarea id="aki-reason" rows={3} required value={reason} onChange={(e) => { setReason(e.target.value); setFieldMsgs({ ...fieldMsgs, reason: '' }); }} aria-invalid={fieldMsgs.reason ? true : undefined} aria-describedby={fieldMsgs.reason ? 'aki-reason-error' : undefined} />
              {fieldMsgs.reason && <div id="aki-reason-error" className="field-error" role="alert">{fieldMsgs.reason}</div>}
            </div>
          )}
          {decision === 'revision' && detail.template && (
            <fieldset className="role-set aki-keys">
              <legend>{t('aki.review.requirementsToRevise')}</legend>
              {answerable(detail.template).map((q) => (
                <label key={q.key} className="check">
                  <input type="checkbox" checked={keys.includes(q.key)} onChange={(e) => { setKeys(e.target.checked ? [...keys, q.key] : keys.filter((k) => k !== q.key)); setFieldMsgs({ ...fieldMsgs, requirementKeys: '' }); }} />
                  {pick(q.label, lang)}
                </label>
              ))}
              {fieldMsgs.requirementKeys && <div className="field-error" role="alert">{fieldMsgs.requirementKeys}</div>}
            </fieldset>
          )}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => go('aki-review')}>{t('aki.back')}</button>
            <button type="submit" className="btn btn-primary">
              {t(decision === 'approve' ? 'aki.review.approve' : decision === 'reject' ? 'aki.review.reject' : 'aki.review.returnForRevision')}
            </button>
          </div>
        </form>
      )}
      <div role="status" aria-live="polite" className="live-region">
        {fetching && <p className="muted">{t('aki.review.fetchingFile', { name: fetching })}</p>}
        {message && <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : message.kind === 'warn' ? 'notice-warn' : 'notice-error'}`}>{message.kind === 'error' ? errorText(t, message.error) : t(message.key)}</p>}
      </div>
      {!canDecide && <p><a href="#/aki-review">{t('aki.back')}</a></p>}
    </section>
  );
}
