/** Shared by the reader tests: sample PDFs (pdf-lib, then rewritten by qpdf) and qpdf's JSON as the oracle. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../../src-shared/pdf';
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
