/** Object identifiers used by the signing code (RFC 5652/5035/3161/5280 and the Kazakh NCA RK arcs). */

export const OID = {
  // CMS
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  attrContentType: '1.2.840.113549.1.9.3',
  attrMessageDigest: '1.2.840.113549.1.9.4',
  attrSigningTime: '1.2.840.113549.1.9.5',
  attrSigningCertificate: '1.2.840.113549.1.9.16.2.12',
  attrSigningCertificateV2: '1.2.840.113549.1.9.16.2.47',
  attrTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  // digests
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  gost34311: '1.2.398.3.10.1.3.1',
  streebog256: '1.2.398.3.10.1.3.2',
  streebog512: '1.2.398.3.10.1.3.3',
  // public keys / signatures
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ecdsaSha512: '1.2.840.10045.4.3.4',
  gost2004Key: '1.2.398.3.10.1.1.1.1',
  gost2004Sig: '1.2.398.3.10.1.1.1.2',
  gost2015Key256: '1.2.398.3.10.1.1.2.1',
  gost2015Key512: '1.2.398.3.10.1.1.2.2',
  gost2015Sig256: '1.2.398.3.10.1.1.2.3.1',
  gost2015Sig512: '1.2.398.3.10.1.1.2.3.2',
  // extensions
  extKeyUsage: '2.5.29.37',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  adOcsp: '1.3.6.1.5.5.7.48.1',
  adCaIssuers: '1.3.6.1.5.5.7.48.2',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  // EKU
  ekuClientAuth: '1.3.6.1.5.5.7.3.2',
  ekuEmailProtection: '1.3.6.1.5.5.7.3.4',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  ekuOcspSigning: '1.3.6.1.5.5.7.3.9',
  ekuDocumentSigning: '1.3.6.1.5.5.7.3.36',
  // DN attributes
  cn: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  state: '2.5.4.8',
  org: '2.5.4.10',
  orgUnit: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  email: '1.2.840.113549.1.9.1',
  // NCA RK TSA policies
  tsaPolicyGost: '1.2.398.3.3.2.6.1',
  tsaPolicyRsa: '1.2.398.3.3.2.6.2',
  tsaPolicyGost2015: '1.2.398.3.3.2.6.4',
} as const;

/** Kazakh "key user" roles carried in the EKU extension (arc 1.2.398.3.3.4). */
export const KZ_ROLE_OIDS: Record<string, KzRole> = {
  '1.2.398.3.3.4.1.1': 'individual',
  '1.2.398.3.3.4.1.2': 'legal_entity',
  '1.2.398.3.3.4.1.2.1': 'first_head',
  '1.2.398.3.3.4.1.2.2': 'signing_right',
  '1.2.398.3.3.4.1.2.3': 'financial_signing_right',
  '1.2.398.3.3.4.1.2.4': 'hr',
  '1.2.398.3.3.4.1.2.5': 'employee',
  '1.2.398.3.3.4.2.1': 'nca_admin',
  '1.2.398.3.3.4.2.2': 'nca_manager',
  '1.2.398.3.3.4.2.3': 'nca_operator',
  '1.2.398.3.3.4.3.1': 'identified_in_person',
  '1.2.398.3.3.4.3.2': 'identified_remotely',
  '1.2.398.3.3.4.3.2.1': 'identified_digital_id',
};
export type KzRole =
  | 'individual'
  | 'legal_entity'
  | 'first_head'
  | 'signing_right'
  | 'financial_signing_right'
  | 'hr'
  | 'employee'
  | 'nca_admin'
  | 'nca_manager'
  | 'nca_operator'
  | 'identified_in_person'
  | 'identified_remotely'
  | 'identified_digital_id';

export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
const DIGEST_NAMES: Record<string, DigestName> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
/** WebCrypto name for a SHA digest OID, undefined for GOST or unknown digests. */
export const webCryptoDigestName = (oid: string): DigestName | undefined => DIGEST_NAMES[oid];
export const digestOidByName = (name: DigestName): string =>
  Object.entries(DIGEST_NAMES).find(([, n]) => n === name)![0];

export const DIGEST_LABELS: Record<string, string> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
  [OID.gost34311]: 'GOST 34.311-95',
  [OID.streebog256]: 'GOST 34.11-2015 (256)',
  [OID.streebog512]: 'GOST 34.11-2015 (512)',
};

/** SHA signature algorithm OIDs → the digest they use. */
export const RSA_SIG_DIGEST: Record<string, string> = {
  [OID.sha1WithRsa]: OID.sha1,
  [OID.sha256WithRsa]: OID.sha256,
  [OID.sha384WithRsa]: OID.sha384,
  [OID.sha512WithRsa]: OID.sha512,
};
export const ECDSA_SIG_DIGEST: Record<string, string> = {
  [OID.ecdsaSha256]: OID.sha256,
  [OID.ecdsaSha384]: OID.sha384,
  [OID.ecdsaSha512]: OID.sha512,
};
