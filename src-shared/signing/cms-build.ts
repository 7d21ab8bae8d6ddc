/**
 * CAdES-BES / PAdES-baseline CMS built with pkijs. The content is never passed in:
 * callers hand over its digest (src-main hashes files as streams), so a 1 GB
 * file never sits in memory. Signing itself goes through a `Signer` function, so a
 * local PKCS#12 key and NCALayer (later) plug into the same builder.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ab, equalBytes } from './bytes';
import { compareDer, encode, parseDer } from './der';
import { cryptoEngine, subtle } from './engine';
import { AppError } from '../rpc/errors';
import { verifyRawSignature } from './signature-math';
import { certificateFacts, parseCertificate } from './cert-facts';
import { assertKeyStrongEnough } from './key-strength';
import { digestBytes } from './digest';
import { OID } from './oids';

/** What a signer is asked to sign. */
export interface ToBeSigned {
  /** Digest of the content (document / PDF byte ranges). */
  digest: Uint8Array;
  digestAlgorithm: string;
  /**
   * DER of the SET of signed attributes the signature must cover. Present when the
   * builder wants a raw signature back; an external signer that builds its own CMS
   * (NCALayer "digested" mode) may ignore it and sign `digest` instead.
   */
  signedAttributesDer?: Uint8Array;
}
export type SignerResult =
  | { kind: 'signature'; signature: Uint8Array; signatureAlgorithm: string }
  | { kind: 'cms'; cms: Uint8Array };
export type Signer = (tbs: ToBeSigned) => Promise<SignerResult>;

