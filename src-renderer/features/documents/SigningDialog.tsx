/**
 * The signing dialog: a key from NCALayer (with the storage choice sign-in offers) or a key file
 * (password typed here, never stored, cleared on close) → `documents.openKey` → the certificate
 * shown before anything is signed → `documents.sign` for one file or a batch, with progress from
 * `documents.progress` → a result per file. The key session is closed when the dialog closes.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CertificateSummary } from '../../../src-shared/documents/model';
import type { DocumentsProgress } from '../../../src-shared/documents/rpc';
import type { AttachmentRef } from '../../../src-shared/files/attachments';
import type { Language } from '../../../src-shared/i18n';
import type { NcaStorage } from '../../../src-shared/ncalayer/rpc';
import type { FileInfo } from '../../../src-shared/rpc/file-methods';
import { REPORT_TEXTS } from '../../../src-shared/signing/report-i18n';
import { formatDate } from '../../../src-shared/time/almaty';
import { pickFiles, rpc } from '../../app/rpc';
import { Field } from '../../ui/Field';
import { errorText } from '../../ui/errors';
import { EdsErrorBox, NcaStorageSelect } from '../auth/eds-key-ui';
import { portalNow } from '../../app/portal-time';
import '../../styles/documents.css';

export interface SignTarget {
  sha256: string;
  name: string;
  /** Already signed: the new signature is a co-signature. */
  signed?: boolean;
}
export interface SignOutcome {
  sha256: string;
  ref?: AttachmentRef;
  error?: { code: string; message: string };
  warnings?: string[];
}

const DAY = 86_400_000;
/** A v4 UUID (crypto.randomUUID needs a secure context; the bytes do not). */
function newOperationId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** What the certificate means for signing: shown under it before "Sign". */
function certificateNotes(c: CertificateSummary, now = portalNow().getTime()): { key: string; vars?: Record<string, unknown>; blocking?: boolean }[] {
  const out: { key: string; vars?: Record<string, unknown>; blocking?: boolean }[] = [];
  const left = Math.floor((Date.parse(c.notAfter) - now) / DAY);
  if (left < 0) out.push({ key: 'documents.sign.expired', blocking: true });
  else if (left <= 30) out.push({ key: 'documents.sign.expiresSoon', vars: { days: left } });
  if (c.purpose === 'AUTH') out.push({ key: 'documents.sign.notSignKey', blocking: true });
  if (c.test) out.push({ key: 'documents.sign.testWarning' });
  return out;
}

export function CertificateCard({ c }: { c: CertificateSummary }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const R = REPORT_TEXTS[lang] ?? REPORT_TEXTS.ru;
  const roles = c.roles.map((r) => (R.roles as Record<string, string>)[r] ?? r).join(', ');
  return (
    <dl className="verify-facts cert-card">
      <dt>{t('documents.sign.owner')}</dt><dd>{c.owner}</dd>
      {c.iin && (<><dt>{R.labels.iin}</dt><dd>{c.iin}</dd></>)}
      {c.bin && (<><dt>{R.labels.bin}</dt><dd>{c.bin}</dd></>)}
      {c.organization && (<><dt>{R.labels.organization}</dt><dd>{c.organization}</dd></>)}
      {roles && (<><dt>{t('documents.sign.role')}</dt><dd>{roles}</dd></>)}
      <dt>{t('documents.sign.validity')}</dt><dd>{t('documents.panel.validity', { from: formatDate(c.notBefore, lang), to: formatDate(c.notAfter, lang) })}</dd>
      <dt>{t('documents.sign.issuer')}</dt><dd>{c.issuer}</dd>
      <dt>{R.labels.algorithm}</dt><dd>{(R.algorithm as Record<string, string>)[c.algorithm] ?? c.algorithm}</dd>
    </dl>
  );
}

interface Props {
  files: SignTarget[];
  /** Called once the batch ran, with every file's outcome (the caller swaps in the signed refs). */
  onSigned(outcomes: SignOutcome[]): void;
  onClose(): void;
}

