/**
 * P5: PAdES of a 50 MB PDF (--small 4 MB) through signFilePades with a local key, against hashing
 * the same file (digestFile, SHA-256, timed in this process). Goal ≤ 1.5× and peak RSS < 80 MB.
 * Each signing runs in a fresh child process (p5-child.ts, bundled as the app is, plain node) that
 * signs a one-page PDF first (untimed, the code warm as in the running app), times the large one
 * and reports its own peak RSS over its whole life: the memory of the process that signs, not of
 * the bench that just generated a 50 MB PDF with pdf-lib.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { digestFile } from '../../src-main/signing/hash-file';
import { OID } from '../../src-shared/signing/oids';
import { createTestPki, KZ_EKU, SUBJECTS } from '../../test/signing/helpers/test-pki';
import { row, sideBySide, timing, type BenchDef } from '../harness';

const MAX_RSS_MB = 80;

interface ChildReport {
  ms: number;
  peakRssMb: number;
  rssBeforeMb: number;
}

export const bench: BenchDef = {
  id: 'P5',
  title: 'PAdES of a large PDF (local key)',
  async run(ctx) {
    const mib = ctx.options.small ? 4 : 50;
    const dir = ctx.tempDir('p5');
    const pki = createTestPki();
    ctx.defer(() => pki.cleanup());
    const p12 = join(dir, 'signer.p12');
    writeFileSync(p12, pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'bench'));
    const child = join(dir, 'p5-child.cjs');
    // Bundled like the app's back end: the signer and, next to it, the hash worker it starts (dist/main/hash-worker.cjs).
    const entryPoints = { 'p5-child': join(__dirname, 'p5-child.ts'), 'hash-worker': join(__dirname, '../../src-main/signing/hash-worker.ts') };
    await build({ entryPoints, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outdir: dir, outExtension: { '.js': '.cjs' }, external: ['electron', 'better-sqlite3'], logLevel: 'warning' });
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Bench document', { x: 50, y: 700, size: 14, font });
    doc.context.register(doc.context.stream(randomBytes(mib * 2 ** 20)));
    const pdf = join(dir, 'big.pdf');
    writeFileSync(pdf, await doc.save({ useObjectStreams: false }));
    const small = await PDFDocument.create();
    small.addPage();
    const warmup = join(dir, 'warmup.pdf');
    writeFileSync(warmup, await small.save());
    await digestFile(pdf, OID.sha256); // page cache and the hash worker, untimed
    const reports: ChildReport[] = [];
    const r = await sideBySide(
      ctx.options.runs,
      async () => {
        const t0 = performance.now();
        await digestFile(pdf, OID.sha256);
        return performance.now() - t0;
      },
      async (i) => {
        const out = execFileSync(process.execPath, [child, pdf, join(dir, `signed-${i}.pdf`), p12, 'bench', warmup], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        const rep = JSON.parse(out.trim().split('\n').pop()!) as ChildReport;
        reports.push(rep);
        return rep.ms;
      },
    );
    const peak = Math.max(...reports.map((x) => x.peakRssMb));
    const before = Math.max(...reports.map((x) => x.rssBeforeMb));
    const timeRow = row(bench, 1.5, `≤ 1.5× baseline, peak RSS < ${MAX_RSS_MB} MB`, r, 'SHA-256 of the same file (digestFile)', [
      `${mib} MiB PDF, signed in a fresh child process after an untimed one-page signature; peak RSS of the signing process ${peak.toFixed(1)} MB (max over ${reports.length} runs; ${before.toFixed(1)} MB after start-up, before signing); peak RSS runs: ${timing(reports.map((x) => x.peakRssMb)).runsMs.join(', ')} MB`,
    ]);
    // Both halves of the goal: the time ratio and the memory of the process that signs.
    return { ...timeRow, pass: timeRow.pass === null ? null : timeRow.pass && peak < MAX_RSS_MB };
  },
};
