/**
 * The lock matrix, legitimate co-signatures (issue 13): a supplier's signed PDF (classic xref, and
 * object streams) co-signed by the project's signer, by NSS (poppler `pdfsig -add-signature`) and
 * by Apache PDFBox (visible, with an appearance stream painting text, and invisible), each written
 * as an incremental update the way those tools do. All of them are accepted by `cli verify`,
 * `check-package` and the portal, and the independent validators — pdfsig (NSS) and PDFBox with
 * Bouncy Castle — agree every signature is intact. A forgery co-signed by another tool stays refused.
 * One JVM for the whole file (test/java/PdfBoxJobs).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { forge } from './lock-matrix/forgeries';
import { expectAccepted, expectRefused } from './lock-matrix/expect';
import { compileJava, runPdfBoxJobs, type PdfBoxJob, type PdfBoxReport } from './lock-matrix/java';
import { judgeAll, matrixPortal, type MatrixPortal, type Row, type Verdicts } from './lock-matrix/judges';
import { nssCoSign, nssSigner } from './lock-matrix/nss';
import { basePdf, LAYOUTS, matrixPki, projectSign, type Layout, type MatrixPki } from './lock-matrix/setup';
import { makeNssDb, pdfsigAsync, type PdfsigSignature } from './helpers/tools';

vi.setConfig({ testTimeout: 120_000 });

/**
 * `nss` co-signs the project's usual shape, an /AcroForm inline in the catalog: poppler 22 then
 * leaves its field out of /Fields (the widget is only in the page's /Annots) — still a signature.
 */
const COSIGNERS = ['project', 'nss', 'pdfbox_visible', 'pdfbox_invisible'] as const;
type CoSigner = (typeof COSIGNERS)[number];
/** Forgeries co-signed by another tool (the review: "then have anyone co-sign it"). */
const FOREIGN_FORGERIES = [
  ['sig_widget_text', 'pdfbox_visible'],
  ['free_text', 'nss'],
] as const;

/** NSS over a document whose /AcroForm is its own object (as Acrobat, iText, PDFBox write it): poppler lists its field there. */
const INDIRECT_FORM = 'nss_indirect_form';
/** Three signatures, three tools: NSS then PDFBox (checked by both validators), PDFBox then the project (by pdfsig). */
const CHAINS = ['nss_then_pdfbox', 'pdfbox_then_project'] as const;

let m: MatrixPki;
let portal: MatrixPortal;
let dir: string;
let verdicts: Map<string, Verdicts>;
const pdfbox = new Map<string, PdfBoxReport>();
const pdfsig = new Map<string, PdfsigSignature[]>();

const key = (layout: Layout, what: string) => `${layout}_${what}`;
const path = (k: string) => join(dir, `${k}.pdf`);

/**
 * Set-up failures (java, javac or the jars missing, a tool refusing) are kept and thrown by every
 * test: vitest would report the tests of a failed beforeAll as skipped, and these must fail.
 */
let setupError: unknown;
const ready = () => {
  if (setupError) throw setupError;
};

beforeAll(async () => {
  try {
    await setUp();
  } catch (e) {
    setupError = e;
  }
}, 300_000);

async function setUp(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'seriktes-lock-cosign-'));
  m = await matrixPki();
  portal = await matrixPortal(m.pki.root.der);
  const java = compileJava(dir);
  const nss = nssSigner(dir, m.other.p12Path, m.other.password, m.rootPem);
  const jobs: PdfBoxJob[] = [];
  const cosign = (src: string, out: string, visible: boolean): PdfBoxJob => ({ cosign: { in: path(src), out: path(out), p12: m.other.p12Path, password: m.other.password, visible, name: m.other.commonName } });
  const nssSign = async (src: string, out: string) => {
    const r = await nssCoSign(nss, path(src), path(out), 'NSS1');
    if (r.code !== 0) throw new Error(`pdfsig -add-signature ${src}: ${r.output}`);
  };
  for (const layout of LAYOUTS) {
    const signed = await projectSign(await basePdf(layout, dir), m.supplier);
    writeFileSync(path(key(layout, 'signed')), signed);
    writeFileSync(path(key(layout, 'project')), await projectSign(signed, m.colleague));
    await nssSign(key(layout, 'signed'), key(layout, 'nss'));
    writeFileSync(path(key(layout, 'signed_indirect_form')), await projectSign(await basePdf(layout, dir, { indirectForm: true }), m.supplier));
    await nssSign(key(layout, 'signed_indirect_form'), key(layout, INDIRECT_FORM));
    jobs.push(
      cosign(key(layout, 'signed'), key(layout, 'pdfbox_visible'), true),
      cosign(key(layout, 'signed'), key(layout, 'pdfbox_invisible'), false),
      cosign(key(layout, 'nss'), key(layout, 'nss_then_pdfbox'), true),
    );
    for (const [f, by] of FOREIGN_FORGERIES) {
      writeFileSync(path(key(layout, f)), await forge(signed, f, dir));
      if (by === 'nss') await nssSign(key(layout, f), key(layout, `${f}_${by}`));
      else jobs.push(cosign(key(layout, f), key(layout, `${f}_${by}`), true));
    }
  }
  const legit = LAYOUTS.flatMap((l) => [...COSIGNERS, 'nss_then_pdfbox', INDIRECT_FORM].map((c) => key(l, c)));
  for (const k of legit) jobs.push({ verify: path(k) });
  const results = await runPdfBoxJobs(java, jobs);
  for (const r of results) {
    if (r.job === 'cosign' && !r.ok) throw new Error(`PDFBox co-signature ${r.out}: ${r.error}`);
    if (r.job === 'verify') pdfbox.set(legit.find((k) => path(k) === r.report.file)!, r.report);
  }
  for (const layout of LAYOUTS) writeFileSync(path(key(layout, 'pdfbox_then_project')), await projectSign(readFileSync(path(key(layout, 'pdfbox_visible'))), m.colleague));
  const accepted = [...legit, ...LAYOUTS.map((l) => key(l, 'pdfbox_then_project'))];
  const trustDb = makeNssDb(dir, m.rootPem);
  for (const k of accepted) pdfsig.set(k, (await pdfsigAsync(path(k), trustDb)).signatures);
  const rows: Row[] = [...accepted, ...LAYOUTS.flatMap((l) => FOREIGN_FORGERIES.map(([f, by]) => key(l, `${f}_${by}`)))].map((k) => ({ key: k, bytes: new Uint8Array(readFileSync(path(k))) }));
  verdicts = await judgeAll(rows, { dir, rootPem: m.rootPem, portal });
}

