/** One requirement rendered by its type (heading, file, drop-down, number, text, date), editable or read-only. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AkiRequirement } from '../../../src-shared/aki/template';
import { isPdfOnly } from '../../../src-shared/aki/template';
import { isFileAnswer, type AnswerValue } from '../../../src-shared/aki/answers';
import type { Language } from '../../../src-shared/i18n';
import { pickFiles, rpc } from '../../app/rpc';
import { errorText } from '../../ui/errors';
import { DocumentFileExtras } from '../documents/DocumentFileExtras';
import { formatSize, pick, requirementHints } from './shared';
import { DateInput } from '../../ui/DateInput';

interface Props {
  requirement: AkiRequirement;
  value: AnswerValue | undefined;
  editable: boolean;
  flagged?: boolean;
  error?: string;
  onChange(v: AnswerValue): void;
}

const isFile = isFileAnswer;

export function RequirementInput({ requirement: r, value, editable, flagged, error, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const id = useId();
  const [progress, setProgress] = useState<number | null>(null);
  const [fileError, setFileError] = useState<unknown>(null);
  if (r.type === 'heading') {
    return (
      <div className="aki-heading">
        <h3>{pick(r.label, lang)}</h3>
        {r.text && <p>{pick(r.text, lang)}</p>}
      </div>
    );
  }
  const label = pick(r.label, lang);
  const hints = requirementHints(t, r);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hints.length ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, required: r.required, disabled: !editable } as const;

  async function chooseFile() {
    setFileError(null);
    try {
      const picked = await pickFiles(r.type === 'file' && isPdfOnly(r) ? 'pdf' : 'any', false, (sent, total) => setProgress(total ? Math.round((sent / total) * 100) : null));
      const f = picked[0];
      if (!f) return;
      const ref = await rpc.call('files.stage', { handle: f.handle });
      // A replaced document keeps what the supplier stated about it (issue date, language).
      const prev = isFile(value) ? value : undefined;
      onChange({ ...ref, ...(prev?.issuedOn ? { issuedOn: prev.issuedOn } : {}), ...(prev?.language ? { language: prev.language } : {}) });
    } catch (err) {
      setFileError(err);
    } finally {
      setProgress(null);
    }
  }

  let control;
  switch (r.type) {
    case 'file':
      control = (
        <div className="aki-file" id={id} role="group" aria-labelledby={`${id}-label`} aria-describedby={describedBy}>
          <span className="aki-file-name">{isFile(value) ? `${value.name} (${formatSize(value.size)})` : t('aki.form.noFile')}</span>
          {editable && (
            <button type="button" className="btn btn-small" onClick={() => void chooseFile()} aria-label={`${isFile(value) ? t('aki.form.replace') : t('aki.form.attach')}: ${label}`}>
              {isFile(value) ? t('aki.form.replace') : t('aki.form.attach')}
            </button>
          )}
          {progress !== null && <progress max={100} value={progress} aria-label={label}>{progress}%</progress>}
          {fileError !== null && <span className="field-error" role="alert">{errorText(t, fileError)}</span>}
        </div>
      );
      control = (
        <>
          {control}
          <DocumentFileExtras requirement={r} value={isFile(value) ? value : undefined} editable={editable} label={label} onChange={onChange} />
        </>
      );
      break;
    case 'select':
      control = r.multiple ? (
        <fieldset className="role-set" id={id} aria-describedby={describedBy} disabled={!editable}>
          <legend className="visually-hidden">{label}</legend>
          {r.options.map((o) => {
            const chosen = Array.isArray(value) ? value : [];
            return (
              <label key={o.value} className="check">
                <input type="checkbox" checked={chosen.includes(o.value)} onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((x) => x !== o.value))} />
                {pick(o.label, lang)}
              </label>
            );
          })}
        </fieldset>
      ) : (
        <select {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">{t('aki.choose')}</option>
          {r.options.map((o) => <option key={o.value} value={o.value}>{pick(o.label, lang)}</option>)}
        </select>
      );
      break;
    case 'number':
      control = (
        <span className="aki-number">
          <input {...common} type="number" inputMode="decimal" min={r.min} max={r.max} value={typeof value === 'number' ? String(value) : ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} />
          {r.unit && <span className="muted">{r.unit}</span>}
        </span>
      );
      break;
    case 'text':
      control = <textarea {...common} rows={3} maxLength={r.maxLength} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'date':
      control = <DateInput {...common} min={r.notBefore} max={r.notAfter} value={typeof value === 'string' ? value : ''} onChange={(d) => onChange(d || null)} />;
      break;
  }
  return (
    <div className={`field aki-field${error ? ' field-invalid' : ''}${flagged ? ' aki-flagged' : ''}`}>
      <label htmlFor={r.type === 'file' || (r.type === 'select' && r.multiple) ? undefined : id} id={`${id}-label`}>
        {label}
        {r.required && <span aria-hidden="true" className="req"> *</span>}
        <span className="muted small"> · {t(`aki.types.${r.type}`)}</span>
        {flagged && <span className="pill pill-danger aki-flag"> {t('aki.form.flagged')}</span>}
      </label>
      {control}
      {hints.length > 0 && <div id={hintId} className="field-hint">{hints.join(' · ')}</div>}
      {error && <div id={errorId} className="field-error" role="alert">{error}</div>}
    </div>
  );
}
