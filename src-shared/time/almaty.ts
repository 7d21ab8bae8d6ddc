/**
 * Times are stored in UTC and shown in Asia/Almaty. The offset comes from the
 * IANA time-zone database built into Intl (Kazakhstan moved to UTC+5 on
 * 2024-03-01), never from a hard-coded number.
 */
import type { Language } from '../i18n/languages';

export const DISPLAY_TIME_ZONE = 'Asia/Almaty';

const LOCALE: Record<Language, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(language: Language, kind: 'date' | 'dateTime' | 'time'): Intl.DateTimeFormat {
  const key = `${language}:${kind}`;
  let f = cache.get(key);
  if (!f) {
    const base: Intl.DateTimeFormatOptions = { timeZone: DISPLAY_TIME_ZONE };
    const opts: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { ...base, year: 'numeric', month: '2-digit', day: '2-digit' }
        : kind === 'time'
          ? { ...base, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(LOCALE[language], opts);
    cache.set(key, f);
  }
  return f;
}

const toDate = (value: string | number | Date): Date => (value instanceof Date ? value : new Date(value));

export const formatDate = (value: string | number | Date, language: Language): string => formatter(language, 'date').format(toDate(value));
export const formatTime = (value: string | number | Date, language: Language): string => formatter(language, 'time').format(toDate(value));
export const formatDateTime = (value: string | number | Date, language: Language): string =>
  formatter(language, 'dateTime').format(toDate(value));

/** Wall-clock parts of an instant in Almaty (for date/time inputs). */
export function almatyParts(value: string | number | Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: DISPLAY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(toDate(value));
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
