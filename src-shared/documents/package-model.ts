/**
 * The package-check report (seed 002 §4, SPEC §2.5): one item per problem, each with a code the
 * UI translates ("what is wrong and what to do") and the numbers the message needs.
 */
import { z } from 'zod';
import { DocumentInspectionSchema } from './model';

export const PACKAGE_SEVERITIES = ['error', 'warning', 'info'] as const;

export const PackageItemSchema = z.object({
  /** The requirement key the item is about, or '*' for the package as a whole. */
  field: z.string(),
  /** Stable code (e.g. 'missing', 'not_pdf', 'encrypted', 'not_flat_or_pdfa', 'pdfa_claimed', 'unsigned', 'modified_after_signing', 'signer_not_supplier', 'not_gost', 'no_timestamp', 'too_old', 'issue_date_missing', 'language_missing', 'language_mismatch', 'language_not_verifiable'). */
  code: z.string(),
  severity: z.enum(PACKAGE_SEVERITIES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type PackageItem = z.infer<typeof PackageItemSchema>;

export const PackageReportSchema = z.object({
  /** Errors block submission; warnings and info are shown. */
  items: z.array(PackageItemSchema),
  /** The inspection of each attached file by requirement key. */
  documents: z.record(z.string(), DocumentInspectionSchema),
  checkedAt: z.string(),
});
export type PackageReport = z.infer<typeof PackageReportSchema>;
