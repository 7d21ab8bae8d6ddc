/**
 * The verification report: data only (codes + facts), so the UI, the portal and
 * the CLI render it in kk/ru/en. Verdict rules live here, once.
 */
import type { CertificateFacts, KeyPurpose, ValidityState } from './cert-facts';
import type { ChainLink, TrustKind } from './chain';
import type { RevocationCheck } from './revocation';
import type { TstFacts } from './tsp';
import { PDF_READ_ERRORS } from '../pdf/model';

export type Verdict = 'valid' | 'invalid' | 'indeterminate';

/** Every reason a signature is not plainly valid; each maps to a verdict below and to a translation. */
export const REASONS = {
  // integrity → invalid
  digest_mismatch: 'invalid',
  signature_invalid: 'invalid',
  signer_certificate_missing: 'invalid',
  signing_certificate_mismatch: 'invalid',
  chain_signature_invalid: 'invalid',
  cert_not_valid_at_signing: 'invalid',
  revoked_before_signing: 'invalid',
  auth_key_used_for_signing: 'invalid',
  iin_mismatch: 'invalid',
  bin_mismatch: 'invalid',
  timestamp_invalid: 'invalid',
  pdf_signature_not_readable: 'invalid',
  certification_forbids_changes: 'invalid',
  // a later revision changed something no rule allows (modifications.ts): the signed document is not what is shown
  pdf_changed_after_signing: 'invalid',
  field_lock_violated: 'invalid',
  pdf_byte_range_invalid: 'invalid',
  pdf_byte_range_not_revision_end: 'invalid',
  pdf_byte_range_not_contents: 'invalid',
  signature_contents_altered: 'invalid',
  // cannot decide → indeterminate
  unsupported_algorithm: 'indeterminate',
  chain_untrusted: 'indeterminate',
  chain_algorithm_unsupported: 'indeterminate',
  cert_expired_no_timestamp: 'indeterminate',
  revocation_not_checked: 'indeterminate',
  revocation_unknown: 'indeterminate',
  timestamp_untrusted: 'indeterminate',
  not_signing_key: 'indeterminate',
  pdf_not_whole_file: 'indeterminate',
  // the bounded reader refused the file (src-shared/pdf PDF_READ_ERRORS): nothing about it can be decided
  pdf_invalid: 'indeterminate',
  pdf_truncated: 'indeterminate',
  pdf_encrypted: 'indeterminate',
  pdf_inflate_limit: 'indeterminate',
  pdf_too_many_objects: 'indeterminate',
  pdf_nesting_too_deep: 'indeterminate',
  pdf_object_stream_too_large: 'indeterminate',
  pdf_too_many_revisions: 'indeterminate',
  pdf_unsupported_filter: 'indeterminate',
} as const satisfies Record<string, Verdict>;
export type ReasonCode = keyof typeof REASONS;

/** Document-level problems a report may carry (`VerificationReport.problems`); each has a text in report-i18n. */
/** Document-level problems of the report itself; texts in report-i18n `problems`. */
export const BASE_REPORT_PROBLEMS = ['no_signatures', 'cms_unreadable', 'pdf_not_whole_file'] as const;
export type BaseReportProblem = (typeof BASE_REPORT_PROBLEMS)[number];
/** Every `VerificationReport.problems` code: the base ones and the bounded reader's refusals (texts: the reasons'). */
export const REPORT_PROBLEMS = [...BASE_REPORT_PROBLEMS, ...PDF_READ_ERRORS] as const;
export type ReportProblem = (typeof REPORT_PROBLEMS)[number];

export interface TimestampReport {
  status: 'valid' | 'invalid' | 'untrusted';
  facts?: TstFacts;
  tsa?: CertificateFacts;
  chain?: ChainLink[];
  /** TSA certificate revocation (when online); only a revocation before genTime invalidates the token. */
  revocation?: RevocationCheck[];
  problems: string[];
}

