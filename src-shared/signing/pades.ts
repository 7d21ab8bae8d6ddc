/**
 * PAdES signature placeholder written as an INCREMENTAL UPDATE: the original
 * bytes stay an exact prefix of the output, so earlier signatures keep verifying.
 * pdf-lib is used only to read the document (it understands classic xref tables,
 * xref streams and object streams); the update itself — signature dictionary,
 * widget, changed page/catalog/AcroForm and a new xref section of the same kind
 * as the previous one — is written here byte by byte.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { AppError } from '../rpc/errors';
import { concat, fromLatin1, latin1, toHex } from './bytes';

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

export interface PreparedPdf {
  bytes: Uint8Array;
  byteRange: [number, number, number, number];
  /** Offset of '<' and one past '>' of the /Contents hex string. */
  contentsStart: number;
  contentsEnd: number;
  fieldName: string;
}

export const PADES_SUBFILTER = 'ETSI.CAdES.detached';
const DEFAULT_PLACEHOLDER = 24 * 1024;
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';

export function pdfTextString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/([\\()])/g, '\\$1')})`;
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

export function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

interface XrefInfo {
  startxref: number;
  kind: 'table' | 'stream';
  size: number;
}

export function lastXref(pdf: Uint8Array): XrefInfo {
  const tailStart = Math.max(0, pdf.length - 4096);
  const tail = latin1(pdf, tailStart);
  const idx = tail.lastIndexOf('startxref');
  if (idx < 0) throw new AppError('pdf_invalid', 'No startxref in the PDF');
  const m = /startxref\s+(\d+)/.exec(tail.slice(idx));
  if (!m) throw new AppError('pdf_invalid', 'Bad startxref in the PDF');
  const startxref = Number(m[1]);
  if (startxref >= pdf.length) throw new AppError('pdf_invalid', 'startxref points outside the file');
  const head = latin1(pdf, startxref, Math.min(pdf.length, startxref + 4096));
  if (head.startsWith('xref')) {
    // Classic table: the trailer follows the table; scan forward in chunks (no whole-file string).
    const CHUNK = 1 << 16;
    for (let at = startxref; at < pdf.length; at += CHUNK - 16) {
      const region = latin1(pdf, at, Math.min(pdf.length, at + CHUNK + 4096));
      const t = region.indexOf('trailer');
      if (t >= 0) {
        const sizeMatch = /\/Size\s+(\d+)/.exec(region.slice(t, t + 4096));
        return { startxref, kind: 'table', size: sizeMatch ? Number(sizeMatch[1]) : 0 };
      }
    }
    return { startxref, kind: 'table', size: 0 };
  }
  const sizeMatch = /\/Size\s+(\d+)/.exec(head);
  return { startxref, kind: 'stream', size: sizeMatch ? Number(sizeMatch[1]) : 0 };
}

function fieldNames(acroForm: PDFDict | undefined): string[] {
  const out: string[] = [];
  const fields = acroForm?.lookup(PDFName.of('Fields'));
  if (!(fields instanceof PDFArray)) return out;
  for (let i = 0; i < fields.size(); i++) {
    const f = fields.lookup(i);
    if (!(f instanceof PDFDict)) continue;
    const t = f.lookup(PDFName.of('T'));
    if (t instanceof PDFString || t instanceof PDFHexString) out.push(t.decodeText());
  }
  return out;
}

export async function loadPdf(pdf: Uint8Array): Promise<PDFDocument> {
  if (latin1(pdf, 0, Math.min(pdf.length, 1024)).indexOf('%PDF-') < 0) throw new AppError('pdf_invalid', 'Not a PDF file');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    throw new AppError('pdf_invalid', 'The PDF cannot be read');
  }
  if (doc.isEncrypted) throw new AppError('pdf_encrypted', 'The PDF is encrypted');
  return doc;
}

/** Appends an incremental update with an empty signature; returns where the CMS goes. */
export async function preparePdfForSigning(pdf: Uint8Array, o: PadesOptions = {}): Promise<PreparedPdf> {
  const doc = await loadPdf(pdf);
  const ctx = doc.context;
  const xref = lastXref(pdf);
  const rootRef = ctx.trailerInfo.Root;
  if (!(rootRef instanceof PDFRef)) throw new AppError('pdf_invalid', 'The PDF has no catalog reference');
  const catalog = ctx.lookup(rootRef, PDFDict);
  const pages = doc.getPages();
  const page = pages[0];
  if (!page) throw new AppError('pdf_invalid', 'The PDF has no pages');

  let next = Math.max(ctx.largestObjectNumber + 1, xref.size);
  const sigNum = next++;
  const widgetNum = next++;
  const written: { num: number; gen: number; body: string }[] = [];

  // Form and field name.
  const acroEntry = catalog.get(PDFName.of('AcroForm'));
  const acroDict = acroEntry instanceof PDFRef ? ctx.lookup(acroEntry, PDFDict) : acroEntry instanceof PDFDict ? acroEntry : undefined;
  const taken = new Set(fieldNames(acroDict));
  let fieldName = o.fieldName ?? '';
  if (!fieldName || taken.has(fieldName)) {
    let n = 1;
    while (taken.has(`Signature${n}`)) n++;
    fieldName = `Signature${n}`;
  }

  // Signature dictionary (the CMS goes into /Contents later).
  const placeholder = o.placeholderBytes ?? DEFAULT_PLACEHOLDER;
  const sigParts = [
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    `/SubFilter /${PADES_SUBFILTER}`,
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${'0'.repeat(placeholder * 2)}>`,
    `/M ${pdfTextString(pdfDate(o.signingTime ?? new Date()))}`,
  ];
  if (o.name) sigParts.push(`/Name ${pdfTextString(o.name)}`);
  if (o.reason) sigParts.push(`/Reason ${pdfTextString(o.reason)}`);
  if (o.location) sigParts.push(`/Location ${pdfTextString(o.location)}`);
  if (o.contactInfo) sigParts.push(`/ContactInfo ${pdfTextString(o.contactInfo)}`);
  if (o.certify) {
    sigParts.push(`/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${o.certify} /V /1.2 >> >>]`);
  }
  sigParts.push('/Prop_Build << /App << /Name /Seriktes >> >>');
  written.push({ num: sigNum, gen: 0, body: `<<\n${sigParts.join('\n')}\n>>` });

  // Invisible widget + signature field on page 1.
  written.push({
    num: widgetNum,
    gen: 0,
    body: `<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n/T ${pdfTextString(fieldName)}\n/V ${sigNum} 0 R\n/F 132\n/Rect [0 0 0 0]\n/P ${page.ref.toString()}\n>>`,
  });
  const widgetRef = PDFRef.of(widgetNum, 0);

  // Page /Annots gets the widget.
  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    const arr = ctx.lookup(annots, PDFArray).clone(ctx);
    arr.push(widgetRef);
    written.push({ num: annots.objectNumber, gen: annots.generationNumber, body: arr.toString() });
  } else {
    const pageCopy = page.node.clone(ctx);
    const arr = annots instanceof PDFArray ? annots.clone(ctx) : ctx.obj([]);
    arr.push(widgetRef);
    pageCopy.set(PDFName.of('Annots'), arr);
    written.push({ num: page.ref.objectNumber, gen: page.ref.generationNumber, body: pageCopy.toString() });
  }

  // AcroForm /Fields gets the field; /SigFlags 3 (signatures exist, append only).
  const newAcro = (acroDict ?? ctx.obj({})).clone(ctx);
  newAcro.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const fieldsEntry = newAcro.get(PDFName.of('Fields'));
  if (fieldsEntry instanceof PDFRef) {
    const arr = ctx.lookup(fieldsEntry, PDFArray).clone(ctx);
    arr.push(widgetRef);
    written.push({ num: fieldsEntry.objectNumber, gen: fieldsEntry.generationNumber, body: arr.toString() });
  } else {
    const arr = fieldsEntry instanceof PDFArray ? fieldsEntry.clone(ctx) : ctx.obj([]);
    arr.push(widgetRef);
    newAcro.set(PDFName.of('Fields'), arr);
  }
  const catCopy = catalog.clone(ctx);
  let catalogChanged = false;
  if (acroEntry instanceof PDFRef) {
    written.push({ num: acroEntry.objectNumber, gen: acroEntry.generationNumber, body: newAcro.toString() });
  } else {
    catCopy.set(PDFName.of('AcroForm'), newAcro);
    catalogChanged = true;
  }
  if (o.certify) {
    catCopy.set(PDFName.of('Perms'), ctx.obj({ DocMDP: PDFRef.of(sigNum, 0) }));
    catalogChanged = true;
  }
  if (catalogChanged) written.push({ num: rootRef.objectNumber, gen: rootRef.generationNumber, body: catCopy.toString() });

  // Serialize the update.
  const prefix = pdf[pdf.length - 1] === 0x0a || pdf[pdf.length - 1] === 0x0d ? '' : '\n';
  let text = prefix;
  const offsets = new Map<number, { offset: number; gen: number }>();
  let sigObjectOffset = 0;
  for (const w of written) {
    const offset = pdf.length + text.length;
    offsets.set(w.num, { offset, gen: w.gen });
    if (w.num === sigNum) sigObjectOffset = offset;
    text += `${w.num} ${w.gen} obj\n${w.body}\nendobj\n`;
  }
  const trailerEntries = trailerCommon(doc, rootRef, xref.startxref);
  if (xref.kind === 'table') {
    const xrefOffset = pdf.length + text.length;
    const size = Math.max(next, xref.size);
    text += `xref\n${xrefSubsections(offsets)}trailer\n<<\n/Size ${size}\n${trailerEntries}\n>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  } else {
    const xrefNum = next++;
    const xrefOffset = pdf.length + text.length;
    offsets.set(xrefNum, { offset: xrefOffset, gen: 0 });
    const { index, data } = xrefStreamData(offsets);
    const size = Math.max(next, xref.size);
    text +=
      `${xrefNum} 0 obj\n<<\n/Type /XRef\n/Size ${size}\n/W [1 4 2]\n/Index [${index.join(' ')}]\n${trailerEntries}\n/Length ${data.length}\n>>\nstream\n` +
      data +
      `\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`;
  }

  const update = fromLatin1(text);
  const bytes = concat([pdf, update]);
  // Locate /Contents <...> and fill in /ByteRange.
  const sigText = latin1(bytes, sigObjectOffset, sigObjectOffset + 512 + placeholder * 2);
  const cIdx = sigText.indexOf('/Contents <');
  const contentsStart = sigObjectOffset + cIdx + '/Contents '.length;
  const contentsEnd = contentsStart + placeholder * 2 + 2;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
  const brIdx = sigObjectOffset + sigText.indexOf(BYTE_RANGE_PLACEHOLDER);
  const br = `/ByteRange [${byteRange.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  if (br.length !== BYTE_RANGE_PLACEHOLDER.length) throw new AppError('pdf_too_large', 'The PDF is too large to sign');
  bytes.set(fromLatin1(br), brIdx);
  return { bytes, byteRange, contentsStart, contentsEnd, fieldName };
}

function trailerCommon(doc: PDFDocument, rootRef: PDFRef, prev: number): string {
  const t = doc.context.trailerInfo;
  const parts = [`/Root ${rootRef.toString()}`];
  if (t.Info instanceof PDFRef) parts.push(`/Info ${t.Info.toString()}`);
  if (t.ID) parts.push(`/ID ${(t.ID as PDFObject).toString()}`);
  parts.push(`/Prev ${prev}`);
  return parts.join('\n');
}

function runs(nums: number[]): [number, number][] {
  const sorted = [...nums].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === n) last[1]++;
    else out.push([n, 1]);
  }
  return out;
}

function xrefSubsections(offsets: Map<number, { offset: number; gen: number }>): string {
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

function xrefStreamData(offsets: Map<number, { offset: number; gen: number }>): { index: number[]; data: string } {
  const index: number[] = [];
  let data = '';
  for (const [start, count] of runs([...offsets.keys()])) {
    index.push(start, count);
    for (let n = start; n < start + count; n++) {
      const e = offsets.get(n)!;
      const o = e.offset;
      data += String.fromCharCode(1, (o >>> 24) & 255, (o >>> 16) & 255, (o >>> 8) & 255, o & 255, (e.gen >> 8) & 255, e.gen & 255);
    }
  }
  return { index, data };
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
