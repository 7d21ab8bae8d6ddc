/**
 * Anti-forgery stamping (issue 9 §6) checked with real tools: qpdf --check, pdftoppm + zbarimg
 * (QR → portal URL with the serial, Code 128 → the serial), pdftotext (Kazakh caption), pdfsig
 * (stamped, then signed: the signature is valid). Refusals: signed, encrypted, garbage, stamped.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFDict, type PDFNumber } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileNameWithSerial, isValidSerial, SERIAL_INFO_KEY, serialOfPdf } from '../../src-shared/documents/serial';
import { openPdf } from '../../src-shared/pdf';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../src-main/signing/sign-file';
import { stampPdf, type StampOptions } from '../../src-main/documents/stamp';
import { intersects } from '../../src-main/documents/stamp/placement';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from '../signing/helpers/test-pki';
import { makeNssDb, pdfsig } from '../signing/helpers/tools';
import { centreGrey, decodePage, discPng, PDFA2B_XMP, pdfText, qpdfCheck, readBytes, tempDir, textPdf, wordBoxes, write } from './stamp-helpers';

vi.setConfig({ testTimeout: 60_000 });

const PORTAL = 'https://portal.seriktes.kz';
const BIN = '160340000666';
const tmp = tempDir();
let pki: TestPki;
let identity: SigningIdentity;

beforeAll(async () => {
  pki = createTestPki();
  identity = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] }), 'pw'), 'pw');
});
afterAll(() => {
  pki?.cleanup();
  tmp.cleanup();
});

const opts = (o: Partial<StampOptions> = {}): StampOptions => ({ bin: BIN, qr: 'portal', portalUrl: PORTAL, language: 'kk', ...o });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

function xmpOf(doc: PDFDocument): string {
  const meta = doc.catalog.lookup(PDFName.of('Metadata'));
  return meta instanceof PDFRawStream ? new TextDecoder().decode(decodePDFRawStream(meta).decode()) : '';
}

function pageStreamsText(doc: PDFDocument, i: number): string {
  const contents = doc.getPages()[i]!.node.Contents();
  const list = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  return list.map((s) => (s instanceof PDFRawStream ? new TextDecoder('latin1').decode(decodePDFRawStream(s).decode()) : '')).join('\n');
}

describe('stamping a supplier PDF', () => {
  it('serial in Info, XMP (PDF/A claim kept) and name; QR and Code 128 decode; Kazakh caption; logo on every page; qpdf clean', async () => {
    const input = await textPdf({ pages: 4, xmp: PDFA2B_XMP });
    const r = await stampPdf(input, opts({ logo: discPng(), opacity: 0.2 }));
    expect(isValidSerial(r.serial)).toBe(true);
    expect(r.notes).toContain('transparency_pdfa2b');
    expect(r.notes).not.toContain('stamp_may_cover_content');
    const out = tmp.path('stamped.pdf');
    write(out, r.pdf);

    expect(qpdfCheck(out)).toMatchObject({ code: 0 });
    expect(decodePage(out)).toEqual([`CODE-128:${r.serial}`, `QR-Code:${PORTAL}/verify/${r.serial}`]);

    const doc = await PDFDocument.load(r.pdf, { updateMetadata: false });
    expect(serialOfPdf(openPdf(r.pdf).view())).toBe(r.serial);
    const info = doc.context.lookup(doc.context.trailerInfo.Info) as PDFDict;
    expect(info.lookup(PDFName.of(SERIAL_INFO_KEY))?.toString()).toBe(`(${r.serial})`);
    const xmp = xmpOf(doc);
    expect(xmp).toContain(`<dc:identifier>${r.serial}</dc:identifier>`);
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Жарғы</rdf:li>');
    expect(xmp.match(/dc:identifier>/g)).toHaveLength(2); // one element: open + close tag
    expect(fileNameWithSerial('Жарғы.pdf', r.serial)).toBe(`Жарғы_${r.serial}.pdf`);

    const text = pdfText(out);
    expect(text).toContain('Құжаттың сериялық нөмірі');
    expect(text).toContain(r.serial);
    expect(text).toContain('Түпнұсқалығын тексеру');
    expect(text).toContain("Page 1, line 1: the supplier's own document text.");

    // Watermark: every page draws the one logo XObject through an ExtGState with the opacity.
    const logoRefs = new Set<string>();
    doc.getPages().forEach((page, i) => {
      const res = page.node.Resources()!;
      const logo = (res.lookup(PDFName.of('XObject')) as PDFDict).get(PDFName.of('SRKLogo'));
      expect(logo).toBeInstanceOf(PDFRef);
      logoRefs.add(String(logo));
      const gs = (res.lookup(PDFName.of('ExtGState')) as PDFDict).lookup(PDFName.of('SRKGs')) as PDFDict;
      expect((gs.lookup(PDFName.of('ca')) as PDFNumber).asNumber()).toBe(0.2);
      const ops = pageStreamsText(doc, i);
      expect(ops).toMatch(/\/SRKGs gs [\d. ]+ cm \/SRKLogo Do/);
    });
    expect(logoRefs.size).toBe(1);
    // ... and it shows: the page centre (no text there) is darker than in the original.
    const orig = tmp.path('orig.pdf');
    write(orig, input);
    for (const page of [1, 2, 4]) {
      expect(centreGrey(orig, page)).toBeGreaterThan(253);
      expect(centreGrey(out, page)).toBeLessThan(240);
    }
  });

  it('places the block in a corner no text touches (pdftotext word boxes), and warns when every corner is taken', async () => {
    // Short lines (a left column) down to the bottom: the bottom-right corner stays free.
    const r = await stampPdf(await textPdf({ pages: 1, lines: 52, line: (_p, i) => `Clause ${i}. Terms` }), opts({ language: 'ru' }));
    expect(r.geometry.corner).toBe('bottom-right');
    expect(r.notes).not.toContain('stamp_may_cover_content');
    const out = tmp.path('free-corner.pdf');
    write(out, r.pdf);
    const block = r.geometry.block;
    const words = wordBoxes(out).filter((w) => /^(Clause|\d+\.|Terms)$/.test(w.word));
    expect(words.length).toBe(52 * 3);
    for (const w of words) expect(intersects({ x0: w.x0, x1: w.x1, y0: 842 - w.y1, y1: 842 - w.y0 }, block)).toBe(false);
    expect(pdfText(out)).toContain('Серийный номер документа');

    // Full-width text everywhere: no free corner, the user is told.
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    for (let y = 10; y < 840; y += 12) page.drawText('X'.repeat(80), { x: 5, y, size: 10 });
    const crowded = await stampPdf(await doc.save(), opts({ qr: 'none' }));
    expect(crowded.notes).toContain('stamp_may_cover_content');
  });

  it('rotated title page and an eGov QR target: both codes still decode', async () => {
    const r = await stampPdf(await textPdf({ pages: 2, rotateFirst: 90 }), opts({ qr: 'egov', egovTemplate: 'https://egov.example.kz/registry?bin={bin}', language: 'en' }));
    const out = tmp.path('rotated.pdf');
    write(out, r.pdf);
    expect(r.qrUrl).toBe(`https://egov.example.kz/registry?bin=${BIN}`);
    expect(decodePage(out)).toEqual([`CODE-128:${r.serial}`, `QR-Code:https://egov.example.kz/registry?bin=${BIN}`]);
    expect(qpdfCheck(out).code).toBe(0);
    // qr 'none': only the barcode.
    const none = await stampPdf(await textPdf({ pages: 1 }), opts({ qr: 'none' }));
    write(tmp.path('none.pdf'), none.pdf);
    expect(decodePage(tmp.path('none.pdf'))).toEqual([`CODE-128:${none.serial}`]);
  });

  it('object-stream input and a PDF without XMP get a proper XMP packet', async () => {
    const r = await stampPdf(await textPdf({ pages: 2, objectStreams: true }), opts());
    const doc = await PDFDocument.load(r.pdf, { updateMetadata: false });
    const xmp = xmpOf(doc);
    expect(xmp).toMatch(/^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>/);
    expect(xmp).toMatch(/<\?xpacket end="w"\?>$/);
    expect(xmp).toContain(`<dc:identifier>${r.serial}</dc:identifier>`);
    const meta = doc.catalog.lookup(PDFName.of('Metadata')) as PDFRawStream;
    expect(meta.dict.get(PDFName.of('Filter'))).toBeUndefined();
    write(tmp.path('objstm.pdf'), r.pdf);
    expect(qpdfCheck(tmp.path('objstm.pdf')).code).toBe(0);
  });

  it('a page without any content stream (blank) gets the watermark too', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    doc.addPage([842, 595]);
    const r = await stampPdf(await doc.save(), opts({ logo: discPng() }));
    const out = tmp.path('blank.pdf');
    write(out, r.pdf);
    expect(qpdfCheck(out).code).toBe(0);
    expect(r.notes).not.toContain('stamp_may_cover_content');
    expect(decodePage(out)).toEqual([`CODE-128:${r.serial}`, `QR-Code:${PORTAL}/verify/${r.serial}`]);
    expect(centreGrey(out, 2)).toBeLessThan(240);
  });

  it('re-stamping needs restamp: true and then replaces the serial everywhere (no second QR, no old serial left)', async () => {
    const first = await stampPdf(await textPdf({ pages: 2 }), opts({ logo: discPng() }));
    expect(await codeOf(stampPdf(first.pdf, opts()))).toBe('document_already_stamped');
    const second = await stampPdf(first.pdf, opts({ restamp: true, logo: discPng(), qr: 'portal' }));
    expect(second.serial).not.toBe(first.serial);
    expect(second.previousSerial).toBe(first.serial);
    expect(second.notes).toContain('restamped');
    const out = tmp.path('restamped.pdf');
    write(out, second.pdf);
    expect(decodePage(out)).toEqual([`CODE-128:${second.serial}`, `QR-Code:${PORTAL}/verify/${second.serial}`]);
    expect(pdfText(out)).not.toContain(first.serial);
    // Uncompressed, every object of the file: the old serial is nowhere.
    const qdf = tmp.path('restamped-qdf.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', out, qdf]);
    const raw = Buffer.from(readBytes(qdf)).toString('latin1');
    expect(raw).not.toContain(first.serial);
    expect(raw).toContain(second.serial);
    // One stamp per page, not two.
    const doc = await PDFDocument.load(second.pdf);
    for (let i = 0; i < 2; i++) expect(pageStreamsText(doc, i).match(/\/SRKLogo Do/g)).toHaveLength(1);
    expect(qpdfCheck(out).code).toBe(0);
  });

  it('stamped, then signed: pdfsig says the signature is valid and covers the whole file', async () => {
    const stamped = await stampPdf(await textPdf({ pages: 2, xmp: PDFA2B_XMP }), opts({ logo: discPng() }));
    const signed = await signPdf(stamped.pdf, { identity });
    const out = tmp.path('stamped-signed.pdf');
    write(out, signed.pdf);
    const nss = makeNssDb(pki.dir, join(pki.dir, 'root.pem'));
    const sigs = pdfsig(out, nss).signatures;
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(serialOfPdf(openPdf(signed.pdf).view())).toBe(stamped.serial);
  });
});

describe('refusals', () => {
  it('a signed PDF: document_already_signed (stamp first, then sign)', async () => {
    const signed = await signPdf(await textPdf({ pages: 1 }), { identity });
    expect(await codeOf(stampPdf(signed.pdf, opts()))).toBe('document_already_signed');
  });

  it('an encrypted PDF (qpdf --encrypt): pdf_encrypted', async () => {
    const plain = tmp.path('plain.pdf');
    const enc = tmp.path('encrypted.pdf');
    write(plain, await textPdf({ pages: 1 }));
    execFileSync('qpdf', ['--encrypt', '', 'owner-pw', '256', '--', plain, enc]);
    expect(await codeOf(stampPdf(readBytes(enc), opts()))).toBe('pdf_encrypted');
  });

  it('garbage: pdf_invalid; a truncated PDF: pdf_truncated (the bounded reader); a bad logo: logo_invalid', async () => {
    expect(await codeOf(stampPdf(new TextEncoder().encode('not a pdf at all'), opts()))).toBe('pdf_invalid');
    expect(await codeOf(stampPdf(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<'), opts()))).toBe('pdf_truncated');
    expect(await codeOf(stampPdf(await textPdf({ pages: 1 }), opts({ logo: new TextEncoder().encode('GIF89a....') })))).toBe('logo_invalid');
  });
});
