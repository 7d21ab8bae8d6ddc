/**
 * The forgeries of issue 13 as incremental updates on any signed PDF (classic xref or xref
 * streams): a new page, a FreeText annotation, a visible unsigned signature widget whose
 * appearance paints text, an /OpenAction JavaScript, a replaced page content stream; and the
 * legitimate updates an LTA tool writes (/DSS, /Info dates, a document timestamp field).
 */
import type { PdfDict} from '../../../src-shared/pdf';
import { PdfRef, type PdfValue, type PdfView } from '../../../src-shared/pdf';
import { openPdf } from '../../../src-shared/pdf/reader';
import { appendUpdate, streamBody, type NewObject } from '../../helpers/pdf-incremental';
import { dictWith, pdfText } from './modification-fixtures';

export type XrefKind = 'table' | 'stream';

export function nextNumber(view: PdfView): number {
  const size = view.revision.trailer.get('Size');
  return Math.max(typeof size === 'number' ? size : 0, ...view.xref.keys()) + 1;
}

const refOf = (v: PdfValue | undefined) => (v instanceof PdfRef ? v : undefined);

/**
 * Objects that append `item` to the array at `holder[key]`: the array object when it is indirect,
 * else the holder rewritten (`holderNum` is its object number).
 */
export function appendToArray(view: PdfView, holderNum: number, holder: PdfDict, key: string, item: string): NewObject[] {
  const v = holder.get(key);
  const arr = view.resolve(v);
  const items = Array.isArray(arr) ? arr.map(pdfText) : [];
  const ref = refOf(v);
  if (ref) return [{ num: ref.num, body: `[${[...items, item].join(' ')}]` }];
  return [{ num: holderNum, body: dictWith(holder, { [key]: `[${[...items, item].join(' ')}]` }) }];
}

export function rootOf(view: PdfView): { num: number; dict: PdfDict } {
  return { num: refOf(view.revision.trailer.get('Root'))!.num, dict: view.catalog() };
}

export function firstPage(view: PdfView): { num: number; dict: PdfDict } {
  const p = view.pages()[0]!;
  return { num: p.ref.num, dict: p.dict };
}

/** The AcroForm's holder: the AcroForm object itself, or the catalog when the form is direct. */
function acroForm(view: PdfView): { num: number; dict: PdfDict } {
  const root = rootOf(view);
  const ref = refOf(root.dict.get('AcroForm'));
  if (ref) return { num: ref.num, dict: view.dict(ref)! };
  return { num: root.num, dict: root.dict };
}

function addToForm(view: PdfView, fieldRef: string): NewObject[] {
  const root = rootOf(view);
  const ref = refOf(root.dict.get('AcroForm'));
  if (ref) return appendToArray(view, ref.num, view.dict(ref)!, 'Fields', fieldRef);
  const acro = view.dict(root.dict.get('AcroForm'));
  const fields = view.resolve(acro?.get('Fields'));
  const items = Array.isArray(fields) ? fields.map(pdfText) : [];
  const fieldsRef = refOf(acro?.get('Fields'));
  if (fieldsRef) return [{ num: fieldsRef.num, body: `[${[...items, fieldRef].join(' ')}]` }];
  const newAcro = acro ? dictWith(acro, { Fields: `[${[...items, fieldRef].join(' ')}]` }) : `<< /Fields [${fieldRef}] >>`;
  return [{ num: root.num, body: dictWith(root.dict, { AcroForm: newAcro }) }];
}

