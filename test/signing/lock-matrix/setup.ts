/**
 * The people and documents of the lock matrix: a throw-away PKI with an OCSP responder (so `cli
 * verify` can say "valid" online), the supplier who signs first, a colleague who co-signs with the
 * project's signer, and a .p12 for the other tools (PDFBox, NSS). Base documents come in two
 * layouts — a classic xref table, and object streams with an xref stream (qpdf) — each signed once
 * by the supplier and reused by every row.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PDFDocument, PDFName } from 'pdf-lib';
import { join } from 'node:path';
import { demoBin } from '../../../src-portal/seed/seed';
import { withCheckDigit } from '../../../src-shared/domain/identity';
import { identityFromPkcs12, signPdf, type SigningIdentity } from '../../../src-main/signing/sign-file';
import { startRevocationServer } from '../helpers/services';
import { createTestPki, KZ_EKU, type TestPki } from '../helpers/test-pki';
import { makePdf, run } from '../helpers/tools';

export const LAYOUTS = ['classic', 'objstm'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface MatrixPki {
  pki: TestPki;
  rootPem: string;
  supplier: SigningIdentity;
  colleague: SigningIdentity;
  /** Another signer's key file for PDFBox and NSS (friendly name `seriktes-test`). */
  other: { p12Path: string; password: string; commonName: string };
  close(): Promise<void>;
}

/** A valid IIN (men born 1990-01-01; the check digit decides which serials exist). */
function iin(from: number): string {
  for (let n = from; ; n++) {
    const v = withCheckDigit(`9001013${String(n).padStart(4, '0')}`);
    if (v) return v;
  }
}

export async function matrixPki(): Promise<MatrixPki> {
  const pki = createTestPki();
  const rev = await startRevocationServer(pki);
  const bin = demoBin('supplier1');
  const issue = (commonName: string, iin: string, key: 'user' | 'tsa', roles: string[]) => {
    const cert = pki.issue({ subject: { commonName, surname: commonName.split(' ')[0], iin, bin, organization: 'ТОО «Дала Снабжение»' }, kind: 'sign', roles: [KZ_EKU.legalEntity, ...roles], key, ocspUrl: rev.ocspUrl });
    rev.issued.push(cert.serialHex);
    return cert;
  };
  const supplier = await identityFromPkcs12(pki.p12(issue('ОМАРОВ БАУЫРЖАН', iin(100), 'user', [KZ_EKU.firstHead]), 'a'), 'a');
  const colleague = await identityFromPkcs12(pki.p12(issue('ЖАНҰЗАҚОВА ДИНА', iin(200), 'tsa', [KZ_EKU.employee]), 'b'), 'b');
  const otherCert = issue('SEITOV ARMAN', iin(300), 'tsa', [KZ_EKU.signingRight]);
  const password = 'pdfbox-nss-7';
  const p12Path = pki.write('other.p12', pki.p12(otherCert, password));
  return {
    pki,
    rootPem: join(pki.dir, 'root.pem'),
    supplier,
    colleague,
    other: { p12Path, password, commonName: 'SEITOV ARMAN' },
    async close() {
      await rev.close();
      pki.cleanup();
    },
  };
}

/**
 * Two pages (page 2 is the one a forger can redefine without touching what the first signature
 * rewrote). Without a form the project's signer writes its /AcroForm inline in the catalog;
 * `indirectForm` starts with an empty /AcroForm as an object of its own, the shape Acrobat, iText
 * and PDFBox write (and the one poppler's -add-signature adds its field to).
 */
export async function basePdf(layout: Layout, dir: string, o: { indirectForm?: boolean } = {}): Promise<Uint8Array> {
  let classic = await makePdf({ pages: 2, text: 'Tax debt certificate No. 4471' });
  if (o.indirectForm) {
    const doc = await PDFDocument.load(classic, { updateMetadata: false });
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.register(doc.context.obj({ Fields: [] })));
    classic = await doc.save({ useObjectStreams: false });
  }
  if (layout === 'classic') return classic;
  const name = o.indirectForm ? 'indirect-form' : 'plain';
  const src = join(dir, `base-classic-${name}.pdf`);
  const out = join(dir, `base-objstm-${name}.pdf`);
  writeFileSync(src, classic);
  const r = run('qpdf', ['--object-streams=generate', src, out]);
  if (r.code !== 0) throw new Error(`qpdf --object-streams=generate: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

/** The project's signer (PAdES, incremental); `certify` makes it a certification (DocMDP) signature. */
export const projectSign = async (pdf: Uint8Array, who: SigningIdentity, certify?: 1 | 2 | 3): Promise<Uint8Array> =>
  (await signPdf(pdf, { identity: who, ...(certify ? { appearance: { certify } } : {}) })).pdf;
