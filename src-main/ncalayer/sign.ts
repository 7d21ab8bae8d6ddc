/**
 * Signing through NCALayer: `basics.sign` first, `commonUtils` when the basics
 * module is missing (old NCALayer builds). Every CMS that comes back is checked
 * by the shared verifier before anyone uses it: it must cover our data, verify
 * under the certificate inside it, and belong to the expected IIN/BIN.
 */
import { AppError } from '../../src-shared/rpc/errors';
import { verifyCmsSigners } from '../../src-shared/signing/verify-cms';
import type { ContentDigester } from '../../src-shared/signing/digest';
import type { Signer } from '../../src-shared/signing/cms-build';
import type { CertificateFacts } from '../../src-shared/signing/cert-facts';
import type { NcaLayerClient, CallOptions } from './client';
import { EKU, HARDWARE_STORAGES, STORAGES, cmsFromText, toBase64, type BasicsSignArgs, type NcaLocale, type StorageName } from './protocol';

export type KeyPurposeWanted = 'sign' | 'auth';

export interface NcaSignRequest {
  /** The content, or its digest when `digested`. */
  data: Uint8Array;
  digested?: boolean;
  /** Encapsulate the content in the CMS (attached). Default false (detached). */
  attached?: boolean;
  purpose: KeyPurposeWanted;
  /** Storages offered in the dialog; null/undefined = every storage NCALayer supports. */
  storages?: StorageName[] | null;
  iin?: string;
  bin?: string;
  /** Certificate serial (hex): only that key is selectable. */
  serialNumber?: string;
  /** Ask NCALayer for a timestamp from tsp.pki.gov.kz. */
  timestamp?: boolean;
  locale?: NcaLocale;
  call?: CallOptions;
}

export function basicsArgs(r: NcaSignRequest): BasicsSignArgs {
  return {
    allowedStorages: r.storages && r.storages.length ? r.storages : null,
    format: 'cms',
    data: toBase64(r.data),
    signingParams: { decode: true, encapsulate: r.attached ?? false, digested: r.digested ?? false, tsaProfile: r.timestamp ? {} : null },
    signerParams: {
      extKeyUsageOids: [r.purpose === 'auth' ? EKU.clientAuth : EKU.emailProtection],
      ...(r.iin ? { iin: r.iin } : {}),
      ...(r.bin ? { bin: r.bin } : {}),
      ...(r.serialNumber ? { serialNumber: r.serialNumber } : {}),
    },
    locale: r.locale ?? 'ru',
  };
}

/** Signs through NCALayer and returns DER CMS (not yet verified: see `checkReturnedCms`). */
export async function ncaSignCms(client: NcaLayerClient, r: NcaSignRequest): Promise<Uint8Array> {
  const result = await client.basicsSignOrMissing(basicsArgs(r), r.call);
  if (result !== 'module_missing') {
    const text = Array.isArray(result) ? result[0] : result;
    if (typeof text !== 'string') throw new AppError('ncalayer_error', 'NCALayer returned no signature', { code: 'BAD_RESULT' });
    return cmsFromText(text);
  }
  // Old NCALayer: commonUtils needs the storage named up front.
  const storage = await pickStorage(client, r);
  if (r.locale) await client.changeLocale(r.locale, r.call).catch(() => undefined);
  const keyType = r.purpose === 'auth' ? 'AUTHENTICATION' : 'SIGNATURE';
  const text = r.digested
    ? await client.createCAdESFromBase64Hash(storage, keyType, toBase64(r.data), r.call)
    : await client.createCAdESFromBase64(storage, keyType, toBase64(r.data), r.attached ?? false, r.call);
  return cmsFromText(text);
}

async function pickStorage(client: NcaLayerClient, r: NcaSignRequest): Promise<string> {
  const allowed = r.storages && r.storages.length ? r.storages : null;
  if (allowed?.length === 1) return allowed[0]!;
  const active = await client.getActiveTokens(r.call).catch(() => [] as string[]);
  const usable = active.filter((s) => HARDWARE_STORAGES.includes(s as StorageName) && (!allowed || allowed.includes(s as StorageName)));
  return usable[0] ?? STORAGES.file;
}

export interface ReturnedCmsExpectation {
  purpose: KeyPurposeWanted;
  expectedIin?: string;
  expectedBin?: string;
  now?: Date;
}

/**
 * The CMS must have one signer whose signature verifies over `content`, whose
 * signing-certificate attribute (if any) matches, and whose certificate carries
 * the expected IIN/BIN and key purpose. Returns the signer's certificate facts.
 */
export async function checkReturnedCms(cms: Uint8Array, content: ContentDigester | undefined, e: ReturnedCmsExpectation): Promise<CertificateFacts> {
  let reports;
  try {
    reports = await verifyCmsSigners(cms, content, {
      anchors: [],
      ...(e.now ? { now: e.now } : {}),
      ...(e.expectedIin ? { expectedIin: e.expectedIin } : {}),
      ...(e.expectedBin ? { expectedBin: e.expectedBin } : {}),
    });
  } catch {
    throw new AppError('signature_invalid', 'NCALayer returned an unreadable CMS');
  }
  if (reports.length !== 1) throw new AppError('signature_invalid', 'NCALayer returned a CMS with an unexpected number of signers', { signers: reports.length });
  const rep = reports[0]!;
  if (rep.integrity !== 'ok' || rep.signingCertificateV2 === 'mismatch' || !rep.signer) {
    throw new AppError('signature_invalid', 'The CMS from NCALayer does not cover this document or does not verify', { integrity: rep.integrity });
  }
  if (rep.expected?.iin && !rep.expected.iin.match) throw new AppError('eds_iin_mismatch', 'The key belongs to another IIN', { expected: rep.expected.iin.expected });
  if (rep.expected?.bin && !rep.expected.bin.match) throw new AppError('eds_iin_mismatch', 'The key belongs to another BIN', { expected: rep.expected.bin.expected });
  if (e.purpose === 'sign' && rep.signer.purpose === 'AUTH') throw new AppError('cert_auth_key_for_signing', 'An authentication key cannot sign documents');
  if (e.purpose === 'auth' && rep.signer.purpose === 'SIGN') throw new AppError('cert_sign_key_for_auth', 'A signing key cannot be used to sign in');
  return rep.signer;
}

/**
 * NCALayer as the signing core's external signer: it is handed the digest
 * (`digested` mode) and answers with its own CMS, which the core checks against
 * the expected certificate and digest before embedding (cms-build.ts).
 */
export function ncaLayerSigner(client: NcaLayerClient, base: Omit<NcaSignRequest, 'data' | 'digested' | 'attached'>): Signer {
  return async (tbs) => ({ kind: 'cms', cms: await ncaSignCms(client, { ...base, data: tbs.digest, digested: true, attached: false }) });
}
