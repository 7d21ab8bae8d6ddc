/**
 * PKCS#12 opening (NCA RK legacy files and our own), distinct error codes,
 * certificate facts compared with `openssl x509 -nameopt utf8` for every RSA
 * fixture, and GOST (34.10-2015, 34.310-2004) certificate and CMS verification.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromPkcs12 } from '../../src-main/signing/sign-file';
import { loadTrustAnchors } from '../../src-main/signing/trust-store';
import { pemOrDerBlocks } from '../../src-shared/signing/bytes';
import { certificateFacts, parseCertificate } from '../../src-shared/signing/cert-facts';
import { buildChain } from '../../src-shared/signing/chain';
import { createDetachedCms, type Signer } from '../../src-shared/signing/cms-build';
import { digestBytes } from '../../src-shared/signing/digest';
import { OID } from '../../src-shared/signing/oids';
import { openPkcs12 } from '../../src-shared/signing/pkcs12';
import { verifyCertificateSignature } from '../../src-shared/signing/signature-math';
import { verifyCms } from '../../src-shared/signing/verify-cms';
import { parseGostPrivateKeyInfo, signGost } from '../../src-shared/signing/gost/index';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './helpers/test-pki';
import { flipByte, run } from './helpers/tools';

const FIX = resolve(__dirname, '../fixtures/nca');
const nca = (f: string) => join(FIX, 'nca-test', f);
const read = (p: string) => new Uint8Array(readFileSync(p));
const cert = (p: string) => pemOrDerBlocks(read(p))[0]!;
const RSA_P12 = nca('RSA256_8426360556902ce4ac33977836f873e1dc190976.p12');
const AUTH_P12 = nca('AUTH_RSA256_6b361b864c679601b652fe387f61fcd9303c0327.p12');
const GOST2004_P12 = nca('GOSTKNCA_f8a422238209b6e753116431b69b09178f14e9d7.p12');
const GOST2015_P12 = join(FIX, 'nca-test-gost2015', 'gost1.p12');

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

/** openssl's view of a subject: `-nameopt utf8,sep_multiline,sname` → { CN: [...], ... }. */
function opensslSubject(derPath: string, which: '-subject' | '-issuer'): Record<string, string[]> {
  const r = run('openssl', ['x509', '-inform', 'DER', '-in', derPath, '-noout', which, '-nameopt', 'utf8,sep_multiline,sname,esc_ctrl']);
  expect(r.code).toBe(0);
  const out: Record<string, string[]> = {};
  for (const line of r.stdout.split('\n').slice(1)) {
    const m = /^\s+([A-Za-z]+)=(.*)$/.exec(line);
    if (m) (out[m[1]!] ??= []).push(m[2]!);
  }
  return out;
}

