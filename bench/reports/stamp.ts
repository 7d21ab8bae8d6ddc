/**
 * Stamping time: a 100-page text PDF (and a 100-page PDF with a 0.5 MB embedded image per page,
 * the scanned-document case) stamped with QR, barcode and a logo watermark on every page.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { stampPdf } from '../../src-main/documents/stamp';
import { discPng } from '../../test/documents/stamp-helpers';

async function textDoc(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    for (let i = 0; i < 50; i++) page.drawText(`Page ${p + 1}, line ${i + 1}: text of the supplier's document.`, { x: 60, y: 780 - i * 14, size: 10, font });
  }
  return doc.save({ useObjectStreams: false });
}

/** "Scans": each page draws its own image XObject of incompressible bytes. */
async function scanDoc(pages: number, bytesPerPage: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    const side = Math.floor(Math.sqrt(bytesPerPage / 3));
    const img = doc.context.register(
      doc.context.stream(randomBytes(side * side * 3), { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }),
    );
    page.node.setXObject(PDFName.of('Scan'), img);
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream('q 595 0 0 842 0 0 cm /Scan Do Q')));
  }
  return doc.save({ useObjectStreams: false });
}

async function time(label: string, input: Uint8Array) {
  const logo = discPng(400);
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await stampPdf(input, { qr: 'portal', portalUrl: 'https://portal.seriktes.kz', language: 'kk', logo });
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label}: ${(input.length / 1e6).toFixed(1)} MB, median ${runs[1]!.toFixed(0)} ms (min ${runs[0]!.toFixed(0)}, max ${runs[2]!.toFixed(0)})`);
}

export async function run(): Promise<void> {
  await time('100 pages of text', await textDoc(100));
  await time('100 scanned pages (~0.5 MB each)', await scanDoc(100, 500_000));
}

if (require.main === module) void run();
