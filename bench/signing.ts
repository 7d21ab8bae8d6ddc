/**
 * Signing bench: detached CMS of a 200 MB file vs `openssl dgst -sha256` of it,
 * and PAdES of a 50 MB PDF vs hashing it. Prints times, ratios and peak RSS
 * (process.memoryUsage().rss sampled every 10 ms).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { identityFromPkcs12, signFileCms, signFilePades } from '../src-main/signing/sign-file';
import { createTestPki, KZ_EKU, SUBJECTS } from '../test/signing/helpers/test-pki';

async function measure<T>(fn: () => Promise<T> | T): Promise<{ ms: number; peakRssMb: number; result: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRssMb: peak / 2 ** 20, result };
}

function opensslDgst(path: string): number {
  const t0 = performance.now();
  const r = spawnSync('openssl', ['dgst', '-sha256', path]);
  if (r.status !== 0) throw new Error('openssl dgst failed');
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seriktes-bench-signing-'));
  const pki = createTestPki();
  try {
    const cert = pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] });
    const identity = await identityFromPkcs12(pki.p12(cert, 'bench'), 'bench');

    // 200 MB file, written in 1 MB chunks.
    const big = join(dir, 'big.bin');
    const fd = openSync(big, 'w');
    const chunk = randomBytes(1 << 20);
    for (let i = 0; i < 200; i++) writeSync(fd, chunk);
    closeSync(fd);
    const base = process.memoryUsage().rss / 2 ** 20;
    opensslDgst(big); // warm the page cache
    const dgstMs = opensslDgst(big);
    const cms = await measure(() => signFileCms({ identity, inPath: big, outPath: join(dir, 'big.p7s') }));
    console.log(`CMS 200 MB: ${cms.ms.toFixed(0)} ms vs openssl dgst -sha256 ${dgstMs.toFixed(0)} ms → ratio ${(cms.ms / dgstMs).toFixed(2)}; peak RSS ${cms.peakRssMb.toFixed(0)} MB (baseline ${base.toFixed(0)} MB)`);
    rmSync(big);

    // 50 MB PDF: one page + a 50 MB stream object.
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Bench document', { x: 50, y: 700, size: 14, font });
    doc.context.register(doc.context.stream(randomBytes(50 * 2 ** 20)));
    const pdfPath = join(dir, 'big.pdf');
    writeFileSync(pdfPath, await doc.save({ useObjectStreams: false }));
    opensslDgst(pdfPath);
    const pdfDgstMs = opensslDgst(pdfPath);
    const pades = await measure(() => signFilePades({ identity, inPath: pdfPath, outPath: join(dir, 'big-signed.pdf') }));
    console.log(`PAdES 50 MB: ${pades.ms.toFixed(0)} ms vs openssl dgst -sha256 ${pdfDgstMs.toFixed(0)} ms → ratio ${(pades.ms / pdfDgstMs).toFixed(2)}; peak RSS ${pades.peakRssMb.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    pki.cleanup();
  }
}
