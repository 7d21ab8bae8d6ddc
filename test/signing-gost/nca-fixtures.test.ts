/**
 * Real NCA RK test certificates (test/fixtures/nca): Kazakh GOST 34.10-2015 (512) and GOST 34.310-2004.
 * These pin the Kazakh conventions: r‖s little-endian, digest read little-endian, and — for 2004 — the
 * GOST 34.311-95 hash with the *test* S-box (the CryptoPro S-box does not verify).
 */
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  certificateParts, gostPublicPoint, isGostAlgorithm, isGostDigestAlgorithm, isGostSignatureAlgorithm, OID, parseGostPrivateKeyInfo, parseGostPublicKey, SBOX_CRYPTOPRO, SBOX_TEST, signGost,
  verifyGostCertificate, verifyGostSignature, verifyGostSignatureOverDigest,
} from '../../src-shared/signing/gost/index';
import { gost341194 } from '../../src-shared/signing/gost/gost341194';
import { pemOrDer } from '../../src-shared/signing/gost/der';
import { fixture, flipBit, hex, seededRandom } from './helpers';

const gost1 = fixture('nca-test-gost2015/gost1.cer');
const nca2015 = fixture('nca-test/nca_gost2015_test.cer');
const ceo2004 = fixture('nca-test/ceo_valid_sign_2004_gost.cer');
const nca2004 = fixture('nca-test/nca_gost_test.crt');

/** Flip one bit inside the TBSCertificate (in the subject area) of a DER or PEM certificate. */
function tamperTbs(cert: Uint8Array): Uint8Array {
  const der = pemOrDer(cert);
  return flipBit(der, 200);
}

describe('GOST 34.10-2015 (512): gost1.cer issued by ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022', () => {
  it('keys parse onto TC26-512-A', () => {
    const issuerKey = parseGostPublicKey(certificateParts(nca2015).subjectPublicKeyInfoDer);
    expect(issuerKey).toMatchObject({ curve: 'tc26-512-a', keyBits: 512, algorithmOid: OID.kzGost2015PublicKey512, paramSetOid: OID.kzGost2015ParamSet512A, digestParamSetOid: OID.kzStreebog512 });
    expect(parseGostPublicKey(certificateParts(gost1).subjectPublicKeyInfoDer).curve).toBe('tc26-512-a');
    expect(certificateParts(gost1).signatureAlgorithmOid).toBe(OID.kzGost2015Signature512);
  });

  it('verifies against the issuer', () => {
    expect(verifyGostCertificate(gost1, nca2015)).toBe(true);
  });

  it('fails with one bit flipped in the TBS, in the signature, or against another key', () => {
    expect(verifyGostCertificate(tamperTbs(gost1), nca2015)).toBe(false);
    const parts = certificateParts(gost1);
    const base = { signatureAlgorithmOid: parts.signatureAlgorithmOid, subjectPublicKeyInfoDer: certificateParts(nca2015).subjectPublicKeyInfoDer, data: parts.tbs };
    expect(verifyGostSignature({ ...base, signature: parts.signature })).toBe(true);
    expect(verifyGostSignature({ ...base, signature: flipBit(parts.signature, 17) })).toBe(false);
    expect(verifyGostSignature({ ...base, signature: parts.signature, layout: 'rfc4491' })).toBe(false);
    // the user's own key, and the issuer's issuer (not in fixtures): its own key must not verify it
    expect(verifyGostCertificate(gost1, gost1)).toBe(false);
    // nca_gost2015_test.cer is signed by the root, which we do not have: not self-signed
    expect(verifyGostCertificate(nca2015, nca2015)).toBe(false);
  });
});

describe('GOST 34.310-2004: ceo_valid_sign_2004_gost.cer issued by ҰКО 3.0 (GOST TEST)', () => {
  it('keys parse onto CryptoPro-A with the Kazakh GOST 34.311-95 parameter set', () => {
    const issuerKey = parseGostPublicKey(certificateParts(nca2004).subjectPublicKeyInfoDer);
    expect(issuerKey).toMatchObject({ curve: 'cryptopro-a', keyBits: 256, algorithmOid: OID.kzGost2004PublicKey, paramSetOid: OID.kzGost2004ParamSetA, digestParamSetOid: OID.kzGost34311ParamSet });
    expect(certificateParts(ceo2004).signatureAlgorithmOid).toBe(OID.kzGost2004Signature);
  });

  it('verifies against the issuer', () => {
    expect(verifyGostCertificate(ceo2004, nca2004)).toBe(true);
  });

  it('only the test S-box verifies it (CryptoPro S-box does not), and a flipped TBS bit fails', () => {
    const parts = certificateParts(ceo2004);
    const base = { signatureAlgorithmOid: parts.signatureAlgorithmOid, subjectPublicKeyInfoDer: certificateParts(nca2004).subjectPublicKeyInfoDer, signature: parts.signature };
    expect(verifyGostSignatureOverDigest({ ...base, digest: gost341194(parts.tbs, SBOX_TEST) })).toBe(true);
    expect(verifyGostSignatureOverDigest({ ...base, digest: gost341194(parts.tbs, SBOX_CRYPTOPRO) })).toBe(false);
    expect(verifyGostSignatureOverDigest({ ...base, digest: gost341194(parts.tbs, SBOX_TEST).reverse() })).toBe(false);
    expect(verifyGostSignature({ ...base, data: parts.tbs, layout: 'rfc4491' })).toBe(false);
    expect(verifyGostCertificate(tamperTbs(ceo2004), nca2004)).toBe(false);
    expect(verifyGostCertificate(ceo2004, nca2015)).toBe(false);
  });
});

