/** PDFs for the portal's document tests: stamped (serial in Info + XMP), signed, edited after signing. */
import { PDFDict, PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { SERIAL_INFO_KEY } from '../../src-shared/documents/serial';
import { lastXref } from '../../src-shared/signing/pades';
import { call, sha256 } from './helpers';

/** A one-page PDF; with a serial, written like the app's stamping does (Info dictionary and XMP dc:identifier). */
export async function stampedPdf(text: string, serial?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 14, font });
  if (serial) {
    // pdf-lib keeps its Info dictionary private: reach it through the trailer, as a reader would.
    const info = doc.context.lookup(doc.context.trailerInfo.Info);
    if (!(info instanceof PDFDict)) throw new Error('no Info dictionary');
    info.set(PDFName.of(SERIAL_INFO_KEY), PDFString.of(serial));
    const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier>${serial}</dc:identifier></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const stream = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
    doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  }
  return doc.save({ useObjectStreams: false });
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/**
 * An incremental update after the last signature that rewrites the first page so it shows one more
 * line of text (a new content stream and a new version of the page object): an edit, not a signature.
 */
export async function editFirstPageAfterSigning(signed: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(signed, { updateMetadata: false });
  const page = doc.getPage(0);
  const pageNum = page.ref.objectNumber;
  const { startxref, size } = lastXref(signed);
  const contentNum = Math.max(size, doc.context.largestObjectNumber + 1);
  const dict = page.node.toString().replace(/\/Contents\s+(\d+ \d+ R|\[[^\]]*\])/, (_m, c: string) => `/Contents [${c.replace(/^\[|\]$/g, '')} ${contentNum} 0 R]`);
  const content = 'BT /Helvetica 24 Tf 50 700 Td (PAID IN FULL) Tj ET';
  const parts: Buffer[] = [Buffer.from(signed)];
  let at = signed.length;
  const push = (s: string) => {
    parts.push(latin1(s));
    at += Buffer.byteLength(s, 'latin1');
  };
  push('\n');
  const contentAt = at;
  push(`${contentNum} 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`);
  const pageAt = at;
  push(`${pageNum} 0 obj\n${dict}\nendobj\n`);
  const xrefAt = at;
  const entry = (n: number) => `${String(n).padStart(10, '0')} 00000 n \n`;
  const rows = [[pageNum, pageAt], [contentNum, contentAt]].sort((a, b) => a[0]! - b[0]!);
  push(`xref\n0 1\n0000000000 65535 f \n${rows.map(([n, o]) => `${n} 1\n${entry(o!)}`).join('')}`);
  push(`trailer\n<< /Size ${contentNum + 1} /Root ${doc.context.trailerInfo.Root!.toString()} /Prev ${startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}

export interface UploadOutcome {
  uploadId: string;
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Create → one PUT → finalize, as the app's uploader does (files here are small). */
export async function uploadFile(base: string, token: string, bytes: Uint8Array, name = 'document.pdf'): Promise<UploadOutcome> {
  const created = await call(base, 'POST', '/api/uploads', { token, body: { size: bytes.length, sha256: sha256(bytes), name } });
  if (created.status !== 200) throw new Error(`create upload: ${created.status} ${created.bytes.toString()}`);
  const uploadId = created.json.uploadId as string;
  const put = await call(base, 'PUT', `/api/uploads/${uploadId}`, { token, raw: bytes, query: { offset: 0 } });
  if (put.status !== 200) throw new Error(`put: ${put.status} ${put.bytes.toString()}`);
  const fin = await call(base, 'POST', `/api/uploads/${uploadId}/finalize`, { token });
  return { uploadId, status: fin.status, json: fin.json };
}

/** GET with request headers (Accept, Accept-Language), answering like `call`. */
export async function get(base: string, path: string, o: { headers?: Record<string, string>; query?: Record<string, string> } = {}) {
  const u = new URL(path, base);
  for (const [k, v] of Object.entries(o.query ?? {})) u.searchParams.set(k, v);
  const res = await fetch(u, { headers: o.headers ?? {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('application/json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : null;
  return { status: res.status, headers: res.headers, bytes, json };
}
