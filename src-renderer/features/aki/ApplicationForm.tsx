/**
 * The supplier's application page: e-mail, phone, every requirement of the
 * pinned template, optional comment; «Сақтау» (then «Жариялау» becomes
 * active), «Қайту» (saves the draft and returns to the list). In revision
 * only the requirements sent back are editable, with the reason shown; after
 * submission the page is read-only. Publication made offline waits for the
 * portal, whose answer (or per-field errors) is shown here.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AkiDetail } from '../../../src-shared/aki/rpc';
import { isFileAnswer, validateApplication, type Answers, type AnswerValue, type FieldIssue } from '../../../src-shared/aki/answers';
import { isEditable } from '../../../src-shared/aki/status';
import type { AkiRequirement, AkiTemplate } from '../../../src-shared/aki/template';
import type { PackageReport } from '../../../src-shared/documents/package-model';
import { formatDate } from '../../../src-shared/time/almaty';
import type { Language } from '../../../src-shared/i18n';
import { rpc } from '../../app/rpc';
import { useApp } from '../../app/store';
import { Field } from '../../ui/Field';
import { errorText } from '../../ui/errors';
import { DocumentFormContext, withMeta } from '../documents/DocumentFileExtras';
import { PackagePanel, packageErrors } from '../documents/PackagePanel';
import { SigningDialog, type SignOutcome } from '../documents/SigningDialog';
import { isSignedInspection, useInspections } from '../documents/useInspection';
import { RequirementInput } from './RequirementInput';
import { StatusPill } from './StatusPill';
import { go, issueMessages, issuesFrom, pick } from './shared';
import { almatyDate } from '../../../src-shared/time/almaty';
import { lockAllowsSubmission } from '../../../src-shared/documents/lock';

type Msg = { kind: 'ok' | 'warn'; key: string } | { kind: 'error'; error: unknown; key?: string } | { kind: 'error'; text: string } | null;
interface Content { email: string; phone: string; comment: string; answers: Answers }

/**
 * Every attached file is inspected (issue 9: "for every file a user attaches anywhere"), and every
 * package error blocks publishing — a flag the customer set (signed, PDF/A, fresh, the supplier's
 * signature…) is a requirement, not advice; a file changed after signing never gets through.
 */
const hasFiles = (r: AkiRequirement): boolean => r.type === 'file';
const isPdfAnswer = (v: AnswerValue | undefined) => isFileAnswer(v) && (v.contentType === 'application/pdf' || /\.pdf$/i.test(v.name));


