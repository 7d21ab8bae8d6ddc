/**
 * Inspection of a signed 20-page PDF (pdf-lib, embedded font, Russian text): the first call in a
 * fresh process (pdf.js modules loading), warm uncached calls (verification + profile + text of 5
 * pages), and cache hits from a real SQLite file; plus a 200-page file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDb } from '../../src-main/db/local-db';
import { inspectCached, inspectDocument, InspectionCache } from '../../src-main/documents/inspect';
import { appTrust } from '../../src-main/documents/trust';
import { identityFromPkcs12, signPdf } from '../../src-main/signing/sign-file';
import { createTestPki, KZ_EKU, SUBJECTS } from '../../test/signing/helpers/test-pki';
import { makeTextPdf } from '../../test/documents/inspect-fixtures';

const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seriktes-bench-inspect-'));
  const pki = createTestPki();
  try {
    const head = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity] }), 'x'), 'x');
    const trust = appTrust({ extra: [{ der: pki.root.der, kind: 'production' }] }, {});
    for (const pages of [20, 200]) {
      const path = join(dir, `p${pages}.pdf`);
      const pdf = (await signPdf(await makeTextPdf({ pages }), { identity: head })).pdf;
      writeFileSync(path, pdf);
      let t0 = performance.now();
      const first = await inspectDocument(path, { trust });
      console.log(`${pages} pages (${(pdf.length / 1024).toFixed(0)} KB), first inspection: ${ms(t0)} (lock ${first.lock.state}, text ${first.pdf?.textLanguage})`);
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        t0 = performance.now();
        await inspectDocument(path, { trust }, first.sha256);
        runs.push(performance.now() - t0);
      }
      console.log(`${pages} pages, uncached (median of 5): ${runs.sort((a, b) => a - b)[2]!.toFixed(1)} ms`);
      const db = openLocalDb(join(dir, `cache${pages}.sqlite`));
      const cache = new InspectionCache(db.sqlite);
      await inspectCached(cache, path, first.sha256, { trust });
      t0 = performance.now();
      for (let i = 0; i < 100; i++) await inspectCached(cache, path, first.sha256, { trust });
      console.log(`${pages} pages, cached: ${((performance.now() - t0) / 100).toFixed(2)} ms per call`);
      await db.close();
    }
  } finally {
    pki.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
