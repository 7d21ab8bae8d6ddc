import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { gostDigest, verifyGostCertificate, verifyGostSignature } from '../../src-shared/signing/gost/index';
import { gostDetachedCms, issueGostCertificate, KZ_GOST_2004, KZ_GOST_2015_512 } from './gost-pki';
import type { GostProfile } from './gost-pki';
import { pemOrDer } from '../../src-shared/signing/gost/der';
import { fixture, flipBit, hex, seededRandom } from './helpers';

const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer as ArrayBuffer;

/** Verify a detached GOST CMS the way the signing core will: pkijs parses, this module does the math. */
function verifyDetachedCms(cmsDer: Uint8Array, content: Uint8Array, trustedCaDer: Uint8Array): { digestOk: boolean; signatureOk: boolean; chainOk: boolean } {
  const ci = pkijs.ContentInfo.fromBER(ab(cmsDer));
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0]!;
  const cert = sd.certificates![0] as pkijs.Certificate;
  const attrs = si.signedAttrs!;
  const attrsDer = new Uint8Array(attrs.encodedValue.slice(0));
  attrsDer[0] = 0x31; // parsed as [0] IMPLICIT; signed as SET OF
  const md = attrs.attributes.find((a) => a.type === '1.2.840.113549.1.9.4')!.values[0] as asn1js.OctetString;
  const digestOk = hex(new Uint8Array(md.valueBlock.valueHexView)) === hex(gostDigest(si.digestAlgorithm.algorithmId, content)!);
  const signatureOk = verifyGostSignature({
    signatureAlgorithmOid: si.signatureAlgorithm.algorithmId,
    subjectPublicKeyInfoDer: new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER()),
    data: attrsDer,
    signature: new Uint8Array(si.signature.valueBlock.valueHexView),
  });
  const chainOk = verifyGostCertificate(new Uint8Array(cert.toSchema().toBER()), trustedCaDer);
  return { digestOk, signatureOk, chainOk };
}

describe.each([['GOST 34.10-2015 (512)', KZ_GOST_2015_512], ['GOST 34.310-2004', KZ_GOST_2004]] as [string, GostProfile][])(
  'pkijs-built %s certificates and CMS',
  (label, profile) => {
    const random = seededRandom(`pki/${label}`);
    const ca = issueGostCertificate({ profile, cn: 'ТЕСТ GOST CA', serial: 1, random });
    const user = issueGostCertificate({
      profile, cn: 'ТЕСТОВ ТЕСТ', serial: 2, random, issuer: ca,
      subjectExtra: [['2.5.4.4', 'ТЕСТОВ'], ['2.5.4.5', 'IIN123456789011'], ['2.5.4.42', 'ТЕСТОВИЧ']],
    });

    it('certificates verify (CA self-signed, user by CA) and pkijs round-trips them byte for byte', () => {
      expect(verifyGostCertificate(ca.certDer, ca.certDer)).toBe(true);
      expect(verifyGostCertificate(user.certDer, ca.certDer)).toBe(true);
      expect(verifyGostCertificate(user.certDer, user.certDer)).toBe(false);
      expect(verifyGostCertificate(flipBit(user.certDer, 60), ca.certDer)).toBe(false);
      const reparsed = pkijs.Certificate.fromBER(ab(user.certDer));
      expect(hex(new Uint8Array(reparsed.toSchema().toBER()))).toBe(hex(user.certDer));
    });

    it('detached CMS verifies; altered content or signature does not', () => {
      const content = new TextEncoder().encode('Өтінім / Заявка №7 — '.repeat(50));
      const cms = gostDetachedCms(user, content, random);
      expect(verifyDetachedCms(cms, content, ca.certDer)).toEqual({ digestOk: true, signatureOk: true, chainOk: true });
      expect(verifyDetachedCms(cms, flipBit(content, 5), ca.certDer).digestOk).toBe(false);
      // flip one byte inside the signature value (the last bytes of the CMS are the SignerInfo signature)
      const tampered = flipBit(cms, cms.length - 3);
      expect(verifyDetachedCms(tampered, content, ca.certDer).signatureOk).toBe(false);
    });
  },
);

describe('pkijs and the NCA GOST fixtures', () => {
  const files = ['nca-test-gost2015/gost1.cer', 'nca-test/nca_gost2015_test.cer', 'nca-test/ceo_valid_sign_2004_gost.cer', 'nca-test/nca_gost_test.crt'];
  const reencoded = (f: string) => new Uint8Array(pkijs.Certificate.fromBER(ab(pemOrDer(fixture(f)))).toSchema().toBER());
  it('pkijs parses every GOST fixture certificate and re-encodes it byte for byte', () => {
    for (const f of files) expect(hex(reencoded(f))).toBe(hex(pemOrDer(fixture(f))));
  });
  it('signatures verify on the pkijs re-encoding (how the signing core passes certificates in)', () => {
    expect(verifyGostCertificate(reencoded(files[0]!), reencoded(files[1]!))).toBe(true);
    expect(verifyGostCertificate(reencoded(files[2]!), reencoded(files[3]!))).toBe(true);
  });
});
