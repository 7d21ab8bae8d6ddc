import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TEXT } from '../../../src-shared/competition/model';

interface TextProps {
  label: string;
  value: string;
  onChange(value: string): void;
  onBlur?(): void;
  required?: boolean;
  /** A problem code from the shared rules (translated under competition.problems). */
  problem?: string | undefined;
  multiline?: boolean;
  hint?: string;
  disabled?: boolean;
  inputMode?: 'numeric' | 'email' | 'tel' | 'text';
  maxLength?: number;
}

/** A wizard text field: label, live character counter (1000 at most), and the shared rule's problem announced at the field. */
export function TextField({ label, value, onChange, onBlur, required, problem, multiline, hint, disabled, inputMode, maxLength = MAX_TEXT }: TextProps) {
  const { t } = useTranslation();
  const id = useId();
  const described = [`${id}-count`, hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value,
    disabled,
    required,
    maxLength,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': described,
    onBlur,
  };
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true" className="req"> *</span>}
      </label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={inputMode} onChange={(e) => onChange(e.target.value)} />
      )}
      <div className="field-meta">
        {hint ? (
          <span id={`${id}-hint`} className="field-hint">
            {hint}
          </span>
        ) : (
          <span />
        )}
        <span id={`${id}-count`} className="counter muted small">
          {t('competition.chars', { count: value.length, max: maxLength })}
        </span>
      </div>
      {problem && (
        <div id={`${id}-error`} className="field-error" role="alert">
          {t(`competition.problems.${problem}`)}
        </div>
      )}
    </div>
  );
}
