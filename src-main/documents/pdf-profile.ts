/**
 * The PDF profile facts of an inspection (issue 9 §3): PDF/A identification, output intent, embedded
 * fonts, fillable fields. Read with the bounded reader (src-shared/pdf, issue 13) inside the
 * inspection worker (inspect-worker.ts); every walk is cycle-safe and depth-limited.
 */
import { PdfName, PdfStream, type PdfDict, type PdfValue, type PdfView } from '../../src-shared/pdf';
import { catalogXmp, pdfaClaimOf } from '../../src-shared/signing/pdf-meta';

/** The PDF/A claim of the catalog's XMP packet (a packet beyond the reader's caps throws). */
export function pdfaClaim(view: PdfView): { part: string; conformance?: string } | null {
  const xmp = catalogXmp(view);
  return (xmp && pdfaClaimOf(xmp)) || null;
}

const items = (view: PdfView, v: PdfValue | undefined): PdfValue[] => {
  const r = view.resolve(v);
  return Array.isArray(r) ? r : [];
};

export function hasOutputIntent(view: PdfView): boolean {
  return items(view, view.catalog().get('OutputIntents')).some((oi) => view.resolve(view.dict(oi)?.get('DestOutputProfile')) instanceof PdfStream);
}

/** A page attribute, inherited from its ancestors in the page tree when the page has none. */
function inherited(view: PdfView, page: PdfDict, key: string): PdfValue | undefined {
  let node: PdfDict | undefined = page;
  for (let i = 0; node && i < 64; i++) {
    if (node.has(key)) return node.get(key);
    node = view.dict(node.get('Parent'));
  }
  return undefined;
}

/** Every font used by the pages (and the form XObjects they draw) carries its font program. */
export function allFontsEmbedded(view: PdfView): boolean {
  const fontsSeen = new Set<PdfDict>();
  const resourcesSeen = new Set<PdfDict>();
  const fontEmbedded = (font: PdfDict, depth = 0): boolean => {
    const subtype = font.name('Subtype');
    // Type 3 glyphs are content streams inside the font: nothing external to embed.
    if (subtype === 'Type3') return true;
    if (subtype === 'Type0') {
      const kids = items(view, font.get('DescendantFonts'));
      if (kids.length === 0 || depth > 2) return false;
      return kids.every((k) => {
        const d = view.dict(k);
        return !!d && fontEmbedded(d, depth + 1);
      });
    }
    const fd = view.dict(font.get('FontDescriptor'));
    return !!fd && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => view.resolve(fd.get(k)) instanceof PdfStream);
  };
  const walk = (res: PdfDict | undefined, depth: number): boolean => {
    if (!res || resourcesSeen.has(res) || depth > 8) return true;
    resourcesSeen.add(res);
    const fonts = view.dict(res.get('Font'));
    for (const key of fonts?.keys() ?? []) {
      const f = view.dict(fonts!.get(key));
      if (f && fontsSeen.has(f)) continue;
      if (!f || !fontEmbedded(f)) return false;
      fontsSeen.add(f);
    }
    const xobjects = view.dict(res.get('XObject'));
    for (const key of xobjects?.keys() ?? []) {
      const x = view.resolve(xobjects!.get(key));
      if (x instanceof PdfStream && x.dict.name('Subtype') === 'Form' && !walk(view.dict(x.dict.get('Resources')), depth + 1)) return false;
    }
    return true;
  };
  return view.pages().every((p) => walk(view.dict(inherited(view, p.dict, 'Resources')), 0));
}

/** Fillable AcroForm fields other than signature fields (an XFA form counts as one). */
export function fillableFields(view: PdfView): number {
  const acro = view.dict(view.catalog().get('AcroForm'));
  if (!acro) return 0;
  let count = acro.has('XFA') ? 1 : 0;
  const seen = new Set<PdfDict>();
  const walk = (arr: PdfValue[], inheritedType: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (const item of arr) {
      const f = view.dict(item);
      if (!f || seen.has(f)) continue;
      seen.add(f);
      const ft = view.resolve(f.get('FT'));
      const type = ft instanceof PdfName ? ft.name : inheritedType;
      const kids = items(view, f.get('Kids'));
      // Kids that carry /T are fields of their own; kids without /T are this field's widgets.
      if (kids.some((k) => view.dict(k)?.has('T'))) walk(kids, type, depth + 1);
      else if (type !== 'Sig') count++;
    }
  };
  walk(items(view, acro.get('Fields')), undefined, 0);
  return count;
}
