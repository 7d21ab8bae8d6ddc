/**
 * The PDF syntax writer of the incremental update (src-shared/signing/pdf-syntax.ts): whatever the
 * bounded reader parsed goes back out with the same meaning, so a copied page or form dictionary
 * differs from the original only where the signature changes it.
 */
import { describe, expect, it } from 'vitest';
import { Lexer } from '../../src-shared/pdf/lexer';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../../src-shared/pdf/model';
import { Parser } from '../../src-shared/pdf/parser';
import { pdfName, pdfNumber, pdfTextString, pdfValue } from '../../src-shared/signing/pdf-syntax';

const parse = (s: string): PdfValue => new Parser(new Lexer(Buffer.from(s, 'latin1')), { maxDepth: 100, maxElements: 100_000 }).value();
const bytes = (...b: number[]) => new Uint8Array(b);

describe('pdf-syntax', () => {
  it('names escape delimiters, whitespace, # and non-ASCII bytes as #xx', () => {
    expect(pdfName('Type')).toBe('/Type');
    expect(pdfName('A B#(x)/%')).toBe('/A#20B#23#28x#29#2F#25');
    expect(pdfName('\u00e9')).toBe('/#E9');
    expect((parse(pdfName('A B#(x)/%\u00e9')) as PdfName).name).toBe('A B#(x)/%\u00e9');
  });

  it('numbers never use exponent notation', () => {
    expect(pdfNumber(612)).toBe('612');
    expect(pdfNumber(-0.5)).toBe('-0.5');
    expect(pdfNumber(1e-7)).toBe('0.0000001');
    expect(pdfNumber(1e-12)).toBe('0');
    expect(pdfNumber(123456.75)).toBe('123456.75');
  });

  it('text strings: ASCII literal with escapes, anything else UTF-16BE with a BOM', () => {
    expect(pdfTextString('a(b)\\c')).toBe('(a\\(b\\)\\\\c)');
    expect(pdfTextString('Ә')).toBe('<FEFF04D8>');
    expect((parse(pdfTextString('Иванов Иван')) as PdfString).text()).toBe('Иванов Иван');
  });

  it('a dictionary read by the reader round-trips: strings (binary, parentheses), reals, refs, nesting', () => {
    const v = new PdfDict(
      new Map<string, PdfValue>([
        ['Type', new PdfName('Page')],
        ['Parent', new PdfRef(2, 0)],
        ['Rect', [0, 0.25, 595.5, -842]],
        ['T', new PdfString(bytes(0x28, 0x5c, 0x29, 0x41), false)],
        ['Bin', new PdfString(bytes(0, 0xff, 0x0a), false)],
        ['Hex', new PdfString(bytes(0x41), true)],
        ['Kids', [new PdfRef(10, 3), null, true, false, [new PdfDict(new Map([['N', 1]]))]]],
      ]),
    );
    const text = pdfValue(v);
    const back = parse(text);
    expect(pdfValue(back)).toBe(text);
    const d = back as PdfDict;
    expect([...(d.get('T') as PdfString).bytes]).toEqual([0x28, 0x5c, 0x29, 0x41]);
    expect([...(d.get('Bin') as PdfString).bytes]).toEqual([0, 0xff, 0x0a]);
    expect((d.get('Kids') as PdfValue[])[0]).toEqual(new PdfRef(10, 3));
  });
});
