import { describe, expect, it } from 'vitest';
import { formatDateText, parseDateText } from '../../src-shared/time/date-text';

describe('dates as typed in Kazakhstan (DD.MM.YYYY)', () => {
  it('reads DD.MM.YYYY and its loose forms, and pasted ISO dates', () => {
    expect(parseDateText('25.11.2026')).toBe('2026-11-25');
    expect(parseDateText(' 5.1.2027 ')).toBe('2027-01-05');
    expect(parseDateText('05/01/2027')).toBe('2027-01-05');
    expect(parseDateText('2026-11-25')).toBe('2026-11-25');
  });
  it('refuses what is not a real date or not complete', () => {
    for (const s of ['31.02.2026', '29.02.2025', '00.01.2026', '12.13.2026', '12.0', '', '2026-13-01', '11/25/2026x', '25.11.26']) expect(parseDateText(s), s).toBeNull();
    expect(parseDateText('29.02.2028')).toBe('2028-02-29');
  });
  it('shows ISO dates as DD.MM.YYYY and round-trips', () => {
    expect(formatDateText('2026-11-25')).toBe('25.11.2026');
    expect(formatDateText('')).toBe('');
    expect(parseDateText(formatDateText('2030-12-31'))).toBe('2030-12-31');
  });
});
