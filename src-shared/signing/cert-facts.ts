/**
 * Human-relevant facts about an X.509 certificate, RSA or GOST. pkijs/asn1js parse
 * any certificate (node-forge rejects non-RSA keys), and decode UTF8String names
 * properly, so Cyrillic and Kazakh owners come out right.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ab, toHex } from './bytes';
import { KZ_ROLE_OIDS, OID, type KzRole } from './oids';
import { cryptoEngine } from './engine';
import { AppError } from '../rpc/errors';

export type KeyAlgorithm = 'RSA' | 'GOST_34_310_2004' | 'GOST_34_10_2015' | 'ECDSA' | 'UNKNOWN';
export type KeyPurpose = 'SIGN' | 'AUTH' | 'UNKNOWN';

export interface NameFacts {
  commonName?: string;
  surname?: string;
  /** GIVENNAME in NCA certificates is the patronymic. */
  patronymic?: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
  locality?: string;
  state?: string;
  email?: string;
  /** IIN from SERIALNUMBER=IIN… (digits only). */
  iin?: string;
  /** BIN from OU=BIN… (digits only). */
  bin?: string;
  /** RFC 4514-style string, most specific first, values decoded (UTF-8). */
  dn: string;
  /** Every attribute in order, for display and tests. */
  attributes: { oid: string; short: string; value: string }[];
}

export interface CertificateFacts {
  subject: NameFacts;
  issuer: NameFacts;
  serialNumberHex: string;
  notBefore: string;
  notAfter: string;
  algorithm: KeyAlgorithm;
  publicKeyAlgorithmOid: string;
  signatureAlgorithmOid: string;
  rsaKeyBits?: number;
  keyUsage: string[];
  extendedKeyUsage: string[];
  roles: KzRole[];
  purpose: KeyPurpose;
  isCa: boolean;
  selfSigned: boolean;
  subjectKeyIdHex?: string;
  authorityKeyIdHex?: string;
  ocspUrls: string[];
  caIssuerUrls: string[];
  crlUrls: string[];
  policies: string[];
}

const SHORT: Record<string, string> = {
  [OID.cn]: 'CN',
  [OID.surname]: 'SURNAME',
  [OID.serialNumber]: 'SERIALNUMBER',
  [OID.country]: 'C',
  [OID.locality]: 'L',
  [OID.state]: 'ST',
  [OID.org]: 'O',
  [OID.orgUnit]: 'OU',
  [OID.title]: 'T',
  [OID.givenName]: 'G',
  [OID.email]: 'E',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  cryptoEngine();
  try {
    return pkijs.Certificate.fromBER(ab(der));
  } catch {
    // pkijs's message names its schema internals, not anything the user can act on.
    throw new AppError('cert_invalid', 'Not an X.509 certificate');
  }
}

export function certificateDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

/** Decodes a DirectoryString (UTF8, Printable, BMP, IA5, Teletex…) to text. */
export function asn1Text(value: unknown): string {
  const v = value as { valueBlock?: { value?: unknown; valueHexView?: Uint8Array }; idBlock?: { tagNumber?: number } };
  const raw = v?.valueBlock?.value;
  if (typeof raw === 'string') return raw;
  const hex = v?.valueBlock?.valueHexView;
  if (hex) return new TextDecoder('utf-8').decode(hex);
  return '';
}

export function nameFacts(name: pkijs.RelativeDistinguishedNames): NameFacts {
  const attributes = name.typesAndValues.map((tv) => ({
    oid: tv.type,
    short: SHORT[tv.type] ?? tv.type,
    value: asn1Text(tv.value),
  }));
  const first = (oid: string) => attributes.find((a) => a.oid === oid)?.value;
  const all = (oid: string) => attributes.filter((a) => a.oid === oid).map((a) => a.value);
  const facts: NameFacts = {
    dn: [...attributes]
      .reverse()
      .map((a) => `${a.short}=${a.value.replace(/([,+"\\<>;])/g, '\\$1')}`)
      .join(', '),
    attributes,
  };
  const set = <K extends keyof NameFacts>(k: K, v: NameFacts[K] | undefined) => {
    if (v !== undefined && v !== '') facts[k] = v;
  };
  set('commonName', first(OID.cn));
  set('surname', first(OID.surname));
  set('patronymic', first(OID.givenName));
  set('organization', first(OID.org));
  set('country', first(OID.country));
  set('locality', first(OID.locality));
  set('state', first(OID.state));
  set('email', first(OID.email));
  const serial = first(OID.serialNumber);
  const iin = serial && /^IIN(\d{12})$/i.exec(serial.trim());
  if (iin) facts.iin = iin[1];
  const ous = all(OID.orgUnit);
  const binOu = ous.map((ou) => /^BIN(\d{12})$/i.exec(ou.trim())).find(Boolean);
  if (binOu) facts.bin = binOu[1];
  const otherOu = ous.find((ou) => !/^BIN\d{12}$/i.test(ou.trim()));
  set('organizationalUnit', otherOu);
  return facts;
}

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

export function keyUsageOf(cert: pkijs.Certificate): string[] {
  const ext = extension(cert, OID.keyUsage);
  if (!ext) return [];
  const parsed = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView);
  const bits = parsed.result as asn1js.BitString;
  const bytes = bits.valueBlock?.valueHexView ?? new Uint8Array();
  const out: string[] = [];
  KEY_USAGE_NAMES.forEach((name, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) out.push(name);
  });
  return out;
}