describe('certificate facts vs openssl x509 (every RSA fixture)', () => {
  const rsaCerts: [string, () => Uint8Array][] = [
    ['individual_valid_sign_2004_rsa.cer', () => cert(nca('individual_valid_sign_2004_rsa.cer'))],
    ['individual_valid_sign_2004_rsa_auth.cer', () => cert(nca('individual_valid_sign_2004_rsa_auth.cer'))],
    ['nca_rsa_test.crt', () => cert(nca('nca_rsa_test.crt'))],
    ['RSA256 .p12 certificate', () => openPkcs12(read(RSA_P12), 'Qwerty12').certificate],
    ['AUTH_RSA256 .p12 certificate', () => openPkcs12(read(AUTH_P12), 'Qwerty12').certificate],
  ];
  for (const [name, load] of rsaCerts) {
    it(`${name}: owner, IIN/BIN, issuer, serial, dates`, () => {
      const der = load();
      const path = pki.write(`${name.replace(/\W/g, '_')}.der`, der);
      const f = certificateFacts(der);
      expect(f.algorithm).toBe('RSA');
      for (const [which, facts] of [['-subject', f.subject], ['-issuer', f.issuer]] as const) {
        const o = opensslSubject(path, which);
        expect(o.CN?.length).toBe(1);
        expect(facts.commonName).toBe(o.CN?.[0]);
        expect(facts.surname).toBe(o.SN?.[0]);
        expect(facts.patronymic).toBe(o.GN?.[0]);
        expect(facts.organization).toBe(o.O?.[0]?.replace(/\\"/g, '"'));
        expect(facts.country).toBe(o.C?.[0]);
        const serial = o.serialNumber?.[0];
        expect(facts.iin).toBe(serial?.startsWith('IIN') ? serial.slice(3) : undefined);
        const bin = o.OU?.find((v) => v.startsWith('BIN'));
        expect(facts.bin).toBe(bin?.slice(3));
      }
      const serial = run('openssl', ['x509', '-inform', 'DER', '-in', path, '-noout', '-serial']).stdout.trim().split('=')[1]!;
      expect(f.serialNumberHex.toUpperCase()).toBe(serial.replace(/^0+(?=.)/, ''));
      const end = run('openssl', ['x509', '-inform', 'DER', '-in', path, '-noout', '-enddate']).stdout.trim().split('=')[1]!;
      expect(new Date(f.notAfter).getTime()).toBe(new Date(end).getTime());
    });
  }

  it('our generated Kazakh-style certificates decode the same way openssl does', () => {
    const c = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead] });
    const path = pki.write('head.der', c.der);
    const o = opensslSubject(path, '-subject');
    const f = certificateFacts(c.der);
    expect(o.CN).toEqual([SUBJECTS.head.commonName]);
    expect(f.subject.commonName).toBe(SUBJECTS.head.commonName);
    expect(f.subject.iin).toBe(SUBJECTS.head.iin);
    expect(f.subject.bin).toBe(SUBJECTS.head.bin);
    expect(f.subject.organization).toBe(SUBJECTS.head.organization);
    expect(f.roles).toEqual(['legal_entity', 'first_head']);
    expect(f.purpose).toBe('SIGN');
  });
});

describe('PKCS#12 (NCA legacy encryption) and key errors', () => {
  it('opens NCA RSA SIGN and AUTH files, reports roles and purpose', () => {
    const sign = openPkcs12(read(RSA_P12), 'Qwerty12');
    expect(sign.key.kind).toBe('rsa');
    expect(sign.facts).toMatchObject({ purpose: 'SIGN', roles: ['individual'], algorithm: 'RSA', rsaKeyBits: 2048 });
    expect(sign.facts.subject).toMatchObject({ commonName: 'ТЕСТОВ ТЕСТ', surname: 'ТЕСТОВ', patronymic: 'ТЕСТОВИЧ', iin: '123456789011' });
    expect(sign.facts.issuer.commonName).toBe('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)');
    sign.dispose();
    if (sign.key.kind === 'rsa') expect(sign.key.pkcs8.every((b) => b === 0)).toBe(true);
    expect(openPkcs12(read(AUTH_P12), 'Qwerty12').facts.purpose).toBe('AUTH');
  });

  it('opens GOST containers: facts from the certificate, algorithm and roles', () => {
    const g04 = openPkcs12(read(GOST2004_P12), 'Qwerty12');
    expect(g04.key.kind).toBe('gost');
    expect(g04.facts).toMatchObject({ algorithm: 'GOST_34_310_2004', roles: ['legal_entity', 'first_head'], purpose: 'SIGN' });
    expect(g04.facts.subject).toMatchObject({ bin: '123456789021', organization: 'АО "ТЕСТ"' });
    const g15 = openPkcs12(read(GOST2015_P12), 'Qwerty12');
    expect(g15.facts.algorithm).toBe('GOST_34_10_2015');
    expect(g15.facts.issuer.commonName).toBe('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022');
  });

  it('gives a distinct code for each failure', async () => {
    const code = async (f: () => unknown) => {
      try {
        await f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'no error';
    };
    expect(await code(() => openPkcs12(read(RSA_P12), 'wrong'))).toBe('key_wrong_password');
    expect(await code(() => openPkcs12(read(RSA_P12).subarray(0, 900), 'Qwerty12'))).toBe('key_corrupt');
    expect(await code(() => openPkcs12(new TextEncoder().encode('not a key'), 'x'))).toBe('key_corrupt');
    const certOnly = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(null, [pki.root.cert], 'pw', { algorithm: '3des' })).getBytes();
    expect(await code(() => openPkcs12(new Uint8Array(Buffer.from(certOnly, 'binary')), 'pw'))).toBe('key_no_private_key');
    // NCA fixtures are expired on purpose.
    expect(await code(() => identityFromPkcs12(read(RSA_P12), 'Qwerty12'))).toBe('cert_expired');
    expect(await code(() => identityFromPkcs12(read(AUTH_P12), 'Qwerty12', new Date('2019-01-01')))).toBe('cert_auth_key_for_signing');
    expect(await code(() => identityFromPkcs12(read(GOST2015_P12), 'Qwerty12', new Date('2024-06-01')))).toBe('key_gost_container');
    const future = pki.issue({ subject: SUBJECTS.individual, kind: 'sign', notBefore: new Date(Date.now() + 86400_000) });
    expect(await code(() => identityFromPkcs12(pki.p12(future, 'pw'), 'pw'))).toBe('cert_not_yet_valid');
    const auth = pki.issue({ subject: SUBJECTS.individual, kind: 'auth', roles: [KZ_EKU.individual] });
    expect(await code(() => identityFromPkcs12(pki.p12(auth, 'pw'), 'pw'))).toBe('cert_auth_key_for_signing');
    expect(await code(() => identityFromPkcs12(read(RSA_P12), 'Qwerty12', new Date('2019-01-01')))).toBe('no error');
  });
});

