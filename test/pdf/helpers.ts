/** Shared by the reader tests: sample PDFs (pdf-lib, then rewritten by qpdf) and qpdf's JSON as the oracle. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { openPdf, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../../src-shared/pdf';
import { run } from '../signing/helpers/tools';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A few pages with text, an outline-free info dictionary with a non-ASCII title, and an annotation array. */
export async function samplePdf(pages = 3): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.setTitle('Тест – sample (title)');
  doc.setAuthor('Seriktes');
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${i + 1} of the reader sample`, { x: 50, y: 780, size: 14, font });
    page.node.set(PDFName.of('Seriktes#20Key'), PDFString.of('a (nested) string\\with escapes'));
  }
  return doc.save({ useObjectStreams: false });
}

/** Rewrites `input` with qpdf and the given options (e.g. --object-streams=generate, --qdf, --linearize). */
export function qpdfRewrite(dir: string, name: string, input: Uint8Array, args: string[]): Uint8Array {
  const inPath = join(dir, `${name}-in.pdf`), outPath = join(dir, `${name}.pdf`);
  writeFileSync(inPath, input);
  const r = run('qpdf', [...args, inPath, outPath]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf ${args.join(' ')} failed: ${r.stderr}`);
  return new Uint8Array(readFileSync(outPath));
}

