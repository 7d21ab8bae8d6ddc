/**
 * Error codes shared by the app back end, the portal and the renderer.
 * Every code has a translation under `errors.<code>` in each i18n catalog
 * (a unit test checks that), so whatever fails anywhere reaches the user as
 * a sentence in their language, never as a stack trace.
 */
export const ERROR_CODES = [
  // transport / contract
  'invalid_input',
  'unknown_method',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'internal',
  // the portal answered, but could not apply this one change (it stores nothing; the app tries again)
  'mutation_failed',
  'not_supported',
  'upgrade_required',
  'rate_limited',
  // connectivity
  'offline',
  'portal_unreachable',
  'timeout',
  'account_locked',
  // identity
  'invalid_bin',
  'invalid_iin',
  'invalid_iin_bin',
  'invalid_email',
  'invalid_phone',
  // text no layer can store: lone surrogates, NUL, control characters (src-shared/domain/text.ts)
  'invalid_text',
  // accounts
  'invalid_credentials',
  'session_expired',
  'weak_password',
  // files
  'file_too_large',
  'file_type_not_allowed',
  'file_hash_mismatch',
  'file_offset_mismatch',
  'file_unreadable',
  // signing
  'key_wrong_password',
  'key_corrupt',
  'key_gost_container',
  'key_no_private_key',
  'key_session_expired',
  'key_session_mismatch',
  'pkcs12_iterations_too_high',
  'signing_key_too_weak',
  'cert_invalid',
  'cms_invalid',
  'cert_expired',
  'cert_not_yet_valid',
  'cert_auth_key_for_signing',
  'cert_sign_key_for_auth',
  'pdf_invalid',
  'pdf_encrypted',
  'pdf_too_large',
  // the bounded PDF reader's refusals (src-shared/pdf/model.ts PDF_READ_ERRORS; a unit test keeps them here)
  'pdf_truncated',
  'pdf_inflate_limit',
  'pdf_too_many_objects',
  'pdf_nesting_too_deep',
  'pdf_object_stream_too_large',
  'pdf_too_many_revisions',
  'pdf_unsupported_filter',
  'signature_invalid',
  'document_modified_after_signing',
  'document_already_signed',
  'document_already_stamped',
  'logo_invalid',
  'document_signature_invalid',
  'document_serial_invalid',
  // a PDF check's worker ran out of time or memory, or died (issue 13)
  'pdf_check_timeout',
  'pdf_check_out_of_memory',
  'pdf_check_failed',
  'tsa_failed',
  // NCALayer and EDS sign-in
  'ncalayer_not_running',
  'ncalayer_tls_untrusted',
  'ncalayer_cancelled',
  'ncalayer_timeout',
  'ncalayer_connection_lost',
  'ncalayer_error',
  'eds_challenge_invalid',
  'eds_not_linked',
  'eds_certificate_rejected',
  'eds_iin_mismatch',
  // state machines
  'invalid_transition',
  'validation_failed',
  // portal: organizations
  'last_head',
  // competitions
  'competition_not_draft',
  // AKI applications
  'aki_open_exists',
  'aki_locked_field',
  'template_changed',
  // sync trust (issue 15): the portal's signed audit head
  'audit_key_changed',
  'audit_signature_invalid',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  /** English fallback text for logs and API clients; the UI translates `code`. */
  message: string;
  /** Machine-readable specifics: field paths, limits, who changed what. Never secrets. */
  details?: Record<string, unknown>;
}

/** An error that is meant to reach the user: it carries a translatable code. */
export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
  toJSON(): AppErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isErrorCode = (v: unknown): v is ErrorCode =>
  typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);

/** Turns anything thrown into a shape that is safe to send to a client. */
export function toErrorShape(err: unknown): AppErrorShape {
  if (err instanceof AppError) return err.toJSON();
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err as { code: unknown }).code)) {
    const e = err as AppErrorShape;
    return { code: e.code, message: String(e.message ?? e.code), ...(e.details ? { details: e.details } : {}) };
  }
  // Unknown failures never leak their message: it may contain paths or data.
  return { code: 'internal', message: 'Internal error' };
}
