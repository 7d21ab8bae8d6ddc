/**
 * Pieces for choosing an EDS key, shared by the sign-in screen and the settings screen's
 * "link my certificate": the NCALayer storage choice, the key-file password modal, and a
 * failure box that says what to do (install link, NCALayer's own code for support).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../ui/Field';
import { errorText } from '../../ui/errors';
import type { FileInfo } from '../../../src-shared/rpc/file-methods';
import type { NcaStorage } from '../../../src-shared/ncalayer/rpc';

export const NCA_STORAGES: NcaStorage[] = ['any', 'file', 'kaztoken', 'idCard', 'etoken', 'jacarta', 'akey'];

/** NCALayer's own error code (e.g. INVOCATION_ERROR, or "500: …"), for support. */
export const ncaCodeOf = (e: unknown): string => {
  const d = (e as { details?: { ncaCode?: unknown; ncaMessage?: unknown } })?.details;
  if (!d?.ncaCode) return '';
  return [String(d.ncaCode), typeof d.ncaMessage === 'string' ? d.ncaMessage.slice(0, 120) : ''].filter(Boolean).join(': ');
};
const codeOf = (e: unknown) => (e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '');

/** Where NCALayer should look for the key. */
export function NcaStorageSelect({ id, value, onChange }: { id: string; value: NcaStorage; onChange(storage: NcaStorage): void }) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t('eds.storage')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as NcaStorage)}>
        {NCA_STORAGES.map((s) => (
          <option key={s} value={s}>
            {t(`eds.storages.${s}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Asks for the key file password in a modal; the password lives in this component only until submit. */
export function KeyPasswordDialog({ file, onSubmit, onCancel, submitLabel }: { file: FileInfo | null; onSubmit(password: string): void; onCancel(): void; submitLabel?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [password, setPassword] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (file && !d.open) d.showModal();
    if (!file && d.open) d.close();
    if (!file) setPassword('');
  }, [file]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const p = password;
          setPassword('');
          onSubmit(p);
        }}
      >
        <h2 id={titleId}>{t('eds.passwordDialogTitle')}</h2>
        <p className="muted small">{file ? t('eds.chosenFile', { name: file.name }) : ''}</p>
        <Field label={t('eds.keyPassword')} name="keyPassword" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
        <p className="muted small">{t('eds.passwordNotStored')}</p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!password}>
            {submitLabel ?? t('eds.useKey')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A failed EDS action: the translated reason, NCALayer's code when it gave one, the install link when it is missing. */
export function EdsErrorBox({ error, lead }: { error: unknown; lead?: string }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert">
      {lead && <p>{lead}</p>}
      <p>{errorText(t, error)}</p>
      {codeOf(error) === 'ncalayer_error' && ncaCodeOf(error) && <p className="small">{t('eds.ncaCode', { code: ncaCodeOf(error) })}</p>}
      {(codeOf(error) === 'ncalayer_not_running' || codeOf(error) === 'ncalayer_tls_untrusted') && (
        <p>
          <a href="https://ncl.pki.gov.kz" target="_blank" rel="noreferrer">
            {t('eds.installNcaLayer')}
          </a>
        </p>
      )}
    </div>
  );
}
