/**
 * The inspection of one PDF's bytes, as it runs inside the inspection worker (inspect-worker.ts,
 * started by inspect-isolated.ts with a time and memory limit): profile, text layer, serial,
 * signatures verified under the app's trust, lock, badges. Never throws for a bad file. The
 * structure is read with the bounded reader (src-shared/pdf): a file beyond its caps comes back
 * with the reader's code as its problem (pdf_inflate_limit, pdf_too_many_objects, …) before pdf.js
 * or the verifier see it.
 */
import { openPdf, PdfReadError, type PdfView } from '../../src-shared/pdf';
import { isPdfLimitError } from '../../src-shared/signing/pdf-meta';
import { documentBadges, signerSummaries } from '../../src-shared/documents/badges';
import { detectLanguage } from '../../src-shared/documents/language';
import { documentLock } from '../../src-shared/documents/lock';
import type { DocumentInspection, PdfProfile } from '../../src-shared/documents/model';
import { serialOfPdf } from '../../src-shared/documents/serial';
import type { VerificationReport } from '../../src-shared/signing/report';
import { findPdfSignatures, verifyPdf } from '../../src-shared/signing/verify-pdf';
import { onlineRevocation } from '../signing/http';
import { pdfText } from './pdf-text';
import { allFontsEmbedded, fillableFields, hasOutputIntent, pdfaClaim } from './pdf-profile';
import type { AppTrust } from './trust';

/** Pages whose text layer is read for the language check. */
export const TEXT_PAGES = 5;

/** What the worker gets: plain data (structured clone). */
export interface InspectRequest {
  bytes: Uint8Array;
  sha256: string;
  now: Date;
  trust: AppTrust;
  expectIin?: string;
  expectBin?: string;
  textTimeoutMs?: number;
}

export function unreadable(sha256: string, contentType: string, size: number, problems: string[], now: Date, pdf: PdfProfile | null = null): DocumentInspection {
  return {
    sha256,
    contentType,
    size,
    pdf,
    serial: null,
    lock: { state: 'unsigned', reasons: [] },
    badges: ['unsigned'],
    signers: [],
    report: null,
    problems,
    inspectedAt: now.toISOString(),
  };
}

export async function inspectPdfHere(r: InspectRequest): Promise<DocumentInspection> {
  const { bytes, sha256, now } = r;
  const contentType = 'application/pdf';
  let view: PdfView;
  try {
    view = openPdf(bytes).view();
  } catch (e) {
    if (e instanceof PdfReadError && e.code === 'pdf_encrypted') {
      const profile: PdfProfile = { pages: 0, encrypted: true, pdfa: null, fillableFields: 0, textChars: 0, textLanguage: 'unknown' };
      return unreadable(sha256, contentType, bytes.length, ['pdf_encrypted'], now, profile);
    }
    return unreadable(sha256, contentType, bytes.length, [isPdfLimitError(e) ? e.code : 'pdf_unreadable'], now);
  }
  const problems: string[] = [];
  let pages = 0;
  try {
    pages = view.pages().length;
  } catch (e) {
    if (isPdfLimitError(e)) return unreadable(sha256, contentType, bytes.length, [e.code], now);
    problems.push('pdf_unreadable');
  }

  let claim: ReturnType<typeof pdfaClaim> = null;
  let outputIntent = false;
  let fields = 0;
  let fontsOk = false;
  let serial: string | null = null;
  try {
    claim = pdfaClaim(view);
    outputIntent = claim !== null && hasOutputIntent(view);
    fields = fillableFields(view);
    fontsOk = allFontsEmbedded(view);
    serial = serialOfPdf(view);
  } catch (e) {
    // A bomb is refused with its code; anything else is a damaged structure next to what was read.
    if (isPdfLimitError(e)) return unreadable(sha256, contentType, bytes.length, [e.code], now);
    if (!problems.includes('pdf_unreadable')) problems.push('pdf_structure_damaged');
  }

  const text = await pdfText(bytes, { maxPages: TEXT_PAGES, timeoutMs: r.textTimeoutMs ?? 10_000 }).catch(() => ({ text: '', pagesRead: 0, problem: 'unreadable' as const }));
  if (text.problem === 'timeout') problems.push('pdf_text_timeout');
  if (text.problem === 'unreadable' && text.pagesRead === 0) problems.push('pdf_text_unreadable');
  const guess = detectLanguage(text.text);
  const pdf: PdfProfile = {
    pages,
    encrypted: false,
    pdfa: claim ? { part: claim.part, ...(claim.conformance ? { conformance: claim.conformance } : {}), outputIntent, fontsEmbedded: fontsOk } : null,
    fillableFields: fields,
    textChars: text.text.replace(/\s+/g, '').length,
    textLanguage: guess.language,
    ...(guess.present.length ? { textLanguagesPresent: guess.present } : {}),
    textPagesRead: text.pagesRead,
  };

  let report: VerificationReport | null = null;
  if (findPdfSignatures(bytes).length > 0) {
    const { trust } = r;
    try {
      report = await verifyPdf(bytes, {
        anchors: trust.anchors,
        now,
        ...(trust.online ? { revocation: onlineRevocation } : {}),
        ...(r.expectIin ? { expectedIin: r.expectIin } : {}),
        ...(r.expectBin ? { expectedBin: r.expectBin } : {}),
      });
    } catch {
      problems.push('verification_failed');
    }
  }
  const lock = documentLock(report);
  return {
    sha256,
    contentType,
    size: bytes.length,
    pdf,
    serial,
    lock: { state: lock.state, reasons: lock.reasons },
    badges: documentBadges(report, lock, { stamped: serial !== null }),
    signers: signerSummaries(report),
    report,
    problems,
    inspectedAt: now.toISOString(),
  };
}
