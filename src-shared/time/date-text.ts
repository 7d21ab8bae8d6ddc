/**
 * Dates as people in Kazakhstan type and read them: DD.MM.YYYY in every UI language (browsers
 * format <input type="date"> by the OS locale, which showed 11/25/2026 to Kazakh users). Pasted
 * ISO dates (YYYY-MM-DD) are accepted too.
 */
const isRealDate = (y: number, m: number, d: number): boolean => {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
};
const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** 'DD.MM.YYYY' (also D.M.YYYY, with '/', '-' or spaces) or 'YYYY-MM-DD' → 'YYYY-MM-DD'; null when it is not a real date. */
export function parseDateText(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(y, mo, d) ? iso(y, mo, d) : null;
  }
  m = /^(\d{1,2})[./\s-](\d{1,2})[./\s-](\d{4})$/.exec(t);
  if (m) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(y, mo, d) ? iso(y, mo, d) : null;
  }
  return null;
}

/** Whether the text is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** 'YYYY-MM-DD' → 'DD.MM.YYYY' (anything else is returned as it is). */
export function formatDateText(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : isoDate;
}
