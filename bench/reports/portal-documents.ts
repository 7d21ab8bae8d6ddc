/**
 * The portal's check of an uploaded PDF (issue 9): verifier + lock rule + pdf-lib parse for the
 * serial and page count, on PDFs of 1, 10 and 30 MB (20 pages of incompressible "scan" streams).
 * Prints time and resident-memory growth: the basis of limits.maxVerifiedPdfBytes (32 MiB).
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { inspectPdf } from '../../src-portal/documents/inspect';

async function scanLikePdf(mb: number, pages = 20): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const p = doc.addPage([595, 842]);
    p.drawText(`page ${i + 1}`, { x: 50, y: 780, size: 14, font });
    p.node.set(PDFName.of('SeriktesBenchBlob'), doc.context.register(doc.context.stream(randomBytes(Math.floor((mb * 1024 * 1024) / pages)), {})));
  }
  return doc.save({ useObjectStreams: false });
}

export async function run(): Promise<void> {
  for (const mb of [1, 10, 30]) {
    const bytes = await scanLikePdf(mb);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const f = await inspectPdf(bytes, [], new Date());
    const ms = performance.now() - t0;
    const grew = (process.memoryUsage().rss - rss0) / 1048576;
    console.log(`inspect ${(bytes.length / 1048576).toFixed(1)} MB PDF: ${ms.toFixed(0)} ms, RSS +${grew.toFixed(0)} MB (pages ${f.pages}, ${f.lock.state})`);
  }
}