export const FORGERIES = {
  newPage(pdf: Uint8Array, xref: XrefKind): Uint8Array {
    const view = openPdf(pdf).view();
    const n = nextNumber(view);
    const pagesRef = refOf(view.catalog().get('Pages'))!;
    const pages = view.dict(pagesRef)!;
    const kids = (view.resolve(pages.get('Kids')) as PdfValue[]).map(pdfText);
    const count = view.resolve(pages.get('Count')) as number;
    return appendUpdate(
      pdf,
      [
        { num: n, body: `<< /Type /Page /Parent ${pagesRef.num} 0 R /MediaBox [0 0 595 842] /Contents ${n + 1} 0 R /Resources << >> >>` },
        { num: n + 1, body: streamBody('<< >>', 'BT /F1 24 Tf 50 700 Td (Price: 1 KZT) Tj ET') },
        { num: pagesRef.num, body: dictWith(pages, { Kids: `[${[...kids, `${n} 0 R`].join(' ')}]`, Count: String(count + 1) }) },
      ],
      { xref },
    );
  },
  freeText(pdf: Uint8Array, xref: XrefKind): Uint8Array {
    const view = openPdf(pdf).view();
    const n = nextNumber(view);
    const page = firstPage(view);
    const annot = `<< /Type /Annot /Subtype /FreeText /Rect [50 500 350 540] /Contents (Total: 1 KZT) /DA (/Helv 14 Tf 0 g) /F 4 /P ${page.num} 0 R >>`;
    return appendUpdate(pdf, [{ num: n, body: annot }, ...appendToArray(view, page.num, page.dict, 'Annots', `${n} 0 R`)], { xref });
  },
  unsignedSignatureWidget(pdf: Uint8Array, xref: XrefKind): Uint8Array {
    const view = openPdf(pdf).view();
    const n = nextNumber(view);
    const page = firstPage(view);
    const widget = `<< /FT /Sig /Type /Annot /Subtype /Widget /T (Approval) /Rect [50 400 300 450] /F 4 /P ${page.num} 0 R /AP << /N ${n + 1} 0 R >> >>`;
    const ap = streamBody('<< /Type /XObject /Subtype /Form /BBox [0 0 250 50] /Resources << /Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>', 'BT /Helv 14 Tf 5 20 Td (APPROVED, 1 KZT) Tj ET');
    return appendUpdate(
      pdf,
      [{ num: n, body: widget }, { num: n + 1, body: ap }, ...appendToArray(view, page.num, page.dict, 'Annots', `${n} 0 R`), ...addToForm(view, `${n} 0 R`)],
      { xref },
    );
  },
  openAction(pdf: Uint8Array, xref: XrefKind): Uint8Array {
    const view = openPdf(pdf).view();
    const root = rootOf(view);
    return appendUpdate(pdf, [{ num: root.num, body: dictWith(root.dict, { OpenAction: '<< /S /JavaScript /JS (app.alert\\(1\\)) >>' }) }], { xref });
  },
  replacedContent(pdf: Uint8Array, xref: XrefKind): Uint8Array {
    const view = openPdf(pdf).view();
    const page = firstPage(view);
    const c = refOf(page.dict.get('Contents')) ?? refOf((view.resolve(page.dict.get('Contents')) as PdfValue[])[0]);
    return appendUpdate(pdf, [{ num: c!.num, body: streamBody('<< >>', 'BT /F1 14 Tf 50 780 Td (Supplier offer: total 1 KZT) Tj ET') }], { xref });
  },
};

/** Objects for an invisible document-timestamp field (its /V a /DocTimeStamp dictionary), on page 1. */
export function docTimestampField(view: PdfView, n: number): NewObject[] {
  const page = firstPage(view);
  const sig = `<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange [0 1 2 999999999] /Contents <00> >>`; // signs "later": its own check is the verifier's
  const widget = `<< /FT /Sig /Type /Annot /Subtype /Widget /T (Timestamp) /Rect [0 0 0 0] /F 132 /P ${page.num} 0 R /V ${n + 1} 0 R >>`;
  return [{ num: n, body: widget }, { num: n + 1, body: sig }, ...appendToArray(view, page.num, page.dict, 'Annots', `${n} 0 R`), ...addToForm(view, `${n} 0 R`)];
}

export { acroForm };
