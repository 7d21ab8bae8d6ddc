/** inspect's PDF facts (PDF/A claim, form fields, signatures) and trust-anchor loading. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromPkcs12, signPdf } from '../../src-main/signing/sign-file';
import { anchorsFromFolder, loadTrustAnchors } from '../../src-main/signing/trust-store';
import { certificateFacts } from '../../src-shared/signing/cert-facts';
import { pdfFacts } from '../../src-shared/signing/pdf-facts';
import { digestBytes } from '../../src-shared/signing/digest';
import { OID } from '../../src-shared/signing/oids';
import { digestFile } from '../../src-main/signing/hash-file';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './helpers/test-pki';
import { run } from './helpers/tools';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

async function pdfWithFormAndXmp(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage();
  const form = doc.getForm();
  form.createTextField('applicant.name').addToPage(page, { x: 50, y: 700, width: 200, height: 20 });
  form.createCheckBox('agree').addToPage(page, { x: 50, y: 650, width: 15, height: 15 });
  const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  const stream = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  return doc.save({ useObjectStreams: false });
}

describe('PDF facts', () => {
  it('reports the PDF/A claim, form fields and signatures (signer facts), cross-checked with qpdf', async () => {
    const cert = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.signingRight] });
    const identity = await identityFromPkcs12(pki.p12(cert, 'pw'), 'pw');
    const { pdf } = await signPdf(await pdfWithFormAndXmp(), { identity });
    const f = await pdfFacts(pdf);
    expect(f.pdfa).toEqual({ part: '2', conformance: 'B' });
    expect(f.formFields.map((x) => x.name).sort()).toEqual(['Signature1', 'agree', 'applicant.name']);
    expect(f.formFields.find((x) => x.name === 'Signature1')?.type).toBe('Sig');
    expect(f.signatures).toHaveLength(1);
    expect(f.signatures[0]).toMatchObject({ fieldName: 'Signature1', subFilter: 'ETSI.CAdES.detached', coversWholeFile: true });
    expect(f.signatures[0]!.signer?.roles).toEqual(['legal_entity', 'signing_right']);
    const path = pki.write('form-signed.pdf', pdf);
    const q = JSON.parse(run('qpdf', ['--json', '--json-key=acroform', path]).stdout) as { acroform: { fields: { fullname: string; fieldtype: string }[] } };
    expect(q.acroform.fields.map((x) => x.fullname).sort()).toEqual(['Signature1', 'agree', 'applicant.name']);
    expect(q.acroform.fields.find((x) => x.fullname === 'Signature1')?.fieldtype).toBe('/Sig');
    // The form fields of the original are untouched: pdf-lib reads the same values from the signed file.
    const reread = await PDFDocument.load(readFileSync(path));
    expect(reread.getForm().getFields().length).toBe(3);
  });
});

describe('trust anchors', () => {
  it('production folder: every certificate file counts; test roots only on request; custom files', () => {
    const dir = join(pki.dir, 'trust');
    mkdirSync(dir);
    writeFileSync(join(dir, 'root.pem'), pki.root.pem);
    writeFileSync(join(dir, 'tsa.der'), pki.tsa.der);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const prod = anchorsFromFolder(dir, 'production');
    expect(prod.map((a) => a.label).sort()).toEqual(['root.pem', 'tsa.der']);
    expect(prod.every((a) => a.kind === 'production')).toBe(true);

    expect(loadTrustAnchors({ productionDir: dir }).every((a) => a.kind === 'production')).toBe(true);
    const withTest = loadTrustAnchors({ productionDir: dir, trustTestRoots: true });
    const test = withTest.filter((a) => a.kind === 'test');
    // The NCA RK test CAs from the fixtures (CA certificates only, no user certificates).
    expect(test.map((a) => certificateFacts(a.der).subject.commonName).sort()).toEqual([
      'ҰКО 3.0 (GOST TEST)',
      'ҰКО 3.0 (RSA TEST)',
      'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
    ]);
    const custom = loadTrustAnchors({ customFiles: [join(dir, 'root.pem')] });
    expect(custom).toHaveLength(1);
    expect(custom[0]!.kind).toBe('custom');
  });
});

describe('streamed file digests (src-main)', () => {
  it('SHA-256 matches openssl dgst; Streebog-512 / GOST 34.311 match the in-memory GOST hashes', async () => {
    const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7 + (i >> 11)) & 255);
    const path = pki.write('stream.bin', data);
    const sha = await digestFile(path, OID.sha256);
    const ossl = run('openssl', ['dgst', '-sha256', '-r', path]).stdout.split(' ')[0];
    expect(Buffer.from(sha).toString('hex')).toBe(ossl);
    for (const oid of [OID.streebog512, OID.streebog256, OID.gost34311]) {
      expect(Buffer.from(await digestFile(path, oid)).toString('hex')).toBe(Buffer.from(await digestBytes(oid, data)).toString('hex'));
    }
    await expect(digestFile(path, '1.2.3.4')).rejects.toThrow(/unsupported/);
  });
});
