/**
 * The incremental update that adds an empty PAdES signature, built from the bounded reader's
 * view of the document (src-shared/pdf): only the trailer, the xref chain and the few objects a
 * signature touches are read — the catalog, the AcroForm and its /Fields, the first page and its
 * /Annots — never the whole document. Written: the signature dictionary, an invisible widget
 * that is also the field, the changed page (or its /Annots array), the AcroForm (/Fields,
 * /SigFlags 3), the catalog when the form is inline or /Perms is set (certification), and a new
 * xref section of the same kind as the last one (classic table or xref stream) with /Prev.
 */
import { PdfDict, PdfReadError, PdfRef, PdfString, type PdfSourceDocument, type PdfValue, type PdfView } from '../pdf/model';
import { AppError } from '../rpc/errors';
import { fromLatin1 } from './bytes';
import { pdfDate, pdfDict, pdfTextString, pdfValue } from './pdf-syntax';

export interface PadesOptions {
  fieldName?: string;
  /** Shown in viewers; signer names may be Cyrillic (written as UTF-16 text strings). */
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Written as /M (claimed time). No signingTime goes into the CMS (PAdES baseline). */
  signingTime?: Date;
  /** Bytes reserved for the CMS (the hex placeholder is twice as long). */
  placeholderBytes?: number;
  /**
   * Certification (DocMDP) signature: 1 = no changes allowed afterwards, 2 = form filling and
   * signatures, 3 = also annotations. Only for the first signature of a document.
   */
  certify?: 1 | 2 | 3;
}

/** The update to append to the file, and where (in the whole signed file) the signature goes. */
export interface SignatureUpdate {
  update: Uint8Array;
  byteRange: [number, number, number, number];
  /** Offset of '<' and one past '>' of the /Contents hex string. */
  contentsStart: number;
  contentsEnd: number;
  fieldName: string;
}

export const PADES_SUBFILTER = 'ETSI.CAdES.detached';
export const DEFAULT_PLACEHOLDER = 24 * 1024;
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';
/** A form with more top-level fields than this is not a document anyone signs; names beyond it are not checked. */
const MAX_FIELDS = 100_000;

/** Reader refusals keep their meaning; codes the app has no sentence for yet read as an unreadable PDF. */
export function readerError(e: unknown): unknown {
  if (!(e instanceof PdfReadError)) return e;
  if (e.code === 'pdf_encrypted') return new AppError('pdf_encrypted', 'The PDF is encrypted');
  return new AppError('pdf_invalid', `The PDF cannot be read: ${e.message}`, { reason: e.code });
}

/** The first leaf of the page tree, depth first, cycle-safe; only the nodes on the way are read. */
function firstPage(view: PdfView): { ref: PdfRef; dict: PdfDict } {
  const root = view.catalog().get('Pages');
  const stack: PdfValue[] = root instanceof PdfRef ? [root] : [];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const ref = stack.pop();
    if (!(ref instanceof PdfRef) || seen.has(ref.key)) continue;
    seen.add(ref.key);
    if (seen.size > view.xref.size + 1) break;
    const node = view.resolve(ref);
    if (!(node instanceof PdfDict)) continue;
    const kids = view.resolve(node.get('Kids'));
    if (node.name('Type') === 'Pages' || (node.name('Type') !== 'Page' && Array.isArray(kids))) {
      if (Array.isArray(kids)) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      continue;
    }
    return { ref, dict: node };
  }
  throw new AppError('pdf_invalid', 'The PDF has no pages');
}

function fieldNames(view: PdfView, acro: PdfDict | undefined): Set<string> {
  const out = new Set<string>();
  const fields = view.resolve(acro?.get('Fields'));
  if (!Array.isArray(fields)) return out;
  for (const f of fields.slice(0, MAX_FIELDS)) {
    const t = view.resolve(view.dict(f)?.get('T'));
    if (t instanceof PdfString) out.add(t.text());
  }
  return out;
}

function uniqueFieldName(wanted: string | undefined, taken: Set<string>): string {
  if (wanted && !taken.has(wanted)) return wanted;
  let n = 1;
  while (taken.has(`Signature${n}`)) n++;
  return `Signature${n}`;
}

/** A copy of a dictionary with some entries replaced or added (values as PdfValue or PDF syntax). */
function withEntries(d: PdfDict | undefined, changes: Record<string, PdfValue | string>): Map<string, PdfValue | string> {
  const m = new Map<string, PdfValue | string>(d?.entries ?? []);
  for (const [k, v] of Object.entries(changes)) m.set(k, v);
  return m;
}

/** An array object's value, or a refusal when the reference leads elsewhere. */
function arrayAt(view: PdfView, ref: PdfRef, what: string): PdfValue[] {
  const v = view.object(ref.num);
  if (!Array.isArray(v)) throw new AppError('pdf_invalid', `The PDF's ${what} is not an array`);
  return v;
}