export interface SignatureReport {
  index: number;
  /** PDF only: signature field name and the revision this signature covers. */
  fieldName?: string;
  integrity: 'ok' | 'digest_mismatch' | 'signature_invalid' | 'signer_certificate_missing' | 'unsupported_algorithm';
  signer?: CertificateFacts;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signingCertificateV2: 'ok' | 'mismatch' | 'absent';
  /** signingTime attribute or PDF /M: what the signer claims, not proof. */
  claimedSigningTime?: string;
  timestamp?: TimestampReport;
  /** Proven signing time: only from a verified timestamp. */
  signingTime?: string;
  validityNow?: ValidityState;
  validityAtSigning?: ValidityState;
  purpose?: KeyPurpose;
  chain: { status: 'trusted' | 'untrusted' | 'invalid'; anchorKind?: TrustKind; links: ChainLink[] };
  revocation: { status: 'good' | 'revoked_after_signing' | 'revoked' | 'unknown' | 'not_checked'; checks: RevocationCheck[] };
  expected?: { iin?: { expected: string; actual?: string; match: boolean }; bin?: { expected: string; actual?: string; match: boolean } };
  reasons: ReasonCode[];
  verdict: Verdict;
}

/**
 * One change after a signature that no rule allows (src-shared/signing/modifications.ts): a code
 * from MODIFICATION_CODES (or a reader refusal code), the object it concerns and, for dictionaries,
 * the key that changed (`catalog_changed` + `OpenAction`).
 */
export interface PdfModification {
  object?: number;
  code: string;
  key?: string;
}

/** Every modification code the analysis reports; translated in report-i18n.ts. */
export const MODIFICATION_CODES = [
  'page_added', 'page_removed', 'page_tree_changed', 'page_changed', 'page_content_changed', 'page_resources_changed',
  'annotation_added', 'annotation_removed', 'annotation_changed', 'catalog_changed', 'acroform_changed', 'field_added',
  'field_removed', 'field_changed', 'form_filled', 'field_locked', 'signature_field_changed', 'signature_field_unsigned',
  'signature_added', 'dss_invalid', 'metadata_changed', 'info_changed', 'object_changed', 'object_added', 'object_deleted',
  'signature_contents_altered', 'bytes_after_last_revision', 'signed_range_not_a_revision',
] as const;
export type ModificationCode = (typeof MODIFICATION_CODES)[number];

export interface PdfRevisionChanges {
  /** Bytes after this signature's revision. */
  bytesAfter: number;
  revisionsAfter: number;
  /** 'none' (nothing after), only allowed changes (signatures, validation data…), or modifications. */
  kind: 'none' | 'signatures_only' | 'other_changes';
  /** Changed objects a viewer reaches, with their role (page, content, annotation, field, dss…). */
  objects: { number: number; type: string }[];
  /** What no rule allows; empty unless kind is 'other_changes'. */
  modifications: PdfModification[];
}

export interface PdfSignatureInfo {
  byteRange: [number, number, number, number];
  coversWholeFile: boolean;
  subFilter?: string;
  /** DocMDP permission of a certification signature: 1 no changes, 2 form filling + signatures, 3 also annotations. */
  docMdpPermission?: number;
  name?: string;
  reason?: string;
  location?: string;
  changesAfter: PdfRevisionChanges;
}

export interface VerificationReport {
  kind: 'cms' | 'pdf';
  verdict: Verdict;
  checkedAt: string;
  /** Which trust was used: TEST means NCA RK test roots were trusted (never for production decisions). */
  trust: TrustKind[];
  online: boolean;
  signatures: (SignatureReport & { pdf?: PdfSignatureInfo })[];
  /** Document-level reasons (no signatures, unreadable input…). */
  problems: string[];
  pdf?: { lastSignatureCoversWholeFile: boolean; fileLength: number };
}

export function verdictOf(reasons: readonly ReasonCode[]): Verdict {
  if (reasons.some((r) => REASONS[r] === 'invalid')) return 'invalid';
  if (reasons.length > 0) return 'indeterminate';
  return 'valid';
}

export function combineVerdicts(vs: Verdict[]): Verdict {
  if (vs.length === 0) return 'invalid';
  if (vs.includes('invalid')) return 'invalid';
  if (vs.includes('indeterminate')) return 'indeterminate';
  return 'valid';
}