afterAll(async () => {
  await portal?.close();
  await m?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(LAYOUTS)('co-signatures, %s layout', (layout) => {
  it.each(COSIGNERS)('a co-signature by %s: both signatures intact for pdfsig and PDFBox/Bouncy Castle', (c: CoSigner) => {
    ready();
    const k = key(layout, c);
    const bytes = readFileSync(path(k));
    const sigs = pdfsig.get(k)!;
    expect(sigs, `${k}: pdfsig finds two signatures`).toHaveLength(2);
    for (const s of sigs) expect.soft(s.valid, `${k}: pdfsig "Signature is Valid" ${s.text}`).toBe(true);
    expect.soft(sigs[1]?.total, `${k}: pdfsig, the co-signature covers the whole document`).toBe(true);
    const report = pdfbox.get(k)!;
    expect(report.error, `${k}: PDFBox reads the file`).toBeUndefined();
    expect(report.signatures, `${k}: PDFBox finds two signatures`).toHaveLength(2);
    for (const s of report.signatures!) expect.soft({ intact: s.intact, error: s.error }, `${k}: PDFBox/BC, ${s.name}`).toEqual({ intact: true, error: null });
    const last = report.signatures![1]!.byteRange;
    expect.soft(last[2]! + last[3]!, `${k}: the co-signature's ByteRange ends at the end of the file`).toBe(bytes.length);
  });

  it.each(COSIGNERS)('a co-signature by %s is accepted by cli verify, check-package and the portal', (c: CoSigner) => {
    ready();
    const k = key(layout, c);
    expectAccepted(k, verdicts.get(k)!, 2);
  });

  it('an NSS co-signature on a document whose /AcroForm is its own object is accepted', () => {
    ready();
    const k = key(layout, INDIRECT_FORM);
    expect(pdfsig.get(k)!.map((s) => s.valid), `${k}: pdfsig`).toEqual([true, true]);
    expect(pdfbox.get(k)?.signatures?.map((s) => s.intact), `${k}: PDFBox/BC (fields and page widgets)`).toEqual([true, true]);
    expectAccepted(k, verdicts.get(k)!, 2);
  });

  it.each(CHAINS)('three signatures (%s): intact for the validators, accepted by cli verify, check-package and the portal', (c) => {
    ready();
    const k = key(layout, c);
    const sigs = pdfsig.get(k)!;
    expect(sigs, `${k}: pdfsig finds three signatures`).toHaveLength(3);
    for (const s of sigs) expect.soft(s.valid, `${k}: pdfsig "Signature is Valid" ${s.text}`).toBe(true);
    // pdfsig lists fields first and widget-only signatures (poppler's own, see above) last: count, not position.
    expect.soft(sigs.filter((s) => s.total), `${k}: pdfsig, one signature covers the whole document`).toHaveLength(1);
    const report = pdfbox.get(k);
    if (c === 'nss_then_pdfbox') expect(report?.signatures?.map((s) => s.intact), `${k}: PDFBox/BC`).toEqual([true, true, true]);
    expectAccepted(k, verdicts.get(k)!, 3);
  });

  it.each(FOREIGN_FORGERIES)('forgery %s co-signed by %s is refused by cli verify, check-package and the portal', (f, by) => {
    ready();
    const k = key(layout, `${f}_${by}`);
    expectRefused(k, verdicts.get(k)!);
  });
});