export function qpdfJson(dir: string, bytes: Uint8Array): { objects: Record<string, unknown>; pages: string[]; trailer: unknown } {
  const p = join(dir, `oracle-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(p, bytes);
  const r = run('qpdf', ['--json=2', '--json-key=qpdf', '--json-key=pages', p]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf --json failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, unknown>]; pages: { object: string }[] };
  const objects = j.qpdf[1];
  return { objects, pages: j.pages.map((x) => x.object), trailer: objects['trailer'] };
}

export function pdfinfoPages(dir: string, bytes: Uint8Array): number {
  const p = join(dir, `info-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(p, bytes);
  const r = run('pdfinfo', [p]);
  const m = /^Pages:\s+(\d+)/m.exec(r.stdout);
  if (!m) throw new Error(`pdfinfo: ${r.stderr}`);
  return Number(m[1]);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Compares a reader value with qpdf's JSON v2 form of it. Strings: qpdf writes text as `u:` and
 * binary as `b:`; either form of the same bytes is accepted.
 */
export function sameAsQpdf(v: PdfValue | undefined, q: unknown, path = ''): string | undefined {
  if (v instanceof PdfStream) {
    const s = (q as { stream?: { dict?: unknown } }).stream;
    return s ? sameAsQpdf(v.dict, s.dict, path) : `${path}: stream vs ${JSON.stringify(q)}`;
  }
  if (v === null || typeof v === 'boolean') return v === q ? undefined : `${path}: ${String(v)} vs ${JSON.stringify(q)}`;
  if (typeof v === 'number') return typeof q === 'number' && Math.abs(v - q) < 1e-6 ? undefined : `${path}: ${v} vs ${JSON.stringify(q)}`;
  if (v instanceof PdfName) return typeof q === 'string' && (q === `/${v.name}` || q.startsWith('n:')) ? undefined : `${path}: /${v.name} vs ${JSON.stringify(q)}`;
  if (v instanceof PdfRef) return q === `${v.num} ${v.gen} R` ? undefined : `${path}: ${v.key} R vs ${JSON.stringify(q)}`;
  if (v instanceof PdfString) {
    return q === `b:${hex(v.bytes)}` || q === `u:${v.text()}`
      ? undefined
      : `${path}: string ${hex(v.bytes)} vs ${JSON.stringify(q)}`;
  }
  if (Array.isArray(v)) {
    if (!Array.isArray(q) || q.length !== v.length) return `${path}: array of ${v.length} vs ${JSON.stringify(q)?.slice(0, 80)}`;
    for (let i = 0; i < v.length; i++) {
      const d = sameAsQpdf(v[i], q[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (v instanceof PdfDict) {
    if (!q || typeof q !== 'object' || Array.isArray(q)) return `${path}: dict vs ${JSON.stringify(q)?.slice(0, 80)}`;
    const qk = Object.keys(q).sort(), vk = v.keys().map((k) => `/${k}`).sort();
    if (qk.join() !== vk.join()) return `${path}: keys ${vk.join()} vs ${qk.join()}`;
    for (const k of v.keys()) {
      const d = sameAsQpdf(v.get(k), (q as Record<string, unknown>)[`/${k}`], `${path}/${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${path}: unexpected ${String(v)}`;
}

/** One entry of qpdf's `obj:N G R` map: `{ value }` or `{ stream: { dict } }`. */
export function sameObjectAsQpdf(v: PdfValue | undefined, entry: unknown): string | undefined {
  const e = entry as { value?: unknown; stream?: { dict: unknown } };
  if (e.stream) return v instanceof PdfStream ? sameAsQpdf(v.dict, e.stream.dict) : 'a stream in qpdf, not in the reader';
  return sameAsQpdf(v, e.value);
}

export type Part = string | Uint8Array;
const enc = (p: Part) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p));

export interface HandPdfOptions {
  /** Extra trailer entries, e.g. '/Info 3 0 R'. */
  trailer?: string;
  /** Bytes before `%PDF-`. */
  junk?: string;
  /** The end-of-line of xref entries: 20-byte lines use ' \n' or '\r\n'; '\n' makes 19, '\r\r\n' 21. */
  eol?: string;
  /** Adjusts each recorded offset (tests for repair). */
  shift?: (num: number, offset: number) => number;
  /** Number the first subsection from 1 (the known off-by-one writer bug). */
  offByOne?: boolean;
  noEof?: boolean;
}

/**
 * A tiny PDF writer for hostile and odd files: `objects[i]` is object i+1's body (without
 * `N 0 obj`/`endobj`); a body may contain Uint8Array parts (binary stream data).
 */
export function handPdf(objects: (Part | Part[])[], opts: HandPdfOptions = {}): Uint8Array {
  const parts: Buffer[] = [enc(`${opts.junk ?? ''}%PDF-1.7\n%\xe2\xe3\xcf\xd3\n`)];
  let len = parts[0]!.length;
  const push = (p: Part) => {
    const b = enc(p);
    parts.push(b);
    len += b.length;
  };
  const junk = (opts.junk ?? '').length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(len - junk);
    push(`${i + 1} 0 obj\n`);
    for (const p of Array.isArray(body) ? body : [body]) push(p);
    push('\nendobj\n');
  });
  const xrefAt = len - junk;
  const eol = opts.eol ?? ' \n';
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  push(`xref\n${opts.offByOne ? 1 : 0} ${objects.length + 1}\n${pad(0, 10)} 65535 f${eol}`);
  offsets.forEach((o, i) => push(`${pad(opts.shift ? opts.shift(i + 1, o) : o, 10)} 00000 n${eol}`));
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${opts.trailer ?? ''} >>\nstartxref\n${xrefAt}\n${opts.noEof ? '' : '%%EOF\n'}`);
  return new Uint8Array(Buffer.concat(parts));
}

/** Catalog + one page: the first two objects of most hand-made files. */
export const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
export const PAGES_1 = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
export const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

export function stream(dict: string, data: Uint8Array | string): Part[] {
  const d = enc(data);
  return [`<< ${dict} /Length ${d.length} >>\nstream\n`, new Uint8Array(d), '\nendstream'];
}

/**
 * Like handPdf, with an (unfiltered) xref stream: `objects[i]` null means object i+1 is not written
 * but compressed into the object stream `compressed[i+1] = [stream, index]`.
 */
export function handXrefStreamPdf(objects: (Part[] | Part | null)[], compressed: Record<number, [number, number]> = {}, trailer = ''): Uint8Array {
  const parts: Buffer[] = [enc('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let len = parts[0]!.length;
  const push = (p: Part) => {
    const b = enc(p);
    parts.push(b);
    len += b.length;
  };
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(len);
    if (body === null) return;
    push(`${i + 1} 0 obj\n`);
    for (const p of Array.isArray(body) ? body : [body]) push(p);
    push('\nendobj\n');
  });
  const xrefNum = objects.length + 1;
  const xrefAt = len;
  const rows = new Uint8Array((xrefNum + 1) * 7);
  const row = (n: number, type: number, f2: number, f3: number) => {
    const at = n * 7;
    rows[at] = type;
    for (let k = 0; k < 4; k++) rows[at + 1 + k] = (f2 >>> (24 - 8 * k)) & 0xff;
    rows[at + 5] = (f3 >> 8) & 0xff;
    rows[at + 6] = f3 & 0xff;
  };
  row(0, 0, 0, 65535);
  objects.forEach((body, i) => {
    const c = compressed[i + 1];
    if (body === null && c) row(i + 1, 2, c[0], c[1]);
    else row(i + 1, 1, offsets[i]!, 0);
  });
  row(xrefNum, 1, xrefAt, 0);
  push(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Root 1 0 R ${trailer} /Length ${rows.length} >>\nstream\n`);
  push(rows);
  push(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}

/** An object stream body holding `values` as objects `nums`. */
export function objStm(nums: number[], values: string[], filter?: (d: Uint8Array) => Uint8Array, extra = ''): Part[] {
  let header = '', body = '';
  values.forEach((v, i) => {
    header += `${nums[i]} ${body.length} `;
    body += `${v}\n`;
  });
  const raw = enc(header + body);
  const data = filter ? filter(new Uint8Array(raw)) : new Uint8Array(raw);
  return stream(`/Type /ObjStm /N ${nums.length} /First ${header.length} ${filter ? '/Filter /FlateDecode' : ''} ${extra}`, data);
}

/** A hybrid file: a classic table whose /XRefStm stream lists object 3, compressed in object stream 4. */
export function hybridPdf(): Uint8Array {
  let s = '%PDF-1.5\n';
  const off: number[] = [];
  const add = (t: string) => {
    off.push(s.length);
    s += t;
  };
  add(`1 0 obj\n${CATALOG}\nendobj\n`);
  add(`2 0 obj\n${PAGES_1}\nendobj\n`);
  const body = `3 0 ${PAGE}\n`;
  add(`4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\n`);
  const rows = [
    [0, 0, 255],
    [1, off[0]!, 0],
    [1, off[1]!, 0],
    [2, 4, 0],
    [1, off[2]!, 0],
  ];
  const bin = rows.map(([t, a, b]) => String.fromCharCode(t!, (a! >> 8) & 255, a! & 255, b!)).join('');
  const xsAt = s.length;
  s += `5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Length ${bin.length} >>\nstream\n${bin}\nendstream\nendobj\n`;
  const xrefAt = s.length;
  const e = (o: number) => `${String(o).padStart(10, '0')} 00000 n \n`;
  s += `xref\n0 3\n0000000000 65535 f \n${e(off[0]!)}${e(off[1]!)}4 1\n${e(off[2]!)}trailer\n<< /Size 6 /Root 1 0 R /XRefStm ${xsAt} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** Appends a hand-written incremental update (one new object, a classic xref section with /Prev). */
export function appendUpdate(f: Uint8Array): Uint8Array {
  const last = openPdf(f).revisions.at(-1)!;
  const root = last.trailer.get('Root') as PdfRef;
  const size = Math.max(...openPdf(f).view().xref.keys()) + 1;
  let s = Buffer.from(f).toString('latin1');
  const at = s.length;
  s += `${size} 0 obj\n<< /Added (by an update) /Kids [${root.num} ${root.gen} R] >>\nendobj\n`;
  const xrefAt = s.length;
  s += `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(at).padStart(10, '0')} 00000 n \n`;
  s += `trailer\n<< /Size ${size + 1} /Root ${root.num} ${root.gen} R /Prev ${last.startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(s, 'latin1'));
}
