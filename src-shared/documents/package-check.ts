/**
 * Package checks (issue 9 §5, seed 002 §4, SPEC §2.5): the category's file-requirement flags
 * against the attached files' inspections and what the supplier stated about them (issue date,
 * language). Pure: the app runs it before submission, the CLI on a folder, the portal may run it
 * on upload. One item per problem, each a code the catalogs turn into "what is wrong and what to
 * do" (`packageCheck.items.<code>` with `params`).
 *
 * Severity: error blocks submission; warning is shown and asks for attention; info is a fact.
 * Two rules hold for EVERY attached file, flagged or not: nothing modified after signing and no
 * broken signature gets through (the lock rule, src-shared/documents/lock.ts).
 */
import { isEmptyAnswer, isFileAnswer, type AnswerValue, type FileAnswer } from '../aki/answers';
import { answerable, isPdfOnly, type AkiRequirement, type AkiTemplate } from '../aki/template';
import { almatyDate } from '../time/almaty';
import { isIsoDate } from '../time/date-text';

export { almatyDate };
import type { DocumentInspection } from './model';
import type { PackageItem, PackageReport } from './package-model';

export type FileRequirement = Extract<AkiRequirement, { type: 'file' }>;
type Severity = PackageItem['severity'];

/** Every item code and its severity (the catalogs have a text for each; a test checks it). */
export const PACKAGE_ITEM_SEVERITY = {
  missing: 'error',
  file_missing: 'error',
  not_pdf: 'error',
  pdf_unreadable: 'error',
  encrypted: 'error',
  modified_after_signing: 'error',
  signature_invalid: 'error',
  not_flat_or_pdfa: 'error',
  pdfa_claimed: 'info',
  pdfa_no_output_intent: 'warning',
  pdfa_fonts_not_embedded: 'warning',
  unsigned: 'error',
  cert_expired: 'error',
  cert_revoked: 'error',
  cert_not_valid_at_signing: 'error',
  auth_key_used: 'error',
  chain_invalid: 'error',
  cert_expired_after_signing: 'info',
  cert_revoked_after_signing: 'warning',
  untrusted: 'warning',
  test_root: 'warning',
  revocation_not_checked: 'info',
  signer_not_supplier: 'error',
  supplier_bin_unknown: 'warning',
  not_gost: 'warning',
  gost: 'info',
  no_timestamp: 'error',
  issue_date_missing: 'error',
  issue_date_in_future: 'error',
  issue_date_from_timestamp: 'info',
  too_old: 'error',
  language_missing: 'error',
  language_mismatch: 'warning',
  language_other: 'warning',
  language_not_verifiable: 'info',
} as const satisfies Record<string, Severity>;
export type PackageItemCode = keyof typeof PACKAGE_ITEM_SEVERITY;
export const PACKAGE_ITEM_CODES = Object.keys(PACKAGE_ITEM_SEVERITY) as PackageItemCode[];

export interface PackageCheckInput {
  template: AkiTemplate;
  /** The application's answers by requirement key (file answers may carry issuedOn / language). */
  answers: Record<string, AnswerValue | undefined>;
  /** The inspection of each attached file, by SHA-256 (a missing entry means the file is not here). */
  inspections: Record<string, DocumentInspection | undefined>;
  /** The supplier organization's BIN (an individual entrepreneur's IIN); null when unknown. */
  supplierBin: string | null;
  /** Today in Almaty, YYYY-MM-DD. */
  today: string;
}

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string): number => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);


const GOST_ALGORITHMS = new Set(['GOST_34_310_2004', 'GOST_34_10_2015']);

