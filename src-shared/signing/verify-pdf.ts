/**
 * Verifies every signature in a PDF: finds the signature fields on the bounded reader
 * (pdf-signatures.ts), takes each CMS from its /Contents, verifies it over the covered bytes, and
 * tells whether the signature covers the whole file and what the revisions after it change
 * (modifications.ts: an object-level analysis, the one rule for `cli verify`, `check-package`,
 * the app's badges and the portal's upload gate).
 */
import { PDF_READ_ERRORS } from '../pdf/model';
import { digestRanges } from './digest';
import { analyzeChanges } from './modifications';
import { scanPdfSignatures, type FoundPdfSignature } from './pdf-signatures';
import { combineVerdicts, verdictOf, type PdfRevisionChanges, type PdfSignatureInfo, type ReasonCode, type SignatureReport, type VerificationReport } from './report';
import { signedParts } from './pades';
import { verifyCmsSigners, type VerifyOptions } from './verify-cms';

export { findPdfSignatures, parsePdfDate, type FoundPdfSignature } from './pdf-signatures';

/** Modifications that a certification (DocMDP) or a field lock (FieldMDP) forbids, not the general rule. */
const MDP_CODES = new Set(['signature_added', 'form_filled']);
const READ_CODES = new Set<string>(PDF_READ_ERRORS);

/** What the signature's own checks and the analysis of later revisions add to its reasons. */
function pdfReasons(f: FoundPdfSignature, changes: PdfRevisionChanges): ReasonCode[] {
  const out: ReasonCode[] = [...f.problems];
  const codes = changes.modifications.map((m) => m.code);
  for (const c of codes) if (READ_CODES.has(c) && !out.includes(c as ReasonCode)) out.push(c as ReasonCode);
  const edits = codes.filter((c) => !READ_CODES.has(c) && c !== 'signature_contents_altered');
  if (edits.length > 0) out.push('pdf_changed_after_signing');
  if (f.docMdpPermission !== undefined && edits.some((c) => MDP_CODES.has(c))) out.push('certification_forbids_changes');
  if (edits.includes('field_locked')) out.push('field_lock_violated');
  return out;
}

/** A signature the reader could not place in a revision (or a refused file): everything after it is unknown. */
function unanalysed(pdf: Uint8Array, f: FoundPdfSignature): PdfRevisionChanges {
  const end = f.byteRange[2] + f.byteRange[3];
  const code = f.problems.find((p) => READ_CODES.has(p)) ?? 'signed_range_not_a_revision';
  return { bytesAfter: Math.max(0, pdf.length - end), revisionsAfter: 0, kind: 'other_changes', objects: [], modifications: [{ code }] };
}

export async function verifyPdf(pdf: Uint8Array, o: VerifyOptions): Promise<VerificationReport> {
  const now = o.now ?? new Date();
  const report: VerificationReport = {
    kind: 'pdf',
    verdict: 'invalid',
    checkedAt: now.toISOString(),
    trust: [...new Set(o.anchors.map((a) => a.kind))],
    online: Boolean(o.revocation),
    signatures: [],
    problems: [],
    pdf: { lastSignatureCoversWholeFile: false, fileLength: pdf.length },
  };
  const scan = scanPdfSignatures(pdf);
  const found = scan.signatures;
  if (scan.readError) report.problems.push(scan.readError.code);
  if (found.length === 0) {
    report.problems.push('no_signatures');
    return report;
  }
  for (const [i, f] of found.entries()) {
    const [, , c, d] = f.byteRange;
    const info: PdfSignatureInfo = {
      byteRange: f.byteRange,
      coversWholeFile: f.byteRange[0] === 0 && c + d === pdf.length,
      changesAfter: scan.doc && f.byteRange[0] === 0 && !f.problems.includes('pdf_byte_range_invalid') ? analyzeChanges(scan.doc, f) : unanalysed(pdf, f),
    };
    if (f.subFilter) info.subFilter = f.subFilter;
    if (f.name) info.name = f.name;
    if (f.reason) info.reason = f.reason;
    if (f.location) info.location = f.location;
    if (f.docMdpPermission !== undefined) info.docMdpPermission = f.docMdpPermission;
    let sigReports: SignatureReport[] = [];
    if (f.cms.length > 0) {
      const parts = signedParts(pdf, f.byteRange);
      try {
        sigReports = await verifyCmsSigners(f.cms, (oid) => digestRanges(oid, parts), o);
      } catch {
        sigReports = [];
      }
    }
    if (sigReports.length === 0) {
      sigReports = [
        {
          index: i,
          integrity: 'signature_invalid',
          digestAlgorithm: '',
          signatureAlgorithm: '',
          signingCertificateV2: 'absent',
          chain: { status: 'untrusted', links: [] },
          revocation: { status: 'not_checked', checks: [] },
          reasons: ['pdf_signature_not_readable'],
          verdict: 'invalid',
        },
      ];
    }
    for (const s of sigReports) {
      s.index = i;
      if (f.fieldName) s.fieldName = f.fieldName;
      if (f.claimedTime && !s.claimedSigningTime) s.claimedSigningTime = f.claimedTime;
      for (const r of pdfReasons(f, info.changesAfter)) if (!s.reasons.includes(r)) s.reasons.push(r);
      s.verdict = verdictOf(s.reasons);
      report.signatures.push({ ...s, pdf: info });
    }
  }
  const last = report.signatures[report.signatures.length - 1];
  report.pdf!.lastSignatureCoversWholeFile = Boolean(last?.pdf?.coversWholeFile);
  const verdicts = report.signatures.map((s) => s.verdict);
  if (!report.pdf!.lastSignatureCoversWholeFile) {
    report.problems.push('pdf_not_whole_file');
    verdicts.push(last?.pdf?.changesAfter.kind === 'other_changes' ? 'invalid' : 'indeterminate');
  }
  report.verdict = combineVerdicts(verdicts);
  return report;
}