/** A local RSA key (PKCS#8) as a Signer. The CryptoKey is not extractable; wipe the PKCS#8 bytes after this. */
export async function localRsaSigner(pkcs8: Uint8Array): Promise<Signer> {
  const key = await subtle().importKey('pkcs8', ab(pkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  return async (tbs) => {
    if (!tbs.signedAttributesDer) throw new Error('local signer needs signed attributes');
    const sig = await subtle().sign('RSASSA-PKCS1-v1_5', key, ab(tbs.signedAttributesDer));
    return { kind: 'signature', signature: new Uint8Array(sig), signatureAlgorithm: OID.sha256WithRsa };
  };
}

const algId = (oid: string, nullParams = false) =>
  new pkijs.AlgorithmIdentifier({ algorithmId: oid, ...(nullParams ? { algorithmParams: new asn1js.Null() } : {}) });

/** ESS signing-certificate-v2 (RFC 5035): binds the signer certificate into the signature. */
export async function signingCertificateV2(certDer: Uint8Array): Promise<pkijs.Attribute> {
  const cert = parseCertificate(certDer);
  const hash = await digestBytes(OID.sha256, certDer);
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      cert.serialNumber,
    ],
  });
  // hashAlgorithm omitted: SHA-256 is the DEFAULT.
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(hash) }), issuerSerial] });
  return new pkijs.Attribute({
    type: OID.attrSigningCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
}

export interface SignedAttributeOptions {
  contentDigest: Uint8Array;
  certificate: Uint8Array;
  /** CMS for files: include signing-time (claimed). PAdES must not (time comes from /M or a timestamp). */
  signingTime?: Date;
}

export async function buildSignedAttributes(o: SignedAttributeOptions): Promise<pkijs.Attribute[]> {
  const attrs = [
    new pkijs.Attribute({ type: OID.attrContentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.attrMessageDigest, values: [new asn1js.OctetString({ valueHex: ab(o.contentDigest) })] }),
    await signingCertificateV2(o.certificate),
  ];
  if (o.signingTime) attrs.push(new pkijs.Attribute({ type: OID.attrSigningTime, values: [new asn1js.UTCTime({ valueDate: o.signingTime })] }));
  // DER: SET OF sorted by encoding, so every verifier re-encodes to the same bytes we signed.
  return attrs
    .map((a) => ({ a, der: encode(a.toSchema()) }))
    .sort((x, y) => compareDer(x.der, y.der))
    .map((x) => x.a);
}

export const signedAttributesDer = (attrs: pkijs.Attribute[]): Uint8Array =>
  encode(new asn1js.Set({ value: attrs.map((a) => a.toSchema()) }));

export interface DetachedSignatureOptions {
  contentDigest: Uint8Array;
  /** Only SHA-256 is produced locally (RSA keys); the OID is carried for external signers. */
  digestAlgorithm?: string;
  certificate: Uint8Array;
  chain?: Uint8Array[];
  signer: Signer;
  signingTime?: Date;
}

async function buildSignerInfo(o: DetachedSignatureOptions): Promise<{ signerInfo: pkijs.SignerInfo; certs: Uint8Array[] } | { cms: Uint8Array }> {
  cryptoEngine();
  // Whoever holds the key (a .p12 here, NCALayer, a token), the certificate we embed must be strong enough.
  assertKeyStrongEnough(certificateFacts(parseCertificate(o.certificate)));
  const digestAlgorithm = o.digestAlgorithm ?? OID.sha256;
  const attrs = await buildSignedAttributes({ contentDigest: o.contentDigest, certificate: o.certificate, ...(o.signingTime ? { signingTime: o.signingTime } : {}) });
  const tbsDer = signedAttributesDer(attrs);
  const result = await o.signer({ digest: o.contentDigest, digestAlgorithm, signedAttributesDer: tbsDer });
  if (result.kind === 'cms') {
    await assertExternalCms(result.cms, o.certificate, o.contentDigest);
    return { cms: result.cms };
  }
  const cert = parseCertificate(o.certificate);
  // Never embed a signature that does not verify under the certificate we name (wrong key, wrong card…).
  const check = await verifyRawSignature({
    spkiDer: encode(cert.subjectPublicKeyInfo.toSchema()),
    publicKeyOid: cert.subjectPublicKeyInfo.algorithm.algorithmId,
    signatureAlgorithmOid: result.signatureAlgorithm,
    digestOid: digestAlgorithm,
    data: tbsDer,
    signature: result.signature,
  });
  if (check !== 'ok') throw new AppError('signature_invalid', 'The signature does not match the signing certificate', { check });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: algId(digestAlgorithm),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm: algId(
      result.signatureAlgorithm === OID.sha256WithRsa ? OID.rsaEncryption : result.signatureAlgorithm,
      result.signatureAlgorithm === OID.sha256WithRsa,
    ),
    signature: new asn1js.OctetString({ valueHex: ab(result.signature) }),
  });
  return { signerInfo, certs: [o.certificate, ...(o.chain ?? [])] };
}

/**
 * A CMS that an external signer (NCALayer) built itself must be over our digest and
 * from the expected certificate before we embed or co-sign with it.
 */
async function assertExternalCms(cms: Uint8Array, certificate: Uint8Array, contentDigest: Uint8Array): Promise<void> {
  let sd: pkijs.SignedData;
  try {
    sd = parseSignedData(cms);
  } catch {
    throw new AppError('signature_invalid', 'The external signer returned an unreadable CMS');
  }
  const want = parseCertificate(certificate);
  for (const si of sd.signerInfos) {
    const md = si.signedAttrs?.attributes.find((a) => a.type === OID.attrMessageDigest)?.values[0] as asn1js.OctetString | undefined;
    if (!md || !equalBytes(new Uint8Array(md.valueBlock.valueHexView), contentDigest)) continue;
    if (!(si.sid instanceof pkijs.IssuerAndSerialNumber) || !si.sid.serialNumber.isEqual(want.serialNumber)) continue;
    const r = await verifyRawSignature({
      spkiDer: encode(want.subjectPublicKeyInfo.toSchema()),
      publicKeyOid: want.subjectPublicKeyInfo.algorithm.algorithmId,
      signatureAlgorithmOid: si.signatureAlgorithm.algorithmId,
      digestOid: si.digestAlgorithm.algorithmId,
      data: new Uint8Array(si.signedAttrs!.encodedValue),
      signature: new Uint8Array(si.signature.valueBlock.valueHexView),
    });
    if (r === 'ok') return;
  }
  throw new AppError('signature_invalid', 'The external signer returned a CMS over other data or from another certificate');
}

