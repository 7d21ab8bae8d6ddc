import { z } from 'zod';

/**
 * Text every layer can store. A lone UTF-16 surrogate cannot be encoded as
 * UTF-8 (the RFC 8785 audit encoder throws), PostgreSQL refuses NUL in text,
 * and C0 controls corrupt logs, CSV exports and PDF text. Such a string would
 * fail on every retry, so it is refused at the schema, in every host, with
 * one code the renderer pins to the field: `invalid_text`.
 */
export const INVALID_TEXT = 'invalid_text';

/** Tab and newline are allowed only where `multiline` says so; CR only as part of CRLF. */
export function isStorableText(value: string, multiline = false): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c < 0x20 || c === 0x7f) {
      if (!multiline) return false;
      if (c === 0x09 || c === 0x0a) continue;
      if (c === 0x0d && value.charCodeAt(i + 1) === 0x0a) continue;
      return false;
    }
  }
  return true;
}

/** True when any string anywhere in a parsed JSON value holds a lone surrogate or NUL (the body guard). */
export function hasUnstorableString(value: unknown, depth = 0): boolean {
  if (depth > 200) return true;
  if (typeof value === 'string') return hasLoneSurrogateOrNul(value);
  if (Array.isArray(value)) return value.some((v) => hasUnstorableString(v, depth + 1));
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (hasLoneSurrogateOrNul(k) || hasUnstorableString(v, depth + 1)) return true;
    }
  }
  return false;
}

function hasLoneSurrogateOrNul(s: string): boolean {
  // isWellFormed is Node 20+/Chromium 111+; the loop keeps src-shared portable.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

export interface SafeTextOptions {
  /** Longest accepted length in UTF-16 units (after trimming). */
  max: number;
  /** Shortest accepted length after trimming; 0 allows the empty string. Default 0. */
  min?: number;
  /** Allow tab, LF and CRLF (messages, justifications, addresses). Default false. */
  multiline?: boolean;
  /** Trim surrounding white space before the checks. Default true. */
  trim?: boolean;
}

/** The one string schema for user text: `safeText({ max: 300, min: 1 })`. */
export function safeText(opts: SafeTextOptions): z.ZodString {
  const { max, min = 0, multiline = false, trim = true } = opts;
  let s = z.string();
  if (trim) s = s.trim();
  if (min > 0) s = s.min(min);
  return s.max(max).refine((v) => isStorableText(v, multiline), { message: INVALID_TEXT }) as unknown as z.ZodString;
}

/**
 * A secret the user types but nobody reads (passwords): every character counts, nothing is trimmed
 * or refused but what UTF-8 cannot carry — a lone surrogate would hash as U+FFFD, so two different
 * passwords would match — and NUL.
 */
export function secretText(max: number): z.ZodString {
  return z.string().min(1).max(max).refine((v) => !hasLoneSurrogateOrNul(v), { message: INVALID_TEXT }).describe(SECRET_TEXT) as unknown as z.ZodString;
}

/** secretText's description (OpenAPI shows it; the text tests tell secrets from text by it). */
export const SECRET_TEXT = 'secret: any characters but a lone surrogate or NUL';

/** The code for refused input: `invalid_text` when any issue is safeText's, so the user hears what is wrong. */
export function inputErrorCode(issues: readonly { message?: string }[]): 'invalid_text' | 'invalid_input' {
  return issues.some((i) => i.message === INVALID_TEXT) ? 'invalid_text' : 'invalid_input';
}
