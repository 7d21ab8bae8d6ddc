/**
 * Times are stored in UTC and shown in Asia/Almaty. The offset comes from the
 * IANA time-zone database built into Intl (Kazakhstan moved to UTC+5 on
 * 2024-03-01), never from a hard-coded number.
 */
import type { Language } from '../i18n/languages';

export const DISPLAY_TIME_ZONE = 'Asia/Almaty';

/** One formatter for the wall-clock parts in Almaty; en-GB gives plain numbers with a 24-hour clock. */
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: DISPLAY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

const toDate = (value: string | number | Date): Date => (value instanceof Date ? value : new Date(value));
const two = (n: number) => String(n).padStart(2, '0');

/**
 * Dates read DD.MM.YYYY and times HH:MM (24-hour) in every language, as Kazakh documents write them.
 * Built from parts, not from the language's locale: Chromium formats kk-KZ as 2026-12-06 and en-GB as
 * 06/12/2026. `language` stays in the signature for the day a language needs its own order.
 */
export const formatDate = (value: string | number | Date, _language?: Language): string => {
  const p = almatyParts(value);
  return `${two(p.day)}.${two(p.month)}.${p.year}`;
};
export const formatTime = (value: string | number | Date, _language?: Language): string => {
  const p = almatyParts(value);
  return `${two(p.hour)}:${two(p.minute)}`;
};
/** DD.MM.YYYY HH:mm, a space and no comma, identical in kk, ru and en (SPEC: portal time everywhere). */
export const formatDateTime = (value: string | number | Date, language?: Language): string => `${formatDate(value, language)} ${formatTime(value, language)}`;

/** Wall-clock parts of an instant in Almaty (for date/time inputs). */
export function almatyParts(value: string | number | Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = partsFormat.formatToParts(toDate(value));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/**
 * The Almaty calendar date (YYYY-MM-DD) of an instant — "today" for every date rule (a 23:30 UTC
 * instant is already the next day in Almaty). The app, the portal and the CLI all use this one.
 */
export function almatyDate(value: string | number | Date = new Date()): string {
  const p = almatyParts(value);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Offset of Almaty from UTC in minutes at that instant, read from the tz database. */
export function almatyOffsetMinutes(value: string | number | Date): number {
  const d = toDate(value);
  const p = almatyParts(d);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((asUtc - Math.floor(d.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * Converts an Almaty wall-clock time (as typed into a date and a time input)
 * to a UTC ISO string. Uses the offset in force at that moment.
 */
export function almatyWallTimeToUtc(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  // Two passes settle the offset even right at a transition.
  let utc = guess - almatyOffsetMinutes(guess) * 60_000;
  utc = guess - almatyOffsetMinutes(utc) * 60_000;
  return new Date(utc).toISOString();
}
