/**
 * Small reads on the bounded PDF reader (src-shared/pdf, issue 13) that several inspections share:
 * the catalog's XMP packet (inflated under the reader's caps), the PDF/A claim in it, text strings,
 * and which of the reader's refusals mean "hostile or beyond the caps" — those are never quietly
 * turned into "no metadata": the caller reports them with their code.
 */
import { AppError, isErrorCode } from '../rpc/errors';
import { openPdf, PdfReadError, PdfStream, PdfString, type PdfLimits, type PdfValue, type PdfView } from '../pdf';
import { fromUtf8 } from './bytes';

/** Reader refusals that come from the caps (a bomb), as opposed to a merely broken file. */
export const PDF_LIMIT_ERRORS: ReadonlySet<string> = new Set(['pdf_inflate_limit', 'pdf_too_many_objects', 'pdf_nesting_too_deep', 'pdf_object_stream_too_large', 'pdf_too_many_revisions']);

export const isPdfLimitError = (e: unknown): e is PdfReadError => e instanceof PdfReadError && PDF_LIMIT_ERRORS.has(e.code);

/** A reader refusal as the AppError every caller reports. */
export function pdfReadAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof PdfReadError && isErrorCode(e.code)) return new AppError(e.code, e.message, e.at ? { ...e.at } : undefined);
  return new AppError('pdf_invalid', 'The PDF cannot be read');
}

/** The document as a viewer shows it (its last revision); throws the reader's refusal as an AppError. */
export function openPdfView(bytes: Uint8Array, limits?: Partial<PdfLimits>): PdfView {
  try {
    return openPdf(bytes, limits).view();
  } catch (e) {
    throw pdfReadAppError(e);
  }
}

/** A text string's value, else null. */
export const pdfText = (v: PdfValue | undefined): string | null => (v instanceof PdfString ? v.text() : null);

/**
 * The catalog's /Metadata packet as text; null when absent or unreadable. A packet beyond the
 * reader's inflate caps throws (PdfReadError pdf_inflate_limit): a bomb is reported, not skipped.
 */
export function catalogXmp(view: PdfView): string | null {
  const meta = view.resolve(view.catalog().get('Metadata'));
  if (!(meta instanceof PdfStream)) return null;
  try {
    return fromUtf8(view.streamData(meta));
  } catch (e) {
    if (isPdfLimitError(e)) throw e;
    return null;
  }
}

/** The PDF/A identification in an XMP packet (pdfaid:part, pdfaid:conformance), element or attribute form. */
export function pdfaClaimOf(xmp: string): { part: string; conformance?: string } | undefined {
  const part = /pdfaid:part(?:>|\s*=\s*["'])\s*(\d)/.exec(xmp)?.[1];
  if (!part) return undefined;
  const conformance = /pdfaid:conformance(?:>|\s*=\s*["'])\s*([A-Za-z])/.exec(xmp)?.[1];
  return conformance ? { part, conformance: conformance.toUpperCase() } : { part };
}

/**
 * Opens the document and reads every object of its last revision under the reader's caps (object
 * streams included), and the catalog's XMP packet that every check of the document reads: run
 * before handing the bytes to pdf-lib, which parses every object and inflates object streams
 * without a limit. A broken object pdf-lib may still tolerate is let be; a bomb throws its code
 * (as an AppError), so a file the portal would refuse is not stamped or signed either.
 */
export function preflightPdf(bytes: Uint8Array, limits?: Partial<PdfLimits>): PdfView {
  const view = openPdfView(bytes, limits);
  for (const num of view.xref.keys()) {
    try {
      view.object(num);
    } catch (e) {
      if (isPdfLimitError(e)) throw pdfReadAppError(e);
    }
  }
  try {
    catalogXmp(view);
  } catch (e) {
    if (isPdfLimitError(e)) throw pdfReadAppError(e);
  }
  return view;
}
