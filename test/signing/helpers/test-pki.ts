/**
 * A throw-away Kazakh-style PKI for tests (reusable by other areas: NCALayer
 * simulator, documents): root CA, user certificates with SERIALNUMBER=IIN…,
 * OU=BIN…, NCA EKU role OIDs, a TSA certificate, and .p12 files.
 * Keys come from crypto.generateKeyPairSync (fast, native); certificates and
 * PKCS#12 from node-forge. Three RSA keys per process (CA, user, TSA), cached.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export const KZ_EKU = {
  individual: '1.2.398.3.3.4.1.1',
  legalEntity: '1.2.398.3.3.4.1.2',
  firstHead: '1.2.398.3.3.4.1.2.1',
  signingRight: '1.2.398.3.3.4.1.2.2',
  employee: '1.2.398.3.3.4.1.2.5',
} as const;

export interface KeyPairPem {
  privatePem: string;
  publicPem: string;
}

export interface SubjectSpec {
  commonName: string;
  surname?: string;
  patronymic?: string;
  iin?: string;
  bin?: string;
  organization?: string;
  country?: string;
  locality?: string;
  email?: string;
}

export interface IssueSpec {
  subject: SubjectSpec;
  kind: 'sign' | 'auth' | 'tsa' | 'ca' | 'ocsp';
  roles?: string[];
  notBefore?: Date;
  notAfter?: Date;
  serialHex?: string;
  ocspUrl?: string;
  crlUrl?: string;
  /** Which generated key to certify (default: user for sign/auth, tsa for tsa). */
  key?: 'user' | 'tsa' | 'ca';
}

export interface IssuedCert {
  cert: forge.pki.Certificate;
  pem: string;
  der: Uint8Array;
  serialHex: string;
  keyPem: string;
}

export interface TestPki {
  dir: string;
  root: IssuedCert;
  rootKeyPem: string;
  tsa: IssuedCert;
  userKeyPem: string;
  issue(spec: IssueSpec): IssuedCert;
  p12(cert: IssuedCert, password: string, opts?: { withChain?: boolean }): Uint8Array;
  /** Writes a file into the PKI dir and returns its path. */
  write(name: string, data: string | Uint8Array): string;
  cleanup(): void;
}

const toDer = (cert: forge.pki.Certificate) => new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));

function keyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const UTF8 = forge.asn1.Type.UTF8;
const PRINTABLE = forge.asn1.Type.PRINTABLESTRING;

type Field = { type: string; value: string; valueTagClass: number };
function subjectAttrs(s: SubjectSpec): forge.pki.CertificateField[] {
  const a: Field[] = [{ type: '2.5.4.3', value: s.commonName, valueTagClass: UTF8 }];
  if (s.surname) a.push({ type: '2.5.4.4', value: s.surname, valueTagClass: UTF8 });
  if (s.iin) a.push({ type: '2.5.4.5', value: `IIN${s.iin}`, valueTagClass: PRINTABLE });
  a.push({ type: '2.5.4.6', value: s.country ?? 'KZ', valueTagClass: PRINTABLE });
  if (s.locality) a.push({ type: '2.5.4.7', value: s.locality, valueTagClass: UTF8 });
  if (s.organization) a.push({ type: '2.5.4.10', value: s.organization, valueTagClass: UTF8 });
  if (s.bin) a.push({ type: '2.5.4.11', value: `BIN${s.bin}`, valueTagClass: UTF8 });
  if (s.patronymic) a.push({ type: '2.5.4.42', value: s.patronymic, valueTagClass: UTF8 });
  if (s.email) a.push({ type: '1.2.840.113549.1.9.1', value: s.email, valueTagClass: forge.asn1.Type.IA5STRING });
  return a as unknown as forge.pki.CertificateField[];
}

function aia(ocspUrl: string) {
  const A = forge.asn1;
  return A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
    A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
      A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer('1.3.6.1.5.5.7.48.1').getBytes()),
      A.create(A.Class.CONTEXT_SPECIFIC, 6, false, ocspUrl),
    ]),
  ]);
}

/** 16 random bytes, positive, no leading zero, even-length hex (what OpenSSL's index expects). */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return b.toString('hex');
}

let cachedKeys: { ca: KeyPairPem; user: KeyPairPem; tsa: KeyPairPem } | undefined;

