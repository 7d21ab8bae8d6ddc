/**
 * "Locked after signing" (seed 002 §4, SPEC §2.5: the platform must block documents changed after
 * signing). One rule, used by the app before it submits and by the portal when a file is uploaded:
 *
 *   locked  ⇔ every signature is cryptographically intact, the last signature covers the whole
 *             file, and every revision after a signature only adds signatures or timestamps.
 *
 * Trust questions (untrusted or TEST root, expired or revoked certificate, offline revocation) do
 * not unlock a document: they are badges and package-check items, decided elsewhere. Only the
 * integrity of the bytes matters here.
 */
import { PDF_READ_ERRORS } from '../pdf/model';
import type { ReasonCode, VerificationReport } from '../signing/report';

export const LOCK_STATES = ['unsigned', 'locked', 'modified_after_signing', 'signature_invalid'] as const;
export type LockState = (typeof LOCK_STATES)[number];

/** Reasons that mean the signed bytes themselves are broken (as opposed to trust questions). */
const BROKEN: readonly ReasonCode[] = [
  'digest_mismatch',
  'signature_invalid',
  'signer_certificate_missing',
  'signing_certificate_mismatch',
  'pdf_signature_not_readable',
  'pdf_byte_range_invalid',
  'pdf_byte_range_not_revision_end',
  'pdf_byte_range_not_contents',
  // A signed file the bounded reader refuses is never locked: its code says why.
  ...PDF_READ_ERRORS,
];
/** Reasons that mean the signed bytes are intact but something was changed after them. */
const MODIFIED: readonly ReasonCode[] = ['certification_forbids_changes', 'field_lock_violated', 'signature_contents_altered'];

export interface DocumentLock {
  state: LockState;
  /** Why it is not locked, as report reason codes ('pdf_not_whole_file', 'pdf_changed_after_signing', 'digest_mismatch'…). */
  reasons: string[];
}

/** The lock state of a PDF from its verification report; `null` (not a PDF or unreadable) counts as unsigned. */
export function documentLock(report: VerificationReport | null): DocumentLock {
  if (!report || report.kind !== 'pdf' || report.signatures.length === 0) return { state: 'unsigned', reasons: [] };
  const broken = new Set<string>();
  const modified = new Set<string>();
  for (const s of report.signatures) {
    if (s.integrity !== 'ok' && s.integrity !== 'unsupported_algorithm') broken.add(s.integrity);
    for (const r of s.reasons) if (BROKEN.includes(r)) broken.add(r);
    const explained = s.reasons.some((r) => BROKEN.includes(r) || MODIFIED.includes(r));
    if (s.reasons.includes('pdf_changed_after_signing') || (s.pdf?.changesAfter.kind === 'other_changes' && !explained)) modified.add('pdf_changed_after_signing');
    for (const r of s.reasons) if (MODIFIED.includes(r)) modified.add(r);
  }
  if (report.pdf && !report.pdf.lastSignatureCoversWholeFile) {
    const last = report.signatures[report.signatures.length - 1];
    // Bytes after the last signature that are not a signature revision: an edit.
    if (last?.pdf?.changesAfter.kind !== 'signatures_only') modified.add('pdf_not_whole_file');
  }
  // A digest mismatch on a PDF is the classic "edited in place after signing".
  if (broken.has('digest_mismatch')) return { state: 'modified_after_signing', reasons: [...broken, ...modified] };
  if (broken.size > 0) return { state: 'signature_invalid', reasons: [...broken, ...modified] };
  if (modified.size > 0) return { state: 'modified_after_signing', reasons: [...modified] };
  return { state: 'locked', reasons: [] };
}

/** Whether a file may be submitted / accepted: unsigned files are a package-check question, not a lock one. */
export const lockAllowsSubmission = (lock: DocumentLock): boolean => lock.state === 'locked' || lock.state === 'unsigned';
