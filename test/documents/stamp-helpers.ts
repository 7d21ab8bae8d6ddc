/** Real-tool helpers for the stamping tests: PDFs and PNGs made here, pdftoppm + zbarimg, qpdf, pdftotext. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, StandardFonts, degrees } from 'pdf-lib';

export function tempDir(prefix = 'seriktes-stamp-'): { dir: string; path(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A PDF with lines of text: `lines` per page starting at the top, optionally an XMP packet, page 1 rotated. */
export async function textPdf(o: { pages?: number; lines?: number; line?: (page: number, line: number) => string; xmp?: string; rotateFirst?: number; objectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < (o.pages ?? 3); p++) {
    const page = doc.addPage([595, 842]);
    for (let i = 0; i < (o.lines ?? 20); i++) page.drawText(o.line ? o.line(p + 1, i + 1) : `Page ${p + 1}, line ${i + 1}: the supplier's own document text.`, { x: 72, y: 770 - i * 14, size: 11, font });
    if (p === 0 && o.rotateFirst) page.setRotation(degrees(o.rotateFirst));
  }
  if (o.xmp) doc.catalog.set(PDFName.of('Metadata'), doc.context.register(doc.context.stream(new TextEncoder().encode(o.xmp), { Type: 'Metadata', Subtype: 'XML' })));
  return doc.save({ useObjectStreams: o.objectStreams ?? false });
}

/** XMP as a PDF/A-2b producer writes it (pdfaid in its own description, dc:title in another). */
export const PDFA2B_XMP = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Test">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Жарғы</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

/** An RGBA PNG (a dark disc on transparent background), written by hand: zlib + CRC. */
export function discPng(size = 120): Uint8Array {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 2.2) ** 2;
      raw.set(inside ? [10, 40, 120, 255] : [0, 0, 0, 0], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

/** zbarimg over page `page` rendered at 200 dpi: the symbols as "TYPE:data" lines. */
export function decodePage(pdfPath: string, page = 1): string[] {
  const prefix = `${pdfPath}-p${page}`;
  execFileSync('pdftoppm', ['-r', '200', '-png', '-f', String(page), '-l', String(page), '-singlefile', pdfPath, prefix]);
  const r = spawnSync('zbarimg', ['-q', `${prefix}.png`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).sort();
}

export function qpdfCheck(pdfPath: string): { code: number; out: string } {
  const r = spawnSync('qpdf', ['--check', pdfPath], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

export function pdfText(pdfPath: string, page = 1): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
}

/** Word boxes of a page from `pdftotext -bbox` (top-left origin, points). */
export function wordBoxes(pdfPath: string, page = 1): { word: string; x0: number; y0: number; x1: number; y1: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdfPath, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
    word: m[5]!,
  }));
}

/** Mean grey level (0 black .. 255 white) of a page's centre square, rendered at 30 dpi. */
export function centreGrey(pdfPath: string, page: number): number {
  const out = execFileSync('pdftoppm', ['-r', '30', '-gray', '-f', String(page), '-l', String(page), '-singlefile', pdfPath]);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(out.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = out.subarray(header[0].length);
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(h * 0.45); y < h * 0.55; y++) for (let x = Math.floor(w * 0.45); x < w * 0.55; x++) {
      sum += pixels[y * w + x]!;
      n++;
    }
  return sum / n;
}

export const readBytes = (p: string) => new Uint8Array(readFileSync(p));
export const write = (p: string, b: Uint8Array | string) => writeFileSync(p, b);