describe('GOST verification through the gost module', () => {
  it('gost1.cer (GOST 34.10-2015) verifies against nca_gost2015_test.cer; a flipped TBS byte does not', async () => {
    const leaf = cert(join(FIX, 'nca-test-gost2015', 'gost1.cer'));
    const ca = cert(nca('nca_gost2015_test.cer'));
    expect(await verifyCertificateSignature(parseCertificate(leaf), parseCertificate(ca))).toBe('ok');
    expect(await verifyCertificateSignature(parseCertificate(flipByte(leaf, 200)), parseCertificate(ca))).toBe('bad');
    const chain = await buildChain(parseCertificate(leaf), { anchors: [{ der: ca, kind: 'test' }], intermediates: [], at: new Date('2024-06-01') });
    expect(chain.status).toBe('trusted');
    expect(chain.anchorKind).toBe('test');
  });

  it('GOST 34.310-2004: ceo_valid_sign_2004_gost.cer verifies against nca_gost_test.crt', async () => {
    const leaf = parseCertificate(cert(nca('ceo_valid_sign_2004_gost.cer')));
    const ca = parseCertificate(cert(nca('nca_gost_test.crt')));
    expect(await verifyCertificateSignature(leaf, ca)).toBe('ok');
    expect(await verifyCertificateSignature(leaf, parseCertificate(cert(nca('nca_gost2015_test.cer'))))).not.toBe('ok');
  });

  // The GOSTKNCA key was issued by the production-named NCA GOST CA, which is not among the fixtures.
  for (const [label, p12, sigOid, digestOid, chainStatus] of [
    ['GOST 34.10-2015 (gost1.p12)', GOST2015_P12, OID.gost2015Sig512, OID.streebog512, 'trusted'],
    ['GOST 34.310-2004 (GOSTKNCA .p12)', GOST2004_P12, OID.gost2004Sig, OID.gost34311, 'untrusted'],
  ] as const) {
    it(`${label}: a CMS made through the external-signer interface verifies; altered content does not`, async () => {
      const store = openPkcs12(read(p12), 'Qwerty12');
      if (store.key.kind !== 'gost') throw new Error('expected a GOST key');
      const key = parseGostPrivateKeyInfo(store.key.pkcs8);
      // Stand-in for NCALayer: signs the DER of the signed attributes with the GOST key.
      const signer: Signer = async (tbs) => ({
        kind: 'signature',
        signatureAlgorithm: sigOid,
        signature: signGost({
          signatureAlgorithmOid: sigOid,
          curve: key.curve,
          privateKey: key.privateKey,
          data: tbs.signedAttributesDer!,
          ...(key.digestParamSetOid ? { digestParamSetOid: key.digestParamSetOid } : {}),
        }),
      });
      store.dispose();
      const content = new TextEncoder().encode('Өтінім / Заявка / Application');
      const cms = await createDetachedCms({
        contentDigest: await digestBytes(digestOid, content),
        digestAlgorithm: digestOid,
        certificate: store.certificate,
        signer,
        signingTime: new Date('2019-06-01'),
      });
      // The NCA RK test roots as the CLI's --trust-test-roots loads them.
      const opts = { anchors: loadTrustAnchors({ trustTestRoots: true }), now: new Date(Date.parse(store.facts.notBefore) + 86400_000) };
      const ok = await verifyCms(cms, (oid) => digestBytes(oid, content), opts);
      expect(ok.signatures[0]!.integrity).toBe('ok');
      expect(ok.signatures[0]!.signer?.algorithm).toBe(store.facts.algorithm);
      expect(ok.trust).toEqual(['test']);
      expect(ok.signatures[0]!.chain.status).toBe(chainStatus);
      if (chainStatus === 'trusted') {
        expect(ok.signatures[0]!.chain.anchorKind).toBe('test');
        // Offline, so at best indeterminate; the only reason left is revocation.
        expect(ok.signatures[0]!.reasons).toEqual(['revocation_not_checked']);
      } else expect(ok.signatures[0]!.reasons).toContain('chain_untrusted');
      const bad = await verifyCms(cms, (oid) => digestBytes(oid, flipByte(content, 3)), opts);
      expect(bad.signatures[0]!.integrity).toBe('digest_mismatch');
      expect(bad.verdict).toBe('invalid');
    });
  }
});

