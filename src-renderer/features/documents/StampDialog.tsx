/**
 * Anti-forgery stamping of the supplier's own unsigned PDF (`documents.stamp`): QR target, an
 * optional logo watermark and its opacity (with the note that transparency means PDF/A-2b at
 * best). The caller swaps the answer for the stamped file and shows the serial.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { QR_TARGETS } from '../../../src-shared/documents/rpc';
import type { AttachmentRef } from '../../../src-shared/files/attachments';
import type { FileInfo } from '../../../src-shared/rpc/file-methods';
import { pickFiles, rpc } from '../../app/rpc';
import { errorText } from '../../ui/errors';
import '../../styles/documents.css';

interface Props {
  file: { sha256: string; name: string };
  /** The supplier organization's BIN (the eGov QR target and the PDF's Info). */
  bin: string;
  onStamped(ref: AttachmentRef, serial: string): void;
  onClose(): void;
}

export function StampDialog({ file, bin, onStamped, onClose }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const baseId = useId();
  const [qr, setQr] = useState<(typeof QR_TARGETS)[number]>('portal');
  const [logo, setLogo] = useState<FileInfo | null>(null);
  const [opacity, setOpacity] = useState(12);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serial, setSerial] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  async function chooseLogo() {
    setError(null);
    try {
      const picked = await pickFiles('any');
      if (picked[0]) setLogo(picked[0]);
    } catch (err) {
      setError(err);
    }
  }

  async function stamp() {
    setBusy(true);
    setError(null);
    try {
      const r = await rpc.call('documents.stamp', {
        file: { sha256: file.sha256, name: file.name },
        bin,
        qr,
        ...(logo ? { logo: { handle: logo.handle } } : {}),
        watermarkOpacity: opacity / 100,
      });
      setSerial(r.serial);
      onStamped(r.ref, r.serial);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const titleId = `${baseId}-title`;
  // In <body>, not inside the form that opened it (a form in a form submits natively).
  return createPortal(
    <dialog ref={ref} className="dialog dialog-wide" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }}>
      <form className="dialog-body" onSubmit={(e) => { e.preventDefault(); e.stopPropagation(); void stamp(); }}>
        <h2 id={titleId}>{t('documents.stamp.title')}</h2>
        <p className="label-like">{file.name}</p>
        <p className="small">{t('documents.stamp.intro')}</p>
        {!serial && (
          <>
            <fieldset className="radio-list">
              <legend>{t('documents.stamp.qr')}</legend>
              {QR_TARGETS.map((q) => (
                <label key={q} className="check">
                  <input type="radio" name={`${baseId}-qr`} checked={qr === q} onChange={() => setQr(q)} />
                  {t(`documents.stamp.qrTargets.${q}`)}
                </label>
              ))}
            </fieldset>
            <div className="field">
              <span className="label-like" id={`${baseId}-logo`}>{t('documents.stamp.logo')}</span>
              <div className="doc-file-row" role="group" aria-labelledby={`${baseId}-logo`}>
                <span>{logo ? logo.name : t('documents.stamp.noLogo')}</span>
                <button type="button" className="btn btn-small" onClick={() => void chooseLogo()}>{t('documents.stamp.chooseLogo')}</button>
                {logo && <button type="button" className="btn btn-small" onClick={() => setLogo(null)}>{t('documents.stamp.removeLogo')}</button>}
              </div>
            </div>
            <div className="field range-field">
              <label htmlFor={`${baseId}-opacity`}>{t('documents.stamp.opacity', { percent: opacity })}</label>
              <input id={`${baseId}-opacity`} type="range" min={3} max={50} step={1} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} />
            </div>
            <p className="notice notice-warn small">{t('documents.stamp.pdfaNote')}</p>
          </>
        )}
        {busy && <p role="status">{t('documents.stamp.stamping')}</p>}
        {serial && <p className="notice notice-ok" role="status">{t('documents.stamp.done', { serial })}</p>}
        {error !== null && <p className="notice notice-error" role="alert">{errorText(t, error)}</p>}
        <div className="dialog-actions">
          <button type="button" className={serial ? 'btn btn-primary' : 'btn'} onClick={onClose} disabled={busy}>{serial ? t('common.close') : t('common.cancel')}</button>
          {!serial && <button type="submit" className="btn btn-primary" disabled={busy}>{t('documents.stamp.action')}</button>}
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
