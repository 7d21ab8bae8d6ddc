/**
 * PAdES from disk on the bounded reader (issue 14, deliverable 4): the output keeps the original
 * file byte for byte at its start, the first byte range covers all of it, pdfsig and
 * `openssl cms -verify` accept every signature, and the lock rule says 'locked' — on object-stream
 * inputs up to a third co-signature, on hand-made PDFs with the form and the page's /Annots direct,
 * indirect or absent and page attributes inherited from /Pages, with Cyrillic names and
 * certification P1/P2/P3.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentLock } from '../../src-shared/documents/lock';
import type { PdfDict, PdfRef} from '../../src-shared/pdf';
import { openPdf, PdfString, type PdfView } from '../../src-shared/pdf';
import { findPdfSignatures } from '../../src-shared/signing/verify-pdf';
import { identityFromPkcs12, signFilePades, type SigningIdentity } from '../../src-main/signing/sign-file';
import { verifyFile } from '../../src-main/signing/verify-file';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './helpers/test-pki';
import { makeNssDb, makePdf, opensslCmsVerify, pdfsig, run } from './helpers/tools';

// pdfsig/openssl/qpdf child processes: allow for a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

let pki: TestPki;
let nss: string;
let person: SigningIdentity;
let head: SigningIdentity;
let third: SigningIdentity;

beforeAll(async () => {
  pki = createTestPki();
  nss = makeNssDb(pki.dir, join(pki.dir, 'root.pem'));
  person = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'x'), 'x');
  head = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead], key: 'tsa' }), 'y'), 'y');
  third = await identityFromPkcs12(pki.p12(pki.issue({ subject: { ...SUBJECTS.individual, commonName: 'ҮШІНШІ ТЕСТ', iin: '910101300123' }, kind: 'sign', roles: [KZ_EKU.individual], key: 'ca' }), 'z'), 'z');
});
afterAll(() => pki?.cleanup());

/** Signs `inPath` and checks everything that holds for any correct incremental signature. */
async function signChecked(name: string, inPath: string, identity: SigningIdentity, appearance: Parameters<typeof signFilePades>[0]['appearance'] = {}) {
  const input = new Uint8Array(readFileSync(inPath));
  const outPath = join(pki.dir, `${name}.pdf`);
  const res = await signFilePades({ identity, inPath, outPath, appearance });
  const out = new Uint8Array(readFileSync(outPath));
  expect(res.bytes).toBe(out.length);
  expect(Buffer.from(out.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
  const sigs = findPdfSignatures(out);
  const last = sigs[sigs.length - 1]!;
  const [a, b, c, d] = last.byteRange;
  expect(a).toBe(0);
  expect(b).toBeGreaterThan(input.length); // the whole original file is signed
  expect(c + d).toBe(out.length);
  // Every signature verifies in openssl over its own ranges.
  sigs.forEach((s, i) => {
    const [s0, s1, s2, s3] = s.byteRange;
    const content = pki.write(`${name}-ranges-${i}.bin`, Buffer.concat([out.subarray(s0, s0 + s1), out.subarray(s2, s2 + s3)]));
    const cms = pki.write(`${name}-${i}.p7s`, s.cms.subarray(0, cmsLength(s.cms)));
    const r = opensslCmsVerify(cms, content, join(pki.dir, 'root.pem'));
    expect(r.stderr).toContain('CMS Verification successful');
  });
  const p = pdfsig(outPath, nss);
  expect(p.signatures).toHaveLength(sigs.length);
  for (const s of p.signatures) expect(s).toMatchObject({ valid: true, trusted: true });
  expect(p.signatures[sigs.length - 1]!.total).toBe(true);
  expect(run('qpdf', ['--check', outPath]).code).toBe(0);
  const rep = await verifyFile({ inPath: outPath, anchors: [{ der: pki.root.der, kind: 'custom' }] });
  expect(documentLock(rep).state).toBe('locked');
  // The new xref section is of the same kind as the one before it.
  const revs = openPdf(out).revisions;
  expect(revs.length).toBe(openPdf(input).revisions.length + 1);
  expect(revs[revs.length - 1]!.xrefKind).toBe(revs[revs.length - 2]!.xrefKind);
  return { outPath, out, res, rep };
}

/** The DER length of a CMS padded with zeros in /Contents. */
function cmsLength(der: Uint8Array): number {
  const l = der[1]!;
  if (l < 0x80) return 2 + l;
  let n = 0;
  for (let i = 0; i < (l & 0x7f); i++) n = n * 256 + der[2 + i]!;
  return 2 + (l & 0x7f) + n;
}

function sigDict(view: PdfView, fieldName: string): { widget: PdfDict; sig: PdfDict; widgetNum: number } {
  const acro = view.dict(view.catalog().get('AcroForm'))!;
  for (const f of view.resolve(acro.get('Fields')) as PdfRef[]) {
    const widget = view.dict(f)!;
    const t = view.resolve(widget.get('T'));
    if (t instanceof PdfString && t.text() === fieldName) return { widget, sig: view.dict(widget.get('V'))!, widgetNum: f.num };
  }
  throw new Error(`no field ${fieldName}`);
}

/** A classic-xref PDF from object bodies (object n = bodies[n-1]), catalog = 1. */
function handPdf(bodies: string[]): Uint8Array {
  let s = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offs: number[] = [];
  bodies.forEach((b, i) => {
    offs.push(s.length);
    s += `${i + 1} 0 obj\n${b}\nendobj\n`;
  });
  const xref = s.length;
  s += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f\r\n`;
  for (const o of offs) s += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  s += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(s, 'latin1');
}

const CONTENT = 'BT /F1 18 Tf 50 700 Td (Hand-made document) Tj ET';
/** Objects 1 catalog, 2 pages (MediaBox and Resources inherited), 3 page, 4 contents, 5 font, 6 /Annots, 7 AcroForm, 8 /Fields, 9 a link. */
function formPdf(v: { annots: 'none' | 'direct' | 'indirect'; acro: 'none' | 'inline' | 'indirect' }): Uint8Array {
  const link = '<< /Type /Annot /Subtype /Link /Rect [10 10 50 50] /Border [0 0 0] /A << /S /URI /URI (https://example.kz) >> >>';
  // Annotations are indirect (PDF 2.0 requires it; the modification analysis refuses direct ones).
  const annots = v.annots === 'none' ? '' : v.annots === 'direct' ? '/Annots [9 0 R]' : '/Annots 6 0 R';
  const acro = v.acro === 'none' ? '' : v.acro === 'inline' ? '/AcroForm << /Fields [] /DA (/Helv 0 Tf 0 g) >>' : '/AcroForm 7 0 R';
  const bodies = [
    `<< /Type /Catalog /Pages 2 0 R ${acro} >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Rotate 0 >>',
    `<< /Type /Page /Parent 2 0 R /Contents 4 0 R ${annots} >>`,
    `<< /Length ${CONTENT.length} >>\nstream\n${CONTENT}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '[9 0 R]',
    '<< /Fields 8 0 R /DA (/Helv 0 Tf 0 g) >>',
    '[]',
    link,
  ];
  return handPdf(bodies);
}

describe('PAdES from disk on the bounded reader', () => {
  it('object-stream input (qpdf --object-streams=generate): three signers in turn, every signature valid, xref streams throughout', async () => {
    const src = pki.write('os-src.pdf', await makePdf({ pages: 3 }));
    const os = join(pki.dir, 'os.pdf');
    expect(run('qpdf', ['--object-streams=generate', src, os]).code).toBe(0);
    expect(readFileSync(os).includes('/ObjStm')).toBe(true);
    const one = await signChecked('os-1', os, person);
    const two = await signChecked('os-2', one.outPath, head);
    const three = await signChecked('os-3', two.outPath, third, { name: 'Үшінші қол қоюшы' });
    expect([one.res.fieldName, two.res.fieldName, three.res.fieldName]).toEqual(['Signature1', 'Signature2', 'Signature3']);
    expect(three.rep.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok', 'ok']);
    expect(openPdf(three.out).revisions.map((r) => r.xrefKind)).toEqual(['stream', 'stream', 'stream', 'stream']);
    // All three widgets sit on the first page, once each.
    const view = openPdf(three.out).view();
    const annots = view.resolve(view.pages()[0]!.dict.get('Annots')) as PdfRef[];
    expect(annots.map((r) => r.num)).toEqual(['Signature1', 'Signature2', 'Signature3'].map((n) => sigDict(view, n).widgetNum));
  });

  for (const v of [
    { annots: 'none', acro: 'none' },
    { annots: 'direct', acro: 'inline' },
    { annots: 'indirect', acro: 'indirect' },
  ] as const) {
    it(`hand-made PDF, /Annots ${v.annots}, AcroForm ${v.acro}, inherited page attributes: signed and co-signed`, async () => {
      const input = formPdf(v);
      const inPath = pki.write(`hand-${v.annots}-${v.acro}.pdf`, input);
      const one = await signChecked(`hand-${v.annots}-${v.acro}-1`, inPath, person);
      const two = await signChecked(`hand-${v.annots}-${v.acro}-2`, one.outPath, head);
      const before = openPdf(input).view();
      const after = openPdf(two.out).view();
      const p0 = before.pages()[0]!.dict;
      const p1 = after.pages()[0]!.dict;
      // Only /Annots differs on the page; the inherited attributes stay on /Pages.
      expect(p1.keys().filter((k) => k !== 'Annots').sort()).toEqual(p0.keys().filter((k) => k !== 'Annots').sort());
      expect(p1.has('MediaBox')).toBe(false);
      const oldAnnots = (before.resolve(p0.get('Annots')) as unknown[] | undefined) ?? [];
      expect((after.resolve(p1.get('Annots')) as unknown[]).length).toBe(oldAnnots.length + 2);
      const acro = after.dict(after.catalog().get('AcroForm'))!;
      expect(after.resolve(acro.get('SigFlags'))).toBe(3);
      expect((after.resolve(acro.get('Fields')) as unknown[]).length).toBe(2);
      if (v.acro !== 'none') expect(after.resolve(acro.get('DA'))).toBeInstanceOf(PdfString);
      // The page still renders.
      expect(run('pdftoppm', ['-r', '20', '-png', '-singlefile', two.outPath, join(pki.dir, `hand-${v.annots}-${v.acro}`)]).code).toBe(0);
    });
  }

  it('Cyrillic name and reason; certification P1, P2 and P3 set /Perms /DocMDP and the transform level', async () => {
    const inPath = pki.write('cert-src.pdf', await makePdf({ text: 'Certified notice' }));
    for (const p of [1, 2, 3] as const) {
      const { out, res, rep } = await signChecked(`cert-p${p}`, inPath, person, { name: 'Иванов Иван Иванович', reason: 'Келісемін / Согласовано', certify: p });
      const view = openPdf(out).view();
      const { sig } = sigDict(view, res.fieldName);
      expect((view.resolve(sig.get('Name')) as PdfString).text()).toBe('Иванов Иван Иванович');
      expect((view.resolve(sig.get('Reason')) as PdfString).text()).toBe('Келісемін / Согласовано');
      const perms = view.dict(view.catalog().get('Perms'))!;
      expect(view.dict(perms.get('DocMDP'))).toBe(sig);
      expect(rep.signatures[0]!.pdf?.docMdpPermission).toBe(p);
    }
  });

  it('a file ending right after %%EOF (no end of line) is signed; an encrypted one is refused with pdf_encrypted', async () => {
    const plain = await makePdf();
    const trimmed = plain.subarray(0, Buffer.from(plain).lastIndexOf('%%EOF') + 5);
    await signChecked('no-eol', pki.write('no-eol.pdf', trimmed), person);
    const src = pki.write('enc-src.pdf', plain);
    const enc = join(pki.dir, 'enc.pdf');
    expect(run('qpdf', ['--encrypt', 'u', 'o', '256', '--', src, enc]).code).toBe(0);
    await expect(signFilePades({ identity: person, inPath: enc, outPath: join(pki.dir, 'enc-signed.pdf') })).rejects.toMatchObject({ code: 'pdf_encrypted' });
  });

  it('signs in place (input = output) and leaves no temporary file when the input is not a PDF', async () => {
    const inPath = pki.write('inplace.pdf', await makePdf());
    const size = readFileSync(inPath).length;
    await signFilePades({ identity: person, inPath, outPath: inPath });
    expect(readFileSync(inPath).length).toBeGreaterThan(size);
    expect(pdfsig(inPath, nss).signatures[0]).toMatchObject({ valid: true, total: true });
    const bad = pki.write('garbage.pdf', '%PDF-1.7\nnothing here\n');
    await expect(signFilePades({ identity: person, inPath: bad, outPath: join(pki.dir, 'garbage-signed.pdf') })).rejects.toMatchObject({ code: 'pdf_invalid' });
    expect(readdirSync(pki.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFileSync(join(pki.dir, 'done'), '');
  });
});
