/**
 * Test-only GOST PKI built with pkijs + signGost: a Kazakh-style GOST CA and user certificate and a
 * detached CMS SignedData with signed attributes — the recipe the signing core can reuse for GOST tests
 * (pkijs cannot sign GOST itself, so the TBS / signedAttrs are signed here and the value filled in).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  encodeGostSubjectPublicKeyInfo, generateGostKeyPair, gostDigest, OID, signGost,
} from '../../src-shared/signing/gost/index';
import type { GostCurveName, GostKeyPair } from '../../src-shared/signing/gost/index';

export interface GostProfile {
  curve: GostCurveName;
  keyOid: string;
  paramSetOid: string;
  digestParamSetOid: string;
  signatureOid: string;
  digestOid: string;
}

export const KZ_GOST_2015_512: GostProfile = {
  curve: 'tc26-512-a', keyOid: OID.kzGost2015PublicKey512, paramSetOid: OID.kzGost2015ParamSet512A,
  digestParamSetOid: OID.kzStreebog512, signatureOid: OID.kzGost2015Signature512, digestOid: OID.kzStreebog512,
};
export const KZ_GOST_2004: GostProfile = {
  curve: 'cryptopro-a', keyOid: OID.kzGost2004PublicKey, paramSetOid: OID.kzGost2004ParamSetA,
  digestParamSetOid: OID.kzGost34311ParamSet, signatureOid: OID.kzGost2004Signature, digestOid: OID.kzGost34311,
};

const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer as ArrayBuffer;

function name(cn: string, extra: [string, string][] = []): pkijs.RelativeDistinguishedNames {
  const attrs: [string, string][] = [['2.5.4.3', cn], ...extra, ['2.5.4.6', 'KZ']];
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: attrs.map(([type, v]) => new pkijs.AttributeTypeAndValue({
      type,
      value: type === '2.5.4.6' || type === '2.5.4.5' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
    })),
  });
}

export interface GostIdentity {
  keys: GostKeyPair;
  profile: GostProfile;
  spkiDer: Uint8Array;
  cert: pkijs.Certificate;
  certDer: Uint8Array;
}

/** Issue a certificate for a new key; `issuer` undefined = self-signed CA. */
export function issueGostCertificate(opts: {
  profile: GostProfile;
  cn: string;
  serial: number;
  random: (n: number) => Uint8Array;
  issuer?: GostIdentity;
  subjectExtra?: [string, string][];
}): GostIdentity {
  const { profile } = opts;
  const keys = generateGostKeyPair(profile.curve, opts.random);
  const spkiDer = encodeGostSubjectPublicKeyInfo({
    publicKeyAlgorithmOid: profile.keyOid, paramSetOid: profile.paramSetOid, digestParamSetOid: profile.digestParamSetOid, x: keys.x, y: keys.y,
  });
  const signer = opts.issuer ?? { keys, profile, cert: null as unknown as pkijs.Certificate };
  const subject = name(opts.cn, opts.subjectExtra);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: opts.serial });
  // the Kazakh certificates carry NULL parameters in the signature AlgorithmIdentifier
  const sigAlg = () => new pkijs.AlgorithmIdentifier({ algorithmId: signer.profile.signatureOid, algorithmParams: new asn1js.Null() });
  cert.signature = sigAlg();
  cert.signatureAlgorithm = sigAlg();
  cert.issuer = opts.issuer ? opts.issuer.cert.subject : subject;
  cert.subject = subject;
  cert.notBefore.value = new Date(Date.UTC(2025, 0, 1));
  cert.notAfter.value = new Date(Date.UTC(2035, 0, 1));
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(ab(spkiDer));
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  const signature = signGost({
    signatureAlgorithmOid: signer.profile.signatureOid, curve: signer.profile.curve, privateKey: signer.keys.privateKey, data: tbs,
    digestParamSetOid: signer.profile.digestParamSetOid, random: opts.random,
  });
  cert.tbsView = tbs;
  cert.signatureValue = new asn1js.BitString({ valueHex: ab(signature) });
  const certDer = new Uint8Array(cert.toSchema().toBER());
  return { keys, profile, spkiDer, cert, certDer };
}

/** Detached CMS SignedData (contentType + messageDigest signed attributes) signed with a GOST key. */
export function gostDetachedCms(signer: GostIdentity, content: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const { profile } = signer;
  const digest = gostDigest(profile.digestOid, content)!;
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: ab(digest) })] }),
    ],
  });
  // signature over the DER of the attributes with the SET OF tag (RFC 5652 §5.4)
  const attrsDer = new Uint8Array(signedAttrs.toSchema().toBER());
  attrsDer[0] = 0x31;
  const signature = signGost({
    signatureAlgorithmOid: profile.signatureOid, curve: profile.curve, privateKey: signer.keys.privateKey, data: attrsDer,
    digestParamSetOid: profile.digestParamSetOid, random,
  });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.cert.issuer, serialNumber: signer.cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: profile.digestOid }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: profile.signatureOid }),
    signature: new asn1js.OctetString({ valueHex: ab(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: profile.digestOid })],
    certificates: [signer.cert],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
