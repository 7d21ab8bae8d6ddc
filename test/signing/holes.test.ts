/**
 * Issue 13 §4, the smaller holes: RSA keys under 2048 bits never sign (a .p12, NCALayer's
 * certificate, the CMS builder, the CLI, the RPC), while an old RSA-1024 signature is still
 * verified and reported; a .p12 asking for more than 600 000 KDF iterations is refused from its
 * ASN.1 before any key derivation (OpenSSL-made files, and a key bag hidden inside an encrypted
 * SafeContents); the bounded PDF reader's codes and the new codes are translated in kk, ru and en.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogs, LANGUAGES, lookup } from '../../src-shared/i18n';
import { PDF_READ_ERRORS } from '../../src-shared/pdf/model';
import { dispatch, type Handlers } from '../../src-shared/rpc/dispatch';
import { ERROR_CODES } from '../../src-shared/rpc/errors';
import { certificateFacts, parseCertificate } from '../../src-shared/signing/cert-facts';
import { createDetachedCms, localRsaSigner, type Signer } from '../../src-shared/signing/cms-build';
import { openPkcs12 } from '../../src-shared/signing/pkcs12';
import { PKCS12_MAX_ITERATIONS } from '../../src-shared/signing/pkcs12-guard';
import { verifyCms } from '../../src-shared/signing/verify-cms';
import { main as cliMain } from '../../src-main/cli/index';
import type { DocumentHandlerDeps } from '../../src-main/documents/deps';
import { signHandlers } from '../../src-main/documents/sign-handlers';
import { assertSigningKey } from '../../src-main/documents/sign-keys';
import { FileHandleRegistry } from '../../src-main/files/handle-registry';
import { identityFromPkcs12 } from '../../src-main/signing/sign-file';
import { concat, headers, tlv } from './hostile/der';
import { p12Cases } from './hostile/p12-cases';
import { createTestPki, SUBJECTS, type TestPki } from './helpers/test-pki';
import { run } from './helpers/tools';

const PASSWORD = 'Кілт-пароль-42';
let pki: TestPki;

interface Issued {
  der: Uint8Array;
  certPath: string;
  keyPath: string;
  p12: Uint8Array;
  p12Path: string;
  pkcs8: Uint8Array;
}

/** A SIGN certificate from the test root for a fresh RSA key of `bits` (node:crypto), and its .p12 (forge, 3DES). */
function issueRsa(bits: number): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `4${bits.toString(16).padStart(7, '0')}${Date.now().toString(16)}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
  cert.setSubject([{ type: '2.5.4.3', value: `RSA-${bits} ${SUBJECTS.individual.commonName}`, valueTagClass: forge.asn1.Type.UTF8 }, { type: '2.5.4.5', value: `IIN${SUBJECTS.individual.iin}` }] as never[]);
  cert.setIssuer(pki.root.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true },
  ] as never[]);
  cert.sign(forge.pki.privateKeyFromPem(pki.rootKeyPem), forge.md.sha256.create());
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), [cert, pki.root.cert], PASSWORD, { algorithm: '3des', count: 2048 } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  const p12 = new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  return {
    der: new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary')),
    certPath: pki.write(`rsa${bits}.pem`, forge.pki.certificateToPem(cert)),
    keyPath: pki.write(`rsa${bits}.key`, keyPem),
    p12,
    p12Path: pki.write(`rsa${bits}.p12`, p12),
    pkcs8: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
  };
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<{ code?: string; message: string; details?: Record<string, unknown> }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as { code?: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a refusal');
}

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await cliMain(args, { out: () => undefined, err: (l) => err.push(l), env: { ...env } });
  return { code, err: err.join('\n') };
}

let weak: Issued;
let weak2047: Issued;
let strong: Issued;

beforeAll(() => {
  pki = createTestPki();
  weak = issueRsa(1024);
  weak2047 = issueRsa(2047);
  strong = issueRsa(2048);
}, 180_000);
afterAll(() => pki?.cleanup());

describe('RSA keys under 2048 bits do not sign', () => {
  it('opening a .p12 for signing refuses RSA-1024 and RSA-2047 with signing_key_too_weak; RSA-2048 opens', async () => {
    expect(await refusal(identityFromPkcs12(weak.p12, PASSWORD))).toMatchObject({ code: 'signing_key_too_weak', details: { bits: 1024, min: 2048 } });
    // The modulus is measured in bits, not bytes: 2047 bits is not "2048".
    expect(await refusal(identityFromPkcs12(weak2047.p12, PASSWORD))).toMatchObject({ code: 'signing_key_too_weak', details: { bits: 2047 } });
    const ok = await identityFromPkcs12(strong.p12, PASSWORD);
    expect(ok.facts.rsaKeyBits).toBe(2048);
  });

  it('the CMS builder refuses to embed a weak certificate before the signer is asked', async () => {
    let asked = 0;
    const inner = await localRsaSigner(weak.pkcs8);
    const signer: Signer = (tbs) => {
      asked++;
      return inner(tbs);
    };
    const digest = new Uint8Array(createHash('sha256').update('x').digest());
    expect(await refusal(createDetachedCms({ contentDigest: digest, certificate: weak.der, signer }))).toMatchObject({ code: 'signing_key_too_weak' });
    expect(asked).toBe(0);
  });

  it("an NCALayer key's certificate is checked the same way", () => {
    expect(() => assertSigningKey(certificateFacts(parseCertificate(weak.der)), new Date())).toThrow(expect.objectContaining({ code: 'signing_key_too_weak' }));
    expect(() => assertSigningKey(certificateFacts(parseCertificate(strong.der)), new Date())).not.toThrow();
  });

  it('cli sign and the RPC documents.openKey refuse it with the code, nothing written', async () => {
    const input = pki.write('doc.txt', 'Protocol\n');
    const out = join(pki.dir, 'doc.txt.p7s');
    const r = await cli(['sign', '--key', weak.p12Path, '--password-env', 'PW', '--cms', '--in', input, '--out', out, '--lang', 'kk'], { PW: PASSWORD });
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/\[signing_key_too_weak\]$/);
    expect(r.err).toContain(lookup(catalogs.kk, 'errors.signing_key_too_weak'));
    expect(existsSync(out)).toBe(false);

    const files = new FileHandleRegistry();
    const account = {};
    const deps = { accounts: { require: () => account, current: account }, files, portalUrl: 'http://127.0.0.1:9', language: () => 'ru', progress: () => undefined } as unknown as DocumentHandlerDeps;
    const handlers = signHandlers<object>(deps);
    try {
      const { handle } = await files.register(weak.p12Path);
      const env = await dispatch(handlers as unknown as Handlers<object>, 'documents.openKey', { key: { source: 'file', handle, password: PASSWORD } }, {});
      expect(env).toMatchObject({ ok: false, error: { code: 'signing_key_too_weak', details: { bits: 1024 } } });
    } finally {
      handlers.close();
    }
  });

  it('an old RSA-1024 signature (made by OpenSSL) is still verified and reported, not refused', async () => {
    const content = pki.write('old.txt', 'Signed in 2015\n');
    const sig = join(pki.dir, 'old.p7s');
    const r = run('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-in', content, '-signer', weak.certPath, '-inkey', weak.keyPath, '-outform', 'DER', '-out', sig]);
    expect(r.code, r.stderr).toBe(0);
    const report = await verifyCms(new Uint8Array(readFileSync(sig)), async () => new Uint8Array(createHash('sha256').update(readFileSync(content)).digest()), {
      anchors: [{ der: pki.root.der, kind: 'custom' }],
    });
    expect(report.signatures[0]).toMatchObject({ integrity: 'ok', signer: { rsaKeyBits: 1024 } });
  });
});

/** Content range of the DER element at `at`. */
function contentOf(b: Uint8Array, at: number): { start: number; end: number } {
  const h = headers(b, at, b.length, 0, []).find((x) => x.at === at)!;
  let len = b[at + 1]!;
  if (len >= 0x80) {
    len = 0;
    for (let k = 0; k < (b[at + 1]! & 0x7f); k++) len = len * 256 + b[at + 2 + k]!;
  }
  return { start: at + 1 + h.lengthSize, end: at + 1 + h.lengthSize + len };
}

/** A DER PFX rewritten the way NSS and Windows write BER: indefinite lengths, the AuthenticatedSafe as 500-byte OCTET STRING chunks. */
function berify(der: Uint8Array): Uint8Array {
  const pfx = contentOf(der, 0);
  const version = contentOf(der, pfx.start);
  const authSafe = contentOf(der, version.end);
  const type = contentOf(der, authSafe.start);
  const octets = contentOf(der, contentOf(der, type.end).start);
  const data = der.subarray(octets.start, octets.end);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += 500) chunks.push(tlv(0x04, data.subarray(i, i + 500)));
  const u8 = (...b: number[]) => Uint8Array.from(b);
  return concat([u8(0x30, 0x80), der.subarray(pfx.start, version.end), u8(0x30, 0x80), der.subarray(authSafe.start, type.end), u8(0xa0, 0x80, 0x24, 0x80), ...chunks, u8(0, 0, 0, 0, 0, 0), der.subarray(authSafe.end, pfx.end), u8(0, 0)]);
}

describe('.p12 key derivation is capped at 600 000 iterations, read before deriving anything', () => {
  const kdfSpies = () => [
    vi.spyOn(forge.pkcs12 as unknown as { generateKey: () => unknown }, 'generateKey'),
    vi.spyOn((forge.pki as unknown as { pbe: { generatePkcs12Key: () => unknown } }).pbe, 'generatePkcs12Key'),
    vi.spyOn(forge.pkcs5, 'pbkdf2'),
  ];
  const openssl = (name: string, extra: string[]) => {
    const out = join(pki.dir, name);
    const r = run('openssl', ['pkcs12', '-export', '-inkey', strong.keyPath, '-in', strong.certPath, '-out', out, '-passout', `pass:${PASSWORD}`, ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return new Uint8Array(readFileSync(out));
  };

  it('OpenSSL key files with the default (PBES2, AES, 2048) and the legacy (3DES, RC2) encryption still open, Cyrillic password too', () => {
    for (const file of [openssl('default.p12', []), openssl('legacy.p12', ['-legacy'])]) {
      const store = openPkcs12(file, PASSWORD);
      expect(store.facts.rsaKeyBits).toBe(2048);
      store.dispose();
    }
  });

  it('a Java keytool file (PBES2, SHA-256 MAC, 10 000 iterations) and a BER-encoded file (indefinite lengths, chunked) open', () => {
    const path = join(pki.dir, 'java.p12');
    const r = run('keytool', ['-genkeypair', '-alias', 'k', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=Java Test', '-validity', '2', '-storetype', 'PKCS12', '-keystore', path, '-storepass', 'Key-pass-42']);
    expect(r.code, r.stderr).toBe(0);
    const java = new Uint8Array(readFileSync(path));
    for (const file of [java, berify(java)]) {
      const store = openPkcs12(file, 'Key-pass-42');
      expect(store.facts.subject.commonName).toBe('Java Test');
      store.dispose();
    }
    const ber = berify(strong.p12);
    expect(ber[1]).toBe(0x80);
    openPkcs12(ber, PASSWORD).dispose();
  });

  it('an OpenSSL file with 700 000 iterations is refused with its numbers, no KDF run, no password in the error', async () => {
    const file = openssl('slow.p12', ['-iter', '700000']);
    const spies = kdfSpies();
    try {
      const e = await refusal(() => openPkcs12(file, PASSWORD));
      expect(e).toMatchObject({ code: 'pkcs12_iterations_too_high', details: { iterations: 700_000, limit: PKCS12_MAX_ITERATIONS } });
      expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(PASSWORD);
      for (const s of spies) expect(s).not.toHaveBeenCalled();
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it('a 3 000 000-iteration key bag inside a correctly encrypted SafeContents is refused by the capped KDF itself', async () => {
    const spies = kdfSpies();
    try {
      for (const name of ['p12-case-nested-key-bag-3000000', 'p12-case-nested-pbes2-key-bag-3000000']) {
        const c = p12Cases(PASSWORD, strong.der).find((x) => x.name === name)!;
        expect(await refusal(() => openPkcs12(c.bytes, PASSWORD)), name).toMatchObject({ code: 'pkcs12_iterations_too_high', details: { iterations: 3_000_000 } });
      }
      // The MAC and the outer SafeContents were derived (16 iterations); the 3 000 000 never started.
      const counts = spies.flatMap((s) => s.mock.calls.map((args) => Number((args as unknown[])[s === spies[2] ? 2 : 3])));
      expect(counts.length).toBeGreaterThan(0);
      expect(Math.max(...counts)).toBeLessThanOrEqual(16);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it('too many bags and oversized files are refused before parsing them', async () => {
    const bags = p12Cases(PASSWORD, strong.der).find((x) => x.name === 'p12-case-too-many-bags')!;
    expect(await refusal(() => openPkcs12(bags.bytes, PASSWORD))).toMatchObject({ code: 'key_corrupt', details: { reason: 'bags' } });
    expect(await refusal(() => openPkcs12(new Uint8Array(2 * 1024 * 1024), PASSWORD))).toMatchObject({ code: 'file_too_large' });
  });
});

describe('translations of the new codes', () => {
  const KAZAKH_LETTERS = /[әғқңөұүһі]/;
  it("every code of the bounded PDF reader is an error code with kk, ru and en texts, and a problem text in the documents panel", () => {
    for (const code of PDF_READ_ERRORS) {
      expect(ERROR_CODES as readonly string[], code).toContain(code);
      for (const lang of LANGUAGES) {
        expect(lookup(catalogs[lang], `errors.${code}`)?.trim(), `${lang} errors.${code}`).toBeTruthy();
        expect(lookup(catalogs[lang], `documents.panel.problem.${code}`)?.trim(), `${lang} problem.${code}`).toBeTruthy();
      }
      expect(lookup(catalogs.kk, `errors.${code}`), code).toMatch(KAZAKH_LETTERS);
      expect(lookup(catalogs.kk, `errors.${code}`)).not.toBe(lookup(catalogs.ru, `errors.${code}`));
    }
  });

  it('the new refusal codes read as Kazakh, Russian and English', () => {
    for (const code of ['signing_key_too_weak', 'pkcs12_iterations_too_high', 'cms_invalid', 'cert_invalid']) {
      expect(lookup(catalogs.kk, `errors.${code}`), code).toMatch(KAZAKH_LETTERS);
      expect(lookup(catalogs.ru, `errors.${code}`), code).toMatch(/[а-яё]/);
      expect(lookup(catalogs.en, `errors.${code}`), code).toMatch(/^[\x20-\x7e’—–]+$/);
    }
  });
});
