/**
 * The only place that touches the GOST module (owned by another area), so the
 * rest of the signing code does not depend on its exact shapes.
 */
import * as gost from './gost/index';

export const isGost = (oid: string): boolean => gost.isGostAlgorithm(oid);

export async function gostDigestOf(digestOid: string, data: Uint8Array): Promise<Uint8Array> {
  const d = gost.gostDigest(digestOid, data);
  if (!d) throw new Error(`unsupported GOST digest ${digestOid}`);
  return d;
}

/** Incremental GOST hash (for streaming big files in src-main), or null for a non-GOST OID. */
export function createGostHasher(digestOid: string): { update(data: Uint8Array): unknown; digest(): Uint8Array } | null {
  return gost.createGostHash(digestOid);
}

export async function gostVerify(args: {
  signatureAlgorithmOid: string;
  subjectPublicKeyInfoDer: Uint8Array;
  data: Uint8Array;
  signature: Uint8Array;
}): Promise<boolean> {
  return gost.verifyGostSignature(args);
}

export async function gostVerifyCertificate(certDer: Uint8Array, issuerDer: Uint8Array): Promise<boolean> {
  return gost.verifyGostCertificate(certDer, issuerDer);
}
