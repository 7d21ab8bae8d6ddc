/**
 * P5 (report only for now): PAdES of a 50 MB PDF (--small 4 MB) through signFilePades with a local
 * key, against hashing the same file (digestFile, SHA-256). The goal — ≤ 1.5× and peak RSS < 80 MB —
 * belongs to streaming PAdES (issue 14, item 4), which turns this row into a judged one.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { digestFile } from '../../src-main/signing/hash-file';
import { identityFromPkcs12, signFilePades } from '../../src-main/signing/sign-file';
import { OID } from '../../src-shared/signing/oids';
import { createTestPki, KZ_EKU, SUBJECTS } from '../../test/signing/helpers/test-pki';
import { reportRow, sideBySide, withPeakRss, type BenchDef } from '../harness';

export const bench: BenchDef = {
  id: 'P5',
  title: 'PAdES of a large PDF (local key)',
  async run(ctx) {
    const mib = ctx.options.small ? 4 : 50;
    const dir = ctx.tempDir('p5');
    const pki = createTestPki();
    ctx.defer(() => pki.cleanup());
    const identity = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'bench'), 'bench');
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Bench document', { x: 50, y: 700, size: 14, font });
    doc.context.register(doc.context.stream(randomBytes(mib * 2 ** 20)));
    const pdf = join(dir, 'big.pdf');
    writeFileSync(pdf, await doc.save({ useObjectStreams: false }));
    await digestFile(pdf, OID.sha256); // page cache and the hash worker, untimed
    let peakRssMb = 0;
    const rss0 = Math.round(process.memoryUsage().rss / 2 ** 20);
    const r = await sideBySide(
      ctx.options.runs,
      async () => {
        const t0 = performance.now();
        await digestFile(pdf, OID.sha256);
        return performance.now() - t0;
      },
      async (i) => {
        const m = await withPeakRss(async () => {
          const t0 = performance.now();
          await signFilePades({ identity, inPath: pdf, outPath: join(dir, `signed-${i}.pdf`) });
          return performance.now() - t0;
        });
        peakRssMb = Math.max(peakRssMb, m.peakRssMb);
        return m.result;
      },
    );
    return reportRow(bench, 'report only until streaming PAdES (goal ≤ 1.5×, peak RSS < 80 MB)', r.measured, { label: 'SHA-256 of the same file (digestFile)', ...r.baseline }, [
      `${mib} MiB PDF; peak RSS of this process while signing ${peakRssMb} MB (${rss0} MB before the row)`,
    ]);
  },
};
