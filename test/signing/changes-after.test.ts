/**
 * The modification analysis on real signed files (our own signer, the test PKI) and hand-written
 * incremental updates (test/helpers/pdf-incremental.ts): the forgeries of issue 13 are refused with
 * and without a later co-signature, with a classic xref table and with object streams; a later
 * signature, validation data and date-only metadata updates are not; and the lock rule
 * (documentLock) follows the verifier.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentLock } from '../../src-shared/documents/lock';
import { PdfRef } from '../../src-shared/pdf';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import { renderReport } from '../../src-main/cli/render';
import { startRevocationServer } from './helpers/services';
import { run } from './helpers/tools';
import { FORGERIES, appendToArray, docTimestampField, firstPage, nextNumber, rootOf } from './helpers/forgeries';
import { appendUpdate, baseDocument, changesOf, createFixture, dictWith, lastView, sign, streamBody, type Fixture } from './helpers/modification-fixtures';

vi.setConfig({ testTimeout: 120_000 });

let fx: Fixture;
const bases: Record<'table' | 'stream', Uint8Array> = { table: new Uint8Array(), stream: new Uint8Array() };
beforeAll(async () => {
  fx = await createFixture();
  bases.table = await sign(await baseDocument(fx.pki), fx.supplier);
  bases.stream = await sign(await baseDocument(fx.pki, { objectStreams: true }), fx.supplier);
});
afterAll(() => fx?.pki.cleanup());

const verify = (pdf: Uint8Array) => verifyPdf(pdf, { anchors: [{ der: fx.pki.root.der, kind: 'custom' }] });
const codes = (pdf: Uint8Array, which: number | string = 'Signature1') => changesOf(pdf, which).modifications.map((m) => m.code + (m.key ? `:${m.key}` : ''));

const EXPECTED: Record<keyof typeof FORGERIES, string> = {
  newPage: 'page_added',
  freeText: 'annotation_added',
  unsignedSignatureWidget: 'signature_field_unsigned',
  openAction: 'catalog_changed:OpenAction',
  replacedContent: 'page_content_changed',
};

describe.each(['table', 'stream'] as const)('after a signature (%s xref)', (xref) => {
  it('a co-signature by our signer only adds a signature: the document stays locked', async () => {
    const cosigned = await sign(bases[xref], fx.cosigner);
    expect(changesOf(cosigned)).toMatchObject({ kind: 'signatures_only', modifications: [], revisionsAfter: 1 });
    const report = await verify(cosigned);
    expect(report.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok']);
    expect(report.signatures.flatMap((s) => s.reasons)).not.toContain('pdf_changed_after_signing');
    expect(documentLock(report)).toEqual({ state: 'locked', reasons: [] });
  });

  it.each(Object.keys(FORGERIES) as (keyof typeof FORGERIES)[])('%s is refused, alone and under a later co-signature', async (name) => {
    const forged = FORGERIES[name](bases[xref], xref);
    expect(codes(forged)).toContain(EXPECTED[name]);
    const alone = await verify(forged);
    expect(alone.signatures[0]!.integrity).toBe('ok');
    expect(alone.signatures[0]!.reasons).toContain('pdf_changed_after_signing');
    expect(documentLock(alone).state).toBe('modified_after_signing');

    const cosigned = await sign(forged, fx.cosigner);
    expect(codes(cosigned)).toContain(EXPECTED[name]);
    const report = await verify(cosigned);
    expect(report.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok']);
    expect(report.signatures[0]!.reasons).toContain('pdf_changed_after_signing');
    expect(report.signatures[1]!.pdf?.changesAfter.kind).toBe('none');
    expect(documentLock(report)).toMatchObject({ state: 'modified_after_signing', reasons: ['pdf_changed_after_signing'] });
  });

  it('validation data (/DSS with a certificate and a VRI entry), /Info dates and a document timestamp field are allowed', () => {
    const view = lastView(bases[xref]);
    const n = nextNumber(view);
    const root = rootOf(view);
    const cert = streamBody('<< >>', fx.pki.root.der);
    const vri = 'A'.repeat(40);
    const dss = `<< /Type /DSS /Certs [${n} 0 R] /VRI << /${vri} << /Cert [${n} 0 R] >> >> >>`;
    const withDss = appendUpdate(bases[xref], [{ num: n, body: cert }, { num: root.num, body: dictWith(root.dict, { DSS: dss }) }], { xref });
    expect(changesOf(withDss)).toMatchObject({ kind: 'signatures_only', modifications: [] });

    const garbage = appendUpdate(bases[xref], [{ num: n, body: streamBody('<< >>', 'BT (not a certificate) Tj ET') }, { num: root.num, body: dictWith(root.dict, { DSS: `<< /Certs [${n} 0 R] >>` }) }], { xref });
    expect(codes(garbage)).toContain('dss_invalid');
    const otherKey = appendUpdate(bases[xref], [{ num: root.num, body: dictWith(root.dict, { DSS: '<< /JS (x) >>' }) }], { xref });
    expect(codes(otherKey)).toContain('dss_invalid');

    const info = view.revision.trailer.get('Info');
    const infoNum = (info as { num: number }).num;
    const infoDict = view.dict(info)!;
    const dated = appendUpdate(bases[xref], [{ num: infoNum, body: dictWith(infoDict, { ModDate: '(D:20270101000000Z)', Producer: '(LTA tool)' }) }], { xref });
    expect(changesOf(dated).kind).toBe('signatures_only');
    const retitled = appendUpdate(bases[xref], [{ num: infoNum, body: dictWith(infoDict, { Title: '(Another offer)' }) }], { xref });
    expect(codes(retitled)).toContain('info_changed:Title');

    const stamped = appendUpdate(bases[xref], docTimestampField(view, n), { xref });
    expect(changesOf(stamped)).toMatchObject({ kind: 'signatures_only', modifications: [] });
  });

  it('XMP metadata may change its dates and producer only', () => {
    const xmp = (date: string, title: string) =>
      `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
      `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">` +
      `<xmp:ModifyDate>${date}</xmp:ModifyDate><pdf:Producer>P ${date}</pdf:Producer><dc:title>${title}</dc:title></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const view = lastView(bases[xref]);
    const n = nextNumber(view);
    const root = rootOf(view);
    const meta = (d: string, t: string) => streamBody('<< /Type /Metadata /Subtype /XML >>', xmp(d, t));
    // Signed with metadata, then updated.
    const withMeta = appendUpdate(bases[xref], [{ num: n, body: meta('2026-01-01', 'Offer') }, { num: root.num, body: dictWith(root.dict, { Metadata: `${n} 0 R` }) }], { xref });
    expect(codes(withMeta)).toContain('catalog_changed:Metadata'.replace('catalog_changed:Metadata', 'metadata_changed'));
    return sign(withMeta, fx.cosigner).then((signedMeta) => {
      const later = (d: string, t: string) => appendUpdate(signedMeta, [{ num: n, body: meta(d, t) }], { xref });
      expect(changesOf(later('2027-02-02', 'Offer'), 'Signature2')).toMatchObject({ kind: 'signatures_only', modifications: [] });
      expect(codes(later('2027-02-02', 'Another offer'), 'Signature2')).toContain('metadata_changed');
    });
  });
});

describe('validation data from a real CA (openssl): certificates, CRLs, OCSP responses', () => {
  it('a /DSS and /VRI entry holding them is allowed; one in the wrong array is dss_invalid', async () => {
    const rev = await startRevocationServer(fx.pki);
    try {
      const user = fx.pki.issue({ subject: { commonName: 'DSS USER' }, kind: 'sign' });
      rev.issued.push(user.serialHex);
      const crl = new Uint8Array(await (await fetch(rev.crlUrl)).arrayBuffer());
      const userPem = fx.pki.write('dss-user.pem', user.pem);
      const req = join(fx.pki.dir, 'dss-ocsp-req.der');
      expect(run('openssl', ['ocsp', '-issuer', join(fx.pki.dir, 'root.pem'), '-cert', userPem, '-reqout', req, '-no_nonce']).code).toBe(0);
      const ocsp = new Uint8Array(await (await fetch(rev.ocspUrl, { method: 'POST', body: readFileSync(req), headers: { 'content-type': 'application/ocsp-request' } })).arrayBuffer());
      const view = lastView(bases.table);
      const n = nextNumber(view);
      const root = rootOf(view);
      const streams = [
        { num: n, body: streamBody('<< >>', fx.pki.root.der) },
        { num: n + 1, body: streamBody('<< >>', user.der) },
        { num: n + 2, body: streamBody('<< >>', crl) },
        { num: n + 3, body: streamBody('<< >>', ocsp) },
      ];
      const vri = `/${'B'.repeat(40)} << /Cert [${n + 1} 0 R] /CRL [${n + 2} 0 R] /OCSP [${n + 3} 0 R] /TU (D:20270101000000Z) >>`;
      const dss = `<< /Type /DSS /Certs [${n} 0 R ${n + 1} 0 R] /CRLs [${n + 2} 0 R] /OCSPs [${n + 3} 0 R] /VRI << ${vri} >> >>`;
      const ok = appendUpdate(bases.table, [...streams, { num: root.num, body: dictWith(root.dict, { DSS: dss }) }]);
      expect(changesOf(ok)).toMatchObject({ kind: 'signatures_only', modifications: [] });
      const swapped = `<< /Certs [${n + 2} 0 R] /CRLs [${n} 0 R] /OCSPs [${n + 1} 0 R] >>`;
      const bad = appendUpdate(bases.table, [...streams, { num: root.num, body: dictWith(root.dict, { DSS: swapped }) }]);
      const found = changesOf(bad).modifications.filter((m) => m.code === 'dss_invalid').map((m) => m.object);
      expect(found).toEqual(expect.arrayContaining([n, n + 1, n + 2]));
      const badVri = appendUpdate(bases.table, [...streams, { num: root.num, body: dictWith(root.dict, { DSS: `<< /VRI << /not-a-hash << /Cert [${n} 0 R] >> >> >>` }) }]);
      expect(codes(badVri)).toContain('dss_invalid');
    } finally {
      await rev.close();
    }
  });
});

describe('a visible field dressed as a signature', () => {
  it("copying the supplier's /ByteRange and /Contents does not make it signed", async () => {
    const { findPdfSignatures } = await import('../../src-shared/signing/verify-pdf');
    const view = lastView(bases.table);
    const [f] = findPdfSignatures(bases.table);
    const n = nextNumber(view);
    const page = firstPage(view);
    const copy = `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [${f!.byteRange.join(' ')}] /Contents <${Buffer.from(f!.cms).toString('hex')}> >>`;
    const widget = `<< /FT /Sig /Type /Annot /Subtype /Widget /T (Approval) /Rect [50 400 300 450] /F 4 /P ${page.num} 0 R /V ${n + 1} 0 R /AP << /N ${n + 2} 0 R >> >>`;
    const ap = streamBody('<< /Type /XObject /Subtype /Form /BBox [0 0 250 50] >>', 'BT /Helv 14 Tf 5 20 Td (APPROVED) Tj ET');
    const acroRef = view.catalog().get('AcroForm') as PdfRef;
    const out = appendUpdate(bases.table, [
      { num: n, body: widget },
      { num: n + 1, body: copy },
      { num: n + 2, body: ap },
      ...appendToArray(view, page.num, page.dict, 'Annots', `${n} 0 R`),
      ...appendToArray(view, acroRef.num, view.dict(acroRef)!, 'Fields', `${n} 0 R`),
    ]);
    expect(codes(out)).toContain('signature_field_unsigned');
    expect(documentLock(await verify(out)).state).toBe('modified_after_signing');
  });
});

describe('an empty signature field prepared before signing', () => {
  it('may be signed later (value and appearance), not changed otherwise', async () => {
    const base = await baseDocument(fx.pki);
    const view = lastView(base);
    const n = nextNumber(view);
    const page = firstPage(view);
    const acroRef = view.catalog().get('AcroForm') as PdfRef;
    const empty = `<< /FT /Sig /Type /Annot /Subtype /Widget /T (Buyer) /Rect [300 50 550 100] /F 4 /P ${page.num} 0 R >>`;
    const prepared = appendUpdate(base, [{ num: n, body: empty }, ...appendToArray(view, page.num, page.dict, 'Annots', `${n} 0 R`), ...appendToArray(view, acroRef.num, view.dict(acroRef)!, 'Fields', `${n} 0 R`)]);
    const signed = await sign(prepared, fx.supplier);
    const v = lastView(signed);
    const field = v.dict(new PdfRef(n, 0))!;
    const m = nextNumber(v);
    const value = `<< /Type /Sig /ByteRange [0 1 2 999999999] /Contents <00> >>`;
    const ap = streamBody('<< /Type /XObject /Subtype /Form /BBox [0 0 250 50] >>', 'BT /Helv 10 Tf 5 20 Td (Signed by the buyer) Tj ET');
    const byBuyer = appendUpdate(signed, [{ num: n, body: dictWith(field, { V: `${m} 0 R`, AP: `<< /N ${m + 1} 0 R >>` }) }, { num: m, body: value }, { num: m + 1, body: ap }]);
    expect(changesOf(byBuyer, 'Signature1')).toMatchObject({ kind: 'signatures_only', modifications: [] });
    const moved = appendUpdate(signed, [{ num: n, body: dictWith(field, { V: `${m} 0 R`, Rect: '[0 0 595 842]' }) }, { num: m, body: value }]);
    expect(codes(moved, 'Signature1')).toContain('signature_field_changed:Rect');
    const painted = appendUpdate(signed, [{ num: n, body: dictWith(field, { AP: `<< /N ${m + 1} 0 R >>` }) }, { num: m + 1, body: ap }]);
    expect(codes(painted, 'Signature1')).toContain('signature_field_changed:AP');
  });
});

describe('the CLI report', () => {
  it('lists each modification with its object and key, in every language', async () => {
    const forged = FORGERIES.openAction(FORGERIES.newPage(bases.table, 'table'), 'table');
    const report = await verify(forged);
    const mods = report.signatures[0]!.pdf!.changesAfter.modifications;
    const page = mods.find((m) => m.code === 'page_added')!.object!;
    const root = mods.find((m) => m.code === 'catalog_changed')!.object!;
    const en = renderReport(report, 'en');
    expect(en).toContain('Modifications:');
    expect(en).toContain(`- page added (object ${page})`);
    expect(en).toContain(`- document catalog changed /OpenAction (object ${root})`);
    expect(renderReport(report, 'ru')).toContain(`- добавлена страница (объект ${page})`);
    expect(renderReport(report, 'kk')).toContain(`- бет қосылған (нысан ${page})`);
  });
});

describe('certification (DocMDP) and field locks (FieldMDP)', () => {
  let p1: Uint8Array;
  let p2: Uint8Array;
  let p3: Uint8Array;
  beforeAll(async () => {
    const base = await baseDocument(fx.pki);
    [p1, p2, p3] = await Promise.all([sign(base, fx.supplier, 1), sign(base, fx.supplier, 2), sign(base, fx.supplier, 3)]);
  });

  /** The text field 'comment' filled with a new value. */
  const fill = (pdf: Uint8Array) => {
    const view = lastView(pdf);
    const acro = view.dict(view.catalog().get('AcroForm'))!;
    const fields = view.resolve(acro.get('Fields')) as PdfRef[];
    const text = fields.find((r) => view.dict(r)?.name('FT') === 'Tx')!;
    return appendUpdate(pdf, [{ num: text.num, body: dictWith(view.dict(text)!, { V: '(accepted)' }) }]);
  };

  it('P1 allows only validation data and document timestamps; a signature or form filling is refused', async () => {
    const view = lastView(p1);
    expect(changesOf(appendUpdate(p1, docTimestampField(view, nextNumber(view)))).kind).toBe('signatures_only');
    expect(codes(fill(p1))).toContain('form_filled:V');
    const cosigned = await sign(p1, fx.cosigner);
    expect(codes(cosigned)).toContain('signature_added');
    const report = await verify(cosigned);
    expect(report.signatures[0]!.reasons).toEqual(expect.arrayContaining(['certification_forbids_changes', 'pdf_changed_after_signing']));
    expect(report.verdict).toBe('invalid');
    expect(documentLock(report).state).toBe('modified_after_signing');
  });

  it('P2 allows form filling and signatures, not annotations; P3 also allows annotations, never page content', async () => {
    expect(changesOf(fill(p2)).kind).toBe('signatures_only');
    expect(changesOf(await sign(fill(p2), fx.cosigner)).kind).toBe('signatures_only');
    expect(codes(FORGERIES.freeText(p2, 'table'))).toContain('annotation_added');
    expect(changesOf(FORGERIES.freeText(p3, 'table')).kind).toBe('signatures_only');
    expect(changesOf(await sign(FORGERIES.freeText(p3, 'table'), fx.cosigner)).kind).toBe('signatures_only');
    expect(codes(FORGERIES.replacedContent(p3, 'table'))).toContain('page_content_changed');
    expect(codes(FORGERIES.unsignedSignatureWidget(p3, 'table'))).toContain('signature_field_unsigned');
  });

  it('without DocMDP form filling is allowed; a FieldMDP lock on the field refuses it', async () => {
    const { scanPdfSignatures } = await import('../../src-shared/signing/pdf-signatures');
    const { analyzeChanges } = await import('../../src-shared/signing/modifications');
    const filled = fill(bases.table);
    expect(changesOf(filled).kind).toBe('signatures_only');
    const scan = scanPdfSignatures(filled);
    const f = scan.signatures[0]!;
    expect(analyzeChanges(scan.doc!, { ...f, fieldMdp: [{ action: 'Include', fields: ['comment'] }] }).modifications.map((m) => m.code)).toContain('field_locked');
    expect(analyzeChanges(scan.doc!, { ...f, fieldMdp: [{ action: 'All', fields: [] }] }).modifications.map((m) => m.code)).toContain('field_locked');
    expect(analyzeChanges(scan.doc!, { ...f, fieldMdp: [{ action: 'Exclude', fields: ['comment'] }] }).kind).toBe('signatures_only');
  });

  it('reads DocMDP and FieldMDP from a signature dictionary /Reference (and the field /Lock)', async () => {
    const { scanPdfSignatures } = await import('../../src-shared/signing/pdf-signatures');
    const view = lastView(bases.table);
    const n = nextNumber(view);
    const page = firstPage(view);
    const sig = `<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> /Reference [<< /TransformMethod /FieldMDP /TransformParams << /Action /Include /Fields [(comment)] >> >> << /TransformMethod /DocMDP /TransformParams << /P 3 >> >>] >>`;
    const field = `<< /FT /Sig /Type /Annot /Subtype /Widget /T (Locker) /Rect [0 0 0 0] /P ${page.num} 0 R /V ${n + 1} 0 R /Lock << /Action /Exclude /Fields [(x)] >> >>`;
    const root = rootOf(view);
    const acroRef = root.dict.get('AcroForm') as { num: number };
    const out = appendUpdate(bases.table, [{ num: n, body: field }, { num: n + 1, body: sig }, ...appendToArray(view, acroRef.num, view.dict(acroRef as never)!, 'Fields', `${n} 0 R`)]);
    const found = scanPdfSignatures(out).signatures.find((s) => s.fieldName === 'Locker')!;
    expect(found.docMdpPermission).toBe(3);
    expect(found.fieldMdp).toEqual([
      { action: 'Include', fields: ['comment'] },
      { action: 'Exclude', fields: ['x'] },
    ]);
    expect(found.problems).toEqual(expect.arrayContaining(['pdf_byte_range_not_revision_end', 'pdf_byte_range_not_contents']));
  });
});
