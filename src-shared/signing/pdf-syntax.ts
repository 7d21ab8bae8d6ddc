/**
 * Writing PDF syntax for an incremental update: values read by the bounded reader
 * (src-shared/pdf) go back out unchanged in meaning, so a page or form dictionary copied into
 * the update differs from the original only where the signature changes it.
 */
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../pdf/model';
import { AppError } from '../rpc/errors';

/** A text string: literal when printable ASCII, else UTF-16BE hex with a BOM (Cyrillic names). */
export function pdfTextString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/([\\()])/g, '\\$1')})`;
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

export function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

const DELIMS = new Set('()<>[]{}/%#'.split('').map((c) => c.charCodeAt(0)));

/** `/Name` with every byte outside the regular printable range written as #xx. */
export function pdfName(name: string): string {
  let s = '/';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) & 0xff;
    s += c > 0x20 && c < 0x7f && !DELIMS.has(c) ? name[i] : `#${c.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return s;
}

/** Integers as they are; reals in fixed notation (PDF has no exponent syntax). */
export function pdfNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = n.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function pdfStringBytes(v: PdfString): string {
  const b = v.bytes;
  let printable = !v.hex;
  for (let i = 0; printable && i < b.length; i++) printable = b[i]! >= 0x20 && b[i]! <= 0x7e;
  if (printable) {
    let s = '(';
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      s += c === 0x28 || c === 0x29 || c === 0x5c ? `\\${String.fromCharCode(c)}` : String.fromCharCode(c);
    }
    return `${s})`;
  }
  let s = '<';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0').toUpperCase();
  return `${s}>`;
}

/** A direct value in PDF syntax (Latin-1 text: one char per byte). Streams are never direct. */
export function pdfValue(v: PdfValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return pdfNumber(v);
  if (v instanceof PdfName) return pdfName(v.name);
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (v instanceof PdfString) return pdfStringBytes(v);
  if (Array.isArray(v)) return `[${v.map(pdfValue).join(' ')}]`;
  if (v instanceof PdfDict) return pdfDict(v.entries);
  if (v instanceof PdfStream) throw new AppError('pdf_invalid', 'A stream where a direct value belongs (the PDF is damaged)');
  return 'null';
}

/** A dictionary from entries; a value given as a string is already PDF syntax. */
export function pdfDict(entries: ReadonlyMap<string, PdfValue | string>): string {
  const parts: string[] = [];
  for (const [k, v] of entries) parts.push(`${pdfName(k)} ${typeof v === 'string' ? v : pdfValue(v)}`);
  return `<<\n${parts.join('\n')}\n>>`;
}
