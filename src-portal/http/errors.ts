/**
 * One error envelope for every 4xx/5xx: `{code, message, details?}` with codes
 * from src-shared/rpc/errors.ts, so the app can translate whatever the portal
 * refuses. Internal failures never leak their message.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, toErrorShape, type ErrorCode } from '../../src-shared/rpc/errors';
import { inputErrorCode } from '../../src-shared/domain/text';
import { isRefusedDataError, refusalOf } from '../db/unstorable';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  // a mutation name the portal does not know (a per-mutation refusal of the push): refused for good
  unknown_method: 400,
  invalid_bin: 400,
  invalid_iin: 400,
  invalid_iin_bin: 400,
  invalid_email: 400,
  invalid_phone: 400,
  invalid_text: 400,
  weak_password: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  session_expired: 401,
  forbidden: 403,
  not_found: 404,
  not_supported: 404,
  conflict: 409,
  invalid_transition: 409,
  file_offset_mismatch: 409,
  last_head: 409,
  file_too_large: 413,
  file_type_not_allowed: 415,
  file_hash_mismatch: 422,
  validation_failed: 422,
  upgrade_required: 426,
  rate_limited: 429,
  // EDS sign-in refusals (issue 8): 422, not 401, so an authenticated link call is not read as an ended session
  eds_challenge_invalid: 422,
  eds_not_linked: 422,
  eds_certificate_rejected: 422,
  cert_expired: 422,
  cert_not_yet_valid: 422,
  cert_sign_key_for_auth: 422,
  signature_invalid: 422,
  eds_iin_mismatch: 409,
  // Documents (issue 9): an uploaded PDF changed after signing or with a broken signature; a mistyped /verify serial
  document_modified_after_signing: 422,
  document_signature_invalid: 422,
  document_serial_invalid: 404,
  pdf_too_large: 413,
  // the check of an uploaded PDF ran out of time or memory: the file is refused like a broken one
  pdf_check_timeout: 422,
  pdf_check_out_of_memory: 422,
  pdf_check_failed: 422,
  // the bounded reader refused an uploaded PDF as beyond its caps (a bomb): refused for good
  pdf_inflate_limit: 422,
  pdf_too_many_objects: 422,
  pdf_nesting_too_deep: 422,
  pdf_object_stream_too_large: 422,
  pdf_too_many_revisions: 422,
};

export const statusOf = (code: ErrorCode): number => STATUS[code] ?? 500;

export function installErrorHandling(app: FastifyInstance, log: (msg: string, err: unknown) => void): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(statusOf(err.code)).send(err.toJSON());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: v.instancePath, message: v.message }));
      // Text no layer can store has its own code (safeText's issue message), so the app names the field's problem.
      return reply.code(400).send({ code: inputErrorCode(issues), message: `Invalid ${err.validationContext ?? 'request'}`, details: { issues } });
    }
    if (isResponseSerializationError(err)) {
      log(`response did not match its schema: ${req.method} ${req.url}`, err.cause);
      return reply.code(500).send({ code: 'internal', message: 'Internal error' });
    }
    // Fastify's own 4xx (bad JSON, wrong content type, body too large): keep the status, use our envelope.
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code: ErrorCode = status === 413 ? 'file_too_large' : status === 404 ? 'not_found' : 'invalid_input';
      return reply.code(status === 415 || status === 413 || status === 404 ? status : 400).send({ code, message: err.message });
    }
    // Input the database refuses (NUL or an out-of-range number on PostgreSQL) fails again on every retry: the input's fault, not a 5xx.
    if (isRefusedDataError(err)) return reply.code(400).send(refusalOf(err).toJSON());
    log(`unhandled error on ${req.method} ${req.url}`, err);
    return reply.code(500).send(toErrorShape(err));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ code: 'not_found', message: 'Not found' }));
}
