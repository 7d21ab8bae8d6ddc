/**
 * The package check of an AKI application (`documents.checkPackage`): a summary of every item
 * (also shown at its field), with what is wrong and what to do. Texts come from the
 * `packageCheck.items.<code>` catalog; an item whose text is missing shows its code.
 */
import { useTranslation } from 'react-i18next';
import type { PackageItem, PackageReport } from '../../../src-shared/documents/package-model';
import type { Language } from '../../../src-shared/i18n';
import { formatDateTime } from '../../../src-shared/time/almaty';
import { errorText } from '../../ui/errors';
import '../../styles/documents.css';

export function PackageItemText({ item }: { item: PackageItem }) {
  const { t, i18n } = useTranslation();
  const key = `packageCheck.items.${item.code}`;
  // Checked first, so a text the catalog lacks shows as its code instead of counting as a missing key.
  return <span>{i18n.exists(key) ? t(key, { ...(item.params ?? {}) }) : item.code}</span>;
}

export const packageErrors = (r: PackageReport | null): PackageItem[] => (r?.items ?? []).filter((i) => i.severity === 'error');

interface Props {
  report: PackageReport | null;
  checking: boolean;
  error: unknown;
  /** Requirement key → its label in the current language. */
  labels: Record<string, string>;
  canCheck: boolean;
  /** Some items were left out: their fields changed since the check. */
  stale?: boolean;
  onCheck(): void;
}

export function PackagePanel({ report, checking, error, labels, canCheck, stale, onCheck }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Language;
  const errors = report?.items.filter((i) => i.severity === 'error').length ?? 0;
  const warnings = report?.items.filter((i) => i.severity === 'warning').length ?? 0;
  return (
    <section className="card pkg-panel" aria-labelledby="pkg-title">
      <div className="pkg-head">
        <h2 id="pkg-title">{t('packageCheck.title')}</h2>
        {canCheck && (
          <button type="button" className="btn btn-small" onClick={onCheck} disabled={checking}>
            {checking ? t('documents.pkg.checking') : t('documents.pkg.check')}
          </button>
        )}
      </div>
      <div role="status" aria-live="polite" className="pkg-panel">
        {error !== null && error !== undefined && <p className="notice notice-warn">{t('documents.pkg.unavailable', { reason: errorText(t, error) })}</p>}
        {!report && error == null && <p className="muted small">{t('documents.pkg.notChecked')}</p>}
        {stale && <p className="muted small">{t('documents.pkg.stale')}</p>}
        {report && (
          <>
            <p className={`notice ${errors ? 'notice-error' : warnings ? 'notice-warn' : 'notice-ok'}`}>
              {report.items.length === 0 || (errors === 0 && warnings === 0 && report.items.every((i) => i.severity === 'info')) ? t('documents.pkg.allGood') : t('documents.pkg.summary', { errors, warnings })}
            </p>
            {report.items.length > 0 && (
              <ul className="pkg-list">
                {report.items.map((i, n) => (
                  <li key={`${i.field}-${i.code}-${n}`} className={`doc-item-${i.severity}`} data-code={i.code} data-field={i.field}>
                    <span className="pkg-field">{i.field === '*' ? t('documents.pkg.whole') : (labels[i.field] ?? i.field)}</span>
                    <span><span className="doc-item-sev">{t(`documents.pkg.severity.${i.severity}`)}: </span><PackageItemText item={i} /></span>
                  </li>
                ))}
              </ul>
            )}
            <p className="muted small">{t('documents.pkg.checkedAt', { time: formatDateTime(report.checkedAt, lang) })}</p>
          </>
        )}
      </div>
    </section>
  );
}
