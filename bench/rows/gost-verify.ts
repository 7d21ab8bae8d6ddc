/**
 * GOST-VERIFY (report only): verification of a real NCA RK GOST 34.10-2015 (512) certificate
 * (hash + Shamir multiplication) — formerly a test threshold ("median < 100 ms") in
 * test/signing-gost/nca-fixtures.test.ts. The fixtures live in test/fixtures/nca; without them the
 * row says so.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyGostCertificate } from '../../src-shared/signing/gost/index';
import { fixture, fixturesDir } from '../../test/signing-gost/helpers';
import { reportRow, timing, type BenchDef } from '../harness';

export const bench: BenchDef = {
  id: 'GOST-VERIFY',
  title: 'GOST 34.10-2015 (512) certificate verification',
  async run(ctx) {
    if (!existsSync(resolve(fixturesDir, 'nca-test-gost2015/gost1.cer'))) return reportRow(bench, 'report only', null, null, [`fixtures not found in ${fixturesDir}`]);
    const cert = fixture('nca-test-gost2015/gost1.cer');
    const issuer = fixture('nca-test/nca_gost2015_test.cer');
    if (!verifyGostCertificate(cert, issuer)) throw new Error('the fixture does not verify'); // warm-up: base-point table
    const times: number[] = [];
    for (let i = 0; i < Math.max(7, ctx.options.runs); i++) {
      const t0 = performance.now();
      verifyGostCertificate(cert, issuer);
      times.push(performance.now() - t0);
    }
    return reportRow(bench, 'report only (was a test: median < 100 ms)', timing(times), null, ['gost1.cer under the NCA RK GOST 2015 TEST root']);
  },
};
