/** What the app back end (and the CLI) uses for signing and verification of files. */
export { identityFromPkcs12, signFileCms, signFilePades, signPdf, MAX_PDF_BYTES, DEFAULT_TSA_URL, type SigningIdentity, type TimestampConfig } from './sign-file';
export { verifyFile, isPdf, type VerifyFileRequest } from './verify-file';
export { loadTrustAnchors, anchorsFromFolder, testRootDirs, type TrustConfig } from './trust-store';
export { digestFile, fileDigester, digestParts } from './hash-file';
export { httpPost, httpGet, onlineRevocation } from './http';
