/**
 * The signed bytes themselves (issue 13): the /Contents gap must be exactly `<` + the DER CMS + zero
 * padding + `>` in one letter case, so the same signed bytes cannot become a second file; a
 * ByteRange must start at 0, end at a revision's end and skip exactly its own /Contents; a file the
 * reader refuses is never locked. And the structural tricks the object analysis must see through:
 * an object stream redefined in place, a reference that pointed nowhere being filled, a signature
 * field removed, a rewritten /Annots array.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentLock } from '../../src-shared/documents/lock';
import type { PdfRef, PdfStream } from '../../src-shared/pdf';
import { openPdf } from '../../src-shared/pdf/reader';
import { findPdfSignatures, verifyPdf } from '../../src-shared/signing/verify-pdf';
import { firstPage, nextNumber, rootOf } from './helpers/forgeries';
import { appendUpdate, baseDocument, changesOf, createFixture, dictWith, lastView, pdfText, sign, streamBody, type Fixture } from './helpers/modification-fixtures';

vi.setConfig({ testTimeout: 120_000 });

let fx: Fixture;
let signed: Uint8Array;
beforeAll(async () => {
  fx = await createFixture();
  signed = await sign(await baseDocument(fx.pki), fx.supplier);
});
afterAll(() => fx?.pki.cleanup());

const verify = (pdf: Uint8Array) => verifyPdf(pdf, { anchors: [{ der: fx.pki.root.der, kind: 'custom' }] });
const codes = (pdf: Uint8Array) => changesOf(pdf).modifications.map((m) => m.code + (m.key ? `:${m.key}` : ''));

describe('the /Contents gap', () => {
  it('a clean signature: the gap is its CMS and zero padding', async () => {
    const [f] = findPdfSignatures(signed);
    expect(f).toMatchObject({ problems: [], revision: 1, fieldName: 'Signature1', type: 'Sig', subFilter: 'ETSI.CAdES.detached' });
    expect(f!.objectNumber).toBeGreaterThan(0);
    expect(documentLock(await verify(signed))).toEqual({ state: 'locked', reasons: [] });
  });

  it('changed zero padding, or a hex letter in the other case, is signature_contents_altered (the CMS still verifies)', async () => {
    const [, b, c] = findPdfSignatures(signed)[0]!.byteRange;
    const padded = new Uint8Array(signed);
    padded[c - 2] = 0x31; // the last padding digit '0' → '1'
    const cased = new Uint8Array(signed);
    const letter = Array.from(cased.subarray(b + 1, c - 1)).findIndex((x) => x >= 0x41 && x <= 0x46);
    cased[b + 1 + letter] = cased[b + 1 + letter]! + 0x20; // 'A' → 'a': the same bytes, another file
    for (const altered of [padded, cased]) {
      const report = await verify(altered);
      expect(report.signatures[0]!.integrity).toBe('ok');
      expect(report.signatures[0]!.reasons).toContain('signature_contents_altered');
      expect(report.signatures[0]!.pdf?.changesAfter.modifications).toEqual([{ code: 'signature_contents_altered', object: findPdfSignatures(signed)[0]!.objectNumber }]);
      expect(documentLock(report)).toEqual({ state: 'modified_after_signing', reasons: ['signature_contents_altered'] });
    }
  });

  it('a signature dictionary redefined after signing no longer holds the gap: pdf_byte_range_not_contents', async () => {
    const [f] = findPdfSignatures(signed);
    const view = lastView(signed);
    const sig = view.object(f!.objectNumber!) as never;
    const out = appendUpdate(signed, [{ num: f!.objectNumber!, body: pdfText(sig) }]);
    const report = await verify(out);
    expect(report.signatures[0]!.reasons).toContain('pdf_byte_range_not_contents');
    expect(documentLock(report).state).toBe('signature_invalid');
  });

  it('a ByteRange that does not end at a revision end, or does not start at 0', () => {
    const view = lastView(signed);
    const [f] = findPdfSignatures(signed);
    const [, b, c, d] = f!.byteRange;
    const n = nextNumber(view);
    const page = firstPage(view);
    const acroRef = view.catalog().get('AcroForm') as PdfRef;
    const acro = view.dict(acroRef)!;
    const fields = (view.resolve(acro.get('Fields')) as never[]).map(pdfText);
    const hex = Buffer.from(f!.cms).toString('hex');
    const field = (k: number, t: string) => `<< /FT /Sig /Type /Annot /Subtype /Widget /T (${t}) /Rect [0 0 0 0] /P ${page.num} 0 R /V ${k} 0 R >>`;
    const out = appendUpdate(signed, [
      { num: n, body: field(n + 1, 'Short') },
      { num: n + 1, body: `<< /Type /Sig /ByteRange [0 ${b} ${c} ${d - 10}] /Contents <${hex}> >>` },
      { num: n + 2, body: field(n + 3, 'Offset') },
      { num: n + 3, body: `<< /Type /Sig /ByteRange [5 ${b} ${c} ${d}] /Contents <${hex}> >>` },
      { num: acroRef.num, body: dictWith(acro, { Fields: `[${[...fields, `${n} 0 R`, `${n + 2} 0 R`].join(' ')}]` }) },
    ]);
    const all = findPdfSignatures(out);
    expect(all.find((s) => s.fieldName === 'Short')!.problems).toEqual(expect.arrayContaining(['pdf_byte_range_not_revision_end', 'pdf_byte_range_not_contents']));
    expect(all.find((s) => s.fieldName === 'Offset')!.problems).toEqual(['pdf_byte_range_invalid']);
  });
});

describe('a file the reader refuses', () => {
  it('is never locked: the reader code is reported, the signature found by its /ByteRange', async () => {
    const broken = new Uint8Array([...signed, ...new TextEncoder().encode('\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev 999999999 >>\nstartxref\n' + String(signed.length + 1) + '\n%%EOF\n')]);
    const report = await verify(broken);
    expect(report.signatures).toHaveLength(1);
    const code = report.problems[0]!;
    expect(code).toMatch(/^pdf_/);
    expect(report.signatures[0]!.reasons).toContain(code);
    expect(report.signatures[0]!.pdf?.changesAfter.modifications).toEqual([{ code }]);
    const lock = documentLock(report);
    expect(lock.state).toBe('signature_invalid');
    expect(lock.reasons).toContain(code);
  });
});

describe('structural tricks', () => {
  it('an object stream redefined in place (same number) changes the objects inside it', async () => {
    const os = await sign(await baseDocument(fx.pki, { objectStreams: true }), fx.supplier);
    const doc = openPdf(os);
    const view = doc.view();
    const pages = view.pages();
    const page = { num: pages[pages.length - 1]!.ref.num };
    const entry = view.xref.get(page.num);
    expect(entry?.kind).toBe('compressed');
    const host = entry!.kind === 'compressed' ? entry!.stream : -1;
    const stream = view.object(host) as PdfStream;
    const data = Buffer.from(view.streamData(stream)).toString('latin1');
    const rotated = data.replace(/595(\s+)842/g, '842$1595'); // every page it holds (the first page was rewritten by the signer)
    expect(rotated).not.toBe(data);
    const out = appendUpdate(os, [{ num: host, body: streamBody(`<< /Type /ObjStm /N ${stream.dict.get('N')} /First ${stream.dict.get('First')} >>`, Buffer.from(rotated, 'latin1')) }], { xref: 'stream' });
    expect(codes(out)).toContain('page_changed:MediaBox');
  });

  it('a reference that pointed nowhere, filled after signing, is a modification', async () => {
    const base = await baseDocument(fx.pki);
    const view = lastView(base);
    const page = firstPage(openPdf(base).view());
    const ghost = nextNumber(view) + 50;
    const c = openPdf(base).view().resolve(page.dict.get('Contents'));
    const contents = (Array.isArray(c) ? c : [page.dict.get('Contents')]).map((v) => pdfText(v!));
    const prepared = appendUpdate(base, [{ num: page.num, body: dictWith(page.dict, { Contents: `[${contents.join(' ')} ${ghost} 0 R]` }) }]);
    const withGhost = await sign(prepared, fx.supplier);
    expect(changesOf(withGhost).kind).toBe('none');
    const filled = appendUpdate(withGhost, [{ num: ghost, body: streamBody('<< >>', 'BT /F1 14 Tf 50 700 Td (Total: 1 KZT) Tj ET') }]);
    expect(codes(filled)).toContain('page_content_changed');
  });

  it('a signature field removed from the form and the page is reported, and the signature still found', () => {
    const view = lastView(signed);
    const root = rootOf(view);
    const acroRef = root.dict.get('AcroForm') as PdfRef;
    const acro = view.dict(acroRef)!;
    const isSig = (r: PdfRef) => view.dict(r)?.name('FT') === 'Sig';
    const kept = (view.resolve(acro.get('Fields')) as PdfRef[]).filter((r) => !isSig(r)).map(pdfText);
    const page = firstPage(view);
    const annots = (view.resolve(page.dict.get('Annots')) as PdfRef[]).filter((r) => !isSig(r)).map(pdfText);
    const out = appendUpdate(signed, [
      { num: acroRef.num, body: dictWith(acro, { Fields: `[${kept.join(' ')}]` }) },
      { num: page.num, body: dictWith(page.dict, { Annots: `[${annots.join(' ')}]` }) },
    ]);
    expect(findPdfSignatures(out)).toHaveLength(1);
    expect(codes(out)).toEqual(expect.arrayContaining(['field_removed', 'annotation_removed']));
  });

  it('a page /Annots gaining a widget of a new signature field is allowed; losing the old one is not', async () => {
    const cosigned = await sign(signed, fx.cosigner);
    expect(changesOf(cosigned).kind).toBe('signatures_only');
    const view = lastView(cosigned);
    const page = firstPage(view);
    const annots = view.resolve(page.dict.get('Annots')) as PdfRef[];
    const out = appendUpdate(cosigned, [{ num: page.num, body: dictWith(page.dict, { Annots: `[${annots.slice(1).map(pdfText).join(' ')}]` }) }]);
    expect(codes(out)).toContain('annotation_removed');
  });
});
