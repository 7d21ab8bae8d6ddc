/**
 * Inspection of real files: text PDFs (Russian, Kazakh) read by pdf.js, a fillable form, a PDF/A-2b
 * claim with an output intent, a qpdf-encrypted file, garbage, and signed PDFs made with the test
 * PKI (trusted through a SERIKTES_TRUST_DIR-like folder): locked, modified after signing,
 * co-signed, expired certificate, NCA RK TEST root. Plus the cache in a real SQLite file.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inspectCached, inspectDocument, InspectionCache, inspectionContext } from '../../src-main/documents/inspect';
import { appTrust, type AppTrust } from '../../src-main/documents/trust';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../src-main/signing/sign-file';
import { openLocalDb, type LocalDb } from '../../src-main/db/local-db';
import { flipByte, run } from '../signing/helpers/tools';
import { startRevocationServer, startTsa, type LocalServer } from '../signing/helpers/services';
import { checkFileRequirement, type FileRequirement } from '../../src-shared/documents/package-check';
import { RECOMMENDED_PACKAGE_TEMPLATE } from '../../src-shared/documents/recommended-template';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from '../signing/helpers/test-pki';
import { appendEdit, KK_TEXT, makeTextPdf } from './inspect-fixtures';

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let pki: TestPki;
let tsa: LocalServer;
let trust: AppTrust;
let head: SigningIdentity;
let accountant: SigningIdentity;

const file = (name: string, bytes: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-inspect-'));
  pki = createTestPki();
  tsa = await startTsa(pki);
  const trustDir = join(dir, 'trust');
  mkdirSync(trustDir);
  copyFileSync(join(pki.dir, 'root.pem'), join(trustDir, 'nca-root.pem'));
  trust = appTrust({ productionDir: trustDir, trustTestRoots: false, online: false }, {});
  head = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] }), 'x'), 'x');
  accountant = await identityFromPkcs12(
    pki.p12(pki.issue({ subject: { ...SUBJECTS.head, commonName: 'БУХГАЛТЕРОВА АЙГҮЛ', surname: 'БУХГАЛТЕРОВА', iin: '870412450013' }, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.signingRight], key: 'tsa' }), 'y'),
    'y',
  );
});
afterAll(async () => {
  await tsa?.close();
  pki?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('PDF profile', () => {
  it('Russian text PDF with an embedded font: pages, text layer in Russian, no fields, flat, unsigned', async () => {
    const i = await inspectDocument(file('ru.pdf', await makeTextPdf({ pages: 2 })), { trust });
    expect(i.contentType).toBe('application/pdf');
    expect(i.problems).toEqual([]);
    expect(i.pdf).toMatchObject({ pages: 2, encrypted: false, pdfa: null, fillableFields: 0, textLanguage: 'ru', textPagesRead: 2 });
    expect(i.pdf!.textChars).toBeGreaterThan(300);
    expect(i.lock.state).toBe('unsigned');
    expect(i.badges).toEqual(['unsigned']);
    expect(i.report).toBeNull();
    expect(i.serial).toBeNull();
    expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Kazakh text PDF → kk', async () => {
    const i = await inspectDocument(file('kk.pdf', await makeTextPdf({ lines: KK_TEXT })), { trust });
    expect(i.pdf?.textLanguage).toBe('kk');
    expect(i.pdf?.textLanguagesPresent).toEqual(['kk']);
  });

  it('bilingual page: both languages present', async () => {
    const i = await inspectDocument(file('kkru.pdf', await makeTextPdf({ lines: [...KK_TEXT, ...(await import('./inspect-fixtures')).RU_TEXT] })), { trust });
    expect(i.pdf?.textLanguagesPresent?.sort()).toEqual(['kk', 'ru']);
  });

  it('a page without text (a "scan") → textChars 0, language unknown', async () => {
    const i = await inspectDocument(file('blank.pdf', await makeTextPdf({ lines: [] })), { trust });
    expect(i.pdf?.textChars).toBeLessThan(3);
    expect(i.pdf?.textLanguage).toBe('unknown');
  });

  it('a fillable text field is counted (signature fields are not)', async () => {
    const i = await inspectDocument(file('form.pdf', await makeTextPdf({ field: true })), { trust });
    expect(i.pdf?.fillableFields).toBe(1);
    const signed = await signPdf(await makeTextPdf(), { identity: head });
    const s = await inspectDocument(file('sigfield.pdf', signed.pdf), { trust });
    expect(s.pdf?.fillableFields).toBe(0);
  });

  it('PDF/A-2b claim in XMP with output intent and embedded fonts; a standard-14 font is not embedded', async () => {
    const good = await inspectDocument(file('pdfa.pdf', await makeTextPdf({ pdfa: { part: 2, conformance: 'B', outputIntent: true } })), { trust });
    expect(good.pdf?.pdfa).toEqual({ part: '2', conformance: 'B', outputIntent: true, fontsEmbedded: true });
    const weak = await inspectDocument(file('pdfa-weak.pdf', await makeTextPdf({ lines: ['Latin only text'], standardFont: true, pdfa: { part: 2, conformance: 'B', outputIntent: false } })), { trust });
    expect(weak.pdf?.pdfa).toEqual({ part: '2', conformance: 'B', outputIntent: false, fontsEmbedded: false });
  });

  it('encrypted PDF (qpdf --encrypt) → pdf_encrypted, not verified', async () => {
    const plain = file('plain.pdf', await makeTextPdf());
    const enc = join(dir, 'enc.pdf');
    expect(run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, enc]).code).toBe(0);
    const i = await inspectDocument(enc, { trust });
    expect(i.problems).toContain('pdf_encrypted');
    expect(i.pdf?.encrypted).toBe(true);
    expect(i.report).toBeNull();
  });

  it('garbage bytes, a broken PDF and a missing file give problems, never a crash', async () => {
    const g = await inspectDocument(file('garbage.bin', new Uint8Array(randomBytes(5000))), { trust });
    expect(g.pdf).toBeNull();
    expect(g.contentType).not.toBe('application/pdf');
    expect(g.lock.state).toBe('unsigned');
    const broken = await inspectDocument(file('broken.pdf', new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]))), { trust });
    expect(broken.contentType).toBe('application/pdf');
    expect(broken.problems.length).toBeGreaterThan(0);
    const missing = await inspectDocument(join(dir, 'nope.pdf'), { trust });
    expect(missing.problems).toEqual(['file_missing']);
    const huge = await inspectDocument(file('big.pdf', await makeTextPdf()), { trust, maxPdfBytes: 1000 });
    expect(huge.problems).toEqual(['pdf_too_large']);
  });
});

describe('signatures, lock and badges', () => {
  it('signed by the supplier with a timestamp: locked, signed + timestamped, signer summary with BIN', async () => {
    const signed = await signPdf(await makeTextPdf(), { identity: head, timestamp: { url: tsa.url } });
    const i = await inspectDocument(file('signed.pdf', signed.pdf), { trust, expectBin: SUBJECTS.head.bin });
    expect(i.lock).toEqual({ state: 'locked', reasons: [] });
    expect(i.badges).toEqual(['signed', 'timestamped']);
    expect(i.signers).toHaveLength(1);
    expect(i.signers[0]!.certificate).toMatchObject({ bin: SUBJECTS.head.bin, iin: SUBJECTS.head.iin, algorithm: 'RSA', test: false });
    expect(i.signers[0]!.timestamped).toBe(true);
    expect(i.report?.trust).toEqual(['production']);
    expect(i.report?.signatures[0]!.chain.status).toBe('trusted');
    // Offline by default: revocation not checked (never a plain "valid").
    expect(i.signers[0]!.reasons).toContain('revocation_not_checked');
  });

  it('modified after signing (incremental edit, flipped byte) → modified_after_signing', async () => {
    const signed = await signPdf(await makeTextPdf(), { identity: head });
    const edited = await inspectDocument(file('edited.pdf', appendEdit(signed.pdf)), { trust });
    expect(edited.lock.state).toBe('modified_after_signing');
    expect(edited.badges[0]).toBe('modified_after_signing');
    const flipped = await inspectDocument(file('flipped.pdf', flipByte(signed.pdf, 300)), { trust });
    expect(flipped.lock.state).toBe('modified_after_signing');
    expect(flipped.lock.reasons).toContain('digest_mismatch');
  });

  it('co-signed by head and accountant → co_signed, locked, signers in order', async () => {
    const first = await signPdf(await makeTextPdf(), { identity: head });
    const second = await signPdf(first.pdf, { identity: accountant });
    const i = await inspectDocument(file('cosigned.pdf', second.pdf), { trust });
    expect(i.lock.state).toBe('locked');
    expect(i.badges).toContain('co_signed');
    expect(i.signers.map((s) => s.certificate?.owner)).toEqual(['ҚАСЫМОВ ӘЛИ НҰРЛАНҰЛЫ', 'БУХГАЛТЕРОВА АЙГҮЛ НҰРЛАНҰЛЫ']);
  });

  it('expired certificate (signed while valid, no timestamp) → cert_expired', async () => {
    const past = new Date(Date.now() - 400 * 86_400_000);
    const cert = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], notBefore: new Date(past.getTime() - 30 * 86_400_000), notAfter: new Date(past.getTime() + 30 * 86_400_000) });
    const old = await identityFromPkcs12(pki.p12(cert, 'z'), 'z', past);
    const signed = await signPdf(await makeTextPdf(), { identity: old, now: past });
    const i = await inspectDocument(file('expired.pdf', signed.pdf), { trust });
    expect(i.lock.state).toBe('locked');
    expect(i.badges).toContain('cert_expired');
    expect(i.signers[0]!.reasons).toContain('cert_expired_no_timestamp');
  });

  it('a key under a TEST root (SERIKTES_TRUST_TEST_ROOTS=1) → test_root badge, signer marked test', async () => {
    // The NCA RK test user keys in the fixtures are issued by an older CA than the test roots
    // there, so the throw-away root stands in for "the NCA RK test roots" (SERIKTES_TEST_ROOTS_DIR).
    const testDir = join(dir, 'test-roots');
    mkdirSync(testDir);
    copyFileSync(join(pki.dir, 'root.pem'), join(testDir, 'nca-test-root.pem'));
    process.env.SERIKTES_TEST_ROOTS_DIR = testDir;
    try {
      const testTrust = appTrust({}, { SERIKTES_TRUST_TEST_ROOTS: '1' });
      expect(testTrust.testRoots).toBe(true);
      expect(testTrust.anchors.map((a) => a.kind)).toEqual(['test']);
      const signed = await signPdf(await makeTextPdf(), { identity: head });
      const i = await inspectDocument(file('test-root.pdf', signed.pdf), { trust: testTrust });
      expect(i.lock.state).toBe('locked');
      expect(i.badges).toContain('test_root');
      expect(i.badges).not.toContain('untrusted');
      expect(i.signers[0]!.certificate?.test).toBe(true);
      expect(i.report?.trust).toEqual(['test']);
      // Without the test roots the same file is untrusted.
      const plain = await inspectDocument(join(dir, 'test-root.pdf'), { trust: appTrust({}, {}) });
      expect(plain.badges).toContain('untrusted');
    } finally {
      delete process.env.SERIKTES_TEST_ROOTS_DIR;
    }
  });
});

describe('online revocation (SERIKTES_REVOCATION=online)', () => {
  it('good → revocation good; revoked before signing → cert_revoked badge and a package error', async () => {
    const rev = await startRevocationServer(pki);
    try {
      const online = appTrust({ productionDir: join(dir, 'trust'), online: true }, {});
      expect(appTrust({ productionDir: join(dir, 'trust') }, { SERIKTES_REVOCATION: 'online' }).online).toBe(true);
      expect(online.context).not.toBe(trust.context);
      const issue = () => {
        const c = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], ocspUrl: rev.ocspUrl });
        rev.issued.push(c.serialHex);
        return c;
      };
      const goodCert = issue();
      const good = await signPdf(await makeTextPdf(), { identity: await identityFromPkcs12(pki.p12(goodCert, 'g'), 'g') });
      const gi = await inspectDocument(file('rev-good.pdf', good.pdf), { trust: online });
      expect(gi.report?.online).toBe(true);
      expect(gi.report?.signatures[0]!.revocation.status).toBe('good');
      expect(gi.signers[0]!.reasons).not.toContain('revocation_not_checked');

      const badCert = issue();
      rev.revoked.push({ serialHex: badCert.serialHex, revokedAt: new Date(Date.now() - 3600_000) });
      const bad = await signPdf(await makeTextPdf(), { identity: await identityFromPkcs12(pki.p12(badCert, 'b'), 'b') });
      const bi = await inspectDocument(file('rev-bad.pdf', bad.pdf), { trust: online });
      expect(bi.badges).toContain('cert_revoked');
      const charter = RECOMMENDED_PACKAGE_TEMPLATE.requirements.find((r): r is FileRequirement => r.key === 'charter')!;
      const items = checkFileRequirement(charter, { sha256: bi.sha256, name: 'charter.pdf', size: bi.size, contentType: bi.contentType, language: 'ru' }, bi, { supplierBin: SUBJECTS.head.bin, today: '2026-11-23' });
      expect(items.find((i) => i.code === 'cert_revoked')?.severity).toBe('error');
    } finally {
      await rev.close();
    }
  });
});

describe('time box', () => {
  it('pdf.js gives up after the time box with a problem code, never hangs', async () => {
    const path = file('long.pdf', await makeTextPdf({ pages: 200 }));
    const i = await inspectDocument(path, { trust, textTimeoutMs: 1 });
    expect(i.problems).toContain('pdf_text_timeout');
    expect(i.pdf?.pages).toBe(200);
  });
});

describe('inside the bundled back end', () => {
  it('the inspection worker and pdf.js in it read the text layer when bundled as CommonJS like dist/main (no import.meta, no canvas, no tsx)', async () => {
    const { build } = await import('esbuild');
    const entry = join(dir, 'bundle-entry.ts');
    writeFileSync(
      entry,
      `import { inspectDocument } from ${JSON.stringify(join(__dirname, '../../src-main/documents/inspect'))};\n` +
        'inspectDocument(process.argv[2]!, {}).then((i) => process.stdout.write(JSON.stringify({ lang: i.pdf?.textLanguage, problems: i.problems })));\n',
    );
    const out = join(dir, 'bundle.cjs');
    // The inspection worker's bundle sits next to the back end's, as scripts/build.mjs writes dist/main.
    const entryPoints = { bundle: entry, 'inspect-worker': join(__dirname, '../../src-main/documents/inspect-worker.ts') };
    await build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', entryPoints, outdir: dir, outExtension: { '.js': '.cjs' }, nodePaths: [join(__dirname, '../../node_modules')], external: ['electron', 'better-sqlite3'], logLevel: 'error' });
    const pdf = file('bundle-kk.pdf', await makeTextPdf({ lines: KK_TEXT }));
    const r = run(process.execPath, [out, pdf], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ lang: 'kk', problems: [] });
  });
});

describe('cache', () => {
  let db: LocalDb;
  beforeAll(() => {
    db = openLocalDb(join(dir, 'cache.sqlite'));
  });
  afterAll(async () => {
    await db.close();
  });

  // How fast a hit is: bench/reports/document-inspection.ts. Here: a hit never reads the file again.
  it('caches per (sha256, context): a hit is equal and reads no file; another day, trust or expected BIN misses', async () => {
    const signed = await signPdf(await makeTextPdf({ pages: 20 }), { identity: head, timestamp: { url: tsa.url } });
    const path = file('twenty.pdf', signed.pdf);
    const sha = (await inspectDocument(path, { trust })).sha256;
    const cache = new InspectionCache(db.sqlite);
    const now = new Date();
    const cold = await inspectCached(cache, path, sha, { trust, now });
    // The file is moved away: a miss would inspect again and report it missing; the hit returns the same.
    renameSync(path, `${path}.away`);
    const warm = await inspectCached(cache, path, sha, { trust, now });
    renameSync(`${path}.away`, path);
    expect(warm).toEqual(cold);
    expect(cold.pdf?.pages).toBe(20);
    const rows = () => (db.sqlite.prepare('SELECT COUNT(*) AS n FROM document_inspections WHERE sha256 = ?').get(sha) as { n: number }).n;
    expect(rows()).toBe(1);
    const ctx = inspectionContext(trust, {}, now);
    expect(inspectionContext(trust, { expectBin: SUBJECTS.head.bin }, now)).not.toBe(ctx);
    expect(inspectionContext(trust, {}, new Date(now.getTime() + 86_400_000))).not.toBe(ctx);
    expect(inspectionContext(appTrust({ online: true, extra: trust.anchors }, {}), {}, now)).not.toBe(ctx);
    await inspectCached(cache, path, sha, { trust, now, expectBin: SUBJECTS.head.bin });
    expect(rows()).toBe(2);
  });
});
