/**
 * Forgeries of a signed PDF, each one change a forger would make after the supplier signed (issue
 * 13): appended as an incremental update with the hand-made writer (test/helpers/pdf-incremental),
 * edited in place, or rewritten by qpdf. The object numbers come from reading the signed document
 * with pdf-lib; the update uses the xref kind of the document (table or stream).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, type PDFPage } from 'pdf-lib';
import { appendUpdate, lastTrailer, streamBody, type NewObject } from '../../helpers/pdf-incremental';
import { run } from '../helpers/tools';

export const FORGERIES = ['new_page', 'free_text', 'sig_widget_text', 'open_action_js', 'drop_sig_field', 'replace_contents', 'redefine_page2', 'contents_padding', 'qpdf_rotate'] as const;
export type Forgery = (typeof FORGERIES)[number];

/**
 * `/DSS null` in every dictionary a forger adds: a no-op for every reader (a null value is an absent
 * key), but the regex classification of appended bytes took any `/DSS` for validation data — the
 * camouflage the review used. The forgery means exactly the same with or without it.
 */
const CAMO = '/DSS null';
const HELV = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const PAINT = (text: string, y = 700) => `q 1 0 0 rg BT /Helv 28 Tf 60 ${y} Td (${text}) Tj ET Q`;

interface Doc {
  doc: PDFDocument;
  next: () => number;
  pages: PDFPage[];
  xref: 'table' | 'stream';
}

async function open(signed: Uint8Array): Promise<Doc> {
  const doc = await PDFDocument.load(signed, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  const trailer = lastTrailer(signed);
  let n = Math.max(trailer.size, doc.context.largestObjectNumber + 1);
  const tail = Buffer.from(signed.subarray(trailer.startxref, trailer.startxref + 8)).toString('latin1');
  return { doc, next: () => n++, pages: doc.getPages(), xref: tail.startsWith('xref') ? 'table' : 'stream' };
}

const ref = (r: PDFRef) => `${r.objectNumber} ${r.generationNumber} R`;

/** Objects that add `annot` to page 1's /Annots (the array itself when indirect, else the page). */
function addToAnnots(d: Doc, annot: number): NewObject[] {
  const page = d.pages[0]!;
  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    const arr = d.doc.context.lookup(annots, PDFArray).clone(d.doc.context);
    arr.push(PDFRef.of(annot));
    return [{ num: annots.objectNumber, body: arr.toString() }];
  }
  const copy = page.node.clone(d.doc.context);
  const arr = annots instanceof PDFArray ? annots.clone(d.doc.context) : d.doc.context.obj([]);
  arr.push(PDFRef.of(annot));
  copy.set(PDFName.of('Annots'), arr);
  return [{ num: page.ref.objectNumber, body: copy.toString() }];
}

/**
 * The catalog with a change, and the AcroForm /Fields edited by `fields` (an inline form goes with
 * the catalog, an indirect one is its own object); the catalog is written only when it changed.
 */
function catalogWith(d: Doc, change: (catalog: PDFDict) => void, fields?: (arr: PDFArray) => void): NewObject[] {
  const ctx = d.doc.context;
  const rootRef = ctx.trailerInfo.Root as PDFRef;
  const catalog = d.doc.catalog.clone(ctx);
  const out: NewObject[] = [];
  change(catalog);
  if (fields) {
    const acroEntry = catalog.get(PDFName.of('AcroForm'));
    const acro = acroEntry instanceof PDFRef ? ctx.lookup(acroEntry, PDFDict).clone(ctx) : (acroEntry as PDFDict).clone(ctx);
    const entry = acro.get(PDFName.of('Fields'));
    if (entry instanceof PDFRef) {
      const arr = ctx.lookup(entry, PDFArray).clone(ctx);
      fields(arr);
      out.push({ num: entry.objectNumber, body: arr.toString() });
    } else {
      const arr = (entry as PDFArray).clone(ctx);
      fields(arr);
      acro.set(PDFName.of('Fields'), arr);
    }
    if (acroEntry instanceof PDFRef) out.push({ num: acroEntry.objectNumber, body: acro.toString() });
    else catalog.set(PDFName.of('AcroForm'), acro);
  }
  if (catalog.toString() !== d.doc.catalog.toString()) out.push({ num: rootRef.objectNumber, body: catalog.toString() });
  return out;
}

