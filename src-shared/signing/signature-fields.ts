/**
 * Signature fields of one revision: the AcroForm's /Fields tree (with /Kids, /FT inherited), and
 * signature widgets on pages that the form does not list (poppler's `pdfsig -add-signature` leaves
 * a direct /AcroForm as it was). Bounded: depth and count caps, cycle-safe.
 */
import { PdfRef, type PdfDict, type PdfValue, type PdfView } from '../pdf/model';
import { arrayOf, nameOf, textOf } from './pdf-compare';

export const MAX_FIELD_DEPTH = 32;
const MAX_FIELDS = 20_000;

export interface SignatureFieldRef {
  field: PdfDict;
  fieldNum?: number;
  name: string;
  value: PdfValue | undefined;
}

/** Terminal signature fields of a view's AcroForm (cycle-safe, bounded), with full names. */
export function signatureFields(view: PdfView): SignatureFieldRef[] {
  const out: SignatureFieldRef[] = [];
  const acro = view.dict(view.catalog().get('AcroForm'));
  const seen = new Set<number>();
  let count = 0;
  const walk = (items: PdfValue[], prefix: string, ft: string | undefined, depth: number) => {
    if (depth > MAX_FIELD_DEPTH) return;
    for (const item of items) {
      if (++count > MAX_FIELDS) return;
      if (item instanceof PdfRef) {
        if (seen.has(item.num)) continue;
        seen.add(item.num);
      }
      const f = view.dict(item);
      if (!f) continue;
      const t = textOf(view.resolve(f.get('T')));
      const name = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
      const type = nameOf(view.resolve(f.get('FT'))) ?? ft;
      const kids = arrayOf(view, f.get('Kids'));
      // Kids that are fields (they have /T) make this a non-terminal field; kids without /T are its widgets.
      const fieldKids = kids.filter((k) => view.dict(k)?.has('T'));
      if (fieldKids.length > 0) walk(fieldKids, name, type, depth + 1);
      else if (type === 'Sig') out.push({ field: f, ...(item instanceof PdfRef ? { fieldNum: item.num } : {}), name, value: f.get('V') });
    }
  };
  if (acro) walk(arrayOf(view, acro.get('Fields')), '', undefined, 0);
  walk(pageSignatureFields(view, seen), '', undefined, 0);
  return out;
}

/**
 * Signature fields whose widgets sit on a page but that the form does not list: poppler's
 * `pdfsig -add-signature` leaves a direct /AcroForm as it was. Viewers still show and validate
 * them, so they are signatures (and, when new, judged as new signature fields).
 */
export function pageSignatureFields(view: PdfView, listed: ReadonlySet<number>): PdfRef[] {
  const out = new Map<number, PdfRef>();
  for (const page of view.pages()) {
    for (const a of arrayOf(view, page.dict.get('Annots'))) {
      if (!(a instanceof PdfRef) || listed.has(a.num) || out.has(a.num)) continue;
      const widget = view.dict(a);
      if (widget?.name('Subtype') !== 'Widget') continue;
      let field = a;
      let dict = widget;
      let ft = nameOf(view.resolve(dict.get('FT')));
      for (let depth = 0; depth < MAX_FIELD_DEPTH; depth++) {
        const parent = dict.get('Parent');
        const pd = view.dict(parent);
        if (!(parent instanceof PdfRef) || !pd) break;
        field = parent;
        dict = pd;
        ft ??= nameOf(view.resolve(dict.get('FT')));
      }
      if (ft === 'Sig' && !listed.has(field.num)) out.set(field.num, field);
    }
  }
  return [...out.values()];
}