function contentInfoDer(sd: pkijs.SignedData): Uint8Array {
  return encode(new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema(true) }).toSchema());
}

/** A CMS ContentInfo(SignedData); anything else (garbage, truncation, another content type) is `cms_invalid`. */
export function parseSignedData(cms: Uint8Array): pkijs.SignedData {
  cryptoEngine();
  let ci: pkijs.ContentInfo;
  try {
    ci = new pkijs.ContentInfo({ schema: parseDer(cms) });
  } catch {
    throw new AppError('cms_invalid', 'Not a CMS signature');
  }
  if (ci.contentType !== OID.signedData) throw new AppError('cms_invalid', 'Not a CMS SignedData', { contentType: ci.contentType });
  try {
    return new pkijs.SignedData({ schema: ci.content });
  } catch {
    throw new AppError('cms_invalid', 'The CMS SignedData cannot be read');
  }
}

/** Detached CAdES-BES (content not included). Returns DER of ContentInfo(SignedData). */
export async function createDetachedCms(o: DetachedSignatureOptions): Promise<Uint8Array> {
  const built = await buildSignerInfo(o);
  if ('cms' in built) return built.cms;
  const sd = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [algId(o.digestAlgorithm ?? OID.sha256)],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: built.certs.map((c) => parseCertificate(c)),
    signerInfos: [built.signerInfo],
  });
  return contentInfoDer(sd);
}

function addCertificates(sd: pkijs.SignedData, certs: Uint8Array[]): void {
  const existing = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const ders = existing.map((c) => encode(c.toSchema()));
  sd.certificates = sd.certificates ?? [];
  for (const c of certs) if (!ders.some((d) => equalBytes(d, c))) sd.certificates.push(parseCertificate(c));
}

/**
 * Co-signing: a second (third, …) signer over the same content is added to an
 * existing detached CMS; earlier SignerInfos are kept as they are.
 */
export async function addCoSignature(existingCms: Uint8Array, o: DetachedSignatureOptions): Promise<Uint8Array> {
  const sd = parseSignedData(existingCms);
  const built = await buildSignerInfo(o);
  const digestAlgorithm = o.digestAlgorithm ?? OID.sha256;
  let newInfos: pkijs.SignerInfo[];
  let newCerts: Uint8Array[];
  if ('cms' in built) {
    const other = parseSignedData(built.cms);
    newInfos = other.signerInfos;
    newCerts = (other.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => encode(c.toSchema()));
  } else {
    newInfos = [built.signerInfo];
    newCerts = built.certs;
  }
  if (!sd.digestAlgorithms.some((a) => a.algorithmId === digestAlgorithm)) sd.digestAlgorithms.push(algId(digestAlgorithm));
  addCertificates(sd, newCerts);
  sd.signerInfos.push(...newInfos);
  return contentInfoDer(sd);
}

/** Adds an RFC 3161 signature timestamp token (CAdES-T / PAdES B-T) to one SignerInfo. */
export function addUnsignedTimestamp(cms: Uint8Array, signerIndex: number, tokenDer: Uint8Array): Uint8Array {
  const sd = parseSignedData(cms);
  const si = sd.signerInfos[signerIndex];
  if (!si) throw new Error(`no signer ${signerIndex}`);
  const attr = new pkijs.Attribute({ type: OID.attrTimeStampToken, values: [parseDer(tokenDer)] });
  if (si.unsignedAttrs) si.unsignedAttrs.attributes.push(attr);
  else si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attr] });
  return contentInfoDer(sd);
}

/** The bytes a signature timestamp covers: the SignerInfo's signature value. */
export function signatureValueOf(cms: Uint8Array, signerIndex: number): Uint8Array {
  const si = parseSignedData(cms).signerInfos[signerIndex];
  if (!si) throw new Error(`no signer ${signerIndex}`);
  return new Uint8Array(si.signature.valueBlock.valueHexView);
}
