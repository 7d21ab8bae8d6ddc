/**
 * PAdES through NCALayer. NCALayer builds its own CMS and always puts signingTime
 * into the signed attributes, which ETSI.CAdES.detached forbids, so these
 * signatures are written as `adbe.pkcs7.detached` (what NCALayer-signed PDFs use
 * in practice). The hash follows the key the user picks: the signed byte ranges
 * are sent themselves (NCALayer hashes them with the key's algorithm, GOST or
 * SHA-256) when they fit under a size cap; above it only a SHA-256 digest is sent,
 * which suits RSA keys. The CMS that comes back is verified — digest over the
 * ranges, signature, signer certificate, expected IIN/BIN — before it is embedded.
 */
import { AppError } from '../../src-shared/rpc/errors';
import { embedSignature, preparePdfForSigning, signedParts, type PadesOptions } from '../../src-shared/signing/pades';
import { digestParts } from '../signing/hash-file';
import type { CertificateFacts } from '../../src-shared/signing/cert-facts';
import { OID } from '../../src-shared/signing/oids';
import type { CallOptions, NcaLayerClient } from './client';
import { checkReturnedCms, ncaSignCms } from './sign';
import type { NcaLocale, StorageName } from './protocol';
import { concat as concatBytes } from '../../src-shared/signing/bytes';

export const NCALAYER_PLACEHOLDER_BYTES = 32 * 1024;
/** Byte ranges up to this size go to NCALayer as data (base64 over the local socket); larger PDFs send a SHA-256 digest. */
export const NCALAYER_MAX_DATA_BYTES = 8 * 1024 * 1024;

const CADES = '/SubFilter /ETSI.CAdES.detached';
const PKCS7 = '/SubFilter /adbe.pkcs7.detached';

/** Switches the sub-filter in the freshly written signature dictionary (same length, so no offset moves). */
export function useAdbePkcs7Detached(bytes: Uint8Array, updateStart: number): void {
  const from = new TextEncoder().encode(CADES);
  const to = new TextEncoder().encode(PKCS7);
  if (from.length !== to.length) throw new Error('sub-filter names must have the same length');
  let found = -1;
  outer: for (let i = updateStart; i <= bytes.length - from.length; i++) {
    for (let j = 0; j < from.length; j++) if (bytes[i + j] !== from[j]) continue outer;
    found = i;
    break;
  }
  if (found < 0) throw new AppError('pdf_invalid', 'No signature dictionary in the update');
  bytes.set(to, found);
}

export interface NcaPadesRequest {
  client: NcaLayerClient;
  storages?: StorageName[] | null;
  expectedIin?: string;
  expectedBin?: string;
  timestamp?: boolean;
  locale?: NcaLocale;
  appearance?: Omit<PadesOptions, 'signingTime' | 'placeholderBytes'>;
  now?: Date;
  maxDataBytes?: number;
  call?: CallOptions;
}

export async function signPdfWithNcaLayer(pdf: Uint8Array, r: NcaPadesRequest): Promise<{ pdf: Uint8Array; signer: CertificateFacts; fieldName: string }> {
  const now = r.now ?? new Date();
  const prepared = await preparePdfForSigning(pdf, { ...r.appearance, signingTime: now, placeholderBytes: NCALAYER_PLACEHOLDER_BYTES });
  useAdbePkcs7Detached(prepared.bytes, pdf.length);
  const parts = signedParts(prepared.bytes, prepared.byteRange);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const sendData = total <= (r.maxDataBytes ?? NCALAYER_MAX_DATA_BYTES);
  const data = sendData ? concatBytes(parts) : digestParts(parts, OID.sha256);
  const cms = await ncaSignCms(r.client, {
    data,
    digested: !sendData,
    attached: false,
    purpose: 'sign',
    ...(r.storages !== undefined ? { storages: r.storages } : {}),
    ...(r.expectedIin ? { iin: r.expectedIin } : {}),
    ...(r.expectedBin ? { bin: r.expectedBin } : {}),
    ...(r.timestamp ? { timestamp: true } : {}),
    ...(r.locale ? { locale: r.locale } : {}),
    ...(r.call ? { call: r.call } : {}),
  });
  const signer = await checkReturnedCms(cms, async (oid) => digestParts(parts, oid), {
    purpose: 'sign',
    now,
    ...(r.expectedIin ? { expectedIin: r.expectedIin } : {}),
    ...(r.expectedBin ? { expectedBin: r.expectedBin } : {}),
  });
  return { pdf: embedSignature(prepared, cms), signer, fieldName: prepared.fieldName };
}

