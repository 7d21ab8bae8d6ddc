/**
 * Detached CAdES CMS: every signature checked by `openssl cms -verify -binary
 * -CAfile` (strict), each positive case paired with a negative one; timestamps
 * from a local `openssl ts` TSA checked by `openssl ts -verify`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityFromPkcs12, signFileCms, type SigningIdentity } from '../../src-main/signing/sign-file';
import { verifyFile } from '../../src-main/signing/verify-file';
import { createDetachedCms, parseSignedData, type Signer } from '../../src-shared/signing/cms-build';
import { encode } from '../../src-shared/signing/der';
import { OID } from '../../src-shared/signing/oids';
import { toHex } from '../../src-shared/signing/bytes';
import { createHash, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { startTsa, type LocalServer } from './helpers/services';
import { createTestPki, KZ_EKU, SUBJECTS, type TestPki } from './helpers/test-pki';
import { flipByte, opensslCmsVerify, run } from './helpers/tools';

let pki: TestPki;
let tsa: LocalServer;
let person: SigningIdentity;
let head: SigningIdentity;
let content: string;
let rootPem: string;

beforeAll(async () => {
  pki = createTestPki();
  tsa = await startTsa(pki);
  rootPem = join(pki.dir, 'root.pem');
  person = await identityFromPkcs12(pki.p12(pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] }), 'p1'), 'p1');
  head = await identityFromPkcs12(
    pki.p12(pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity, KZ_EKU.firstHead], key: 'tsa' }), 'p2'),
    'p2',
  );
  content = pki.write('contract.bin', new Uint8Array(300_000).map((_, i) => (i * 31) & 255));
});
afterAll(async () => {
  await tsa?.close();
  pki?.cleanup();
});

const anchors = () => [{ der: pki.root.der, kind: 'custom' as const }];

describe('detached CMS (CAdES-BES)', () => {
  it('verifies with openssl (strict) and with our verifier; a flipped content byte fails both', async () => {
    const out = join(pki.dir, 'a.p7s');
    await signFileCms({ identity: person, inPath: content, outPath: out });
    const ok = opensslCmsVerify(out, content, rootPem);
    expect(ok.stderr).toContain('CMS Verification successful');
    expect(ok.code).toBe(0);

    const report = await verifyFile({ inPath: out, contentPath: content, anchors: anchors() });
    const sig = report.signatures[0]!;
    expect(sig.integrity).toBe('ok');
    expect(sig.signingCertificateV2).toBe('ok');
    expect(sig.chain.status).toBe('trusted');
    expect(sig.signer?.subject.iin).toBe(SUBJECTS.individual.iin);
    expect(sig.claimedSigningTime).toBeDefined();
    expect(sig.signingTime).toBeUndefined(); // no timestamp: the time is only claimed
    // Offline: revocation unknown, so never plain "valid".
    expect(report.verdict).toBe('indeterminate');
    expect(sig.reasons).toEqual(['revocation_not_checked']);

    const bad = pki.write('contract.bad', flipByte(new Uint8Array(readFileSync(content)), 12345));
    const fail = opensslCmsVerify(out, bad, rootPem);
    expect(fail.code).not.toBe(0);
    expect(fail.stderr).toContain('Verification failure');
    const badReport = await verifyFile({ inPath: out, contentPath: bad, anchors: anchors() });
    expect(badReport.verdict).toBe('invalid');
    expect(badReport.signatures[0]!.integrity).toBe('digest_mismatch');
  });

  it('carries signingCertificateV2 and no node-forge double-encoded issuer', async () => {
    const out = join(pki.dir, 'attrs.p7s');
    await signFileCms({ identity: person, inPath: content, outPath: out });
    const printed = run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', out]).stdout;
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).toContain('messageDigest');
    // Signer identified by issuer+serial exactly as in the certificate (Kazakh issuer name intact).
    const sd = parseSignedData(new Uint8Array(readFileSync(out)));
    expect(sd.signerInfos).toHaveLength(1);
  });

  it('rejects a CMS whose signature value was altered (our verifier and openssl)', async () => {
    const out = join(pki.dir, 'b.p7s');
    await signFileCms({ identity: person, inPath: content, outPath: out });
    const der = new Uint8Array(readFileSync(out));
    const sig = new Uint8Array(parseSignedData(der).signerInfos[0]!.signature.valueBlock.valueHexView);
    const at = Buffer.from(der).indexOf(Buffer.from(sig.subarray(0, 16))) + 100;
    const tampered = pki.write('b-tampered.p7s', flipByte(der, at));
    expect(opensslCmsVerify(tampered, content, rootPem).code).not.toBe(0);
    const report = await verifyFile({ inPath: tampered, contentPath: content, anchors: anchors() });
    expect(report.signatures[0]!.integrity).toBe('signature_invalid');
    expect(report.verdict).toBe('invalid');
  });

  it('is untrusted without the right root (openssl fails, we say indeterminate)', async () => {
    const out = join(pki.dir, 'c.p7s');
    await signFileCms({ identity: person, inPath: content, outPath: out });
    const other = join(pki.dir, 'other-ca.pem');
    writeFileSync(other, readFileSync('/etc/ssl/certs/ca-certificates.crt'));
    expect(opensslCmsVerify(out, content, other).code).not.toBe(0);
    const report = await verifyFile({ inPath: out, contentPath: content, anchors: [] });
    expect(report.signatures[0]!.chain.status).toBe('untrusted');
    expect(report.signatures[0]!.reasons).toContain('chain_untrusted');
    expect(report.verdict).toBe('indeterminate');
  });

  it('a certificate "issued" by a leaf key (not a CA) does not chain to the root; openssl agrees', async () => {
    // The leaf's own key signs a certificate naming the leaf as issuer.
    const leaf = pki.issue({ subject: SUBJECTS.head, kind: 'sign', roles: [KZ_EKU.legalEntity], key: 'tsa' });
    const rogue = forge.pki.createCertificate();
    rogue.publicKey = forge.pki.publicKeyFromPem(createPublicKey(pki.userKeyPem).export({ type: 'spki', format: 'pem' }).toString());
    rogue.serialNumber = '0badc0de';
    rogue.validity.notBefore = new Date(Date.now() - 3600_000);
    rogue.validity.notAfter = new Date(Date.now() + 86400_000);
    rogue.setSubject([{ shortName: 'CN', value: 'Rogue' }]);
    rogue.setIssuer(leaf.cert.subject.attributes);
    rogue.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }, { name: 'extKeyUsage', emailProtection: true }]);
    rogue.sign(forge.pki.privateKeyFromPem(leaf.keyPem), forge.md.sha256.create());
    const identity = await identityFromPkcs12(
      new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(pki.userKeyPem), [rogue], 'r', { algorithm: '3des' })).getBytes(), 'binary')),
      'r',
    );
    const out = join(pki.dir, 'rogue.p7s');
    await signFileCms({ identity: { ...identity, chain: [leaf.der] }, inPath: content, outPath: out });
    expect(opensslCmsVerify(out, content, rootPem).code).not.toBe(0);
    const report = await verifyFile({ inPath: out, contentPath: content, anchors: anchors() });
    expect(report.signatures[0]!.integrity).toBe('ok');
    expect(report.signatures[0]!.chain.status).not.toBe('trusted');
    expect(report.verdict).not.toBe('valid');
  });

  it('co-signing adds a second SignerInfo; openssl verifies both; tampering the content breaks both', async () => {
    const first = join(pki.dir, 'co1.p7s');
    const both = join(pki.dir, 'co2.p7s');
    await signFileCms({ identity: person, inPath: content, outPath: first });
    await signFileCms({ identity: head, inPath: content, outPath: both, coSignPath: first });
    const sd = parseSignedData(new Uint8Array(readFileSync(both)));
    expect(sd.signerInfos).toHaveLength(2);
    const ok = opensslCmsVerify(both, content, rootPem);
    expect(ok.stderr).toContain('CMS Verification successful');
    // openssl prints the signers it verified
    const signers = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', both, '-content', content, '-CAfile', rootPem, '-out', '/dev/null', '-signer', join(pki.dir, 'signers.pem')]);
    expect(signers.code).toBe(0);
    expect(readFileSync(join(pki.dir, 'signers.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    const report = await verifyFile({ inPath: both, contentPath: content, anchors: anchors(), expectedBin: SUBJECTS.head.bin });
    expect(report.signatures.map((s) => s.integrity)).toEqual(['ok', 'ok']);
    expect(report.signatures[1]!.signer?.subject.bin).toBe(SUBJECTS.head.bin);
    expect(report.signatures[1]!.signer?.roles).toEqual(['legal_entity', 'first_head']);
    expect(report.signatures[1]!.expected?.bin?.match).toBe(true);
    expect(report.signatures[0]!.expected?.bin?.match).toBe(false);
    expect(report.signatures[0]!.reasons).toContain('bin_mismatch');

    const bad = pki.write('co.bad', flipByte(new Uint8Array(readFileSync(content)), 7));
    expect(opensslCmsVerify(both, bad, rootPem).code).not.toBe(0);
    const badReport = await verifyFile({ inPath: both, contentPath: bad, anchors: anchors() });
    expect(badReport.signatures.map((s) => s.integrity)).toEqual(['digest_mismatch', 'digest_mismatch']);
  });
});

describe('external signer interface (what NCALayer will implement)', () => {
  it('accepts a CMS built by the external signer over our digest; refuses one over other data or a signature from another key', async () => {
    const digest = createHash('sha256').update(readFileSync(content)).digest();
    // "NCALayer" in digested mode: receives the digest and returns its own detached CMS.
    const external: Signer = async (tbs) => ({
      kind: 'cms',
      cms: await createDetachedCms({ contentDigest: tbs.digest, certificate: person.certificate, chain: person.chain, signer: person.signer }),
    });
    const cms = await createDetachedCms({ contentDigest: new Uint8Array(digest), certificate: person.certificate, signer: external });
    const path = pki.write('external.p7s', cms);
    expect(opensslCmsVerify(path, content, rootPem).code).toBe(0);

    const lying: Signer = async () => ({
      kind: 'cms',
      cms: await createDetachedCms({ contentDigest: new Uint8Array(32), certificate: person.certificate, signer: person.signer }),
    });
    await expect(createDetachedCms({ contentDigest: new Uint8Array(digest), certificate: person.certificate, signer: lying })).rejects.toMatchObject({ code: 'signature_invalid' });
    // A raw signature made with another key than the certificate's.
    await expect(createDetachedCms({ contentDigest: new Uint8Array(digest), certificate: person.certificate, signer: head.signer })).rejects.toMatchObject({ code: 'signature_invalid' });
  });
});

describe('our verifier on CMS made by openssl (independent producer)', () => {
  it('detached and attached (encapsulated) openssl CMS verify; altered content fails', async () => {
    const cert = pki.issue({ subject: SUBJECTS.individual, kind: 'sign', roles: [KZ_EKU.individual] });
    const certPath = pki.write('ossl-signer.pem', cert.pem);
    const keyPath = pki.write('ossl-signer.key', cert.keyPem);
    const detached = join(pki.dir, 'ossl-detached.p7s');
    const attached = join(pki.dir, 'ossl-attached.p7s');
    const sign = (out: string, extra: string[]) =>
      run('openssl', ['cms', '-sign', '-binary', '-in', content, '-signer', certPath, '-inkey', keyPath, '-certfile', rootPem, '-md', 'sha256', '-outform', 'DER', '-out', out, ...extra]);
    expect(sign(detached, []).code).toBe(0);
    expect(sign(attached, ['-nodetach']).code).toBe(0);
    const d = await verifyFile({ inPath: detached, contentPath: content, anchors: anchors() });
    expect(d.signatures[0]!.integrity).toBe('ok');
    expect(d.signatures[0]!.chain.status).toBe('trusted');
    const a = await verifyFile({ inPath: attached, anchors: anchors() });
    expect(a.signatures[0]!.integrity).toBe('ok');
    const bad = pki.write('ossl.bad', flipByte(new Uint8Array(readFileSync(content)), 99));
    expect((await verifyFile({ inPath: detached, contentPath: bad, anchors: anchors() })).signatures[0]!.integrity).toBe('digest_mismatch');
    // Attached CMS with a byte of the encapsulated content flipped.
    const der = new Uint8Array(readFileSync(attached));
    const at = Buffer.from(der).indexOf(Buffer.from(readFileSync(content).subarray(5000, 5032)));
    expect(at).toBeGreaterThan(0);
    const tampered = pki.write('ossl-attached-bad.p7s', flipByte(der, at + 3));
    expect((await verifyFile({ inPath: tampered, anchors: anchors() })).signatures[0]!.integrity).toBe('digest_mismatch');
  });
});

describe('CAdES-T: RFC 3161 timestamp from a local openssl TSA', () => {
  it('embeds a token that openssl ts -verify accepts for the signature value; a wrong imprint is refused', async () => {
    const out = join(pki.dir, 't.p7s');
    const before = tsa.requests;
    const res = await signFileCms({ identity: person, inPath: content, outPath: out, timestamp: { url: tsa.url, policy: OID.tsaPolicyRsa } });
    expect(tsa.requests).toBe(before + 1);
    expect(res.timestamp?.policy).toBe(OID.tsaPolicyRsa);
    expect(opensslCmsVerify(out, content, rootPem).code).toBe(0);

    const sd = parseSignedData(new Uint8Array(readFileSync(out)));
    const si = sd.signerInfos[0]!;
    const token = si.unsignedAttrs!.attributes.find((a) => a.type === OID.attrTimeStampToken)!.values[0]!;
    const tokenPath = pki.write('token.der', encode(token));
    const sigValue = new Uint8Array(si.signature.valueBlock.valueHexView);
    const digest = createHash('sha256').update(sigValue).digest('hex');
    const ok = run('openssl', ['ts', '-verify', '-token_in', '-in', tokenPath, '-digest', digest, '-CAfile', rootPem, '-untrusted', join(pki.dir, 'tsa.pem')]);
    expect(ok.stdout + ok.stderr).toContain('Verification: OK');
    const wrong = toHex(createHash('sha256').update('something else').digest());
    const fail = run('openssl', ['ts', '-verify', '-token_in', '-in', tokenPath, '-digest', wrong, '-CAfile', rootPem, '-untrusted', join(pki.dir, 'tsa.pem')]);
    expect(fail.stdout + fail.stderr).toContain('FAILED');

    const report = await verifyFile({ inPath: out, contentPath: content, anchors: anchors() });
    const s = report.signatures[0]!;
    expect(s.timestamp?.status).toBe('valid');
    expect(s.timestamp?.tsa?.subject.commonName).toBe('Seriktes Test TSA');
    expect(s.signingTime).toBe(res.timestamp?.genTime);
    expect(s.validityAtSigning).toBe('valid');
  });

  it('a timestamp over another signature value is reported invalid', async () => {
    const a = join(pki.dir, 'ta.p7s');
    const b = join(pki.dir, 'tb.p7s');
    await signFileCms({ identity: person, inPath: content, outPath: a, timestamp: { url: tsa.url } });
    // Another signer: RSA PKCS#1 v1.5 is deterministic, same signer + same second would give the same value.
    await signFileCms({ identity: head, inPath: content, outPath: b, timestamp: { url: tsa.url } });
    // Move A's token into B (CAdES-T token no longer matches B's signature).
    const { addUnsignedTimestamp } = await import('../../src-shared/signing/cms-build');
    const sdA = parseSignedData(new Uint8Array(readFileSync(a)));
    const tokenA = encode(sdA.signerInfos[0]!.unsignedAttrs!.attributes[0]!.values[0]!);
    const sdB = parseSignedData(new Uint8Array(readFileSync(b)));
    sdB.signerInfos[0]!.unsignedAttrs = undefined;
    const bare = encode(new pkijs.ContentInfo({ contentType: OID.signedData, content: sdB.toSchema(true) }).toSchema());
    const swapped = pki.write('swapped.p7s', addUnsignedTimestamp(bare, 0, tokenA));
    const report = await verifyFile({ inPath: swapped, contentPath: content, anchors: anchors() });
    expect(report.signatures[0]!.timestamp?.status).toBe('invalid');
    expect(report.signatures[0]!.timestamp?.problems).toContain('timestamp_imprint_mismatch');
    expect(report.verdict).toBe('invalid');
  });
});
