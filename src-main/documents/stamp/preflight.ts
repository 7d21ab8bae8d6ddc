/**
 * What stamping reads with the bounded reader (src-shared/pdf, issue 13) before pdf-lib parses the
 * file: every object and the XMP packet under the caps (a bomb is refused with its code), the
 * previous serial, the XMP packet to update and the title page's content streams for placement.
 */
import { serialOfPdf } from '../../../src-shared/documents/serial';
import { PdfStream, type PdfView } from '../../../src-shared/pdf';
import { catalogXmp, isPdfLimitError, pdfReadAppError, preflightPdf } from '../../../src-shared/signing/pdf-meta';

/**
 * What the stamp needs from the bounded reader, after reading every object of the document under
 * its caps (pdf-lib parses them all next, object streams included, without a limit).
 */
export function preflight(input: Uint8Array): { serial?: string; xmp: string | null | undefined; firstPageContents: Uint8Array[] } {
  const view = preflightPdf(input);
  try {
    const hasMeta = view.resolve(view.catalog().get('Metadata')) instanceof PdfStream;
    return { serial: serialOfPdf(view) ?? undefined, xmp: hasMeta ? catalogXmp(view) : undefined, firstPageContents: firstPageContents(view) };
  } catch (e) {
    throw pdfReadAppError(e);
  }
}

function firstPageContents(view: PdfView): Uint8Array[] {
  const page = view.pages()[0];
  if (!page) return [];
  const c = view.resolve(page.dict.get('Contents'));
  const out: Uint8Array[] = [];
  for (const s of Array.isArray(c) ? c.map((x) => view.resolve(x)) : [c]) {
    if (!(s instanceof PdfStream)) continue;
    try {
      out.push(view.streamData(s));
    } catch (e) {
      if (isPdfLimitError(e)) throw e; // an undecodable stream tells us nothing; a bomb is refused
    }
  }
  return out;
}
