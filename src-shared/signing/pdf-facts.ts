/** Facts about a PDF for `inspect`: PDF/A claim, form fields, signatures (not verified here). */
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import { fromUtf8 } from './bytes';
import { certificateFacts, type CertificateFacts } from './cert-facts';
import { parseSignedData } from './cms-build';
import { loadPdf } from './pades';
import { findPdfSignatures } from './verify-pdf';

export interface PdfFacts {
  pages: number;
  pdfa?: { part: string; conformance?: string };
  formFields: { name: string; type: string }[];
  signatures: { fieldName?: string; subFilter?: string; coversWholeFile: boolean; claimedTime?: string; signer?: CertificateFacts }[];
}

function pdfaClaim(xmp: string): PdfFacts['pdfa'] {
  const part = /pdfaid:part(?:>|=")\s*(\d)/.exec(xmp)?.[1];
  if (!part) return undefined;
  const conformance = /pdfaid:conformance(?:>|=")\s*([A-Za-z])/.exec(xmp)?.[1];
  return conformance ? { part, conformance: conformance.toUpperCase() } : { part };
}

export async function pdfFacts(pdf: Uint8Array): Promise<PdfFacts> {
  const doc = await loadPdf(pdf);
  const facts: PdfFacts = { pages: doc.getPageCount(), formFields: [], signatures: [] };
  const meta = doc.catalog.lookup(PDFName.of('Metadata'));
  if (meta instanceof PDFRawStream) {
    try {
      const claim = pdfaClaim(fromUtf8(decodePDFRawStream(meta).decode()));
      if (claim) facts.pdfa = claim;
    } catch {
      /* unreadable metadata: no claim */
    }
  }
  const acro = doc.catalog.lookup(PDFName.of('AcroForm'));
  const fields = acro instanceof PDFDict ? acro.lookup(PDFName.of('Fields')) : undefined;
  const walk = (arr: PDFArray, prefix: string) => {
    for (let i = 0; i < arr.size(); i++) {
      const f = arr.lookup(i);
      if (!(f instanceof PDFDict)) continue;
      const t = f.lookup(PDFName.of('T'));
      const name = t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : '';
      const full = prefix && name ? `${prefix}.${name}` : prefix || name;
      const kids = f.lookup(PDFName.of('Kids'));
      const ft = f.lookup(PDFName.of('FT'));
      if (kids instanceof PDFArray && !(ft instanceof PDFName)) walk(kids, full);
      else facts.formFields.push({ name: full, type: ft instanceof PDFName ? ft.asString().replace(/^\//, '') : '' });
    }
  };
  if (fields instanceof PDFArray) walk(fields, '');
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
