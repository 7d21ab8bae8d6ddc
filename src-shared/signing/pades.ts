/**
 * PAdES signature placeholder written as an INCREMENTAL UPDATE: the original bytes stay an
 * exact prefix of the output, so earlier signatures keep verifying. The document is read with
 * the bounded reader (src-shared/pdf: xref tables, xref streams, object streams, every inflate
 * capped) and only the objects a signature touches are parsed; the update is written by
 * pades-update.ts. pdf-lib stays here only for `loadPdf`, used where a document is rewritten
 * (stamping) or still inspected with it; it is loaded on first use, so signing never pays for it
 * (about 15 MB of memory).
 */
import type { PDFDocument } from 'pdf-lib';
import { openPdf, openPdfSource } from '../pdf/reader';
import type { ByteSource } from '../pdf/source';
import { AppError } from '../rpc/errors';
import { concat, fromLatin1, latin1, toHex } from './bytes';
import { buildSignatureUpdate, readerError, type PadesOptions, type SignatureUpdate } from './pades-update';

export { PADES_SUBFILTER, buildSignatureUpdate, type PadesOptions, type SignatureUpdate } from './pades-update';
export { pdfDate, pdfTextString } from './pdf-syntax';

export interface PreparedPdf {
  bytes: Uint8Array;
  byteRange: [number, number, number, number];
  /** Offset of '<' and one past '>' of the /Contents hex string. */
  contentsStart: number;
  contentsEnd: number;
  fieldName: string;
}

interface XrefInfo {
  startxref: number;
  kind: 'table' | 'stream';
  size: number;
}

/** The newest xref section: where it is, its kind and the trailer's /Size. */
export function lastXref(pdf: Uint8Array): XrefInfo {
  try {
    const rev = openPdf(pdf).revisions.at(-1)!;
    const size = rev.trailer.get('Size');
    return { startxref: rev.startxref, kind: rev.xrefKind, size: typeof size === 'number' ? size : 0 };
  } catch (e) {
    throw readerError(e);
  }
}

export async function loadPdf(pdf: Uint8Array): Promise<PDFDocument> {
  if (latin1(pdf, 0, Math.min(pdf.length, 1024)).indexOf('%PDF-') < 0) throw new AppError('pdf_invalid', 'Not a PDF file');
  const { PDFDocument } = await import('pdf-lib');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    throw new AppError('pdf_invalid', 'The PDF cannot be read');
  }
  if (doc.isEncrypted) throw new AppError('pdf_encrypted', 'The PDF is encrypted');
  return doc;
}

/** The update that adds an empty signature to `pdf` (the whole file), built on the bounded reader. */
export function signatureUpdateFor(pdf: Uint8Array, o: PadesOptions = {}): SignatureUpdate {
  try {
    return buildSignatureUpdate(openPdf(pdf), o);
  } catch (e) {
    throw readerError(e);
  }
}

/** The same update for a file read through a ByteSource (a file on disk: only the parts the update needs are read). */
export function signatureUpdateForSource(source: ByteSource, o: PadesOptions = {}): SignatureUpdate {
  try {
    return buildSignatureUpdate(openPdfSource(source), o);
  } catch (e) {
    throw readerError(e);
  }
}

/** Appends an incremental update with an empty signature; returns where the CMS goes. */
export async function preparePdfForSigning(pdf: Uint8Array, o: PadesOptions = {}): Promise<PreparedPdf> {
  const u = signatureUpdateFor(pdf, o);
  return { bytes: concat([pdf, u.update]), byteRange: u.byteRange, contentsStart: u.contentsStart, contentsEnd: u.contentsEnd, fieldName: u.fieldName };
}

/** The two byte ranges a PAdES signature covers (views, no copy). */
export function signedParts(bytes: Uint8Array, byteRange: readonly number[]): Uint8Array[] {
  const [a, b, c, d] = byteRange as [number, number, number, number];
  return [bytes.subarray(a, a + b), bytes.subarray(c, c + d)];
}

/** Writes the CMS into the placeholder (in place) and returns the final PDF bytes. */
export function embedSignature(p: PreparedPdf, cms: Uint8Array): Uint8Array {
  const capacity = (p.contentsEnd - p.contentsStart - 2) / 2;
  if (cms.length > capacity) throw new AppError('pdf_too_large', 'The signature does not fit into the reserved space', { size: cms.length, capacity });
  const hex = toHex(cms).toUpperCase().padEnd(capacity * 2, '0');
  p.bytes.set(fromLatin1(hex), p.contentsStart + 1);
  return p.bytes;
}
