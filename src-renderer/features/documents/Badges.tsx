/**
 * Badges of a document (signed, co-signed, timestamped, modified after signing, TEST root…), each
 * with a pictogram, a short label and a tooltip — never colour alone. The whole row is a button
 * that opens the verification report, so a badge always leads to its explanation.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Badge } from '../../../src-shared/documents/model';
import '../../styles/documents.css';
import { useInspection } from './useInspection';
import { VerificationDialog } from './VerificationPanel';

const ICON: Record<Badge, string> = {
  unsigned: '○',
  signed: '✔',
  co_signed: '✔✔',
  timestamped: '⏱',
  modified_after_signing: '⚠',
  signature_invalid: '✖',
  cert_expired: '⌛',
  cert_revoked: '⛔',
  untrusted: '?',
  test_root: 'T',
  stamped: '#',
};
const TONE: Record<Badge, 'ok' | 'neutral' | 'warn' | 'danger'> = {
  unsigned: 'neutral',
  signed: 'ok',
  co_signed: 'ok',
  timestamped: 'ok',
  stamped: 'ok',
  modified_after_signing: 'danger',
  signature_invalid: 'danger',
  cert_revoked: 'danger',
  cert_expired: 'warn',
  untrusted: 'warn',
  test_root: 'warn',
};

export function BadgeChip({ badge }: { badge: Badge }) {
  const { t } = useTranslation();
  return (
    <span className={`doc-badge doc-badge-${TONE[badge]}`} title={t(`documents.badgeHints.${badge}`)} data-badge={badge}>
      <span aria-hidden="true" className="doc-badge-icon">{ICON[badge]}</span>
      {t(`documents.badges.${badge}`)}
    </span>
  );
}

/** The badges of a file of the account's store; a click opens the verification report. */
export function DocumentBadges({ sha256, name }: { sha256: string; name: string }) {
  const { t } = useTranslation();
  const entry = useInspection(sha256);
  const [open, setOpen] = useState(false);
  if (!entry || entry.state === 'loading') return <span className="doc-badges muted small" role="status">{t('documents.inspecting')}</span>;
  if (entry.state === 'error') {
    return (
      <span className="doc-badges">
        <span className="doc-badge doc-badge-neutral" title={t('documents.notInspectedHint')}>
          <span aria-hidden="true" className="doc-badge-icon">…</span>
          {t('documents.notInspected')}
        </span>
      </span>
    );
  }
  const { inspection } = entry;
  return (
    <>
      <button type="button" className="doc-badges doc-badges-btn" onClick={() => setOpen(true)} aria-haspopup="dialog">
        <span className="visually-hidden">{t('documents.reportFor', { name })}: </span>
        {inspection.badges.map((b) => <BadgeChip key={b} badge={b} />)}
      </button>
      {open && <VerificationDialog inspection={inspection} name={name} onClose={() => setOpen(false)} />}
    </>
  );
}
