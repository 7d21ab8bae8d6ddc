/**
 * Defence in depth for input the database refuses. PostgreSQL refuses NUL in
 * text ("invalid byte sequence for encoding UTF8: 0x00", SQLSTATE 22021) and
 * \u0000 in json (22P05), and numbers beyond a column's range (22003);
 * SQLite stores them all. The schemas refuse such input first (safeText,
 * `invalid_text`); should any reach a statement, it is still a refusal of the
 * input — a data exception (SQLSTATE class 22) fails the same way on every
 * retry — and never a 500, which the app would retry forever, its queue stuck.
 */
import { AppError } from '../../src-shared/rpc/errors';
import { INVALID_TEXT } from '../../src-shared/domain/text';

const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

const sqlState = (e: unknown): string | null => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
};

/** A PostgreSQL data exception: the statement's input, not the server, is at fault. */
export const isRefusedDataError = (e: unknown): boolean => sqlState(e)?.startsWith('22') ?? false;

/** The refusal to answer for a data exception: `invalid_text` for NUL, else `invalid_input`. */
export function refusalOf(e: unknown): AppError {
  return UNSTORABLE_TEXT.has(sqlState(e) ?? '')
    ? new AppError(INVALID_TEXT, 'The text holds a character that cannot be stored (NUL)')
    : new AppError('invalid_input', 'A value the database cannot store (out of range or malformed)');
}

/** A label the portal itself stores (a mutation's name): kept readable, never refused by the database. */
export const storableLabel = (s: string): string => s.split('\u0000').join('\uFFFD');

/**
 * The database connection itself failed (server restart, a terminated backend, a reset socket): the portal,
 * not the mutation, is failing, and a COMMIT may even have landed. The push answers 5xx so the client retries
 * without counting an attempt, and the replay answers whatever was committed.
 */
export function isConnectionError(e: unknown): boolean {
  const state = sqlState(e);
  if (state && (state.startsWith('08') || state.startsWith('57P'))) return true;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  const message = e instanceof Error ? e.message : '';
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(message);
}
