/**
 * Answers to a template and the rules that check them — one function for the
 * app (instantly, per field, offline) and the portal (authoritatively, with
 * its clock, at publication). Problems come back per field with a code and
 * the numbers the message needs, so the form says at each field what to
 * correct or add.
 */
import { z } from 'zod';
import { AttachmentRefSchema, type AttachmentRef } from '../files/attachments';
import { answerable, DEFAULT_FILE_LIMIT_BYTES, type AkiRequirement, type AkiTemplate, type FileKind } from './template';
import { isIsoDate } from '../time/date-text';
import { safeText } from '../domain/text';

/** Languages a supplier document may be in (seed 002 §4: Russian or Kazakh). */
export const DOCUMENT_LANGUAGES = ['kk', 'ru'] as const;
/**
 * A file answer: the attachment plus what the supplier states about the document — its issue
 * date (freshness rules) and its language — which the package checks compare with the file.
 */
export const FileAnswerSchema = AttachmentRefSchema.extend({
  issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  language: z.enum(DOCUMENT_LANGUAGES).optional(),
}).strict();
export type FileAnswer = z.infer<typeof FileAnswerSchema>;

export const AnswerValueSchema = z.union([
  FileAnswerSchema,
  safeText({ max: 10_000, trim: false, multiline: true }),
  z.number().finite(),
  z.array(safeText({ max: 64, min: 1, trim: false })).max(200),
  z.null(),
]);
export type AnswerValue = z.infer<typeof AnswerValueSchema>;
export const AnswersSchema = z.record(z.string().regex(/^[a-z0-9_]{1,64}$/), AnswerValueSchema).refine((a) => Object.keys(a).length <= 500);
export type Answers = Record<string, AnswerValue>;

export const EmailSchema = z.string().trim().toLowerCase().email().max(200);
export const PhoneSchema = z.string().trim().regex(/^\+?[0-9 ()-]{7,20}$/);

export const RULE_CODES = [
  'required',
  'invalid_email',
  'invalid_phone',
  'wrong_kind',
  'below_min',
  'above_max',
  'too_long',
  'invalid_option',
  'invalid_date',
  'date_before',
  'date_after',
  'date_too_old',
  'file_type_not_allowed',
  'file_too_large',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** One problem at one field: `field` is `email`, `phone`, `comment` or a requirement key. */
export interface FieldIssue {
  field: string;
  code: RuleCode;
  params?: Record<string, string | number>;
}

export interface ApplicationContent {
  email: string;
  phone: string;
  comment: string;
  answers: Answers;
}

export const COMMENT_MAX = 2000;

export const isFileAnswer = (v: AnswerValue | undefined): v is FileAnswer =>
  v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v);
