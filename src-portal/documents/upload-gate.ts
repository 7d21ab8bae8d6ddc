/**
 * The lock on upload (issue 9, seed 002 §4: the platform blocks documents changed after signing).
 * POST /api/uploads/:id/finalize calls `check` once the bytes match their hash and sniff as a PDF:
 * a PDF that is "modified after signing" or carries an invalid signature is refused, and the
 * refusal is final for that upload (status `refused`; GET, PUT and finalize answer the same error
 * again). An accepted PDF is registered in the same transaction that makes it a file.
 *
 * The check runs in a worker thread with a time and memory limit (inspect.ts): a PDF whose check
 * runs out of either is refused for good too (`pdf_check_timeout`, `pdf_check_out_of_memory`), and
 * so is one the bounded reader refuses as beyond its caps (`pdf_inflate_limit`, `pdf_too_many_objects`, …).
 *
 * Untrusted or TEST chains, expired or unknown-revocation certificates are not reasons to refuse:
 * they are badges for whoever reads the document (the lock rule only looks at the bytes).
 */
import fsp from 'node:fs/promises';
import { AppError } from '../../src-shared/rpc/errors';
import { PDF_LIMIT_ERRORS } from '../../src-shared/signing/pdf-meta';
import type { TrustAnchor } from '../../src-shared/signing/chain';
import type { MembershipView } from '../../src-shared/accounts/permissions';
import type { PortalContext } from '../context';
import type { Queryable } from '../db/schema';
import { inspectPdf, pdfChecker, type PdfFindings } from './inspect';
import { organizationOfUpload, recordRefusal, refusalOf, registerDocument, REFUSAL_MESSAGES } from './registry';

export interface PendingDocument {
  sha256: string;
  findings: PdfFindings;
  organizationId: string | null;
}

export interface DocumentGate {
  /**
   * Checks the completed part file of an upload. Non-PDFs pass (null). A refused PDF throws the
   * refusal after recording it; the caller discards the part.
   */
  check(upload: { id: string; sha256: string; size: number }, partPath: string, contentType: string, user: { id: string; memberships: readonly MembershipView[] }): Promise<PendingDocument | null>;
  /** Inside the finalize transaction. */
  register(trx: Queryable, pending: PendingDocument, userId: string, now: string): Promise<void>;
  /** The stored answer for an upload whose status is `refused`. */
  refusal(uploadId: string): Promise<AppError>;
  /** Ends the check's idle worker threads (the portal is closing). */
  close(): void;
}

/** The check ran out of time or memory, or the bounded reader refused the file as beyond its caps. */
const CHECK_FAILURES = new Set(['pdf_check_timeout', 'pdf_check_out_of_memory', 'pdf_check_failed', ...PDF_LIMIT_ERRORS]);

/** `hold`: tests only, blocks each check's worker until released (see check-pool.ts). */
export function documentGate(ctx: PortalContext, anchors: TrustAnchor[], maxVerifiedPdfBytes: number, o: { hold?: Int32Array } = {}): DocumentGate {
  const checker = pdfChecker(ctx.limits.pdfCheck);
  const refuse = async (uploadId: string, sha256: string, err: AppError): Promise<never> => {
    await recordRefusal(ctx.db, uploadId, sha256, err, ctx.nowIso());
    throw err;
  };
  return {
    async check(upload, partPath, contentType, user) {
      if (contentType !== 'application/pdf') return null;
      if (upload.size > maxVerifiedPdfBytes) {
        return refuse(upload.id, upload.sha256, new AppError('pdf_too_large', REFUSAL_MESSAGES.pdf_too_large!, { limit: maxVerifiedPdfBytes, size: upload.size }));
      }
      const fh = await fsp.open(partPath, 'r');
      const bytes = new Uint8Array(upload.size);
      try {
        await fh.read(bytes, 0, upload.size, 0);
      } finally {
        await fh.close();
      }
      let findings: PdfFindings;
      try {
        findings = await inspectPdf(bytes, anchors, ctx.clock.now(), { checker, ...(o.hold ? { hold: o.hold } : {}) });
      } catch (e) {
        if (!(e instanceof AppError) || !CHECK_FAILURES.has(e.code)) throw e;
        return refuse(upload.id, upload.sha256, new AppError(e.code, REFUSAL_MESSAGES[e.code] ?? e.message, { ...e.details, size: upload.size }));
      }
      const { state, reasons } = findings.lock;
      if (state === 'modified_after_signing' || state === 'signature_invalid') {
        const code = state === 'modified_after_signing' ? 'document_modified_after_signing' : 'document_signature_invalid';
        return refuse(upload.id, upload.sha256, new AppError(code, REFUSAL_MESSAGES[code]!, { reasons, lockState: state }));
      }
      return { sha256: upload.sha256, findings, organizationId: await organizationOfUpload(ctx.db, user.memberships, findings.signers) };
    },
    register: (trx, p, userId, now) => registerDocument(trx, { sha256: p.sha256, findings: p.findings, userId, organizationId: p.organizationId, now }),
    refusal: (uploadId) => refusalOf(ctx.db, uploadId),
    close: () => checker.close(),
  };
}
