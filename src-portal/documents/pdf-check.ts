/**
 * What the portal learns from an uploaded PDF, computed inside the check worker
 * (pdf-check-worker.ts): the shared verifier's report (offline, the portal's trust anchors), the
 * shared lock rule, serial, page count, signer summaries and badges — the same functions the app
 * uses, so both say the same thing about the same bytes.
 *
 * The structure (serial, pages) is read with the bounded reader first: a PDF beyond its caps (a
 * decompression bomb, a million objects, absurd nesting) throws the reader's code, which the upload
 * gate makes a final refusal, before anything else looks at the file.
 */
import { documentLock, type DocumentLock } from '../../src-shared/documents/lock';
import { documentBadges, signerSummaries } from '../../src-shared/documents/badges';
import type { Badge, SignerSummary } from '../../src-shared/documents/model';
import { serialOfPdf } from '../../src-shared/documents/serial';
import { openPdfView, pdfReadAppError, PDF_LIMIT_ERRORS } from '../../src-shared/signing/pdf-meta';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import type { TrustAnchor } from '../../src-shared/signing/chain';
import type { VerificationReport } from '../../src-shared/signing/report';

export interface PdfFindings {
  lock: DocumentLock;
  serial: string | null;
  /** Null when the file's structure cannot be read (the signature check works on the bytes regardless). */
  pages: number | null;
  signers: SignerSummary[];
  badges: Badge[];
}

export interface PdfCheckRequest {
  bytes: Uint8Array;
  anchors: TrustAnchor[];
  now: Date;
}

const latin1Includes = (bytes: Uint8Array, needle: string): boolean => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, 'latin1');

/** The structure's facts; a reader refusal from its caps is thrown, a merely unreadable file gives nulls. */
function structureOf(bytes: Uint8Array): { serial: string | null; pages: number | null } {
  try {
    const view = openPdfView(bytes);
    return { pages: view.pages().length, serial: serialOfPdf(view) };
  } catch (e) {
    const err = pdfReadAppError(e);
    if (PDF_LIMIT_ERRORS.has(err.code)) throw err;
    // Unreadable or encrypted: no serial, no page count (package checks report it in the app).
    return { serial: null, pages: null };
  }
}

export async function checkPdfHere({ bytes, anchors, now }: PdfCheckRequest): Promise<PdfFindings> {
  const { serial, pages } = structureOf(bytes);
  let report: VerificationReport | null = null;
  let lock: DocumentLock;
  try {
    report = await verifyPdf(bytes, { anchors, now });
    lock = documentLock(report);
  } catch {
    // The verifier gave up: a file that looks signed but cannot be checked is not let through.
    lock = latin1Includes(bytes, '/ByteRange') ? { state: 'signature_invalid', reasons: ['pdf_signature_not_readable'] } : { state: 'unsigned', reasons: [] };
  }
  return { lock, serial, pages, signers: signerSummaries(report), badges: documentBadges(report, lock, { stamped: serial !== null }) };
}