export function extendedKeyUsageOf(cert: pkijs.Certificate): string[] {
  const ext = extension(cert, OID.extKeyUsage);
  if (!ext) return [];
  const parsed = ext.parsedValue as pkijs.ExtKeyUsage | undefined;
  if (parsed?.keyPurposes) return parsed.keyPurposes;
  try {
    return new pkijs.ExtKeyUsage({ schema: asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result }).keyPurposes;
  } catch {
    return [];
  }
}

function generalNameUris(names: pkijs.GeneralName[] | undefined): string[] {
  return (names ?? []).filter((n) => n.type === 6).map((n) => String(n.value));
}

function infoAccess(cert: pkijs.Certificate, method: string): string[] {
  const ext = extension(cert, OID.authorityInfoAccess);
  const parsed = ext?.parsedValue as pkijs.InfoAccess | undefined;
  return (parsed?.accessDescriptions ?? [])
    .filter((d) => d.accessMethod === method && d.accessLocation.type === 6)
    .map((d) => String(d.accessLocation.value));
}

function crlUrls(cert: pkijs.Certificate): string[] {
  const ext = extension(cert, OID.crlDistributionPoints);
  const parsed = ext?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  const out: string[] = [];
  for (const dp of parsed?.distributionPoints ?? []) {
    const names = dp.distributionPoint;
    if (Array.isArray(names)) out.push(...generalNameUris(names as pkijs.GeneralName[]));
  }
  return out;
}

export function algorithmOf(publicKeyOid: string): KeyAlgorithm {
  if (publicKeyOid === OID.rsaEncryption || publicKeyOid === OID.rsaPss) return 'RSA';
  if (publicKeyOid === OID.ecPublicKey) return 'ECDSA';
  if (publicKeyOid.startsWith('1.2.398.3.10.1.1.1')) return 'GOST_34_310_2004';
  if (publicKeyOid.startsWith('1.2.398.3.10.1.1.2')) return 'GOST_34_10_2015';
  // Russian GOST R 34.10-2012 keys appear in some chains; the math is the same family.
  if (publicKeyOid.startsWith('1.2.643.7.1.1.1')) return 'GOST_34_10_2015';
  return 'UNKNOWN';
}

export function purposeOf(keyUsage: string[], eku: string[]): KeyPurpose {
  const auth = eku.includes(OID.ekuClientAuth);
  const sign = eku.includes(OID.ekuEmailProtection) || eku.includes(OID.ekuDocumentSigning);
  if (sign && !auth) return 'SIGN';
  if (auth && !sign) return 'AUTH';
  if (keyUsage.includes('nonRepudiation')) return 'SIGN';
  if (keyUsage.includes('keyEncipherment') && auth) return 'AUTH';
  return 'UNKNOWN';
}

function bytesOfEqual(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function certificateFacts(input: Uint8Array | pkijs.Certificate): CertificateFacts {
  const cert = input instanceof Uint8Array ? parseCertificate(input) : input;
  const keyUsage = keyUsageOf(cert);
  const eku = extendedKeyUsageOf(cert);
  const pkOid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  const algorithm = algorithmOf(pkOid);
  const ski = extension(cert, OID.subjectKeyIdentifier)?.parsedValue as asn1js.OctetString | undefined;
  const aki = extension(cert, OID.authorityKeyIdentifier)?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
  const bc = extension(cert, OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  const policiesExt = extension(cert, OID.certificatePolicies)?.parsedValue as pkijs.CertificatePolicies | undefined;
  const roles = [...new Set(eku.map((o) => KZ_ROLE_OIDS[o]).filter((r): r is KzRole => r !== undefined))];
  const facts: CertificateFacts = {
    subject: nameFacts(cert.subject),
    issuer: nameFacts(cert.issuer),
    serialNumberHex: toHex(cert.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, ''),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    algorithm,
    publicKeyAlgorithmOid: pkOid,
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithmId,
    keyUsage,
    extendedKeyUsage: eku,
    roles,
    purpose: purposeOf(keyUsage, eku),
    isCa: Boolean(bc?.cA),
    selfSigned: bytesOfEqual(cert.subject.toSchema().toBER(false), cert.issuer.toSchema().toBER(false)),
    ocspUrls: infoAccess(cert, OID.adOcsp),
    caIssuerUrls: infoAccess(cert, OID.adCaIssuers),
    crlUrls: crlUrls(cert),
    policies: (policiesExt?.certificatePolicies ?? []).map((p) => p.policyIdentifier),
  };
  if (ski) facts.subjectKeyIdHex = toHex(ski.valueBlock.valueHexView);
  if (aki?.keyIdentifier) facts.authorityKeyIdHex = toHex(aki.keyIdentifier.valueBlock.valueHexView);
  if (algorithm === 'RSA') {
    try {
      const rsa = cert.subjectPublicKeyInfo.parsedKey as pkijs.RSAPublicKey | undefined;
      const mod = rsa?.modulus.valueBlock.valueHexView;
      if (mod) facts.rsaKeyBits = bitLength(mod);
    } catch {
      /* key size is only informative */
    }
  }
  return facts;
}

/** Bits of an unsigned big-endian integer (leading zero bytes and bits do not count: 2047 is not 2048). */
function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

export type ValidityState = 'valid' | 'expired' | 'not_yet_valid';
export function validityAt(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>, at: Date): ValidityState {
  if (at.getTime() < Date.parse(facts.notBefore)) return 'not_yet_valid';
  if (at.getTime() > Date.parse(facts.notAfter)) return 'expired';
  return 'valid';
}
