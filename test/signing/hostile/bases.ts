/**
 * The genuine artifacts the hostile corpus damages: unsigned and signed PDFs (classic xref and
 * object streams), a detached CMS over a small text, its signer's certificate, and a .p12 — all
 * made here by the project's own signer and the test PKI, nothing read from outside the repository.
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { createDetachedCms } from '../../../src-shared/signing/cms-build';
import { OID } from '../../../src-shared/signing/oids';
import { identityFromPkcs12, signPdf } from '../../../src-main/signing/sign-file';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from '../helpers/test-pki';
import { makePdf } from '../helpers/tools';

export const CORPUS_PASSWORD = 'Hostile-пароль-1';
export const CONTENT = new TextEncoder().encode('Protocol of negotiations, hostile corpus.\n');

export interface Bases {
  pki: TestPki;
  unsignedPdf: Uint8Array;
  unsignedObjStmPdf: Uint8Array;
  signedPdf: Uint8Array;
  signedObjStmPdf: Uint8Array;
  cms: Uint8Array;
  certificate: Uint8Array;
  /** A .p12 with 16 KDF iterations (same shape as the test PKI's, cheap to open a thousand times). */
  p12: Uint8Array;
}

/** forge's own PKCS#12 writer with a low iteration count: mutations then cost no KDF time. */
function cheapP12(certPem: string, keyPem: string, rootPem: string): Uint8Array {
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), [forge.pki.certificateFromPem(certPem), forge.pki.certificateFromPem(rootPem)], CORPUS_PASSWORD, {
    algorithm: '3des',
    count: 16,
    friendlyName: 'hostile',
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}

export async function buildBases(): Promise<Bases> {
  const pki = createTestPki();
  const cert = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] });
  const p12 = cheapP12(cert.pem, cert.keyPem, pki.root.pem);
  const identity = await identityFromPkcs12(p12, CORPUS_PASSWORD);
  const unsignedPdf = await makePdf({ text: 'Hostile corpus, classic xref' });
  const unsignedObjStmPdf = await makePdf({ objectStreams: true, pages: 2, text: 'Hostile corpus, object streams' });
  const sign = async (pdf: Uint8Array) => (await signPdf(pdf, { identity, appearance: { placeholderBytes: 8 * 1024 } })).pdf;
  const cms = await createDetachedCms({
    contentDigest: new Uint8Array(createHash('sha256').update(CONTENT).digest()),
    digestAlgorithm: OID.sha256,
    certificate: identity.certificate,
    chain: identity.chain,
    signer: identity.signer,
    signingTime: new Date(),
  });
  return { pki, unsignedPdf, unsignedObjStmPdf, signedPdf: await sign(unsignedPdf), signedObjStmPdf: await sign(unsignedObjStmPdf), cms, certificate: cert.der, p12 };
}
