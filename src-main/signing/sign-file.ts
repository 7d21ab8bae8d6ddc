/**
 * Signing files on disk with a PKCS#12 key: detached CMS (CAdES-BES/-T) for any
 * file, PAdES (B-B/B-T) for PDFs. The password and the key bytes live only in
 * memory for the duration of the call and are wiped/dropped afterwards.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../src-shared/rpc/errors';
import { addCoSignature, addUnsignedTimestamp, createDetachedCms, localRsaSigner, parseSignedData, signatureValueOf, type Signer } from '../../src-shared/signing/cms-build';
import { OID } from '../../src-shared/signing/oids';
import { embedSignature, preparePdfForSigning, signedParts, type PadesOptions } from '../../src-shared/signing/pades';
import { assertUsableForSigning, openPkcs12 } from '../../src-shared/signing/pkcs12';
import { DEFAULT_TSA_URL, requestTimestamp, type HttpPost, type TstFacts } from '../../src-shared/signing/tsp';
import type { CertificateFacts } from '../../src-shared/signing/cert-facts';
import { digestFile, digestParts } from './hash-file';
import { httpPost } from './http';
import { signPdfFileStreaming } from './pades-file';
import { writeAtomically } from '../files/write-atomically';

export { DEFAULT_TSA_URL };

/** A ready-to-use signing identity: certificate, chain and a Signer (local key or NCALayer later). */
export interface SigningIdentity {
  certificate: Uint8Array;
  chain: Uint8Array[];
  facts: CertificateFacts;
  signer: Signer;
}

/**
 * Opens a .p12, checks the certificate may sign now, and imports the key as a
 * non-extractable WebCrypto key. The PKCS#8 bytes are wiped before returning.
 */
export async function identityFromPkcs12(p12: Uint8Array, password: string, now = new Date()): Promise<SigningIdentity> {
  const store = openPkcs12(p12, password);
  try {
    assertUsableForSigning(store.facts, now);
    if (store.key.kind !== 'rsa') throw new AppError('key_gost_container', 'GOST keys sign through NCALayer');
    const signer = await localRsaSigner(store.key.pkcs8);
    return { certificate: store.certificate, chain: store.chain, facts: store.facts, signer };
  } finally {
    store.dispose();
  }
}

export interface TimestampConfig {
  url: string;
  /** Defaults to the NCA RK RSA policy for RSA keys. */
  policy?: string;
  post?: HttpPost;
}

function policyFor(identity: SigningIdentity, ts: TimestampConfig): string | undefined {
  if (ts.policy) return ts.policy;
  return identity.facts.algorithm === 'RSA' && ts.url.includes('pki.gov.kz') ? OID.tsaPolicyRsa : undefined;
}

async function withTimestamp(cms: Uint8Array, signerIndex: number, identity: SigningIdentity, ts: TimestampConfig | undefined): Promise<{ cms: Uint8Array; timestamp?: TstFacts }> {
  if (!ts) return { cms };
  const policy = policyFor(identity, ts);
  const { token, facts } = await requestTimestamp({
    data: signatureValueOf(cms, signerIndex),
    tsaUrl: ts.url,
    post: ts.post ?? httpPost,
    ...(policy ? { policy } : {}),
  });
  return { cms: addUnsignedTimestamp(cms, signerIndex, token), timestamp: facts };
}


export interface CmsSignRequest {
  identity: SigningIdentity;
  inPath: string;
  outPath: string;
  /** Existing detached CMS over the same content: add this signer to it (co-signing). */
  coSignPath?: string;
  timestamp?: TimestampConfig;
  now?: Date;
}

export async function signFileCms(r: CmsSignRequest): Promise<{ signerIndex: number; timestamp?: TstFacts; bytes: number }> {
  const digest = await digestFile(r.inPath, OID.sha256);
  const opts = {
    contentDigest: digest,
    digestAlgorithm: OID.sha256,
    certificate: r.identity.certificate,
    chain: r.identity.chain,
    signer: r.identity.signer,
    signingTime: r.now ?? new Date(),
  };
  let cms: Uint8Array;
  let signerIndex = 0;
  if (r.coSignPath) {
    const existing = new Uint8Array(await readFile(r.coSignPath));
    cms = await addCoSignature(existing, opts);
    signerIndex = parseSignedData(cms).signerInfos.length - 1;
  } else {
    cms = await createDetachedCms(opts);
  }
  const out = await withTimestamp(cms, signerIndex, r.identity, r.timestamp);
  await writeAtomically(r.outPath, out.cms);
  return { signerIndex, bytes: out.cms.length, ...(out.timestamp ? { timestamp: out.timestamp } : {}) };
}

export interface PadesSignRequest {
  identity: SigningIdentity;
  inPath: string;
  outPath: string;
  timestamp?: TimestampConfig;
  appearance?: Omit<PadesOptions, 'signingTime'>;
  now?: Date;
}

function padesOptions(r: Omit<PadesSignRequest, 'inPath' | 'outPath'>): PadesOptions {
  return {
    name: r.identity.facts.subject.commonName ?? '',
    ...r.appearance,
    signingTime: r.now ?? new Date(),
    placeholderBytes: r.appearance?.placeholderBytes ?? 24 * 1024,
  };
}

/** The detached CMS over a PAdES byte-range digest, with the requested timestamp. */
async function padesCms(digest: Uint8Array, r: Omit<PadesSignRequest, 'inPath' | 'outPath'>) {
  const cms = await createDetachedCms({
    contentDigest: digest,
    digestAlgorithm: OID.sha256,
    certificate: r.identity.certificate,
    chain: r.identity.chain,
    signer: r.identity.signer,
  });
  return withTimestamp(cms, 0, r.identity, r.timestamp);
}

/** PAdES as an incremental update; input bytes are an exact prefix of the output. */
export async function signPdf(pdf: Uint8Array, r: Omit<PadesSignRequest, 'inPath' | 'outPath'>): Promise<{ pdf: Uint8Array; fieldName: string; timestamp?: TstFacts }> {
  const prepared = await preparePdfForSigning(pdf, padesOptions(r));
  const out = await padesCms(digestParts(signedParts(prepared.bytes, prepared.byteRange), OID.sha256), r);
  return { pdf: embedSignature(prepared, out.cms), fieldName: prepared.fieldName, ...(out.timestamp ? { timestamp: out.timestamp } : {}) };
}

/** Beyond this the app refuses with pdf_too_large (signPdf holds the file in memory; streaming PAdES keeps the same limit). */
export const MAX_PDF_BYTES = 512 * 1024 * 1024;

/** PAdES of a file on disk in one streaming pass (pades-file.ts); same signature as signPdf. */
export async function signFilePades(r: PadesSignRequest): Promise<{ fieldName: string; timestamp?: TstFacts; bytes: number }> {
  let timestamp: TstFacts | undefined;
  const res = await signPdfFileStreaming(r.inPath, r.outPath, padesOptions(r), MAX_PDF_BYTES, async (digest) => {
    const out = await padesCms(digest, r);
    timestamp = out.timestamp;
    return out.cms;
  });
  return { fieldName: res.fieldName, bytes: res.bytes, ...(timestamp ? { timestamp } : {}) };
}
