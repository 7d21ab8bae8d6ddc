/**
 * PAdES incremental updates checked by poppler's pdfsig against a throw-away NSS
 * database that trusts the test root (pdfsig exits 0 even on a digest mismatch,
 * so its text is parsed). Negatives: a flipped byte, an appended update.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// pdfsig/openssl child processes: allow for a loaded CI machine.
vi.setConfig({ testTimeout: 90_000 });
import { identityFromPkcs12, signFilePades, type SigningIdentity } from '../../src-main/signing/sign-file';
import { verifyFile } from '../../src-main/signing/verify-file';
import { findPdfSignatures } from '../../src-shared/signing/verify-pdf';
import { parseSignedData } from '../../src-shared/signing/cms-build';
import { OID } from '../../src-shared/signing/oids';
import { startTsa, type LocalServer } from './helpers/services';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './helpers/test-pki';
import { flipByte, makeNssDb, makePdf, pdfsig, run } from './helpers/tools';

let pki: TestPki;
let tsa: LocalServer;
let nss: string;
let person: SigningIdentity;
let head: SigningIdentity;

beforeAll(async () => {
  pki = createTestPki();
  tsa = await startTsa(pki);
  nss = makeNssDb(pki.dir, join(pki.dir, 'root.pem'));
  person = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'x'), 'x');
  head = await identityFromPkcs12(
    pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead], key: 'tsa' }), 'y'),
    'y',
  );
});
afterAll(async () => {
  await tsa?.close();
  pki?.cleanup();
});

const anchors = () => [{ der: pki.root.der, kind: 'custom' as const }];

async function signAndCheck(name: string, input: Uint8Array, identity: SigningIdentity, withTsa = false) {
  const inPath = pki.write(`${name}.pdf`, input);
  const outPath = join(pki.dir, `${name}-signed.pdf`);
  await signFilePades({ identity, inPath, outPath, ...(withTsa ? { timestamp: { url: tsa.url } } : {}) });
  const out = new Uint8Array(readFileSync(outPath));
  // Incremental update: the original file is an exact prefix.
  expect(Buffer.from(out.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
  return { outPath, out };
}

describe('PAdES ETSI.CAdES.detached as an incremental update', () => {
  it('classic xref PDF: pdfsig says valid, total, trusted; flipped byte → Digest Mismatch; appended bytes → not total', async () => {
    const { outPath, out } = await signAndCheck('classic', await makePdf(), person);
    const r = pdfsig(outPath, nss);
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(r.signatures[0]!.text).toContain('ETSI.CAdES.detached');
    expect(run('qpdf', ['--check', outPath]).code).toBe(0);

    const rep = await verifyFile({ inPath: outPath, anchors: anchors() });
    expect(rep.signatures[0]!.integrity).toBe('ok');
    expect(rep.pdf?.lastSignatureCoversWholeFile).toBe(true);
    expect(rep.signatures[0]!.claimedSigningTime).toBeDefined();
    // PAdES baseline: no CMS signingTime attribute.
    const sd = parseSignedData(findPdfSignatures(out)[0]!.cms);
    expect(sd.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type)).not.toContain(OID.attrSigningTime);
    expect(sd.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type)).toContain(OID.attrSigningCertificateV2);

    const [, b] = findPdfSignatures(out)[0]!.byteRange;
    const flipped = pki.write('classic-flipped.pdf', flipByte(out, b - 40 > 200 ? 200 : 10));
    const rf = pdfsig(flipped, nss);
    expect(rf.signatures[0]!.valid).toBe(false);
    expect(rf.signatures[0]!.text).toContain('Digest Mismatch');
    const repF = await verifyFile({ inPath: flipped, anchors: anchors() });
    expect(repF.signatures[0]!.integrity).toBe('digest_mismatch');
    expect(repF.verdict).toBe('invalid');

    const appended = pki.write('classic-appended.pdf', Buffer.concat([Buffer.from(out), Buffer.from('\n% appended update\n1 0 obj\n<< /Evil true >>\nendobj\n%%EOF\n')]));
    const ra = pdfsig(appended, nss);
    expect(ra.signatures[0]!.valid).toBe(true);
    expect(ra.signatures[0]!.total).toBe(false);
    const repA = await verifyFile({ inPath: appended, anchors: anchors() });
    expect(repA.pdf?.lastSignatureCoversWholeFile).toBe(false);
    expect(repA.signatures[0]!.pdf?.changesAfter.kind).toBe('other_changes');
    expect(repA.verdict).not.toBe('valid');
  });

  it('xref-stream + object-stream PDF (qpdf --object-streams=generate) with a B-T timestamp', async () => {
    const plain = pki.write('os-src.pdf', await makePdf({ pages: 2 }));
    const osPath = join(pki.dir, 'os.pdf');
    expect(run('qpdf', ['--object-streams=generate', plain, osPath]).code).toBe(0);
    const input = new Uint8Array(readFileSync(osPath));
    expect(Buffer.from(input).includes('/ObjStm')).toBe(true);
    const { outPath, out } = await signAndCheck('objstm', input, person, true);
    const r = pdfsig(outPath, nss);
    expect(r.signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(run('qpdf', ['--check', outPath]).code).toBe(0);
    const rep = await verifyFile({ inPath: outPath, anchors: anchors() });
    expect(rep.signatures[0]!.timestamp?.status).toBe('valid');
    expect(rep.signatures[0]!.signingTime).toBeDefined();
    // Flip a byte of the original part: both validators notice.
    const flipped = pki.write('objstm-flipped.pdf', flipByte(out, 300));
    expect(pdfsig(flipped, nss).signatures[0]!.valid).toBe(false);
    expect((await verifyFile({ inPath: flipped, anchors: anchors() })).verdict).toBe('invalid');
  });

  it('signing an already-signed PDF keeps the earlier signature valid (two signers)', async () => {
    const first = await signAndCheck('twice-1', await makePdf({ text: 'Already signed (eGov extract stand-in)' }), person, true);
    const second = await signAndCheck('twice-2', first.out, head);
    const r = pdfsig(second.outPath, nss);
    expect(r.signatures).toHaveLength(2);
    expect(r.signatures[0]).toMatchObject({ valid: true, total: false, trusted: true });
    expect(r.signatures[1]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(r.signatures[1]!.text).toContain('Signature2');

    const rep = await verifyFile({ inPath: second.outPath, anchors: anchors() });
    expect(rep.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok']);
    expect(rep.signatures[0]!.pdf?.coversWholeFile).toBe(false);
    expect(rep.signatures[0]!.pdf?.changesAfter.kind).toBe('signatures_only');
    expect(rep.signatures[1]!.pdf?.coversWholeFile).toBe(true);
    expect(rep.pdf?.lastSignatureCoversWholeFile).toBe(true);
    expect(rep.signatures[1]!.signer?.subject.bin).toBe(SUBJECTS.head.bin);

    // Third signature on an object-stream PDF that already has one.
    const plain = pki.write('os2-src.pdf', await makePdf());
    const osPath = join(pki.dir, 'os2.pdf');
    run('qpdf', ['--object-streams=generate', plain, osPath]);
    const a = await signAndCheck('os-twice-1', new Uint8Array(readFileSync(osPath)), head);
    const b = await signAndCheck('os-twice-2', a.out, person);
    const r2 = pdfsig(b.outPath, nss);
    expect(r2.signatures.map((s) => s.valid)).toEqual([true, true]);
    expect(r2.signatures[1]!.total).toBe(true);
  });

  it('a PDF signed by another tool (qpdf-rewritten, linearized) can be signed too', async () => {
    const plain = pki.write('lin-src.pdf', await makePdf({ pages: 3 }));
    const lin = join(pki.dir, 'lin.pdf');
    expect(run('qpdf', ['--linearize', plain, lin]).code).toBe(0);
    const { outPath } = await signAndCheck('lin', new Uint8Array(readFileSync(lin)), person);
    expect(pdfsig(outPath, nss).signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(run('qpdf', ['--check', outPath]).code).toBe(0);
  });

  it('a PDF already signed by another tool (poppler pdfsig -add-signature, NSS) keeps that signature valid', async () => {
    // The "notary" signs with poppler/NSS: an independent signer and writer.
    const notary = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], key: 'tsa' });
    const p12 = pki.write('notary.p12', pki.p12(notary, 'np'));
    expect(run('pk12util', ['-i', p12, '-d', `sql:${nss}`, '-W', 'np', '-K', '']).code).toBe(0);
    const src = pki.write('notary-src.pdf', await makePdf({ text: 'Notarized copy' }));
    const notarized = join(pki.dir, 'notarized.pdf');
    const add = run('pdfsig', ['-nssdir', `sql:${nss}`, '-add-signature', '-nick', 'seriktes-test', '-new-signature-field-name', 'NotarySig', '-reason', 'notarized', src, notarized]);
    expect(add.code).toBe(0);
    const before = pdfsig(notarized, nss);
    expect(before.signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(before.signatures[0]!.text).toContain('adbe.pkcs7.detached');

    const ours = await signAndCheck('notarized-then-ours', new Uint8Array(readFileSync(notarized)), person, true);
    const after = pdfsig(ours.outPath, nss);
    expect(after.signatures).toHaveLength(2);
    expect(after.signatures[0]).toMatchObject({ valid: true, total: false, trusted: true });
    expect(after.signatures[1]).toMatchObject({ valid: true, total: true, trusted: true });
    const rep = await verifyFile({ inPath: ours.outPath, anchors: anchors() });
    expect(rep.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok']);
    expect(rep.signatures[0]!.fieldName).toBe('NotarySig');
    expect(rep.signatures[0]!.pdf?.subFilter).toBe('adbe.pkcs7.detached');
    expect(rep.signatures[0]!.pdf?.changesAfter.kind).toBe('signatures_only');
    expect(rep.signatures[1]!.pdf?.subFilter).toBe('ETSI.CAdES.detached');
  });

  it('certification (DocMDP P=1): pdfsig accepts it; any later signature makes our verifier say invalid; P=2 allows it', async () => {
    const src = pki.write('cert-src.pdf', await makePdf({ text: 'Certified notice' }));
    const certified = join(pki.dir, 'certified.pdf');
    await signFilePades({ identity: person, inPath: src, outPath: certified, appearance: { certify: 1 } });
    expect(pdfsig(certified, nss).signatures[0]).toMatchObject({ valid: true, total: true, trusted: true });
    expect(run('qpdf', ['--check', certified]).code).toBe(0);
    const repAlone = await verifyFile({ inPath: certified, anchors: anchors() });
    expect(repAlone.signatures[0]!.pdf?.docMdpPermission).toBe(1);
    expect(repAlone.signatures[0]!.reasons).not.toContain('certification_forbids_changes');

    const later = join(pki.dir, 'certified-then-signed.pdf');
    await signFilePades({ identity: head, inPath: certified, outPath: later });
    const rep = await verifyFile({ inPath: later, anchors: anchors() });
    expect(rep.signatures[0]!.reasons).toContain('certification_forbids_changes');
    expect(rep.verdict).toBe('invalid');

    const p2 = join(pki.dir, 'certified-p2.pdf');
    await signFilePades({ identity: person, inPath: src, outPath: p2, appearance: { certify: 2 } });
    const p2later = join(pki.dir, 'certified-p2-signed.pdf');
    await signFilePades({ identity: head, inPath: p2, outPath: p2later });
    const rep2 = await verifyFile({ inPath: p2later, anchors: anchors() });
    expect(rep2.signatures.flatMap((s) => s.reasons)).not.toContain('certification_forbids_changes');
    expect(rep2.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok']);
  });

  it('refuses non-PDF input with pdf_invalid', async () => {
    const p = pki.write('not.pdf', 'hello');
    await expect(signFilePades({ identity: person, inPath: p, outPath: join(pki.dir, 'x.pdf') })).rejects.toMatchObject({ code: 'pdf_invalid' });
    writeFileSync(join(pki.dir, 'unused'), '');
  });
});
