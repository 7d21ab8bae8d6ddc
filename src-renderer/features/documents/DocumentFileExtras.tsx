/**
 * What a file answer shows besides its name, wherever a form lists it: badges (opening the
 * verification report), "Open" in the built-in viewer, and — where the supplier edits it — the
 * issue date and declared language the package checks need, stamping (unsigned PDFs only),
 * signing / co-signing, and the package-check items about this field.
 */
import { createContext, useContext, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AkiRequirement } from '../../../src-shared/aki/template';
import { DOCUMENT_LANGUAGES, type FileAnswer } from '../../../src-shared/aki/answers';
import type { PackageItem } from '../../../src-shared/documents/package-model';
import { DocumentBadges } from './Badges';
import { SigningDialog, type SignOutcome } from './SigningDialog';
import { StampDialog } from './StampDialog';
import { isSignedInspection, useInspection, useInspections } from './useInspection';
import { PackageItemText } from './PackagePanel';
import '../../styles/documents.css';
import { DateInput } from '../../ui/DateInput';

/** What the surrounding form knows: the supplier's BIN (stamping) and the last package report's items. */
export interface DocumentFormInfo {
  bin?: string;
  items?: readonly PackageItem[];
}
export const DocumentFormContext = createContext<DocumentFormInfo>({});

type FileRequirement = Extract<AkiRequirement, { type: 'file' }>;
const isPdf = (f: FileAnswer) => f.contentType === 'application/pdf' || /\.pdf$/i.test(f.name);

/** The answer after a file was replaced by its signed or stamped version: the supplier's statements stay. */
export const withMeta = (next: { sha256: string; name: string; size: number; contentType: string }, prev: FileAnswer): FileAnswer => ({
  sha256: next.sha256,
  name: next.name,
  size: next.size,
  contentType: next.contentType,
  ...(prev.issuedOn ? { issuedOn: prev.issuedOn } : {}),
  ...(prev.language ? { language: prev.language } : {}),
});

interface Props {
  requirement: FileRequirement;
  value: FileAnswer | undefined;
  editable: boolean;
  label: string;
  onChange(v: FileAnswer): void;
}

export function DocumentFileExtras({ requirement: r, value, editable, label, onChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const ctx = useContext(DocumentFormContext);
  const entry = useInspection(value?.sha256);
  const inspection = entry?.state === 'ready' ? entry.inspection : null;
  const [dialog, setDialog] = useState<null | 'sign' | 'stamp'>(null);
  const [serialNote, setSerialNote] = useState<string | null>(null);
  const items = (ctx.items ?? []).filter((i) => i.field === r.key);
  const signed = isSignedInspection(inspection);
  const needsDate = !!r.maxAgeDays;
  const needsLanguage = !!r.declareLanguage;

  if (!value) return items.length ? <ItemList items={items} /> : null;
  const pdf = isPdf(value);
  const canStamp = editable && pdf && !!ctx.bin && inspection !== null && !signed && !inspection.serial;
  const stampBlockedWhy = editable && pdf && ctx.bin && inspection ? (signed ? t('documents.stamp.disabledSigned') : inspection.serial ? t('documents.stamp.disabledStamped') : null) : null;

  function onSigned(outcomes: SignOutcome[]) {
    const o = outcomes[0];
    if (o?.ref && value) onChange(withMeta(o.ref, value));
  }

  return (
    <div className="doc-file">
      <div className="doc-file-row" role="group" aria-label={t('documents.file.actions', { name: value.name })}>
        <DocumentBadges sha256={value.sha256} name={value.name} />
        {pdf && (
          <a className="btn btn-small" href={`#/document/${value.sha256}/${encodeURIComponent(value.name)}`} aria-label={t('documents.openFor', { name: value.name })}>
            {t('documents.open')}
          </a>
        )}
        {canStamp && (
          <button type="button" className="btn btn-small" onClick={() => setDialog('stamp')} aria-label={t('documents.stamp.actionFor', { name: value.name })}>
            {t('documents.stamp.action')}
          </button>
        )}
        {!canStamp && stampBlockedWhy && (
          // Shown disabled with its reason (tooltip and description), so the missing action is explained.
          <>
            <button type="button" className="btn btn-small" disabled title={stampBlockedWhy} aria-describedby={`${id}-nostamp`}>
              {t('documents.stamp.action')}
            </button>
            <span id={`${id}-nostamp`} className="visually-hidden">{stampBlockedWhy}</span>
          </>
        )}
        {editable && pdf && (
          <button type="button" className="btn btn-small" onClick={() => setDialog('sign')} aria-label={t(signed ? 'documents.file.coSignFor' : 'documents.file.signFor', { name: value.name })}>
            {t(signed ? 'documents.file.coSign' : 'documents.file.sign')}
          </button>
        )}
      </div>
      {(inspection?.serial || serialNote) && <p className="small">{t('documents.panel.serial')}: <code>{inspection?.serial ?? serialNote}</code></p>}
      {(needsDate || needsLanguage) && (
        <div className="doc-file-meta">
          {needsDate && (
            <div className="field">
              <label htmlFor={`${id}-issued`}>{t('documents.file.issuedOn')}<span className="visually-hidden">: {label}</span></label>
              <DateInput id={`${id}-issued`} disabled={!editable} value={value.issuedOn ?? ''} onChange={(d) => {
                const next = withMeta(value, value);
                if (d) next.issuedOn = d;
                else delete next.issuedOn;
                onChange(next);
              }} />
            </div>
          )}
          {needsLanguage && (
            <div className="field">
              <label htmlFor={`${id}-lang`}>{t('documents.file.language')}<span className="visually-hidden">: {label}</span></label>
              <select id={`${id}-lang`} disabled={!editable} value={value.language ?? ''} onChange={(e) => {
                const next = withMeta(value, value);
                if (e.target.value) next.language = e.target.value as FileAnswer['language'];
                else delete next.language;
                onChange(next);
              }}>
                <option value="">{t('documents.file.languageChoose')}</option>
                {DOCUMENT_LANGUAGES.map((l) => <option key={l} value={l}>{t(`documents.file.languages.${l}`)}</option>)}
              </select>
            </div>
          )}
        </div>
      )}
      {items.length > 0 && <ItemList items={items} />}
      {dialog === 'sign' && <SigningDialog files={[{ sha256: value.sha256, name: value.name, signed }]} onSigned={onSigned} onClose={() => setDialog(null)} />}
      {dialog === 'stamp' && ctx.bin && (
        <StampDialog
          file={{ sha256: value.sha256, name: value.name }}
          bin={ctx.bin}
          onStamped={(ref, serial) => {
            setSerialNote(serial);
            void useInspections.getState().load(ref.sha256);
            onChange(withMeta(ref, value));
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

function ItemList({ items }: { items: readonly PackageItem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="doc-items">
      {items.map((i, n) => (
        <li key={`${i.code}-${n}`} className={`doc-item doc-item-${i.severity}`} data-code={i.code}>
          <span className="doc-item-sev">{t(`documents.pkg.severity.${i.severity}`)}:</span>
          <PackageItemText item={i} />
        </li>
      ))}
    </ul>
  );
}
