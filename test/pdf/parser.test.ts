/**
 * The parser against a writer: random values (names with any bytes, strings with any bytes as
 * literal or hex, numbers, references, nested arrays and dictionaries) written out in PDF syntax,
 * read back through openPdf, and compared.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openPdf, PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../src-shared/pdf';
import { CATALOG, handPdf, PAGE, PAGES_1 } from './helpers';

type V = null | boolean | number | { name: number[] } | { str: number[]; hex: boolean } | { ref: [number, number] } | V[] | { dict: [number[], V][] };

const REGULAR = (c: number) => c > 0x20 && c < 0x7f && !'()<>[]{}/%#'.includes(String.fromCharCode(c));

function write(v: V): string {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (Array.isArray(v)) return `[${v.map(write).join(' ')}]`;
  if ('name' in v) return '/' + v.name.map((c) => (REGULAR(c) ? String.fromCharCode(c) : `#${c.toString(16).padStart(2, '0')}`)).join('');
  if ('ref' in v) return `${v.ref[0]} ${v.ref[1]} R`;
  if ('str' in v) {
    if (v.hex) return `<${v.str.map((c) => c.toString(16).padStart(2, '0')).join('')}>`;
    // Escape what literal syntax needs: backslash, both parentheses, and CR (a raw CR would read as LF).
    return `(${v.str.map((c) => (c === 0x5c ? '\\\\' : c === 0x28 ? '\\(' : c === 0x29 ? '\\)' : c === 0x0d ? '\\r' : String.fromCharCode(c))).join('')})`;
  }
  return `<<${v.dict.map(([k, x]) => `${write({ name: k })} ${write(x)}`).join(' ')}>>`;
}

function same(p: PdfValue | undefined, v: V): boolean {
  if (v === null || typeof v === 'boolean') return p === v;
  if (typeof v === 'number') return typeof p === 'number' && Math.abs(p - Number(write(v))) < 1e-9;
  if (Array.isArray(v)) return Array.isArray(p) && p.length === v.length && v.every((x, i) => same(p[i], x));
  if ('name' in v) return p instanceof PdfName && p.name === String.fromCharCode(...v.name);
  if ('ref' in v) return p instanceof PdfRef && p.num === v.ref[0] && p.gen === v.ref[1];
  if ('str' in v) return p instanceof PdfString && p.hex === v.hex && Buffer.from(p.bytes).equals(Buffer.from(v.str));
  if (!(p instanceof PdfDict)) return false;
  const last = new Map<string, V>();
  for (const [k, x] of v.dict) last.set(String.fromCharCode(...k), x);
  return p.keys().length === last.size && [...last].every(([k, x]) => same(p.get(k), x));
}

const byte = fc.integer({ min: 1, max: 255 });
const { value } = fc.letrec<{ value: V }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    fc.record({ name: fc.array(byte, { minLength: 1, maxLength: 12 }) }),
    fc.record({ str: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }), hex: fc.boolean() }),
    fc.record({ ref: fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.integer({ min: 0, max: 65535 })) }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.record({ dict: fc.array(fc.tuple(fc.array(byte, { minLength: 1, maxLength: 8 }), tie('value')), { maxLength: 5 }) }),
  ),
})) as { value: fc.Arbitrary<V> };

describe('parser round trip', () => {
  it('random values written in PDF syntax read back equal', () => {
    fc.assert(
      fc.property(value, (v) => {
        const doc = openPdf(handPdf([CATALOG, PAGES_1, PAGE, write(v)]));
        expect(same(doc.view().object(4), v), write(v)).toBe(true);
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