interface Written {
  num: number;
  gen: number;
  body: string;
}

export function buildSignatureUpdate(doc: PdfSourceDocument, o: PadesOptions = {}): SignatureUpdate {
  try {
    return build(doc, o);
  } catch (e) {
    throw readerError(e);
  }
}

function build(doc: PdfSourceDocument, o: PadesOptions): SignatureUpdate {
  const view = doc.view();
  const rev = view.revision;
  const fileLength = doc.length;
  const rootRef = rev.trailer.get('Root');
  if (!(rootRef instanceof PdfRef)) throw new AppError('pdf_invalid', 'The PDF has no catalog reference');
  const catalog = view.catalog();
  const page = firstPage(view);

  let largest = 0;
  for (const n of view.xref.keys()) if (n > largest) largest = n;
  const size = rev.trailer.get('Size');
  let next = Math.max(largest + 1, typeof size === 'number' && Number.isSafeInteger(size) ? size : 0);
  const sigNum = next++;
  const widgetNum = next++;
  const widgetRef = new PdfRef(widgetNum, 0);
  const written: Written[] = [];
  // One object rewritten once: an /Annots array that is also the form's /Fields gains the widget once.
  const write = (w: Written) => {
    if (!written.some((x) => x.num === w.num)) written.push(w);
  };

  const acroEntry = catalog.get('AcroForm');
  const acro = view.dict(acroEntry);
  const fieldName = uniqueFieldName(o.fieldName, fieldNames(view, acro));

  // Signature dictionary; the CMS goes into /Contents later, /ByteRange is filled in below.
  const placeholder = o.placeholderBytes ?? DEFAULT_PLACEHOLDER;
  const sigParts = ['/Type /Sig', '/Filter /Adobe.PPKLite', `/SubFilter /${PADES_SUBFILTER}`, BYTE_RANGE_PLACEHOLDER, `/Contents <${'0'.repeat(placeholder * 2)}>`, `/M ${pdfTextString(pdfDate(o.signingTime ?? new Date()))}`];
  if (o.name) sigParts.push(`/Name ${pdfTextString(o.name)}`);
  if (o.reason) sigParts.push(`/Reason ${pdfTextString(o.reason)}`);
  if (o.location) sigParts.push(`/Location ${pdfTextString(o.location)}`);
  if (o.contactInfo) sigParts.push(`/ContactInfo ${pdfTextString(o.contactInfo)}`);
  if (o.certify) {
    sigParts.push(`/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${o.certify} /V /1.2 >> >>]`);
  }
  sigParts.push('/Prop_Build << /App << /Name /Seriktes >> >>');
  write({ num: sigNum, gen: 0, body: `<<\n${sigParts.join('\n')}\n>>` });

  // Invisible widget, merged with its signature field, on the first page.
  write({
    num: widgetNum,
    gen: 0,
    body: `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/T ${pdfTextString(fieldName)}\n/V ${sigNum} 0 R\n/F 132\n/Rect [0 0 0 0]\n/P ${page.ref.num} ${page.ref.gen} R\n>>`,
  });

  // The page's /Annots gains the widget: the array object itself when indirect, else the page.
  const annots = page.dict.get('Annots');
  if (annots instanceof PdfRef) {
    write({ num: annots.num, gen: annots.gen, body: pdfValue([...arrayAt(view, annots, 'page /Annots'), widgetRef]) });
  } else {
    const arr = Array.isArray(annots) ? [...annots, widgetRef] : [widgetRef];
    write({ num: page.ref.num, gen: page.ref.gen, body: pdfDict(withEntries(page.dict, { Annots: arr })) });
  }

  // The form: /Fields gains the field, /SigFlags 3 (signatures exist, append only).
  const fieldsEntry = acro?.get('Fields');
  const acroChanges: Record<string, PdfValue | string> = { SigFlags: 3 };
  if (fieldsEntry instanceof PdfRef) {
    write({ num: fieldsEntry.num, gen: fieldsEntry.gen, body: pdfValue([...arrayAt(view, fieldsEntry, 'AcroForm /Fields'), widgetRef]) });
  } else {
    acroChanges.Fields = Array.isArray(fieldsEntry) ? [...fieldsEntry, widgetRef] : [widgetRef];
  }
  const newAcro = pdfDict(withEntries(acro, acroChanges));
  const catalogChanges: Record<string, PdfValue | string> = {};
  if (acroEntry instanceof PdfRef && acro) write({ num: acroEntry.num, gen: acroEntry.gen, body: newAcro });
  else catalogChanges.AcroForm = newAcro;
  if (o.certify) {
    // Existing permissions (a UR3) stay; DocMDP names this signature.
    catalogChanges.Perms = pdfDict(withEntries(view.dict(catalog.get('Perms')), { DocMDP: new PdfRef(sigNum, 0) }));
  }
  if (Object.keys(catalogChanges).length > 0) write({ num: rootRef.num, gen: rootRef.gen, body: pdfDict(withEntries(catalog, catalogChanges)) });

  return serialize(doc, fileLength, written, next, sigNum, placeholder, fieldName);
}

