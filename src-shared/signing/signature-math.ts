/**
 * "Does this signature verify under this public key": RSA through WebCrypto,
 * GOST (Kazakh OIDs, little-endian layout) through the gost module.
 */
import type * as pkijs from 'pkijs';
import { ab } from './bytes';
import { encode } from './der';
import { subtle } from './engine';
import { gostVerify, gostVerifyCertificate, isGost } from './gost-bridge';
import { OID, RSA_SIG_DIGEST, webCryptoDigestName } from './oids';

export type MathResult = 'ok' | 'bad' | 'unsupported';

/** Kazakh GOST SignerInfos sometimes name the key algorithm instead of the signature algorithm. */
const GOST_KEY_TO_SIG: Record<string, string> = {
  [OID.gost2004Key]: OID.gost2004Sig,
  [OID.gost2015Key512]: OID.gost2015Sig512,
  [OID.gost2015Key256]: OID.gost2015Sig256,
};

export async function verifyRawSignature(o: {
  spkiDer: Uint8Array;
  publicKeyOid: string;
  signatureAlgorithmOid: string;
  digestOid: string;
  data: Uint8Array;
  signature: Uint8Array;
}): Promise<MathResult> {
  if (o.publicKeyOid === OID.rsaEncryption) {
    const digestOid = o.signatureAlgorithmOid === OID.rsaEncryption ? o.digestOid : RSA_SIG_DIGEST[o.signatureAlgorithmOid];
    const hash = digestOid ? webCryptoDigestName(digestOid) : undefined;
    if (!hash) return 'unsupported';
    try {
      const key = await subtle().importKey('spki', ab(o.spkiDer), { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      return (await subtle().verify('RSASSA-PKCS1-v1_5', key, ab(o.signature), ab(o.data))) ? 'ok' : 'bad';
    } catch {
      return 'bad';
    }
  }
  if (isGost(o.publicKeyOid) || isGost(o.signatureAlgorithmOid)) {
    const sigOid = GOST_KEY_TO_SIG[o.signatureAlgorithmOid] ?? o.signatureAlgorithmOid;
    try {
      const ok = await gostVerify({ signatureAlgorithmOid: sigOid, subjectPublicKeyInfoDer: o.spkiDer, data: o.data, signature: o.signature });
      return ok ? 'ok' : 'bad';
    } catch {
      return 'unsupported';
    }
  }
  return 'unsupported';
}

/** Verifies `cert`'s signature with `issuer`'s key. */
export async function verifyCertificateSignature(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<MathResult> {
  const issuerKeyOid = issuer.subjectPublicKeyInfo.algorithm.algorithmId;
  if (isGost(issuerKeyOid) || isGost(cert.signatureAlgorithm.algorithmId)) {
    try {
      return (await gostVerifyCertificate(encode(cert.toSchema()), encode(issuer.toSchema()))) ? 'ok' : 'bad';
    } catch {
      return 'unsupported';
    }
  }
  return verifyRawSignature({
    spkiDer: encode(issuer.subjectPublicKeyInfo.toSchema()),
    publicKeyOid: issuerKeyOid,
    signatureAlgorithmOid: cert.signatureAlgorithm.algorithmId,
    digestOid: '',
    data: new Uint8Array(cert.tbsView),
    signature: new Uint8Array(cert.signatureValue.valueBlock.valueHexView),
  });
}
