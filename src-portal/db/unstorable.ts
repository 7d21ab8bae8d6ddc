/**
 * Defence in depth for text the database cannot hold. PostgreSQL refuses NUL
 * in text ("invalid byte sequence for encoding UTF8: 0x00", SQLSTATE 22021)
 * and \u0000 in json (22P05); SQLite stores both. The schemas refuse such
 * text first (safeText, `invalid_text`); should any reach a statement, it is
 * still a refusal of the input — it fails the same way on every retry — and
 * never a 500, which the app would retry forever with its queue stuck.
 */
import { AppError } from '../../src-shared/rpc/errors';
import { INVALID_TEXT } from '../../src-shared/domain/text';

const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

export function isUnstorableTextError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNSTORABLE_TEXT.has(code);
}

export const unstorableText = (): AppError => new AppError(INVALID_TEXT, 'The text holds a character that cannot be stored (NUL)');

/** A label the portal itself stores (a mutation's name): kept readable, never refused by the database. */
export const storableLabel = (s: string): string => s.split('\u0000').join('\uFFFD');