export function createTestPki(): TestPki {
  cachedKeys ??= { ca: keyPair(), user: keyPair(), tsa: keyPair() };
  const keys = cachedKeys;
  const dir = mkdtempSync(join(tmpdir(), 'seriktes-pki-'));
  const caKey = forge.pki.privateKeyFromPem(keys.ca.privatePem);
  const now = Date.now();
  const rootSubject = subjectAttrs({ commonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ TEST (Seriktes)' });
  const state: { rootCert?: forge.pki.Certificate } = {};

  const issue = (spec: IssueSpec): IssuedCert => {
    const keyName = spec.key ?? (spec.kind === 'tsa' ? 'tsa' : spec.kind === 'ca' ? 'ca' : 'user');
    const kp = keys[keyName];
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(kp.publicPem);
    const serialHex = spec.serialHex ?? randomSerial();
    cert.serialNumber = serialHex;
    cert.validity.notBefore = spec.notBefore ?? new Date(now - 24 * 3600_000);
    cert.validity.notAfter = spec.notAfter ?? new Date(now + 365 * 24 * 3600_000);
    const subject = spec.kind === 'ca' ? rootSubject : subjectAttrs(spec.subject);
    cert.setSubject(subject);
    cert.setIssuer(spec.kind === 'ca' ? rootSubject : state.rootCert!.subject.attributes);
    const ext: unknown[] = [];
    if (spec.kind === 'ca') {
      ext.push({ name: 'basicConstraints', cA: true, critical: true });
      ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
    } else {
      ext.push({ name: 'basicConstraints', cA: false });
      if (spec.kind === 'sign') ext.push({ name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true });
      if (spec.kind === 'auth') ext.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
      if (spec.kind === 'tsa' || spec.kind === 'ocsp') ext.push({ name: 'keyUsage', digitalSignature: true, critical: true });
      const eku: Record<string, unknown> = { name: 'extKeyUsage' };
      if (spec.kind === 'sign') eku.emailProtection = true;
      if (spec.kind === 'auth') eku.clientAuth = true;
      if (spec.kind === 'tsa') {
        eku.timeStamping = true;
        eku.critical = true;
      }
      if (spec.kind === 'ocsp') eku.OCSPSigning = true;
      for (const r of spec.roles ?? []) eku[r] = true;
      ext.push(eku);
      ext.push({ name: 'authorityKeyIdentifier', keyIdentifier: state.rootCert!.generateSubjectKeyIdentifier().getBytes() });
    }
    ext.push({ name: 'subjectKeyIdentifier' });
    if (spec.ocspUrl) ext.push({ id: '1.3.6.1.5.5.7.1.1', value: aia(spec.ocspUrl) });
    if (spec.crlUrl) ext.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: spec.crlUrl }] });
    cert.setExtensions(ext as never[]);
    cert.sign(caKey, forge.md.sha256.create());
    return { cert, pem: forge.pki.certificateToPem(cert), der: toDer(cert), serialHex: cert.serialNumber, keyPem: kp.privatePem };
  };

  const root = issue({ subject: { commonName: 'root' }, kind: 'ca', serialHex: '01', notBefore: new Date(now - 10 * 365 * 24 * 3600_000), notAfter: new Date(now + 10 * 365 * 24 * 3600_000) });
  state.rootCert = root.cert;
  const tsa = issue({ subject: { commonName: 'Seriktes Test TSA', organization: 'Seriktes' }, kind: 'tsa' });

  const pki: TestPki = {
    dir,
    root,
    rootKeyPem: keys.ca.privatePem,
    tsa,
    userKeyPem: keys.user.privatePem,
    issue,
    p12(cert, password, opts = {}) {
      const key = forge.pki.privateKeyFromPem(cert.keyPem);
      const chain = opts.withChain === false ? [cert.cert] : [cert.cert, root.cert];
      // 3DES everywhere, SHA-1 MAC: the legacy shape of NCA RK key files.
      const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, { algorithm: '3des', friendlyName: 'seriktes-test' });
      return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
    },
    write(name, data) {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pki.write('root.pem', root.pem);
  pki.write('root.key', keys.ca.privatePem);
  pki.write('tsa.pem', tsa.pem);
  pki.write('tsa.key', keys.tsa.privatePem);
  return pki;
}

/** A typical individual signer (SIGN key) and a legal-entity head. */
export const SUBJECTS = {
  individual: { commonName: 'ТЕСТОВ ТЕСТ', surname: 'ТЕСТОВ', patronymic: 'ТЕСТОВИЧ', iin: '850722400563', locality: 'АЛМАТЫ' },
  head: {
    commonName: 'ҚАСЫМОВ ӘЛИ',
    surname: 'ҚАСЫМОВ',
    patronymic: 'НҰРЛАНҰЛЫ',
    iin: '900115301235',
    bin: '150340012340',
    organization: 'ТОО "Серіктес Тест"',
    locality: 'АСТАНА',
  },
} satisfies Record<string, SubjectSpec>;