export function ApplicationForm({ applicationId, readOnly = false }: { applicationId: string; readOnly?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const sync = useApp((s) => s.sync);
  const online = sync?.state === 'online' || sync?.state === 'syncing';
  const [detail, setDetail] = useState<AkiDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [content, setContent] = useState<Content | null>(null);
  /** The template the form edits against (the pinned one, or the newer one once the user moves to it). */
  const [target, setTarget] = useState<{ version: number; template: AkiTemplate } | null>(null);
  const [dirty, setDirtyState] = useState(false);
  // Read by the sync-driven reload (an effect created renders ago): typing is never overwritten by a pull.
  const dirtyRef = useRef(false);
  const setDirty = (v: boolean) => { dirtyRef.current = v; setDirtyState(v); };
  // The seed: «Сақтау», then «Жариялау» becomes active.
  const [saved, setSaved] = useState(false);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<Msg>(null);
  const auth = useApp((s) => s.auth);
  const inspections = useInspections((s) => s.entries);
  const [pkg, setPkg] = useState<PackageReport | null>(null);
  const [pkgError, setPkgError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const [signAll, setSignAll] = useState(false);
  const firstCheck = useRef(false);

  const load = useCallback(async () => {
    try {
      const d = await rpc.call('aki.get', { applicationId, as: 'supplier' });
      setDetail(d);
      setLoadError(null);
      return d;
    } catch (err) {
      setLoadError(err);
      return null;
    }
  }, [applicationId]);

  // First load fills the form; later reloads (sync) refresh status and portal answers without overwriting typing.
  useEffect(() => {
    void load().then((d) => {
      if (d) {
        setContent({ email: d.record.email, phone: d.record.phone, comment: d.record.comment, answers: d.record.answers });
        if (d.template) setTarget({ version: d.record.templateVersion, template: d.template });
      }
    });
  }, [load]);
  useEffect(() => {
    void load().then((d) => {
      if (!d) return;
      if (!dirtyRef.current) setContent({ email: d.record.email, phone: d.record.phone, comment: d.record.comment, answers: d.record.answers });
      setTarget((cur) => cur ?? (d.template ? { version: d.record.templateVersion, template: d.template } : null));
      if (d.refused?.code === 'validation_failed') setIssues(issuesFrom(d.refused));
    });
  }, [sync?.lastSyncAt, sync?.pending, sync?.rejected]);

  const docChecks = !!target?.template.requirements.some(hasFiles);
  // The answers the last check was about: items of a field changed since then are stale until the next check.
  const contentRef = useRef(content);
  contentRef.current = content;
  const [checkedAnswers, setCheckedAnswers] = useState<Answers>({});
  const runCheck = useCallback(async (): Promise<PackageReport | null> => {
    setChecking(true);
    setPkgError(null);
    const answers = contentRef.current?.answers ?? {};
    try {
      const r = await rpc.call('documents.checkPackage', { applicationId });
      setPkg(r);
      setCheckedAnswers(answers);
      return r;
    } catch (err) {
      setPkgError(err);
      return null;
    } finally {
      setChecking(false);
    }
  }, [applicationId]);
  // The package is checked once when the form opens (later after every save and before publishing).
  useEffect(() => {
    if (docChecks && !firstCheck.current) {
      firstCheck.current = true;
      void runCheck();
    }
  }, [docChecks, runCheck]);

  const record = detail?.record;
  const status = record?.status;
  const editableStatus = !!status && isEditable(status) && detail?.waiting !== 'publish';
  const editable = editableStatus && !readOnly;
  const flaggedKeys = useMemo(() => new Set(status === 'revision' ? (record?.revision?.keys ?? []) : []), [status, record]);
  const canEdit = (key: string) => editable && (status === 'draft' || flaggedKeys.has(key));
  const fieldMsgs = issueMessages(t, issues);

  if (loadError) return <section className="page"><p className="notice notice-error" role="alert">{errorText(t, loadError)}</p><a href="#/aki">{t('aki.back')}</a></section>;
  if (!detail || !content || !record) return <p className="muted">{t('app.loading')}</p>;

  const set = (patch: Partial<Content>) => { setContent({ ...content, ...patch }); setDirty(true); };
  const supplierBin = (auth?.user?.memberships ?? []).find((m) => m.organizationId === record.supplierOrgId)?.bin;
  /** A file whose signatures no longer cover it: never submitted (the lock rule), whatever the package check said. */
  const modifiedFile = Object.values(content.answers).find((v) => {
    if (!isFileAnswer(v)) return false;
    const e = inspections[v.sha256];
    return e?.state === 'ready' && !lockAllowsSubmission(e.inspection.lock);
  });
  const staleFields = new Set(Object.keys({ ...content.answers, ...checkedAnswers }).filter((k) => JSON.stringify(content.answers[k] ?? null) !== JSON.stringify(checkedAnswers[k] ?? null)));
  const shownReport = pkg && { ...pkg, items: pkg.items.filter((i) => !staleFields.has(i.field)) };
  const blockReason = !docChecks
    ? null
    : isFileAnswer(modifiedFile)
      ? t('documents.pkg.blockedModified', { name: modifiedFile.name })
      : packageErrors(shownReport).length > 0
        ? t('documents.pkg.blocked')
        : null;
  /** PDFs the template wants signed that carry no signature yet ("Sign all"). */
  const toSign = (target?.template.requirements ?? []).flatMap((r) => {
    const v = content.answers[r.key];
    if (r.type !== 'file' || !r.signed || !canEdit(r.key) || !isPdfAnswer(v) || !isFileAnswer(v)) return [];
    const e = inspections[v.sha256];
    return e?.state === 'ready' && isSignedInspection(e.inspection) ? [] : [{ sha256: v.sha256, name: v.name }];
  });
  const labels = Object.fromEntries((target?.template.requirements ?? []).map((r) => [r.key, pick(r.label, lang)]));

  function onBatchSigned(outcomes: SignOutcome[]) {
    const bySha = new Map(outcomes.filter((o) => o.ref).map((o) => [o.sha256, o.ref!]));
    setContent((c) => {
      if (!c) return c;
      const answers = { ...c.answers };
      for (const [k, v] of Object.entries(answers)) {
        const ref = isFileAnswer(v) ? bySha.get(v.sha256) : undefined;
        if (ref && isFileAnswer(v)) answers[k] = withMeta(ref, v);
      }
      return { ...c, answers };
    });
    if (bySha.size) setDirty(true);
  }

  async function checkNow() {
    if (editable && dirty && !(await save())) return;
    await runCheck();
  }
  // Functional: answers may arrive from async work (upload, stamping, signing) started renders ago.
  const setAnswer = (key: string, v: AnswerValue) => {
    setContent((c) => (c ? { ...c, answers: { ...c.answers, [key]: v } } : c));
    setDirty(true);
  };

  async function save(): Promise<boolean> {
    if (!target || !content) return false;
    const local = validateApplication(target.template, content, almatyDate(), { complete: false });
    setIssues(local);
    try {
      await rpc.call('aki.save', { applicationId, templateVersion: target.version, ...content });
      setDirty(false);
      setSaved(true);
      setMessage({ kind: 'ok', key: online ? 'aki.form.saved' : 'aki.form.savedOffline' });
      await load();
      if (docChecks) void runCheck();
      return true;
    } catch (err) {
      setIssues(issuesFrom(err));
      setMessage({ kind: 'error', error: err });
      return false;
    }
  }

  async function publish() {
    if (docChecks) {
      // Checked again right before publishing: the answer must be about the files being sent.
      const report = await runCheck();
      // The report carries each file's inspection: the lock rule names the file, whatever else the check said.
      const lockedOut = Object.entries(report?.documents ?? {}).find(([, d]) => !lockAllowsSubmission(d.lock))?.[0];
      const modified = lockedOut ? content?.answers[lockedOut] : undefined;
      if (isFileAnswer(modified)) return setMessage({ kind: 'error', text: t('documents.pkg.blockedModified', { name: modified.name }) });
      if (packageErrors(report).length > 0) return setMessage({ kind: 'error', text: t('documents.pkg.blocked') });
    }
    try {
      await rpc.call('aki.publish', { applicationId });
      setIssues([]);
      setMessage(online ? { kind: 'ok', key: 'aki.form.published' } : { kind: 'warn', key: 'aki.form.publishWaits' });
      await load();
    } catch (err) {
      const found = issuesFrom(err);
      setIssues(found);
      setMessage(found.length ? { kind: 'error', error: err, key: 'aki.form.fixErrors' } : { kind: 'error', error: err });
    }
  }

  async function back() {
    if (editable && dirty) await save();
    go('aki');
  }

  function moveToNewTemplate() {
    const n = detail?.newerTemplate;
    if (!n || !content) return;
    setTarget({ version: n.version, template: n.template });
    setContent({ ...content, answers: n.answers });
    setDirty(true);
  }

  const template = target?.template;
  const catName = pick(detail.category?.name, lang);
  const refusedNote = detail.refused && (
    <div className="notice notice-error" role="alert">
      {t('aki.form.portalRejected', { reason: detail.refused.code === 'validation_failed' ? t('aki.form.fixErrors') : t(`errors.${detail.refused.code}`, { defaultValue: detail.refused.message }) })}
    </div>
  );

  return (
    <section aria-labelledby="aki-form-title" className="page aki-page">
      <h1 id="aki-form-title">{t('aki.form.title', { category: catName })}</h1>
      <dl className="facts aki-facts">
        <dt>{t('aki.id')}</dt><dd>{record.number ?? <span className="muted">{t('aki.idPending')}</span>}</dd>
        <dt>{t('aki.group')}</dt><dd>{pick(detail.category?.groupName, lang)}</dd>
        <dt>{t('aki.created')}</dt><dd>{formatDate(record.createdAt, lang)}</dd>
        <dt>{t('aki.status')}</dt><dd><StatusPill status={record.status} />{detail.pending && <span className="pill">{t('employees.pending')}</span>}</dd>
      </dl>
      <p className="muted small">{t('aki.form.pinned', { version: target?.version ?? record.templateVersion })}</p>

      {detail.waiting === 'publish' && <p className="notice notice-warn" role="status">{t('aki.form.publishWaits')}</p>}
      {refusedNote}
      {detail.newerTemplate && target?.version !== detail.newerTemplate.version && (
        <div className="notice notice-warn" role="status">
          <p>{t('aki.form.templateChanged', { from: record.templateVersion, to: detail.newerTemplate.version })}</p>
          <button type="button" className="btn btn-small" onClick={moveToNewTemplate}>{t('aki.form.useNewTemplate')}</button>
        </div>
      )}
      {status === 'revision' && record.revision && (
        <div className="notice notice-warn aki-reason">
          <h2>{t('aki.form.revisionReason')}</h2>
          <p>{record.revision.reason}</p>
          <p className="small">{t('aki.form.revisionOnly')}</p>
        </div>
      )}
      {(status === 'approved' || status === 'rejected') && record.decision && (
        <div className={`notice ${status === 'approved' ? 'notice-ok' : 'notice-error'} aki-reason`}>
          <h2>{t(`aki.statuses.${status}`)}</h2>
          {record.decision.reason && <p>{t('aki.form.decisionReason')}: {record.decision.reason}</p>}
          {status === 'rejected' && <p>{t('aki.form.rejectedNew')}</p>}
        </div>
      )}
      {(status === 'under_review' || status === 'published') && detail.waiting !== 'publish' && <p className="notice" role="status">{t('aki.form.readOnly')}</p>}

      <DocumentFormContext.Provider value={{ bin: editable ? supplierBin : undefined, items: shownReport?.items }}>
      <form className="card aki-form" noValidate onSubmit={(e) => { e.preventDefault(); void save(); }} aria-labelledby="aki-form-title">
        <div className="form-grid">
          <Field label={t('aki.email')} type="email" required value={content.email} disabled={!(editable && status === 'draft')} error={fieldMsgs.email} onChange={(e) => set({ email: e.target.value })} />
          <Field label={t('aki.phone')} type="tel" required value={content.phone} disabled={!(editable && status === 'draft')} error={fieldMsgs.phone} onChange={(e) => set({ phone: e.target.value })} />
        </div>
        {!template && <p className="muted">{t('app.loading')}</p>}
        {template?.requirements.map((r) => (
          <RequirementInput
            key={r.key}
            requirement={r}
            value={content.answers[r.key]}
            editable={canEdit(r.key)}
            flagged={flaggedKeys.has(r.key)}
            error={fieldMsgs[r.key]}
            onChange={(v) => setAnswer(r.key, v)}
          />
        ))}
        {editable && toSign.length > 0 && (
          <div className="aki-sign-all">
            <button type="button" className="btn" onClick={() => setSignAll(true)}>{t('documents.sign.signAll', { count: toSign.length })}</button>
          </div>
        )}
        <div className={`field${fieldMsgs.comment ? ' field-invalid' : ''}`}>
          <label htmlFor="aki-comment">{t('aki.comment')}</label>
          <textarea id="aki-comment" rows={3} value={content.comment} disabled={!(editable && status === 'draft')} onChange={(e) => set({ comment: e.target.value })} aria-invalid={fieldMsgs.comment ? true : undefined} />
          {fieldMsgs.comment && <div className="field-error" role="alert">{fieldMsgs.comment}</div>}
        </div>
        <div role="status" aria-live="polite" className="live-region">
          {message && (
            <p className={`notice ${message.kind === 'ok' ? 'notice-ok' : message.kind === 'warn' ? 'notice-warn' : 'notice-error'}`}>
              {message.kind === 'error' ? ('text' in message ? message.text : message.key ? t(message.key) : errorText(t, message.error)) : t(message.key)}
            </p>
          )}
        </div>
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => void back()}>{t('aki.back')}</button>
          {readOnly && editableStatus && <a className="btn" href={`#/aki-app/${applicationId}/edit`}>{t('aki.edit')}</a>}
          {editable && <button type="submit" className="btn">{t('aki.save')}</button>}
          {editable && (
            <button type="button" className="btn btn-primary" disabled={dirty || !saved || !!blockReason} aria-describedby={blockReason ? 'aki-publish-blocked' : undefined} onClick={() => void publish()}>{t('aki.publish')}</button>
          )}
        </div>
        {editable && blockReason && <p id="aki-publish-blocked" className="notice notice-error">{blockReason}</p>}
      </form>
      </DocumentFormContext.Provider>
      {docChecks && <PackagePanel report={shownReport} stale={!!pkg && pkg.items.length !== shownReport?.items.length} checking={checking} error={pkgError} labels={labels} canCheck={editable || !!pkg} onCheck={() => void checkNow()} />}
      {signAll && <SigningDialog files={toSign} onSigned={onBatchSigned} onClose={() => setSignAll(false)} />}
    </section>
  );
}
