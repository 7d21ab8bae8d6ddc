/**
 * A date field that reads DD.MM.YYYY in every language (see src-shared/time/date-text.ts), with a
 * calendar button that opens the browser's own picker. The parent gets 'YYYY-MM-DD', or '' while
 * the text is empty or not (yet) a real date; the text the user typed is never replaced under them.
 */
import { useEffect, useId, useRef, useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateText, parseDateText } from '../../src-shared/time/date-text';

type Passthrough = Pick<InputHTMLAttributes<HTMLInputElement>, 'id' | 'required' | 'disabled' | 'aria-invalid' | 'aria-describedby' | 'aria-label'>;

interface Props extends Passthrough {
  value: string;
  onChange(isoDate: string): void;
  min?: string;
  max?: string;
}

export function DateInput({ value, onChange, min, max, ...rest }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => formatDateText(value));
  const [touched, setTouched] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const hintId = useId();
  // An outside change (load, another window, the calendar) shows; our own '' for a half-typed date does not wipe
  // the text. Only the prop drives this effect (the text is read, not watched).
  useEffect(() => {
    if (value !== (parseDateText(text) ?? '')) setText(formatDateText(value));
  }, [value]);
  const parsed = parseDateText(text);
  const bad = touched && text.trim() !== '' && parsed === null;
  const describedBy = [rest['aria-describedby'], bad ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <span className="date-input">
      <input
        {...rest}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('common.dateFormat')}
        value={text}
        aria-invalid={bad || rest['aria-invalid'] ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          setText(e.target.value);
          const next = parseDateText(e.target.value) ?? '';
          if (next !== value) onChange(next);
        }}
        onBlur={() => {
          setTouched(true);
          if (parsed) setText(formatDateText(parsed));
        }}
      />
      <button
        type="button"
        className="icon-btn date-input-calendar"
        disabled={rest.disabled}
        aria-label={t('common.openCalendar')}
        title={t('common.openCalendar')}
        onClick={() => {
          const el = picker.current;
          if (!el) return;
          el.value = parsed ?? '';
          try {
            el.showPicker();
          } catch {
            el.focus();
          }
        }}
      >
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <rect x="3" y="4" width="18" height="18" rx="2" />
          <path d="M16 2v4M8 2v4M3 10h18" />
        </svg>
      </button>
      <input
        ref={picker}
        type="date"
        className="date-input-picker"
        tabIndex={-1}
        aria-hidden="true"
        min={min}
        max={max}
        onChange={(e) => {
          const v = e.target.value;
          setText(formatDateText(v));
          setTouched(true);
          if (v !== value) onChange(v);
        }}
      />
      {bad && (
        <span id={hintId} className="field-error date-input-hint">
          {t('common.dateInvalid', { format: t('common.dateFormat') })}
        </span>
      )}
    </span>
  );
}