/** Items for one file requirement. */
export function checkFileRequirement(r: FileRequirement, value: AnswerValue | undefined, inspection: DocumentInspection | undefined, input: Pick<PackageCheckInput, 'supplierBin' | 'today'>): PackageItem[] {
  const items: PackageItem[] = [];
  const add = (code: PackageItemCode, params?: Record<string, string | number>) =>
    items.push({ field: r.key, code, severity: PACKAGE_ITEM_SEVERITY[code], ...(params ? { params } : {}) });

  if (isEmptyAnswer(value) || !isFileAnswer(value)) {
    // "If available" documents (required: false) are never an error when absent.
    if (r.required) add('missing');
    return items;
  }
  const answer: FileAnswer = value;
  if (!inspection || inspection.problems.includes('file_missing')) {
    add('file_missing', { name: answer.name });
    return items;
  }
  const isPdf = inspection.contentType === 'application/pdf';
  if (!isPdf && isPdfOnly(r)) {
    add('not_pdf', { name: answer.name });
    return items;
  }
  if (isPdf && (inspection.pdf === null || inspection.problems.some((p) => p === 'pdf_unreadable' || p === 'pdf_too_large'))) {
    if (inspection.problems.includes('pdf_encrypted') || inspection.pdf?.encrypted) add('encrypted');
    else add('pdf_unreadable', { problem: inspection.problems[0] ?? 'pdf_unreadable' });
    checkDates(r, answer, inspection, input.today, add);
    return items;
  }
  if (inspection.pdf?.encrypted) {
    add('encrypted');
    checkDates(r, answer, inspection, input.today, add);
    return items;
  }

  // The lock rule, for every attached file whatever its flags.
  if (inspection.lock.state === 'modified_after_signing') add('modified_after_signing');
  else if (inspection.lock.state === 'signature_invalid') add('signature_invalid');

  const pdf = inspection.pdf;
  if (r.pdfA && pdf) {
    if (pdf.pdfa) {
      const id = `PDF/A-${pdf.pdfa.part}${(pdf.pdfa.conformance ?? '').toLowerCase()}`;
      if (!pdf.pdfa.outputIntent) add('pdfa_no_output_intent', { profile: id });
      if (!pdf.pdfa.fontsEmbedded) add('pdfa_fonts_not_embedded', { profile: id });
      if (pdf.pdfa.outputIntent && pdf.pdfa.fontsEmbedded) add('pdfa_claimed', { profile: id });
    } else if (pdf.fillableFields > 0) {
      add('not_flat_or_pdfa', { fields: pdf.fillableFields });
    }
  }

  const signers = inspection.signers;
  const signed = signers.length > 0;
  if ((r.signed || r.signerMustBeSupplier || r.timestamp) && !signed) add('unsigned');
  if (r.signed && signed && inspection.lock.state === 'locked') checkSignerTrust(inspection, add);

  // A broken lock is already the error; who signed the bytes before they changed is beside the point.
  if (r.signerMustBeSupplier && signed && inspection.lock.state === 'locked') {
    if (!input.supplierBin) add('supplier_bin_unknown');
    else {
      const ids = signers.filter((s) => s.verdict !== 'invalid').map((s) => s.certificate?.bin ?? s.certificate?.iin);
      const matches = signers.some((s) => s.verdict !== 'invalid' && (s.certificate?.bin === input.supplierBin || s.certificate?.iin === input.supplierBin));
      if (!matches) {
        const found = [...new Set(ids.filter((x): x is string => !!x))].join(', ');
        add('signer_not_supplier', { expected: input.supplierBin, found: found || '—' });
      }
    }
  }

  if (r.gost && signed) {
    const algorithms = [...new Set(signers.map((s) => s.certificate?.algorithm ?? 'UNKNOWN'))];
    const notGost = algorithms.filter((a) => !GOST_ALGORITHMS.has(a));
    if (notGost.length > 0) add('not_gost', { algorithm: notGost.join(', ') });
    else add('gost', { algorithm: algorithms.join(', ') });
  }

  if (r.timestamp && signed && !signers.some((s) => s.timestamped)) add('no_timestamp');

  checkDates(r, answer, inspection, input.today, add);

  if (r.declareLanguage) {
    if (!answer.language) add('language_missing');
    else if (pdf) {
      const present = pdf.textLanguagesPresent ?? (pdf.textLanguage === 'kk' || pdf.textLanguage === 'ru' ? [pdf.textLanguage] : []);
      if (pdf.textLanguage === 'unknown') add('language_not_verifiable', { chars: pdf.textChars });
      else if (pdf.textLanguage === 'other') add('language_other', { declared: answer.language });
      else if (!present.includes(answer.language)) add('language_mismatch', { declared: answer.language, detected: pdf.textLanguage });
    } else add('language_not_verifiable', { chars: 0 });
  }
  // Errors first, then warnings, then facts (stable within a severity).
  return items.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity]);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Whom and what to trust about the signatures of a file whose bytes are intact. */
