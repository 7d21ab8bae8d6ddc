/**
 * What the portal learns from an uploaded PDF, computed inside the check worker
 * (pdf-check-worker.ts): the shared verifier's report (offline, the portal's trust anchors), the
 * shared lock rule, serial, page count, signer summaries and badges — the same functions the app
 * uses, so both say the same thing about the same bytes.
 */
import { documentLock, type DocumentLock } from '../../src-shared/documents/lock';
import { documentBadges, signerSummaries } from '../../src-shared/documents/badges';
import type { Badge, SignerSummary } from '../../src-shared/documents/model';
import { serialOfPdf } from '../../src-shared/documents/serial';
import { loadPdf } from '../../src-shared/signing/pades';
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

export async function checkPdfHere({ bytes, anchors, now }: PdfCheckRequest): Promise<PdfFindings> {
  let report: VerificationReport | null = null;
  let lock: DocumentLock;
  try {
    report = await verifyPdf(bytes, { anchors, now });
    lock = documentLock(report);
  } catch {
    // The verifier gave up: a file that looks signed but cannot be checked is not let through.
    lock = latin1Includes(bytes, '/ByteRange') ? { state: 'signature_invalid', reasons: ['pdf_signature_not_readable'] } : { state: 'unsigned', reasons: [] };
  }
  let serial: string | null = null;
  let pages: number | null = null;
  try {
    const doc = await loadPdf(bytes);
    serial = serialOfPdf(doc);
    pages = doc.getPageCount();
  } catch {
    /* unreadable or encrypted: no serial, no page count (package checks report it in the app) */
  }
  return { lock, serial, pages, signers: signerSummaries(report), badges: documentBadges(report, lock, { stamped: serial !== null }) };
}
