/**
 * P4: SHA-256 of a 200 MB file (--small 16 MB) through the app's digestFile (the hash worker:
 * synchronous reads into a reused buffer), against `openssl dgst -sha256` of the same file with its
 * process start-up taken out (minus `openssl dgst` of an empty file, measured next to it). Both read
 * from the page cache (warmed first). Goal: throughput ≥ 0.9× openssl, i.e. time ≤ 1/0.9 = 1.11×.
 * P4-GOST reports the Streebog-256 loop of the same worker (the core is another issue's) vs SHA-256.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestFile } from '../../src-main/signing/hash-file';
import { OID } from '../../src-shared/signing/oids';
import { reportRow, row, sideBySide, timing, withPeakRss, type BenchDef } from '../harness';
import { opensslDgstMs, writeRandomFile } from './files';

export const bench: BenchDef = {
  id: 'P4',
  title: 'SHA-256 of a large file (hash worker)',
  async run(ctx) {
    const mib = ctx.options.small ? 16 : 200;
    const dir = ctx.tempDir('p4');
    const big = join(dir, 'big.bin');
    const empty = join(dir, 'empty.bin');
    writeRandomFile(big, mib);
    writeFileSync(empty, '');
    opensslDgstMs(big); // page cache
    await digestFile(big, OID.sha256); // starts the worker (once per app process), untimed
    const startup: number[] = [];
    let peakRssMb = 0;
    const r = await sideBySide(
      Math.max(ctx.options.runs, 5),
      async () => {
        const e = opensslDgstMs(empty);
        startup.push(e);
        return Math.max(0.1, opensslDgstMs(big) - e);
      },
      async () => {
        const m = await withPeakRss(async () => {
          const t0 = performance.now();
          await digestFile(big, OID.sha256);
          return performance.now() - t0;
        });
        peakRssMb = Math.max(peakRssMb, m.peakRssMb);
        return m.result;
      },
    );
    const mbps = (ms: number) => Math.round((mib * 1.048576) / (ms / 1000));
    return row(bench, 1.11, 'throughput ≥ 0.9× openssl (time ≤ 1.11×)', r, 'openssl dgst -sha256 minus start-up', [
      `${mib} MiB: app ${mbps(r.measured.medianMs)} MB/s, openssl ${mbps(r.baseline.medianMs)} MB/s (throughput ratio ${(r.baseline.medianMs / r.measured.medianMs).toFixed(2)}×)`,
      `openssl start-up subtracted: median ${timing(startup).medianMs} ms; main-process peak RSS ${peakRssMb} MB`,
    ]);
  },
};

export const gostBench: BenchDef = {
  id: 'P4-GOST',
  title: 'Streebog-256 of a file (hash worker loop)',
  async run(ctx) {
    const mib = ctx.options.small ? 2 : 8; // JS Streebog runs at a few MB/s: 8 MiB keeps the row short
    const path = join(ctx.tempDir('p4g'), 'f.bin');
    writeRandomFile(path, mib);
    await digestFile(path, OID.sha256);
    const r = await sideBySide(
      ctx.options.runs,
      async () => {
        const t0 = performance.now();
        await digestFile(path, OID.sha256);
        return performance.now() - t0;
      },
      async () => {
        const t0 = performance.now();
        await digestFile(path, OID.streebog256);
        return performance.now() - t0;
      },
    );
    const mbps = Math.round((mib * 1.048576) / (r.measured.medianMs / 1000));
    return reportRow(gostBench, 'report only (the Streebog core is «Local GOST signing…»)', r.measured, { label: 'SHA-256 of the same file, same worker', ...r.baseline }, [`${mib} MiB: Streebog-256 ${mbps} MB/s`]);
  },
};
