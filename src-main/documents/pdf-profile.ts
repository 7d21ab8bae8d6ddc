/**
 * The PDF profile facts of an inspection (issue 9 §3): PDF/A identification, output intent, embedded
 * fonts, fillable fields. Runs inside the inspection worker (inspect-worker.ts).
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import { fromUtf8 } from '../../src-shared/signing/bytes';

const N = (s: string) => PDFName.of(s);

export function pdfaClaim(doc: PDFDocument): { part: string; conformance?: string } | null {
  const meta = doc.catalog.lookup(N('Metadata'));
  if (!(meta instanceof PDFRawStream)) return null;
  try {
    const xmp = fromUtf8(decodePDFRawStream(meta).decode());
    const part = /pdfaid:part(?:>|=["'])\s*(\d)/.exec(xmp)?.[1];
    if (!part) return null;
    const conformance = /pdfaid:conformance(?:>|=["'])\s*([A-Za-z])/.exec(xmp)?.[1];
    return conformance ? { part, conformance: conformance.toUpperCase() } : { part };
  } catch {
    return null;
  }
}

export function hasOutputIntent(doc: PDFDocument): boolean {
  const oi = doc.catalog.lookup(N('OutputIntents'));
  if (!(oi instanceof PDFArray)) return false;
  for (let i = 0; i < oi.size(); i++) {
    const d = oi.lookup(i);
    if (d instanceof PDFDict && d.lookup(N('DestOutputProfile')) instanceof PDFStream) return true;
  }
  return false;
}

/** Every font used by the pages (and the form XObjects they draw) carries its font program. */
export function allFontsEmbedded(doc: PDFDocument): boolean {
  const fontsSeen = new Set<PDFObject>();
  const resourcesSeen = new Set<PDFObject>();
  const fontEmbedded = (font: PDFDict, depth = 0): boolean => {
    const subtype = font.lookup(N('Subtype'));
    // Type 3 glyphs are content streams inside the font: nothing external to embed.
    if (subtype === N('Type3')) return true;
    if (subtype === N('Type0')) {
      const kids = font.lookup(N('DescendantFonts'));
      if (!(kids instanceof PDFArray) || kids.size() === 0 || depth > 2) return false;
      for (let i = 0; i < kids.size(); i++) {
        const k = kids.lookup(i);
        if (!(k instanceof PDFDict) || !fontEmbedded(k, depth + 1)) return false;
      }
      return true;
    }
    const fd = font.lookup(N('FontDescriptor'));
    return fd instanceof PDFDict && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => fd.lookup(N(k)) instanceof PDFStream);
  };
  const walk = (res: PDFObject | undefined, depth: number): boolean => {
    if (!(res instanceof PDFDict) || resourcesSeen.has(res) || depth > 8) return true;
    resourcesSeen.add(res);
    const fonts = res.lookup(N('Font'));
    if (fonts instanceof PDFDict) {
      for (const [, ref] of fonts.entries()) {
        const key = ref instanceof PDFRef ? ref : undefined;
        if (key && fontsSeen.has(key)) continue;
        if (key) fontsSeen.add(key);
        const f = doc.context.lookup(ref);
        if (!(f instanceof PDFDict) || !fontEmbedded(f)) return false;
      }
    }
    const xobjects = res.lookup(N('XObject'));
    if (xobjects instanceof PDFDict) {
      for (const [, ref] of xobjects.entries()) {
        const x = doc.context.lookup(ref);
        if (x instanceof PDFStream && x.dict.lookup(N('Subtype')) === N('Form') && !walk(x.dict.lookup(N('Resources')), depth + 1)) return false;
      }
    }
    return true;
  };
  for (const page of doc.getPages()) {
    const res = page.node.Resources() ?? page.node.getInheritableAttribute(N('Resources'));
    if (!walk(res, 0)) return false;
  }
  return true;
}

/** Fillable AcroForm fields other than signature fields (an XFA form counts as one). */
export function fillableFields(doc: PDFDocument): number {
  const acro = doc.catalog.lookup(N('AcroForm'));
  if (!(acro instanceof PDFDict)) return 0;
  let count = acro.lookup(N('XFA')) ? 1 : 0;
  const seen = new Set<PDFObject>();
  const walk = (arr: PDFArray, inheritedType: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (let i = 0; i < arr.size(); i++) {
      const raw = arr.get(i);
      if (seen.has(raw)) continue;
      seen.add(raw);
      const f = arr.lookup(i);
      if (!(f instanceof PDFDict)) continue;
      const ft = f.lookup(N('FT'));
      const type = ft instanceof PDFName ? ft.asString().replace(/^\//, '') : inheritedType;
      const kids = f.lookup(N('Kids'));
      // Kids that carry /T are fields of their own; kids without /T are this field's widgets.
      const fieldKids = kids instanceof PDFArray && Array.from({ length: kids.size() }, (_, k) => kids.lookup(k)).some((k) => k instanceof PDFDict && k.has(N('T')));
      if (kids instanceof PDFArray && fieldKids) walk(kids, type, depth + 1);
      else if (type !== 'Sig') count++;
    }
  };
  const fields = acro.lookup(N('Fields'));
  if (fields instanceof PDFArray) walk(fields, undefined, 0);
  return count;
}