export function SigningDialog({ files: requested, onSigned, onClose }: Props) {
  // The batch as it was when the dialog opened: the caller's list shrinks as files get signed.
  const [files] = useState(requested);
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const baseId = useId();
  const [source, setSource] = useState<'ncalayer' | 'file'>('ncalayer');
  const [storage, setStorage] = useState<NcaStorage>('any');
  const [keyFile, setKeyFile] = useState<FileInfo | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<null | 'opening' | 'signing'>(null);
  const [error, setError] = useState<unknown>(null);
  const [session, setSession] = useState<{ keySession: string; certificate: CertificateSummary } | null>(null);
  const [timestamp, setTimestamp] = useState(true);
  const [progress, setProgress] = useState<DocumentsProgress | null>(null);
  const [outcomes, setOutcomes] = useState<SignOutcome[] | null>(null);
  const sessionRef = useRef<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => {
      // The key is forgotten as soon as the dialog goes, whatever closed it.
      if (sessionRef.current) void rpc.call('documents.closeKey', { keySession: sessionRef.current }).catch(() => undefined);
      sessionRef.current = null;
    };
  }, []);

  function close() {
    setPassword('');
    onClose();
  }

  async function chooseKeyFile() {
    setError(null);
    try {
      const picked = await pickFiles('p12');
      if (picked[0]) setKeyFile(picked[0]);
    } catch (err) {
      setError(err);
    }
  }

  async function openKey() {
    setBusy('opening');
    setError(null);
    try {
      const key = source === 'ncalayer' ? ({ source: 'ncalayer', storage } as const) : ({ source: 'file', handle: keyFile!.handle, password } as const);
      const r = await rpc.call('documents.openKey', { key });
      sessionRef.current = r.keySession;
      setSession(r);
    } catch (err) {
      setError(err);
    } finally {
      // The password was needed for this one call only.
      setPassword('');
      setBusy(null);
    }
  }

  async function otherKey() {
    if (sessionRef.current) await rpc.call('documents.closeKey', { keySession: sessionRef.current }).catch(() => undefined);
    sessionRef.current = null;
    setSession(null);
    setError(null);
  }

  async function sign() {
    if (!session) return;
    const operationId = newOperationId();
    setBusy('signing');
    setError(null);
    setProgress({ operationId, done: 0, total: files.length, current: files[0]?.name ?? null });
    const off = rpc.on('documents.progress', (p) => {
      if (p.operationId === operationId) setProgress(p);
    });
    try {
      const r = await rpc.call('documents.sign', { operationId, keySession: session.keySession, files: files.map((f) => ({ sha256: f.sha256, name: f.name })), timestamp });
      setOutcomes(r.results);
      onSigned(r.results);
    } catch (err) {
      setError(err);
    } finally {
      off();
      setBusy(null);
      setProgress(null);
    }
  }

  const notes = session ? certificateNotes(session.certificate) : [];
  const blocked = notes.some((n) => n.blocking);
  const nameOf = (sha: string) => files.find((f) => f.sha256 === sha)?.name ?? sha.slice(0, 12);
  const titleId = `${baseId}-title`;

  // In <body>, not inside the form that opened it (a form in a form submits natively).
  return createPortal(
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); if (busy !== 'signing') close(); }}>
      <div className="dialog-body">
        <h2 id={titleId}>{t('documents.sign.title')}</h2>
        <div>
          <p className="label-like">{t('documents.sign.files', { count: files.length })}</p>
          <ul className="dialog-files">
            {files.map((f) => <li key={f.sha256}>{f.name}</li>)}
          </ul>
          {files.some((f) => f.signed) && <p className="notice small">{t('documents.sign.coSignNote')}</p>}
        </div>

        {!session && !outcomes && (
          <form
            className="dialog-body"
            onSubmit={(e) => {
              e.preventDefault();
              e.stopPropagation();
              void openKey();
            }}
          >
            <fieldset className="radio-list">
              <legend>{t('documents.sign.source')}</legend>
              <label className="check"><input type="radio" name={`${baseId}-source`} checked={source === 'ncalayer'} onChange={() => setSource('ncalayer')} />{t('documents.sign.ncalayer')}</label>
              <label className="check"><input type="radio" name={`${baseId}-source`} checked={source === 'file'} onChange={() => setSource('file')} />{t('documents.sign.keyFile')}</label>
            </fieldset>
            {source === 'ncalayer' ? (
              <NcaStorageSelect id={`${baseId}-storage`} value={storage} onChange={setStorage} />
            ) : (
              <>
                <div className="doc-file-row">
                  <button type="button" className="btn" onClick={() => void chooseKeyFile()}>{t('documents.sign.chooseKeyFile')}</button>
                  {keyFile && <span>{t('documents.sign.chosenFile', { name: keyFile.name })}</span>}
                </div>
                {keyFile && (
                  <Field label={t('documents.sign.password')} type="password" autoComplete="off" required value={password} onChange={(e) => setPassword(e.target.value)} hint={t('documents.sign.passwordNotStored')} />
                )}
              </>
            )}
            {busy === 'opening' && <p role="status">{source === 'ncalayer' ? t('documents.sign.ncaWaiting') : t('documents.sign.openingKey')}</p>}
            {error !== null && <EdsErrorBox error={error} />}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={close}>{t('common.cancel')}</button>
              <button type="submit" className="btn btn-primary" disabled={busy !== null || (source === 'file' && (!keyFile || !password))}>{t('documents.sign.openKey')}</button>
            </div>
          </form>
        )}

        {session && !outcomes && (
          <div className="dialog-body">
            <h3>{t('documents.sign.certificate')}</h3>
            <CertificateCard c={session.certificate} />
            {notes.map((n) => (
              <p key={n.key} className={`notice ${n.blocking ? 'notice-error' : 'notice-warn'}`}>{t(n.key, n.vars)}</p>
            ))}
            <label className="check">
              <input type="checkbox" checked={timestamp} onChange={(e) => setTimestamp(e.target.checked)} disabled={busy !== null} />
              {t('documents.sign.timestamp')}
            </label>
            <p className="muted small">{t('documents.sign.timestampHint')}</p>
            {progress && (
              <div className="dialog-progress" role="status">
                <span>{t('documents.sign.signing', { done: progress.done, total: progress.total })}</span>
                <progress max={progress.total} value={progress.done} aria-label={t('documents.sign.signing', { done: progress.done, total: progress.total })} />
                {progress.current && <span className="muted small">{t('documents.sign.current', { name: progress.current })}</span>}
              </div>
            )}
            {error !== null && <EdsErrorBox error={error} />}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={() => void otherKey()} disabled={busy !== null}>{t('documents.sign.otherKey')}</button>
              <button type="button" className="btn" onClick={close} disabled={busy !== null}>{t('common.cancel')}</button>
              <button type="button" className="btn btn-primary" onClick={() => void sign()} disabled={busy !== null || blocked}>
                {files.length > 1 ? t('documents.sign.signAll', { count: files.length }) : t('documents.sign.signOne')}
              </button>
            </div>
          </div>
        )}

        {outcomes && (
          <div className="dialog-body">
            <h3>{t('documents.sign.results')}</h3>
            <div role="status"><ul className="results">
              {outcomes.map((o) => (
                <li key={o.sha256} className={o.error ? 'result-failed' : o.warnings?.length ? 'result-warn' : 'result-ok'}>
                  <strong>{nameOf(o.sha256)}</strong>: {o.error ? t('documents.sign.resultFailed', { reason: errorText(t, o.error) }) : t('documents.sign.resultOk')}
                  {o.warnings?.map((w) => <div key={w} className="small">{t(`documents.sign.warnings.${w}`, { defaultValue: w })}</div>)}
                </li>
              ))}
            </ul></div>
            {outcomes.some((o) => o.ref) && <p className="muted small">{t('documents.sign.replaced')}</p>}
            <div className="dialog-actions">
              <button type="button" className="btn btn-primary" onClick={close} autoFocus>{t('common.close')}</button>
            </div>
          </div>
        )}
      </div>
    </dialog>,
    document.body,
  );
}
