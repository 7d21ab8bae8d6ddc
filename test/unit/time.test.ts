import { describe, expect, it } from 'vitest';
import { almatyOffsetMinutes, almatyWallTimeToUtc, formatDate, formatDateTime, formatTime } from '../../src-shared/time/almaty';

describe('Asia/Almaty from the tz database', () => {
  it('was UTC+6 before 2024-03-01 and is UTC+5 since', () => {
    expect(almatyOffsetMinutes('2024-02-29T12:00:00Z')).toBe(360);
    expect(almatyOffsetMinutes('2024-03-01T12:00:00Z')).toBe(300);
    expect(almatyOffsetMinutes('2026-11-23T12:00:00Z')).toBe(300);
  });

  it('formats in Almaty in every language, whatever the machine zone', () => {
    expect(formatDateTime('2026-11-23T10:05:00Z', 'en')).toContain('15:05');
    expect(formatDateTime('2026-11-23T10:05:00Z', 'ru')).toContain('15:05');
    expect(formatDateTime('2026-11-23T10:05:00Z', 'kk')).toContain('15:05');
    expect(formatDateTime('2024-02-01T10:05:00Z', 'en')).toContain('16:05');
  });

  it('reads DD.MM.YYYY and a 24-hour HH:MM in kk, ru and en alike (not 2026-12-06, not 06/12/2026)', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      expect(formatDate('2026-12-05T19:30:00Z', lang)).toBe('06.12.2026');
      expect(formatTime('2026-12-05T19:30:00Z', lang)).toBe('00:30');
      expect(formatDateTime('2026-12-06T11:14:00Z', lang)).toBe('06.12.2026 16:14');
      // Across the Almaty day boundary: 19:30 UTC is already the next day in Almaty.
      expect(formatDateTime('2026-12-05T19:30:00Z', lang)).toBe('06.12.2026 00:30');
      expect(formatDateTime('2026-12-05T18:59:00Z', lang)).toBe('05.12.2026 23:59');
    }
  });

  it('turns an Almaty wall time into UTC with the offset in force then', () => {
    expect(almatyWallTimeToUtc('2026-12-01', '09:30')).toBe('2026-12-01T04:30:00.000Z');
    expect(almatyWallTimeToUtc('2024-01-15', '09:30')).toBe('2024-01-15T03:30:00.000Z');
  });
});