async function incremental(signed: Uint8Array, kind: Exclude<Forgery, 'contents_padding' | 'qpdf_rotate'>): Promise<Uint8Array> {
  const d = await open(signed);
  const ctx = d.doc.context;
  const page1 = d.pages[0]!;
  const objects: NewObject[] = [];
  switch (kind) {
    case 'new_page': {
      const content = d.next();
      const page = d.next();
      const pagesRef = page1.node.get(PDFName.of('Parent')) as PDFRef;
      const pages = ctx.lookup(pagesRef, PDFDict).clone(ctx);
      (pages.get(PDFName.of('Kids')) as PDFArray).push(PDFRef.of(page));
      pages.set(PDFName.of('Count'), PDFNumber.of(d.pages.length + 1));
      pages.set(PDFName.of('DSS'), PDFNull);
      objects.push(
        { num: content, body: streamBody(`<< ${CAMO} >>`, PAINT('ANNEX: PRICE 1 000 000 000 KZT')) },
        { num: page, body: `<< /Type /Page /Parent ${ref(pagesRef)} /MediaBox [0 0 595 842] /Contents ${content} 0 R /Resources << /Font << /Helv ${HELV} >> >> ${CAMO} >>` },
        { num: pagesRef.objectNumber, body: pages.toString() },
      );
      break;
    }
    case 'free_text': {
      const ap = d.next();
      const annot = d.next();
      objects.push(
        { num: ap, body: streamBody(`<< /Type /XObject /Subtype /Form /BBox [0 0 400 60] /Resources << /Font << /Helv ${HELV} >> >> ${CAMO} >>`, 'BT /Helv 28 Tf 4 20 Td (PAID IN FULL) Tj ET') },
        { num: annot, body: `<< /Type /Annot /Subtype /FreeText /Rect [60 600 460 660] /Contents (PAID IN FULL) /DA (/Helv 28 Tf 0 g) /F 4 /P ${ref(page1.ref)} /AP << /N ${ap} 0 R >> ${CAMO} >>` },
        ...addToAnnots(d, annot),
      );
      break;
    }
    case 'sig_widget_text': {
      // An empty signature field whose widget paints text: looks like part of the signed page.
      const ap = d.next();
      const widget = d.next();
      objects.push(
        { num: ap, body: streamBody(`<< /Type /XObject /Subtype /Form /BBox [0 0 400 60] /Resources << /Font << /Helv ${HELV} >> >> ${CAMO} >>`, 'BT /Helv 28 Tf 4 20 Td (AMOUNT: 0 KZT) Tj ET') },
        { num: widget, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /Rect [60 600 460 660] /F 4 /P ${ref(page1.ref)} /AP << /N ${ap} 0 R >> ${CAMO} >>` },
        ...addToAnnots(d, widget),
        ...catalogWith(d, () => {}, (a) => a.push(PDFRef.of(widget))),
      );
      break;
    }
    case 'open_action_js':
      objects.push(...catalogWith(d, (c) => c.set(PDFName.of('OpenAction'), ctx.obj({ S: 'JavaScript', JS: hexString("app.alert('This document is void');") }))));
      break;
    case 'drop_sig_field':
      // The supplier's signature field leaves /AcroForm /Fields (its widget stays on the page):
      // viewers that list the form's signatures no longer show it.
      objects.push(
        ...catalogWith(d, () => {}, (a) => {
          for (let i = a.size() - 1; i >= 0; i--) if (a.lookup(i, PDFDict).get(PDFName.of('FT')) === PDFName.of('Sig')) a.remove(i);
        }),
      );
      break;
    case 'replace_contents': {
      // Same object number, new stream: the page dictionary is untouched.
      const contents = page1.node.get(PDFName.of('Contents'));
      const num = contents instanceof PDFRef ? contents.objectNumber : (ctx.lookup(contents, PDFArray).get(0) as PDFRef).objectNumber;
      const font = (page1.node.Resources()?.lookup(PDFName.of('Font'), PDFDict).keys()[0] ?? PDFName.of('F1')).toString();
      objects.push({ num, body: streamBody(`<< ${CAMO} >>`, `BT ${font} 14 Tf 50 780 Td (Tax debt: 95 000 000 KZT, overdue) Tj ET`) });
      break;
    }
    case 'redefine_page2': {
      // Page 2 sits in an object stream in the objstm layout: just define the object again.
      const page2 = d.pages[1]!;
      const content = d.next();
      const copy = page2.node.clone(ctx);
      copy.set(PDFName.of('Contents'), PDFRef.of(content));
      copy.set(PDFName.of('Resources'), ctx.obj({ Font: { Helv: ctx.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' }) } }));
      objects.push({ num: content, body: streamBody(`<< ${CAMO} >>`, PAINT('This page replaced after signing')) }, { num: page2.ref.objectNumber, body: copy.toString() });
      break;
    }
  }
  return appendUpdate(signed, objects, { xref: d.xref });
}

/** A PDF string in hex (no escaping questions). */
const hexString = (s: string) => PDFHexString.of(Buffer.from(s, 'latin1').toString('hex'));

/** Changes zeros in the padding of the FIRST signature's /Contents (after its DER), in place. */
export function changePadding(signed: Uint8Array): Uint8Array {
  const text = Buffer.from(signed).toString('latin1');
  const m = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]/.exec(text);
  if (!m) throw new Error('no /ByteRange');
  const [gapStart, gapEnd] = [Number(m[1]), Number(m[2])];
  const hex = text.slice(gapStart + 1, gapEnd - 1);
  const tailZeros = hex.length - hex.replace(/0+$/, '').length;
  if (tailZeros < 4096) throw new Error('no zero padding to change');
  const at = gapEnd - 1 - Math.floor(tailZeros / 2);
  const out = new Uint8Array(signed);
  out.set(Buffer.from('DEADBEEF'.repeat(16), 'latin1'), at);
  return out;
}

function qpdf(signed: Uint8Array, dir: string, args: string[]): Uint8Array {
  const src = join(dir, `qpdf-in-${process.pid}.pdf`);
  const out = join(dir, `qpdf-out-${process.pid}.pdf`);
  writeFileSync(src, signed);
  const r = run('qpdf', [...args, src, out]);
  // qpdf exits 3 for warnings (it still writes the file).
  if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf ${args.join(' ')}: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

export async function forge(signed: Uint8Array, kind: Forgery, dir: string): Promise<Uint8Array> {
  if (kind === 'contents_padding') return changePadding(signed);
  if (kind === 'qpdf_rotate') return qpdf(signed, dir, ['--rotate=+90:1']);
  return incremental(signed, kind);
}