function checkSignerTrust(inspection: DocumentInspection, add: (code: PackageItemCode, params?: Record<string, string | number>) => void): void {
  const seen = new Set<string>();
  const once = (code: PackageItemCode, params?: Record<string, string | number>) => {
    if (seen.has(code)) return;
    seen.add(code);
    add(code, params);
  };
  const reports = inspection.report?.signatures ?? [];
  for (const s of inspection.signers) {
    const owner = s.certificate?.owner ?? '?';
    const rep = reports.find((x) => x.index === s.index);
    const reasons = new Set(s.reasons);
    if (reasons.has('auth_key_used_for_signing')) once('auth_key_used', { owner });
    if (reasons.has('chain_signature_invalid')) once('chain_invalid', { owner });
    if (reasons.has('revoked_before_signing') || rep?.revocation.status === 'revoked') once('cert_revoked', { owner });
    else if (rep?.revocation.status === 'revoked_after_signing') once('cert_revoked_after_signing', { owner });
    if (reasons.has('cert_expired_no_timestamp')) once('cert_expired', { owner, notAfter: s.certificate?.notAfter.slice(0, 10) ?? '' });
    else if (reasons.has('cert_not_valid_at_signing')) once('cert_not_valid_at_signing', { owner });
    else if (rep?.validityNow === 'expired' && rep.validityAtSigning === 'valid') once('cert_expired_after_signing', { owner, notAfter: s.certificate?.notAfter.slice(0, 10) ?? '' });
    if (s.certificate?.test || rep?.chain.anchorKind === 'test') once('test_root', { owner });
    else if (reasons.has('chain_untrusted') || reasons.has('chain_algorithm_unsupported') || (rep && rep.chain.status === 'untrusted')) once('untrusted', { owner });
    if (reasons.has('revocation_not_checked')) once('revocation_not_checked');
  }
}

/** Freshness: the issue date the supplier entered, else the earliest verified timestamp. */
function checkDates(r: FileRequirement, answer: FileAnswer, inspection: DocumentInspection, today: string, add: (code: PackageItemCode, params?: Record<string, string | number>) => void): void {
  if (r.maxAgeDays === undefined) return;
  let issued = answer.issuedOn && isIsoDate(answer.issuedOn) ? answer.issuedOn : undefined;
  if (!issued) {
    const stamps = inspection.signers.filter((s) => s.timestamped && s.timestampTime).map((s) => s.timestampTime!).sort();
    if (stamps[0]) {
      issued = almatyDate(stamps[0]);
      add('issue_date_from_timestamp', { date: issued });
    }
  }
  if (!issued) {
    add('issue_date_missing', { days: r.maxAgeDays });
    return;
  }
  const age = dayNumber(today) - dayNumber(issued);
  if (age < 0) add('issue_date_in_future', { date: issued });
  else if (age > r.maxAgeDays) add('too_old', { date: issued, days: r.maxAgeDays, age });
}

/** Every item of a package, in template order. */
export function checkPackage(input: PackageCheckInput): PackageItem[] {
  const items: PackageItem[] = [];
  for (const r of answerable(input.template)) {
    if (r.type !== 'file') continue;
    const value = input.answers[r.key];
    const inspection = isFileAnswer(value ?? undefined) ? input.inspections[(value as FileAnswer).sha256] : undefined;
    items.push(...checkFileRequirement(r, value, inspection, input));
  }
  return items;
}

/** The report the RPC and the CLI return: the items plus each attached file's inspection by requirement key. */
export function packageReport(input: PackageCheckInput, checkedAt: string): PackageReport {
  const documents: PackageReport['documents'] = {};
  for (const r of answerable(input.template)) {
    const value = input.answers[r.key];
    if (r.type !== 'file' || !isFileAnswer(value ?? undefined)) continue;
    const inspection = input.inspections[(value as FileAnswer).sha256];
    if (inspection) documents[r.key] = inspection;
  }
  return { items: checkPackage(input), documents, checkedAt };
}

/** Whether the package may be submitted: no errors. */
export const packageAllowsSubmission = (items: readonly PackageItem[]): boolean => !items.some((i) => i.severity === 'error');
