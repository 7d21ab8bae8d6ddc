/**
 * What real writers get wrong, and what the reader still reads: junk before the header, offsets
 * a little off (or far off), the off-by-one first subsection, 19/20/21-byte xref lines, a wrong
 * or indirect /Length, a missing %%EOF, hybrid files. And the lexer's corner cases.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PdfName, PdfRef, PdfString } from '../../src-shared/pdf';
import { openPdf, PdfDict, PdfStream, type PdfValue } from '../../src-shared/pdf';
import { CATALOG, handPdf, handXrefStreamPdf, hybridPdf, objStm, PAGE, PAGES_1, stream, type HandPdfOptions, type Part } from './helpers';

const td = new TextDecoder('latin1');
const base: (Part | Part[])[] = [CATALOG, PAGES_1, PAGE];

function readsOnePage(objects: (Part | Part[])[], opts: HandPdfOptions = {}) {
  const bytes = handPdf(objects, opts);
  const doc = openPdf(bytes);
  const v = doc.view();
  expect(v.pages()).toHaveLength(1);
  return { doc, v, bytes };
}

describe('odd but real files', () => {
  it('junk before %PDF- (offsets counted from the header, or from the file start)', () => {
    readsOnePage(base, { junk: 'From: mailer\r\nContent-Type: application/pdf\r\n\r\n' });
    const junk = 'GARBAGE-BEFORE-HEADER\n';
    readsOnePage(base, { junk, shift: (_n, o) => o + junk.length });
  });

  it.each([
    ['20-byte lines, SP LF', ' \n'],
    ['20-byte lines, CR LF', '\r\n'],
    ['20-byte lines, SP CR', ' \r'],
    ['19-byte lines, LF', '\n'],
    ['19-byte lines, CR', '\r'],
    ['21-byte lines, SP CR LF', ' \r\n'],
  ])('xref table with %s', (_name, eol) => {
    readsOnePage(base, { eol });
  });

  it('the first subsection numbered 1 instead of 0', () => {
    const { v } = readsOnePage(base, { offByOne: true });
    expect(v.xref.get(1)).toMatchObject({ kind: 'offset' });
    expect(v.xref.get(0)).toMatchObject({ kind: 'free' });
  });

  it('offsets pointing at whitespace before the header, a few bytes off, far off, past the end', () => {
    readsOnePage(base, { shift: (_n, o) => o - 1 });
    readsOnePage(base, { shift: (n, o) => (n === 3 ? o + 7 : o) });
    const pad = `4 0 obj\n(${'x'.repeat(5000)})\nendobj\n`;
    readsOnePage([...base, pad], { shift: (n, o) => (n === 2 ? o + 4000 : o) });
    readsOnePage(base, { shift: (n, o) => (n === 3 ? o + 10_000_000 : o) });
  });

  it('a wrong offset in a revision never reads bytes appended after that revision', () => {
    const plain = handPdf(base);
    const end = plain.length;
    // Revision 0's entry for object 3 points just past its end, where an update puts another object 3.
    const rev0 = Buffer.from(handPdf(base, { shift: (n, o) => (n === 3 ? end : o) })).toString('latin1');
    expect(rev0.length).toBe(end);
    const prev = Number(/startxref\n(\d+)/.exec(rev0)![1]);
    let s = rev0 + '3 0 obj\n<< /Type /Page /Parent 2 0 R /Evil true >>\nendobj\n';
    const four = s.length;
    s += '4 0 obj\n(new)\nendobj\n';
    const xrefAt = s.length;
    s += `xref\n0 1\n0000000000 65535 f \n4 1\n${String(four).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const doc = openPdf(new Uint8Array(Buffer.from(s, 'latin1')));
    expect(doc.revisions.map((r) => r.end)).toEqual([end, s.length]);
    expect((doc.view(0).object(3) as PdfDict).has('Evil')).toBe(false);
    expect((doc.view(0).object(3) as PdfDict).has('MediaBox')).toBe(true);
    // The last revision reads what a viewer reads at that offset; the difference is the analysis' to report.
    expect((doc.view(1).object(3) as PdfDict).has('Evil')).toBe(true);
  });

  it('an indirect /Length redefined by a later revision changes that revision only', () => {
    const data = 'AAAA\nendstream BBBB';
    const rev0 = Buffer.from(handPdf([...base, ['<< /Length 5 0 R >>\nstream\n', data, '\nendstream'], String(data.length)])).toString('latin1');
    const prev = Number(/startxref\n(\d+)/.exec(rev0)![1]);
    const five = rev0.length;
    let s = rev0 + '5 0 obj\n4\nendobj\n';
    const xrefAt = s.length;
    s += `xref\n0 1\n0000000000 65535 f \n5 1\n${String(five).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const doc = openPdf(new Uint8Array(Buffer.from(s, 'latin1')));
    const read = (i: number) => td.decode(doc.view(i).streamData(doc.view(i).object(4) as PdfStream));
    expect([read(1), read(0), read(1)]).toEqual(['AAAA', data, 'AAAA']);
  });

  it('a missing %%EOF on the last revision: it ends at the end of the file', () => {
    const { doc, bytes } = readsOnePage(base, { noEof: true });
    expect(doc.revisions[0]!.end).toBe(bytes.length);
  });

  it('comments between tokens, CR-only line ends inside objects', () => {
    readsOnePage(['<< /Type /Catalog % a comment\r /Pages % another\n 2 0 R >>', PAGES_1, '<<\r/Type\r/Page\r/Parent 2 0 R>>']);
  });

  it('stream /Length: correct, too long, too short, missing, indirect, indirect and wrong', () => {
    const data = 'BT /F1 12 Tf (hello) Tj ET';
    const cases: [string, string][] = [
      ['correct', `/Length ${data.length}`],
      ['too long', `/Length ${data.length + 50}`],
      ['too short', `/Length ${data.length - 5}`],
      ['missing', ''],
      ['indirect', '/Length 5 0 R'],
      ['indirect, wrong', '/Length 6 0 R'],
    ];
    for (const [name, len] of cases) {
      const s = [`<< ${len} >>\nstream\r\n`, data, '\r\nendstream'];
      const { v } = readsOnePage([...base, s, String(data.length), '3']);
      const st = v.object(4);
      expect(st, name).toBeInstanceOf(PdfStream);
      expect(td.decode(v.streamData(st as PdfStream)), name).toBe(data);
    }
  });

  it('an unfiltered xref stream with an object stream, one entry with a wrong index (found by number)', () => {
    const z = (d: Uint8Array) => new Uint8Array(deflateSync(d));
    const objs = [CATALOG, PAGES_1, null, objStm([5, 3], ['(five)', PAGE], z), null];
    // Object 3 claims index 0 (object 5's slot): found by number.
    const doc = openPdf(handXrefStreamPdf(objs, { 3: [4, 0], 5: [4, 0] }));
    const v = doc.view();
    expect(v.pages()).toHaveLength(1);
    expect((v.object(5) as PdfString).text()).toBe('five');
    expect(doc.revisions[0]!.xrefKind).toBe('stream');
  });

  it('a hybrid file: a classic table whose /XRefStm lists the compressed objects', () => {
    const doc = openPdf(hybridPdf());
    expect(doc.revisions[0]!.xrefKind).toBe('table');
    expect(doc.view().xref.get(3)).toEqual({ kind: 'compressed', stream: 4, index: 0 });
    expect(doc.view().pages()).toHaveLength(1);
  });
});

describe('filters and predictors', () => {
  const z = (b: number[]) => new Uint8Array(deflateSync(Buffer.from(b)));
  const decode = (dict: string, data: Uint8Array | string) => {
    const { v } = readsOnePage([...base, stream(dict, data)]);
    return [...v.streamData(v.object(4) as PdfStream)];
  };
  it('PNG predictors (None, Sub, Up, Average, Paeth), TIFF predictor 2, ASCIIHex, ASCII85, a chain', () => {
    // Two rows of 3 bytes each, one PNG row type per case; the second row predicted from the first.
    const rows = (type: number, r1: number[], r2: number[]) => z([type, ...r1, type, ...r2]);
    const parms = '/DecodeParms << /Predictor 12 /Columns 3 >>';
    expect(decode(`/Filter /FlateDecode ${parms}`, rows(0, [1, 2, 3], [4, 5, 6]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decode(`/Filter /FlateDecode ${parms}`, rows(1, [1, 1, 1], [4, 1, 1]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decode(`/Filter /FlateDecode ${parms}`, rows(2, [1, 2, 3], [3, 3, 3]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decode(`/Filter /FlateDecode ${parms}`, rows(3, [2, 3, 4], [3, 2, 1]))).toEqual([2, 4, 6, 4, 6, 7]);
    expect(decode(`/Filter /FlateDecode ${parms}`, rows(4, [1, 2, 3], [3, 1, 1]))).toEqual([1, 3, 6, 4, 5, 7]);
    expect(decode('/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 3 >>', z([1, 1, 1, 5, 1, 1]))).toEqual([1, 2, 3, 5, 6, 7]);
    expect(decode('/Filter /ASCIIHexDecode', '48 65 6c 6C 6f7>')).toEqual([...Buffer.from('Hellop')]);
    expect(decode('/Filter /ASCII85Decode', '<~87cURD]j7BEbo7~>')).toEqual([...Buffer.from('Hello world')]);
    expect(decode('/Filter /ASCII85Decode', 'z!!~>')).toEqual([0, 0, 0, 0, 0]);
    const hexOfZ = Buffer.from(deflateSync(Buffer.from('chained'))).toString('hex') + '>';
    expect(decode('/Filter [/ASCIIHexDecode /FlateDecode] /DecodeParms [null null]', hexOfZ)).toEqual([...Buffer.from('chained')]);
  });
  it('a hostile /Columns allocates nothing', () => {
    expect(decode('/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 10000000 /Colors 32 /BitsPerComponent 16 >>', z([2, 1, 2, 3]))).toEqual([]);
  });
});

describe('the lexer through the parser', () => {
  it('names, strings, numbers, booleans, null, references', () => {
    const obj =
      '<< /A#20B (a \\(nested (pair)\\) \\101\\60\\0061 \\n\\\\ end\\\ncontinued) /Hex <48 65 6C6C6f7> /Nums [-.5 +3 4. 0.25 -7 --2 12] ' +
      '/Bools [true false null] /Refs [1 0 R 2 0R 3 4] /Empty () /EmptyName / /Deep << /X [[[ ]]] >> >>';
    const { v } = readsOnePage([...base, obj]);
    const d = v.object(4) as PdfDict;
    expect(d.keys()).toContain('A B');
    expect(td.decode((d.get('A B') as PdfString).bytes)).toBe('a (nested (pair)) A0\x061 \n\\ endcontinued');
    expect((d.get('Hex') as PdfString).hex).toBe(true);
    expect(td.decode((d.get('Hex') as PdfString).bytes)).toBe('Hellop');
    expect(d.get('Nums')).toEqual([-0.5, 3, 4, 0.25, -7, -2, 12]);
    expect(d.get('Bools')).toEqual([true, false, null]);
    const refs = d.get('Refs') as PdfValue[];
    expect(refs.slice(0, 2).map((r) => (r as PdfRef).key)).toEqual(['1 0', '2 0']);
    expect(refs.slice(2)).toEqual([3, 4]);
    expect((d.get('Empty') as PdfString).bytes).toHaveLength(0);
    expect((d.get('EmptyName') as PdfName).name).toBe('');
    expect(v.resolve(refs[0])).toBeInstanceOf(PdfDict);
  });

  it('UTF-16BE text strings', () => {
    const { v } = readsOnePage([...base, '<< /T <FEFF04220435043A0441044200200031> >>']);
    expect(((v.object(4) as PdfDict).get('T') as PdfString).text()).toBe('Текст 1');
  });
});
