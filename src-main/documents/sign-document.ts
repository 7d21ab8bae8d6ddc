/**
 * Signing one document of the account's store with an open key session:
 * - PDF → PAdES as an incremental update (a co-signature when it is already signed, the earlier
 *   signatures untouched and before it), refused when its current state is "modified after
 *   signing" or an existing signature is broken;
 * - any other file → a detached CMS (`<name>.p7s`).
 * A local key signs here (ETSI.CAdES.detached); an NCALayer key signs in NCALayer
 * (adbe.pkcs7.detached, because NCALayer's CMS carries signingTime) and only the key whose
 * certificate the user saw at openKey is accepted. The timestamp is ours in both cases (SERIKTES_TSA_URL,
 * RFC 3161 on the signature value): when the TSA cannot be reached the file is signed without one and
 * the result says 'timestamp_unavailable', and the rest of the batch does not wait for it again.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { AppError } from '../../src-shared/rpc/errors';
import { addUnsignedTimestamp, createDetachedCms, signatureValueOf } from '../../src-shared/signing/cms-build';
import { OID } from '../../src-shared/signing/oids';
import { embedSignature, preparePdfForSigning, signedParts } from '../../src-shared/signing/pades';
import { requestTimestamp, type HttpPost } from '../../src-shared/signing/tsp';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import { preflightPdf } from '../../src-shared/signing/pdf-meta';
import { documentLock } from '../../src-shared/documents/lock';
import type { ContentDigester } from '../../src-shared/signing/digest';
import { digestFile, digestParts, fileDigester } from '../signing/hash-file';
import { MAX_PDF_BYTES } from '../signing/sign-file';
import { isPdf } from '../signing/verify-file';
import { NCALAYER_MAX_DATA_BYTES, NCALAYER_PLACEHOLDER_BYTES, useAdbePkcs7Detached } from '../ncalayer/pades';
import { checkReturnedCms, ncaLayerSigner, ncaSignCms } from '../ncalayer/sign';
import { digestOidForKey } from '../ncalayer/sign-file';
import type { SessionKey } from './sign-keys';
import { concat as concatBytes } from '../../src-shared/signing/bytes';

/**
 * Room for a local key's CMS in the PDF (chain, signature, an RFC 3161 token with its TSA chain), as
 * the signing core reserves; NCALayer's CMS gets its 32 KB. Not more: the zero padding is scanned by every verifier.
 */
const LOCAL_PLACEHOLDER_BYTES = 24 * 1024;

export const TIMESTAMP_UNAVAILABLE = 'timestamp_unavailable';

/** The TSA for one batch; `failed` is set after the first failure so later files do not wait again. */
export interface TsaState {
  url: string | null;
  post: HttpPost;
  failed: boolean;
}

export interface SignedDocument {
  bytes: Uint8Array;
  /** Name for the staged output: the PDF keeps its name; a detached signature is `<name>.p7s`. */
  name: string;
  kind: 'pades' | 'cms';
  warnings: string[];
}

