import type { TFunction } from 'i18next';
import { AppError, isErrorCode } from '../../src-shared/rpc/errors';

/** A sentence for the user from anything thrown by an RPC call. */
export function errorText(t: TFunction, err: unknown): string {
  const code = err instanceof AppError || (err && typeof err === 'object' && 'code' in err) ? (err as { code: unknown }).code : 'internal';
  return t(`errors.${isErrorCode(code) ? code : 'internal'}`);
}

const FIELD_CODES: Record<string, string> = { iin: 'invalid_iin', email: 'invalid_email', phone: 'invalid_phone', bin: 'invalid_bin' };

/**
 * Field → message from zod issues (local validation or the back end's
 * `invalid_input` details), so each problem shows at its own field.
 */
export function fieldErrors(t: TFunction, issues: { path: string | (string | number | symbol)[]; message?: string; code?: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = Array.isArray(issue.path) ? issue.path.map(String).join('.') : issue.path;
    const field = path.split('.')[0] ?? '';
    if (out[field]) continue;
    const code = isErrorCode(issue.message) ? issue.message : FIELD_CODES[field];
    out[field] = code ? t(`errors.${code}`) : issue.code === 'too_small' ? t('common.required') : t('errors.invalid_input');
  }
  return out;
}

export function issuesOf(err: unknown): { path: string; message?: string; code?: string }[] {
  const details = (err as { details?: { issues?: { path: string; message?: string; code?: string }[] } })?.details;
  return details?.issues ?? [];
}
