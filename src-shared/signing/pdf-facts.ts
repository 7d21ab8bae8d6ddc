/**
 * Facts about a PDF for `inspect`: PDF/A claim, form fields, signatures (not verified here). The
 * structure is read with the bounded reader (src-shared/pdf): a file beyond its caps is refused
 * with the reader's code (AppError pdf_inflate_limit, pdf_too_many_objects, …), never inflated.
 */
import * as pkijs from 'pkijs';
import { PdfName, type PdfDict, type PdfView } from '../pdf';
import { certificateFacts, type CertificateFacts } from './cert-facts';
import { parseSignedData } from './cms-build';
import { catalogXmp, openPdfView, pdfaClaimOf, pdfReadAppError, pdfText } from './pdf-meta';
import { findPdfSignatures } from './verify-pdf';

export interface PdfFacts {
  pages: number;
  pdfa?: { part: string; conformance?: string };
  formFields: { name: string; type: string }[];
  signatures: { fieldName?: string; subFilter?: string; coversWholeFile: boolean; claimedTime?: string; signer?: CertificateFacts }[];
}

/** Fully qualified names of the AcroForm's terminal fields (a cycle-safe walk, 32 levels at most). */
function formFields(view: PdfView): PdfFacts['formFields'] {
  const out: PdfFacts['formFields'] = [];
  const acro = view.dict(view.catalog().get('AcroForm'));
  const seen = new Set<PdfDict>();
  const walk = (arr: unknown, prefix: string, depth: number) => {
    if (!Array.isArray(arr) || depth > 32) return;
    for (const item of arr) {
      const f = view.dict(item);
      if (!f || seen.has(f)) continue;
      seen.add(f);
      const name = pdfText(view.resolve(f.get('T'))) ?? '';
      const full = prefix && name ? `${prefix}.${name}` : prefix || name;
      const kids = view.resolve(f.get('Kids'));
      const ft = view.resolve(f.get('FT'));
      if (Array.isArray(kids) && !(ft instanceof PdfName)) walk(kids, full, depth + 1);
      else out.push({ name: full, type: ft instanceof PdfName ? ft.name : '' });
    }
  };
  if (acro) walk(view.resolve(acro.get('Fields')), '', 0);
  return out;
}

export async function pdfFacts(pdf: Uint8Array): Promise<PdfFacts> {
  const view = openPdfView(pdf);
  const facts: PdfFacts = { pages: 0, formFields: [], signatures: [] };
  try {
    facts.pages = view.pages().length;
    const xmp = catalogXmp(view);
    const claim = xmp ? pdfaClaimOf(xmp) : undefined;
    if (claim) facts.pdfa = claim;
    facts.formFields = formFields(view);
  } catch (e) {
    throw pdfReadAppError(e);
  }
  for (const s of findPdfSignatures(pdf)) {
    const entry: PdfFacts['signatures'][number] = { coversWholeFile: s.byteRange[0] === 0 && s.byteRange[2] + s.byteRange[3] === pdf.length };
    if (s.fieldName) entry.fieldName = s.fieldName;
    if (s.subFilter) entry.subFilter = s.subFilter;
    if (s.claimedTime) entry.claimedTime = s.claimedTime;
    try {
      const sd = parseSignedData(s.cms);
      const si = sd.signerInfos[0];
      const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
      const mine =
        si?.sid instanceof pkijs.IssuerAndSerialNumber
          ? certs.find((c) => c.serialNumber.isEqual(si.sid.serialNumber))
          : certs[0];
      if (mine) entry.signer = certificateFacts(mine);
    } catch {
      /* unreadable CMS: listed without signer */
    }
    facts.signatures.push(entry);
  }
  return facts;
}