async function head(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function signDocument(key: SessionKey, path: string, name: string, tsa: TsaState, now: Date): Promise<SignedDocument> {
  if (isPdf(await head(path))) {
    const size = (await stat(path)).size;
    if (size > MAX_PDF_BYTES) throw new AppError('pdf_too_large', 'The PDF is too large to sign', { size, max: MAX_PDF_BYTES });
    const pdf = new Uint8Array(await readFile(path));
    // The bounded reader first: a bomb is refused with its code before the verifier or pdf-lib read it.
    preflightPdf(pdf);
    await assertMaySign(pdf, now);
    const out = await signPdfBytes(key, pdf, tsa, now);
    return { bytes: out.pdf, name, kind: 'pades', warnings: out.warnings };
  }
  const out = await signDetached(key, path, tsa, now);
  return { bytes: out.cms, name: `${name}.p7s`.slice(-255), kind: 'cms', warnings: out.warnings };
}

/** A signature on top of a document changed after signing would vouch for the change: refused. */
async function assertMaySign(pdf: Uint8Array, now: Date): Promise<void> {
  const lock = documentLock(await verifyPdf(pdf, { anchors: [], now }));
  if (lock.state === 'modified_after_signing') {
    throw new AppError('document_modified_after_signing', 'The PDF was changed after it was signed; sign the original or a fresh copy', { reasons: lock.reasons });
  }
  if (lock.state === 'signature_invalid') throw new AppError('signature_invalid', 'A signature already in the PDF does not verify', { reasons: lock.reasons });
}

async function signPdfBytes(key: SessionKey, pdf: Uint8Array, tsa: TsaState, now: Date): Promise<{ pdf: Uint8Array; warnings: string[] }> {
  const prepared = await preparePdfForSigning(pdf, {
    name: key.facts.subject.commonName ?? '',
    signingTime: now,
    placeholderBytes: key.kind === 'ncalayer' ? NCALAYER_PLACEHOLDER_BYTES : LOCAL_PLACEHOLDER_BYTES,
  });
  if (key.kind === 'ncalayer') useAdbePkcs7Detached(prepared.bytes, pdf.length);
  const parts = signedParts(prepared.bytes, prepared.byteRange);
  let cms: Uint8Array;
  if (key.kind === 'local') {
    cms = await createDetachedCms({
      contentDigest: digestParts(parts, OID.sha256),
      digestAlgorithm: OID.sha256,
      certificate: key.identity.certificate,
      chain: key.identity.chain,
      signer: key.identity.signer,
    });
  } else {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const sendData = total <= NCALAYER_MAX_DATA_BYTES;
    // Small documents go as data (NCALayer hashes with the key's own algorithm); big ones as the key's digest.
    const data = sendData ? concatBytes(parts) : digestParts(parts, digestOidForKey(key.facts.publicKeyAlgorithmOid));
    cms = await ncaCms(key, data, !sendData, async (oid) => digestParts(parts, oid), now);
  }
  const t = await timestamped(key, cms, tsa);
  return { pdf: embedSignature(prepared, t.cms), warnings: t.warnings };
}

async function signDetached(key: SessionKey, path: string, tsa: TsaState, now: Date): Promise<{ cms: Uint8Array; warnings: string[] }> {
  let cms: Uint8Array;
  if (key.kind === 'local') {
    cms = await createDetachedCms({
      contentDigest: await digestFile(path, OID.sha256),
      digestAlgorithm: OID.sha256,
      certificate: key.identity.certificate,
      chain: key.identity.chain,
      signer: key.identity.signer,
      signingTime: now,
    });
  } else if ((await stat(path)).size <= NCALAYER_MAX_DATA_BYTES) {
    cms = await ncaCms(key, new Uint8Array(await readFile(path)), false, fileDigester(path), now);
  } else {
    // Too big for the local socket: hash here with the key's algorithm, NCALayer signs the digest.
    const digestAlgorithm = digestOidForKey(key.facts.publicKeyAlgorithmOid);
    cms = await createDetachedCms({
      contentDigest: await digestFile(path, digestAlgorithm),
      digestAlgorithm,
      certificate: key.certificate,
      signer: ncaLayerSigner(key.client(), { purpose: 'sign', storages: [key.storage], serialNumber: key.facts.serialNumberHex, locale: key.locale }),
    });
    await checkSameKey(key, cms, fileDigester(path), now);
  }
  return timestamped(key, cms, tsa);
}

type NcaKey = Extract<SessionKey, { kind: 'ncalayer' }>;

/** NCALayer signs with the key the user opened (the serial filter leaves only it selectable); the CMS is checked before use. */
async function ncaCms(key: NcaKey, data: Uint8Array, digested: boolean, content: ContentDigester, now: Date): Promise<Uint8Array> {
  const cms = await ncaSignCms(key.client(), {
    data,
    digested,
    attached: false,
    purpose: 'sign',
    storages: [key.storage],
    serialNumber: key.facts.serialNumberHex,
    locale: key.locale,
  });
  await checkSameKey(key, cms, content, now);
  return cms;
}

async function checkSameKey(key: NcaKey, cms: Uint8Array, content: ContentDigester, now: Date): Promise<void> {
  const signer = await checkReturnedCms(cms, content, { purpose: 'sign', now });
  if (signer.serialNumberHex.toLowerCase() !== key.facts.serialNumberHex.toLowerCase()) {
    throw new AppError('key_session_mismatch', 'NCALayer signed with another key than the one opened', { opened: key.facts.serialNumberHex, signed: signer.serialNumberHex });
  }
}

async function timestamped(key: SessionKey, cms: Uint8Array, tsa: TsaState): Promise<{ cms: Uint8Array; warnings: string[] }> {
  if (!tsa.url) return { cms, warnings: [] };
  if (tsa.failed) return { cms, warnings: [TIMESTAMP_UNAVAILABLE] };
  // NCA RK's TSA wants its RSA policy for RSA signatures; other TSAs get their default policy.
  const policy = key.facts.algorithm === 'RSA' && tsa.url.includes('pki.gov.kz') ? OID.tsaPolicyRsa : undefined;
  try {
    const { token } = await requestTimestamp({ data: signatureValueOf(cms, 0), tsaUrl: tsa.url, post: tsa.post, ...(policy ? { policy } : {}) });
    return { cms: addUnsignedTimestamp(cms, 0, token), warnings: [] };
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'tsa_failed') throw e;
    tsa.failed = true;
    return { cms, warnings: [TIMESTAMP_UNAVAILABLE] };
  }
}