const isFile = (v: AnswerValue): v is AttachmentRef => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isEmptyAnswer = (v: AnswerValue | undefined): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** MIME types each file kind admits (the portal compares them with the type detected from the bytes). */
const KIND_TYPES: Record<FileKind, (ct: string) => boolean> = {
  pdf: (ct) => ct === 'application/pdf',
  image: (ct) => ct === 'image/png' || ct === 'image/jpeg' || ct === 'image/tiff',
  office: (ct) =>
    ct === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' ||
    ct === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' ||
    ct === 'application/msword' || ct === 'application/vnd.ms-excel' || ct === 'application/zip',
  zip: (ct) => ct === 'application/zip',
};
export const fileKindAccepts = (accept: readonly FileKind[], contentType: string): boolean => accept.some((k) => KIND_TYPES[k](contentType));

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone: the caller says what "today" is). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Checks one answer; `today` (YYYY-MM-DD in Almaty) is the deciding clock's date. */
export function checkAnswer(r: Exclude<AkiRequirement, { type: 'heading' }>, value: AnswerValue | undefined, today: string): FieldIssue | null {
  const at = (code: RuleCode, params?: FieldIssue['params']): FieldIssue => ({ field: r.key, code, ...(params ? { params } : {}) });
  if (isEmptyAnswer(value)) return r.required ? at('required') : null;
  const v = value as Exclude<AnswerValue, null>;
  switch (r.type) {
    case 'file': {
      if (!isFile(v)) return at('wrong_kind');
      if (!fileKindAccepts(r.accept, v.contentType)) return at('file_type_not_allowed', { accept: r.accept.join(', ') });
      const limit = r.maxSizeBytes ?? DEFAULT_FILE_LIMIT_BYTES;
      if (v.size > limit) return at('file_too_large', { maxMb: Math.round((limit / 1024 / 1024) * 10) / 10 });
      return null;
    }
    case 'select': {
      const chosen = Array.isArray(v) ? v : typeof v === 'string' ? [v] : null;
      if (!chosen || (!r.multiple && chosen.length > 1)) return at('wrong_kind');
      const allowed = new Set(r.options.map((o) => o.value));
      return chosen.every((c) => allowed.has(c)) ? null : at('invalid_option');
    }
    case 'number': {
      if (typeof v !== 'number') return at('wrong_kind');
      if (r.min !== undefined && v < r.min) return at('below_min', { min: r.min, ...(r.unit ? { unit: r.unit } : {}) });
      if (r.max !== undefined && v > r.max) return at('above_max', { max: r.max, ...(r.unit ? { unit: r.unit } : {}) });
      return null;
    }
    case 'text': {
      if (typeof v !== 'string') return at('wrong_kind');
      return [...v].length > r.maxLength ? at('too_long', { max: r.maxLength }) : null;
    }
    case 'date': {
      if (typeof v !== 'string' || !isIsoDate(v)) return at('invalid_date');
      if (r.notBefore && v < r.notBefore) return at('date_before', { date: r.notBefore });
      if (r.notAfter && v > r.notAfter) return at('date_after', { date: r.notAfter });
      if (r.notOlderThanDays !== undefined) {
        const earliest = addDays(today, -r.notOlderThanDays);
        if (v < earliest) return at('date_too_old', { days: r.notOlderThanDays, date: earliest });
      }
      return null;
    }
  }
}

/**
 * Every problem of an application against its template. `complete` adds the
 * "required" checks (publication); without it only what is filled in is
 * checked (saving a draft never loses what was typed).
 */
export function validateApplication(template: AkiTemplate, content: ApplicationContent, today: string, opts: { complete: boolean }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (content.email.trim() !== '' || opts.complete) {
    if (content.email.trim() === '') issues.push({ field: 'email', code: 'required' });
    else if (!EmailSchema.safeParse(content.email).success) issues.push({ field: 'email', code: 'invalid_email' });
  }
  if (content.phone.trim() !== '' || opts.complete) {
    if (content.phone.trim() === '') issues.push({ field: 'phone', code: 'required' });
    else if (!PhoneSchema.safeParse(content.phone).success) issues.push({ field: 'phone', code: 'invalid_phone' });
  }
  if ([...content.comment].length > COMMENT_MAX) issues.push({ field: 'comment', code: 'too_long', params: { max: COMMENT_MAX } });
  for (const r of answerable(template)) {
    const value = content.answers[r.key];
    if (!opts.complete && isEmptyAnswer(value)) continue;
    const issue = checkAnswer(r, value, today);
    if (issue) issues.push(issue);
  }
  return issues;
}

/**
 * A draft moved to a newer template version: answers carry over by
 * requirement key when the requirement still exists and its type did not
 * change; the rest are dropped (and shown again as empty fields).
 */
export function carryOverAnswers(from: AkiTemplate, to: AkiTemplate, answers: Answers): Answers {
  const oldType = new Map(from.requirements.map((r) => [r.key, r.type]));
  const out: Answers = {};
  for (const r of answerable(to)) {
    const v = answers[r.key];
    if (v !== undefined && oldType.get(r.key) === r.type) out[r.key] = v;
  }
  return out;
}

/** Keys whose answer differs between two answer maps (for the revision rule). */
export function changedKeys(before: Answers, after: Answers): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const norm = (v: AnswerValue | undefined) => (isEmptyAnswer(v) ? null : stableJson(v));
  return [...keys].filter((k) => norm(before[k]) !== norm(after[k])).sort();
}

/** JSON with object keys sorted, so equal answers compare equal whatever order their keys came in. */
function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}