function serialize(doc: PdfSourceDocument, fileLength: number, written: Written[], nextNum: number, sigNum: number, placeholder: number, fieldName: string): SignatureUpdate {
  const rev = doc.revisions[doc.revisions.length - 1]!;
  const last = fileLength > 0 ? doc.source.read(fileLength - 1, fileLength)[0] : undefined;
  let text = last === 0x0a || last === 0x0d ? '' : '\n';
  const offsets = new Map<number, { offset: number; gen: number }>();
  let sigAt = 0;
  for (const w of written) {
    const offset = fileLength + text.length;
    offsets.set(w.num, { offset, gen: w.gen });
    const head = `${w.num} ${w.gen} obj\n`;
    if (w.num === sigNum) sigAt = offset + head.length;
    text += `${head}${w.body}\nendobj\n`;
  }
  const trailer = trailerEntries(rev.trailer, rev.startxref);
  let next = nextNum;
  if (rev.xrefKind === 'table') {
    const xrefAt = fileLength + text.length;
    text += `xref\n${tableSubsections(offsets)}trailer\n<<\n/Size ${next}\n${trailer}\n>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  } else {
    const xrefNum = next++;
    const xrefAt = fileLength + text.length;
    offsets.set(xrefNum, { offset: xrefAt, gen: 0 });
    const { index, data, widths } = streamRows(offsets);
    text += `${xrefNum} 0 obj\n<<\n/Type /XRef\n/Size ${next}\n/W [${widths.join(' ')}]\n/Index [${index.join(' ')}]\n${trailer}\n/Length ${data.length}\n>>\nstream\n${data}\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
  }
  const update = fromLatin1(text);
  // The signature dictionary's text starts at sigAt: '<<\n' then the parts in order.
  const sigText = text.slice(sigAt - fileLength, sigAt - fileLength + 1024);
  const contentsStart = sigAt + sigText.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsStart + placeholder * 2 + 2;
  const total = fileLength + update.length;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, total - contentsEnd];
  const br = `/ByteRange [${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  if (br.length !== BYTE_RANGE_PLACEHOLDER.length) throw new AppError('pdf_too_large', 'The PDF is too large to sign');
  update.set(fromLatin1(br), sigAt - fileLength + sigText.indexOf(BYTE_RANGE_PLACEHOLDER));
  return { update, byteRange, contentsStart, contentsEnd, fieldName };
}

/** /Root, /Info and /ID carried over from the last section; /Prev links the chain. */
function trailerEntries(t: PdfDict, prev: number): string {
  const parts = [`/Root ${pdfValue(t.get('Root'))}`];
  const info = t.get('Info');
  if (info instanceof PdfRef) parts.push(`/Info ${pdfValue(info)}`);
  const id = t.get('ID');
  if (Array.isArray(id)) parts.push(`/ID ${pdfValue(id)}`);
  parts.push(`/Prev ${prev}`);
  return parts.join('\n');
}

function runs(nums: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of [...nums].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === n) last[1]++;
    else out.push([n, 1]);
  }
  return out;
}

function tableSubsections(offsets: Map<number, { offset: number; gen: number }>): string {
  let s = '';
  for (const [start, count] of runs([...offsets.keys()])) {
    s += `${start} ${count}\n`;
    for (let n = start; n < start + count; n++) {
      const e = offsets.get(n)!;
      s += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
    }
  }
  return s;
}

/** Uncompressed xref stream rows (type 1), offset field as wide as the largest offset needs. */
function streamRows(offsets: Map<number, { offset: number; gen: number }>): { index: number[]; data: string; widths: number[] } {
  let max = 0;
  for (const e of offsets.values()) max = Math.max(max, e.offset);
  let w = 1;
  while (w < 8 && max >= 2 ** (8 * w)) w++;
  const index: number[] = [];
  let data = '';
  for (const [start, count] of runs([...offsets.keys()])) {
    index.push(start, count);
    for (let n = start; n < start + count; n++) {
      const e = offsets.get(n)!;
      let row = String.fromCharCode(1);
      for (let k = w - 1; k >= 0; k--) row += String.fromCharCode(Math.floor(e.offset / 2 ** (8 * k)) & 255);
      data += row + String.fromCharCode((e.gen >> 8) & 255, e.gen & 255);
    }
  }
  return { index, data, widths: [1, w, 2] };
}
