/**
 * What the app and the portal know about one document (a file by its SHA-256): the facts the
 * package checks, the badges and the verification panel are computed from. Data only — codes and
 * values — so every screen, the CLI and the portal render it in kk / ru / en.
 */
import { z } from 'zod';
import type { VerificationReport } from '../signing/report';
import { LOCK_STATES } from './lock';

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

/** Badges shown on a document wherever it appears (list rows, form fields, review, viewer). */
export const BADGES = [
  'unsigned',
  'signed',
  'co_signed',
  'timestamped',
  'modified_after_signing',
  'signature_invalid',
  'cert_expired',
  'cert_revoked',
  'untrusted',
  'test_root',
  'stamped',
] as const;
export type Badge = (typeof BADGES)[number];

/** A certificate as people read it before signing and in the verification panel. */
export const CertificateSummarySchema = z.object({
  /** Full name of the person (CN, or SURNAME + given names). */
  owner: z.string(),
  iin: z.string().optional(),
  bin: z.string().optional(),
  organization: z.string().optional(),
  /** Kazakh role OIDs decoded: 'head', 'employee', 'accountant', 'individual'… (KzRole). */
  roles: z.array(z.string()),
  purpose: z.enum(['SIGN', 'AUTH', 'UNKNOWN']),
  algorithm: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  serialNumberHex: z.string(),
  /** Issued under the NCA RK TEST roots (never for production decisions). */
  test: z.boolean(),
});
export type CertificateSummary = z.infer<typeof CertificateSummarySchema>;

export const SignerSummarySchema = z.object({
  index: z.number().int(),
  certificate: CertificateSummarySchema.nullable(),
  verdict: z.enum(['valid', 'invalid', 'indeterminate']),
  /** Report reason codes (translated by REPORT_TEXTS). */
  reasons: z.array(z.string()),
  digestAlgorithm: z.string(),
  /** What the signer claims (signingTime / PDF /M), not proof. */
  claimedTime: z.string().optional(),
  /** Proven time from a verified timestamp. */
  timestampTime: z.string().optional(),
  timestamped: z.boolean(),
});
export type SignerSummary = z.infer<typeof SignerSummarySchema>;

export const PdfProfileSchema = z.object({
  pages: z.number().int(),
  encrypted: z.boolean(),
  /** PDF/A identification found in XMP; never "is PDF/A" (no full validator runs here). */
  pdfa: z
    .object({ part: z.string(), conformance: z.string().optional(), outputIntent: z.boolean(), fontsEmbedded: z.boolean() })
    .nullable(),
  /** Fillable fields other than signature fields. */
  fillableFields: z.number().int(),
  /** Characters in the text layer (0 = a scan without OCR) and the language they look like. */
  textChars: z.number().int(),
  textLanguage: z.enum(['kk', 'ru', 'other', 'unknown']),
  /** Every language holding a real share of the text (both for a bilingual kk/ru paper); added by the inspection helper. */
  textLanguagesPresent: z.array(z.enum(['kk', 'ru'])).optional(),
  /** Pages whose text was read (the first few only, to stay fast on long scans). */
  textPagesRead: z.number().int().optional(),
});
export type PdfProfile = z.infer<typeof PdfProfileSchema>;

export const DocumentInspectionSchema = z.object({
  sha256: Sha256Schema,
  contentType: z.string(),
  size: z.number().int(),
  /** Null for files that are not PDFs, or that could not be read (then `problems` says why). */
  pdf: PdfProfileSchema.nullable(),
  /** Anti-forgery serial from the Info dictionary / XMP dc:identifier, when stamped. */
  serial: z.string().nullable(),
  lock: z.object({ state: z.enum(LOCK_STATES), reasons: z.array(z.string()) }),
  badges: z.array(z.enum(BADGES)),
  signers: z.array(SignerSummarySchema),
  /** The full verification report for the panel (null when unsigned or not verifiable). */
  report: z.custom<VerificationReport>().nullable(),
  /** Document-level problems: 'pdf_unreadable', 'pdf_encrypted', 'file_missing'… */
  problems: z.array(z.string()),
  inspectedAt: z.string(),
});
export type DocumentInspection = z.infer<typeof DocumentInspectionSchema>;
