/** Verification of files on disk: a signed PDF, or a CMS (.p7s/.cms, DER/PEM/base64) with its content file. */
import { readFile } from 'node:fs/promises';
import { latin1, pemOrDerBlocks } from '../../src-shared/signing/bytes';
import type { TrustAnchor } from '../../src-shared/signing/chain';
import type { VerificationReport } from '../../src-shared/signing/report';
import { verifyCms } from '../../src-shared/signing/verify-cms';
import { verifyPdf } from '../../src-shared/signing/verify-pdf';
import { fileDigester } from './hash-file';
import { onlineRevocation } from './http';
import type { RevocationTransport } from '../../src-shared/signing/revocation';

export interface VerifyFileRequest {
  inPath: string;
  contentPath?: string;
  anchors: TrustAnchor[];
  intermediates?: Uint8Array[];
  /** true → OCSP/CRL over the network (default transport), or a custom transport (tests). */
  online?: boolean | RevocationTransport;
  expectedIin?: string;
  expectedBin?: string;
  now?: Date;
}

export function isPdf(bytes: Uint8Array): boolean {
  return latin1(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-');
}

export async function verifyFile(r: VerifyFileRequest): Promise<VerificationReport> {
  const bytes = new Uint8Array(await readFile(r.inPath));
  const revocation = r.online === true ? onlineRevocation : r.online ? r.online : undefined;
  const opts = {
    anchors: r.anchors,
    ...(r.intermediates ? { intermediates: r.intermediates } : {}),
    ...(revocation ? { revocation } : {}),
    ...(r.expectedIin ? { expectedIin: r.expectedIin } : {}),
    ...(r.expectedBin ? { expectedBin: r.expectedBin } : {}),
    ...(r.now ? { now: r.now } : {}),
  };
  if (isPdf(bytes)) return verifyPdf(bytes, opts);
  const cms = pemOrDerBlocks(bytes)[0] ?? bytes;
  return verifyCms(cms, r.contentPath ? fileDigester(r.contentPath) : undefined, opts);
}