describe('expired certificates', () => {
  it('expired now and no timestamp → indeterminate (validity at signing cannot be proven)', async () => {
    // NCA GOST-2015 fixture key, signing "in 2024" while valid; verified now (expired).
    const store = openPkcs12(read(GOST2015_P12), 'Qwerty12');
    if (store.key.kind !== 'gost') throw new Error('expected a GOST key');
    const key = parseGostPrivateKeyInfo(store.key.pkcs8);
    store.dispose();
    const signer: Signer = async (tbs) => ({
      kind: 'signature',
      signatureAlgorithm: OID.gost2015Sig512,
      signature: signGost({ signatureAlgorithmOid: OID.gost2015Sig512, curve: key.curve, privateKey: key.privateKey, data: tbs.signedAttributesDer! }),
    });
    const content = new TextEncoder().encode('old document');
    const cms = await createDetachedCms({ contentDigest: await digestBytes(OID.streebog512, content), digestAlgorithm: OID.streebog512, certificate: store.certificate, signer, signingTime: new Date('2024-06-01') });
    const r = await verifyCms(cms, (oid) => digestBytes(oid, content), { anchors: loadTrustAnchors({ trustTestRoots: true }) });
    expect(r.signatures[0]!.integrity).toBe('ok');
    expect(r.signatures[0]!.validityNow).toBe('expired');
    expect(r.signatures[0]!.claimedSigningTime).toBe('2024-06-01T00:00:00.000Z');
    expect(r.signatures[0]!.signingTime).toBeUndefined();
    expect(r.signatures[0]!.reasons).toContain('cert_expired_no_timestamp');
    expect(r.signatures[0]!.reasons).not.toContain('cert_not_valid_at_signing');
    expect(r.verdict).toBe('indeterminate');
  });
});
