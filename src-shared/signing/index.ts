/**
 * Public API of the signing core (environment-neutral: WebCrypto, pkijs, pdf-lib, node-forge).
 * I/O (files, HTTP, trust folders) is injected by src-main / src-portal.
 */
export { openPkcs12, assertUsableForSigning, type OpenedKeyStore, type PrivateKeyMaterial } from './pkcs12';
export { certificateFacts, parseCertificate, validityAt, type CertificateFacts, type NameFacts, type KeyAlgorithm, type KeyPurpose } from './cert-facts';
export {
  createDetachedCms,
  addCoSignature,
  addUnsignedTimestamp,
  signatureValueOf,
  localRsaSigner,
  parseSignedData,
  type Signer,
  type SignerResult,
  type ToBeSigned,
  type DetachedSignatureOptions,
} from './cms-build';
export { preparePdfForSigning, signedParts, embedSignature, type PreparedPdf, type PadesOptions } from './pades';
export { requestTimestamp, DEFAULT_TSA_URL, type HttpPost, type HttpGet, type TstFacts } from './tsp';
export { verifyCms, verifyCmsSigners, type VerifyOptions } from './verify-cms';
export { verifyPdf, findPdfSignatures } from './verify-pdf';
export { pdfFacts, type PdfFacts } from './pdf-facts';
export { digestBytes, digestRanges, bytesDigester, type ContentDigester } from './digest';
export type { TrustAnchor, TrustKind } from './chain';
export type { RevocationTransport } from './revocation';
export { REASONS, verdictOf, type VerificationReport, type SignatureReport, type Verdict, type ReasonCode } from './report';
export { REPORT_TEXTS } from './report-i18n';
export { OID, KZ_ROLE_OIDS, type KzRole } from './oids';
