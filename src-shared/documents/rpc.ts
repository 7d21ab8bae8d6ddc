/**
 * RPC methods for documents (issue 9): inspection and package checks, stamping, signing. The
 * renderer names files by SHA-256 of the signed-in account's store (what `files.stage` returned)
 * and never a path; every method that makes a new file (stamp, sign) stages it and returns its ref.
 */
import { z } from 'zod';
import { safeText } from '../domain/text';
import { method } from '../rpc/define';
import { FileHandleSchema } from '../rpc/file-methods';
import { AttachmentRefSchema } from '../files/attachments';
import { EdsKeyInputSchema } from '../ncalayer/rpc';
import { CertificateSummarySchema, DocumentInspectionSchema, Sha256Schema } from './model';
import { PackageReportSchema } from './package-model';

const Iin = z.string().regex(/^\d{12}$/);
const FileItem = z.object({ sha256: Sha256Schema, name: safeText({ max: 255, min: 1 }) }).strict();

export const QR_TARGETS = ['portal', 'egov', 'none'] as const;

/** Progress of a long operation (batch signing, stamping), for the dialog that started it. */
export const DocumentsProgressSchema = z.object({
  operationId: z.string().uuid(),
  done: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  /** The file being worked on now (null when finished). */
  current: z.string().nullable(),
});
export type DocumentsProgress = z.infer<typeof DocumentsProgressSchema>;

export const documentMethods = {
  /** Verification, lock state, badges and PDF profile of a file in the account store (cached per hash). */
  'documents.inspect': method(
    z.object({ sha256: Sha256Schema, expectIin: Iin.optional(), expectBin: Iin.optional() }).strict(),
    DocumentInspectionSchema,
  ),
  /** Package checks of an AKI application (its template's file flags against its attached files). */
  'documents.checkPackage': method(z.object({ applicationId: z.string().uuid() }).strict(), PackageReportSchema),

  /**
   * Anti-forgery stamping of the supplier's own unsigned PDF: serial in Info/XMP and file name,
   * QR on the title page, Code 128 of the serial, logo watermark on every page. Refused on signed PDFs.
   */
  'documents.stamp': method(
    z
      .object({
        file: FileItem,
        /** The organization the document belongs to (QR eGov target, Info). */
        bin: Iin,
        qr: z.enum(QR_TARGETS).default('portal'),
        /** Company logo (PNG/JPEG) for the watermark; a handle from the picker or a file of the store. */
        logo: z.union([z.object({ handle: FileHandleSchema }).strict(), z.object({ sha256: Sha256Schema }).strict()]).optional(),
        watermarkOpacity: z.number().min(0.03).max(0.5).default(0.12),
        /** Stamp a PDF that carries a serial already: the old serial is replaced everywhere (else `document_already_stamped`). */
        restamp: z.boolean().optional(),
      })
      .strict(),
    z.object({
      ref: AttachmentRefSchema,
      serial: z.string(),
      /**
       * Codes of things the user should know (src-main/documents/stamp/texts.ts has kk/ru/en texts):
       * 'transparency_pdfa2b' (a logo watermark: PDF/A-2b at best), 'pdfa1_claim_broken',
       * 'stamp_may_cover_content', 'identifier_replaced', 'xmp_unreadable', 'restamped'.
       */
      notes: z.array(z.string()).optional(),
    }),
  ),

  /**
   * Opens a signing key for a short signing session, so the user sees the certificate before
   * anything is signed. A key file is decrypted in memory only (never written anywhere) and
   * forgotten at `documents.closeKey` or after 5 minutes; NCALayer shows its own key dialog.
   */
  'documents.openKey': method(
    z.object({ key: EdsKeyInputSchema }).strict(),
    z.object({ keySession: z.string().regex(/^ks_[A-Za-z0-9_-]{16,64}$/), certificate: CertificateSummarySchema }),
  ),
  /**
   * Signs one file or a batch: PAdES for PDFs (a co-signature when the PDF is already signed),
   * detached CMS for other files. Emits `documents.progress` with `operationId`. Each result is
   * independent: one failure does not undo the others.
   */
  'documents.sign': method(
    z
      .object({
        operationId: z.string().uuid(),
        keySession: z.string().regex(/^ks_[A-Za-z0-9_-]{16,64}$/),
        files: z.array(FileItem).min(1).max(50),
        timestamp: z.boolean().default(true),
      })
      .strict(),
    z.object({
      results: z.array(
        z.object({
          sha256: Sha256Schema,
          /** The signed file (PDF) or the detached signature (.p7s), staged like any attachment. */
          ref: AttachmentRefSchema.optional(),
          error: z.object({ code: z.string(), message: z.string() }).optional(),
          /** Signed, but with a caveat the user should read (e.g. 'timestamp_unavailable'). */
          warnings: z.array(z.string()).optional(),
        }),
      ),
    }),
  ),
  'documents.closeKey': method(z.object({ keySession: z.string().regex(/^ks_[A-Za-z0-9_-]{16,64}$/) }).strict(), z.object({ closed: z.boolean() })),
};

export const documentEvents = {
  'documents.progress': DocumentsProgressSchema,
};