/** Decrypt an NCA test .p12 with node-forge (it opens the container but cannot parse GOST keys or certificates). */
function openP12(path: string): { keyDer: Uint8Array; certDer: Uint8Array } {
  const raw = fixture(path);
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(raw)), false, 'Qwerty12');
  const keyBagOid = '1.2.840.113549.1.12.10.1.2'; // pkcs8ShroudedKeyBag
  const certBagOid = '1.2.840.113549.1.12.10.1.3';
  const keyBag = p12.getBags({ bagType: keyBagOid })[keyBagOid]![0]!;
  const certBag = p12.getBags({ bagType: certBagOid })[certBagOid]![0]!;
  const toBytes = (a: forge.asn1.Asn1) => forge.util.binary.raw.decode(forge.asn1.toDer(a).getBytes());
  return { keyDer: toBytes(keyBag.asn1), certDer: toBytes(certBag.asn1) };
}

describe('NCA test .p12 keys sign what their certificates verify', () => {
  for (const [label, path, issuer] of [
    ['GOST 2015 (gost1.p12)', 'nca-test-gost2015/gost1.p12', nca2015],
    // issued by «ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)» (2018), a CA certificate not in the fixtures
    ['GOST 2004 (GOSTKNCA_….p12)', 'nca-test/GOSTKNCA_f8a422238209b6e753116431b69b09178f14e9d7.p12', null],
  ] as const) {
    it(label, () => {
      const { keyDer, certDer } = openP12(path);
      const key = parseGostPrivateKeyInfo(keyDer);
      const parts = certificateParts(certDer);
      const pub = parseGostPublicKey(parts.subjectPublicKeyInfoDer);
      expect(key.curve).toBe(pub.curve);
      const point = gostPublicPoint(key.curve, key.privateKey);
      expect(point.x).toBe(pub.x);
      expect(point.y).toBe(pub.y);
      // the certificate inside the container is issued by the matching test CA (when we have it)
      if (issuer) expect(verifyGostCertificate(certDer, issuer)).toBe(true);
      expect(verifyGostCertificate(certDer, nca2004)).toBe(false);

      const data = new TextEncoder().encode('ЭЦҚ / ЭЦП test');
      const signature = signGost({
        signatureAlgorithmOid: parts.signatureAlgorithmOid, curve: key.curve, privateKey: key.privateKey, data,
        digestParamSetOid: key.digestParamSetOid, random: seededRandom(label),
      });
      const args = { signatureAlgorithmOid: parts.signatureAlgorithmOid, subjectPublicKeyInfoDer: parts.subjectPublicKeyInfoDer, data, signature };
      expect(verifyGostSignature(args)).toBe(true);
      expect(verifyGostSignature({ ...args, data: flipBit(data, 0) })).toBe(false);
    });
  }

  it('gost1.p12 holds the same certificate as gost1.cer', () => {
    expect(hex(openP12('nca-test-gost2015/gost1.p12').certDer)).toBe(hex(pemOrDer(gost1)));
  });
});

describe('mixed RSA / GOST inputs', () => {
  const rsaCa = fixture('nca-test/nca_rsa_test.crt');
  const rsaUser = fixture('nca-test/individual_valid_sign_2004_rsa.cer');
  it('a GOST certificate against an RSA issuer key does not verify', () => {
    expect(verifyGostCertificate(gost1, rsaCa)).toBe(false);
  });
  it('an RSA-signed certificate is not for this module ("unsupported")', () => {
    expect(() => verifyGostCertificate(rsaUser, nca2015)).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });
  it('OID classification', () => {
    expect(isGostAlgorithm(OID.kzGost2015Signature512)).toBe(true);
    expect(isGostAlgorithm(OID.kzGost2004PublicKey)).toBe(true);
    expect(isGostAlgorithm(OID.ruGost2012Signature256)).toBe(true);
    expect(isGostAlgorithm(OID.kzStreebog512)).toBe(true); // the signing core routes digest OIDs through it
    expect(isGostSignatureAlgorithm(OID.kzStreebog512)).toBe(false);
    expect(isGostSignatureAlgorithm(OID.kzGost2015PublicKey512)).toBe(true);
    expect(isGostDigestAlgorithm(OID.kzGost2015Signature512)).toBe(false);
    expect(isGostDigestAlgorithm(OID.kzStreebog512)).toBe(true);
    expect(isGostDigestAlgorithm(OID.kzGost34311)).toBe(true);
    expect(isGostAlgorithm('1.2.840.113549.1.1.11')).toBe(false);
    expect(isGostAlgorithm('constructor')).toBe(false);
    expect(isGostDigestAlgorithm('__proto__')).toBe(false);
  });
  it('garbage certificates do not verify', () => {
    expect(verifyGostCertificate(Uint8Array.of(1, 2, 3), nca2015)).toBe(false);
    expect(verifyGostCertificate(gost1, pemOrDer(nca2015).subarray(0, 100))).toBe(false);
  });
});
