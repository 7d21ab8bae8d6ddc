/**
 * The bounded reader on real files: pdf-lib output rewritten by qpdf into object streams, QDF
 * and linearized form, compared object by object with `qpdf --json` and page counts with pdfinfo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inflateCapped, openPdf, PdfReadError, PdfStream } from '../../src-shared/pdf';
import { deflateSync } from 'node:zlib';
import { pdfinfoPages, qpdfJson, qpdfRewrite, samplePdf, sameObjectAsQpdf, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let base: Uint8Array;
beforeAll(async () => {
  tmp = tempDir('pdf-reader-');
  base = await samplePdf(3);
});
afterAll(() => tmp?.cleanup());

const variants: [string, string[]][] = [
  ['classic xref (pdf-lib)', []],
  ['object streams + xref stream', ['--object-streams=generate']],
  ['QDF', ['--qdf']],
  ['linearized', ['--linearize']],
  ['linearized with object streams', ['--linearize', '--object-streams=generate']],
];

describe('openPdf on real files, against qpdf --json and pdfinfo', () => {
  it.each(variants)('%s', (name, args) => {
    const bytes = args.length ? qpdfRewrite(tmp.dir, name.replace(/\W+/g, '-'), base, args) : base;
    const doc = openPdf(bytes);
    expect(doc.revisions).toHaveLength(1);
    expect(doc.revisions[0]!.end).toBe(bytes.length);
    const view = doc.view();
    const oracle = qpdfJson(tmp.dir, bytes);
    // Every object qpdf sees, the reader sees with the same value.
    const nums = Object.keys(oracle.objects).filter((k) => k.startsWith('obj:'));
    expect(nums.length).toBeGreaterThan(5);
    for (const k of nums) {
      const num = Number(k.slice(4).split(' ')[0]);
      const diff = sameObjectAsQpdf(view.object(num), oracle.objects[k]);
      expect(diff, `object ${num}`).toBeUndefined();
    }
    const pages = view.pages();
    expect(pages.map((p) => `${p.ref.num} ${p.ref.gen} R`)).toEqual(oracle.pages);
    expect(pages).toHaveLength(pdfinfoPages(tmp.dir, bytes));
    expect(view.catalog().name('Type')).toBe('Catalog');
    // Content streams decode.
    const c = view.resolve(pages[0]!.dict.get('Contents'));
    const contents = Array.isArray(c) ? view.resolve(c[0]) : c;
    expect(contents).toBeInstanceOf(PdfStream);
    expect(new TextDecoder().decode(view.streamData(contents as PdfStream))).toContain('BT');
  });
});

describe('refusals on open', () => {
  it('an encrypted file (qpdf --encrypt): pdf_encrypted', () => {
    for (const bits of ['256']) {
      const enc = qpdfRewrite(tmp.dir, `enc${bits}`, base, ['--encrypt', 'user', 'owner', bits, '--']);
      expect(() => openPdf(enc)).toThrow(expect.objectContaining({ code: 'pdf_encrypted' }));
    }
  });
  it('not a PDF, an empty file, a header only: pdf_invalid or pdf_truncated', () => {
    expect(() => openPdf(new TextEncoder().encode('hello world'))).toThrow(expect.objectContaining({ code: 'pdf_invalid' }));
    expect(() => openPdf(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'pdf_invalid' }));
    expect(() => openPdf(new TextEncoder().encode('%PDF-1.7\n'))).toThrow(expect.objectContaining({ code: 'pdf_truncated' }));
  });
});

describe('inflateCapped', () => {
  it('inflates, refuses past the cap, keeps what a truncated stream gave', () => {
    const plain = Buffer.from(new Uint8Array(100_000).map((_, i) => (i * 7) % 251));
    const z = new Uint8Array(deflateSync(plain));
    expect(Buffer.from(inflateCapped(z, 1 << 20)).equals(plain)).toBe(true);
    expect(() => inflateCapped(z, 50_000)).toThrow(expect.objectContaining({ code: 'pdf_inflate_limit' }));
    const cut = inflateCapped(z.subarray(0, Math.floor(z.length / 2)), 1 << 20);
    expect(cut.length).toBeGreaterThan(0);
    expect(Buffer.from(cut).equals(plain.subarray(0, cut.length))).toBe(true);
    const garbageTail = new Uint8Array([...z.subarray(0, z.length - 10), ...new Uint8Array(50).fill(0xff)]);
    expect(inflateCapped(garbageTail, 1 << 20).length).toBeGreaterThan(0);
    expect(() => inflateCapped(new Uint8Array([1, 2, 3, 4, 5]), 100)).toThrow(PdfReadError);
  });
});
