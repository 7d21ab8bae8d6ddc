/**
 * Fixtures for the modification-analysis tests: a signed base document (our own signer, the test
 * PKI), a PDF value writer (reader values back to PDF syntax, so a test can rewrite any object with
 * test/helpers/pdf-incremental.ts), and the analysis of one signature without the CMS check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue, type PdfView } from '../../../src-shared/pdf';
import { openPdf } from '../../../src-shared/pdf/reader';
import { analyzeChanges } from '../../../src-shared/signing/modifications';
import { scanPdfSignatures } from '../../../src-shared/signing/pdf-signatures';
import type { PdfRevisionChanges } from '../../../src-shared/signing/report';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../../src-main/signing/sign-file';
import { appendUpdate, streamBody, type NewObject } from '../../helpers/pdf-incremental';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './test-pki';
import { run } from './tools';

const NAME_OK = /^[!-~]$/;
const escapeName = (n: string) => [...n].map((c) => (NAME_OK.test(c) && !'()<>[]{}/%#'.includes(c) ? c : `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A reader value as PDF syntax (strings as hex, so any bytes survive). */
export function pdfText(v: PdfValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (v instanceof PdfName) return `/${escapeName(v.name)}`;
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (v instanceof PdfString) return `<${hex(v.bytes)}>`;
  if (Array.isArray(v)) return `[${v.map(pdfText).join(' ')}]`;
  if (v instanceof PdfDict) return `<< ${v.keys().map((k) => `/${escapeName(k)} ${pdfText(v.get(k)!)}`).join(' ')} >>`;
  throw new Error('pdfText: a stream is written with streamObject');
}

/** A dictionary with some keys replaced (a string of PDF syntax) or removed (null). */
export function dictWith(d: PdfDict, changes: Record<string, string | null> = {}): string {
  const parts = d.keys().filter((k) => !(k in changes)).map((k) => `/${escapeName(k)} ${pdfText(d.get(k)!)}`);
  for (const [k, v] of Object.entries(changes)) if (v !== null) parts.push(`/${k} ${v}`);
  return `<< ${parts.join(' ')} >>`;
}

/** A stream object rewritten uncompressed (its decoded data, optionally changed). */
export function streamObject(view: PdfView, s: PdfStream, data?: Uint8Array | string): Uint8Array {
  return streamBody(dictWith(s.dict, { Length: null, Filter: null, DecodeParms: null, DL: null }), data ?? view.streamData(s));
}

/** The object `num` of a view written back as an update body, unchanged (or through `change`). */
export function objectBody(view: PdfView, num: number): string | Uint8Array {
  const v = view.object(num)!;
  return v instanceof PdfStream ? streamObject(view, v) : pdfText(v);
}

/** Every object reachable from the view's trailer (/Root, /Info), by reference. */
export function reachable(view: PdfView): number[] {
  const seen = new Set<number>();
  const stack: PdfValue[] = [view.revision.trailer.get('Root') ?? null, view.revision.trailer.get('Info') ?? null];
  while (stack.length) {
    const v = stack.pop()!;
    if (v instanceof PdfRef) {
      if (seen.has(v.num) || view.object(v.num) === undefined) continue;
      seen.add(v.num);
      stack.push(view.object(v.num)!);
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof PdfStream) stack.push(v.dict);
    else if (v instanceof PdfDict) for (const k of v.keys()) stack.push(v.get(k)!);
  }
  return [...seen].sort((a, b) => a - b);
}

export interface Fixture {
  pki: TestPki;
  supplier: SigningIdentity;
  cosigner: SigningIdentity;
}

export async function createFixture(): Promise<Fixture> {
  const pki = createTestPki();
  const supplier = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead], key: 'tsa' }), 'y'), 'y');
  const cosigner = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'x'), 'x');
  return { pki, supplier, cosigner };
}

/** A document with pages of text, a text field and pdf-lib's Info; object streams via qpdf when asked. */
export async function baseDocument(pki: TestPki, o: { pages?: number; objectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (o.pages ?? 3); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Supplier offer, page ${i + 1}: total 1 000 000 KZT`, { x: 50, y: 780, size: 14, font });
  }
  const field = doc.getForm().createTextField('comment');
  field.setText('none');
  field.addToPage(doc.getPage(0), { x: 50, y: 600, width: 200, height: 24 });
  const plain = await doc.save({ useObjectStreams: false });
  if (!o.objectStreams) return plain;
  const src = pki.write(`base-${Math.random().toString(36).slice(2)}.pdf`, plain);
  const out = join(pki.dir, `os-${Math.random().toString(36).slice(2)}.pdf`);
  const r = run('qpdf', ['--object-streams=generate', src, out]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

export async function sign(pdf: Uint8Array, identity: SigningIdentity, certify?: 1 | 2 | 3): Promise<Uint8Array> {
  return (await signPdf(pdf, { identity, ...(certify ? { appearance: { certify } } : {}) })).pdf;
}

/** The changes after a signature (by index, oldest first, or field name), judged by the analysis alone. */
export function changesOf(pdf: Uint8Array, which: number | string = 'Signature1'): PdfRevisionChanges {
  const scan = scanPdfSignatures(pdf);
  if (!scan.doc) throw new Error(`reader refused: ${scan.readError?.code}`);
  const f = typeof which === 'number' ? scan.signatures[which] : scan.signatures.find((s) => s.fieldName === which);
  if (!f) throw new Error(`no signature ${which}`);
  return analyzeChanges(scan.doc, f);
}

/** The final view of a document (to find object numbers to rewrite). */
export const lastView = (pdf: Uint8Array): PdfView => openPdf(pdf).view();

export { appendUpdate, streamBody, type NewObject };
