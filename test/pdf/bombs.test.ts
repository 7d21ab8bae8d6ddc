/**
 * Hostile files: every one ends in its own PdfReadError code, without the memory or the time the
 * file asks for. No timing assertions: a cap that did not hold would show as memory or a hang.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createDeflate, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openPdf, PdfStream, type PdfReadErrorCode } from '../../src-shared/pdf';
import { CATALOG, handPdf, handXrefStreamPdf, objStm, PAGE, PAGES_1, stream } from './helpers';

function code(f: () => unknown): PdfReadErrorCode | 'none' | 'other' {
  try {
    f();
    return 'none';
  } catch (e) {
    return (e as { name?: string }).name === 'PdfReadError' ? (e as { code: PdfReadErrorCode }).code : 'other';
  }
}

/** zlib data that inflates to `mib` MiB of zeros, made without ever holding them. */
async function zeroBomb(mib: number): Promise<Uint8Array> {
  const zeros = Buffer.alloc(1 << 20);
  const source = Readable.from((function* () {
    for (let i = 0; i < mib; i++) yield zeros;
  })());
  return new Uint8Array(await buffer(source.pipe(createDeflate({ level: 9 }))));
}
const oneMib = () => new Uint8Array(deflateSync(Buffer.alloc(1 << 20)));

describe('decompression bombs', () => {
  it('a /Metadata stream inflating to 256 MiB: pdf_inflate_limit, memory flat', async () => {
    const bomb = await zeroBomb(256);
    expect(bomb.length).toBeLessThan(300_000);
    const pdf = handPdf([
      '<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>',
      PAGES_1,
      PAGE,
      stream('/Type /Metadata /Subtype /XML /Filter /FlateDecode', bomb),
    ]);
    const before = process.memoryUsage().rss;
    const doc = openPdf(pdf);
    const v = doc.view();
    const meta = v.resolve(v.catalog().get('Metadata'));
    expect(meta).toBeInstanceOf(PdfStream);
    expect(code(() => v.streamData(meta as PdfStream))).toBe('pdf_inflate_limit');
    // The same stream again (another view): refused again, and the refused work counted.
    expect(code(() => doc.view(0).streamData(meta as PdfStream))).toBe('pdf_inflate_limit');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('the document-wide budget: streams each under the per-stream cap, together over the budget', () => {
    const one = oneMib();
    const objs = [CATALOG, PAGES_1, PAGE, ...Array.from({ length: 5 }, () => stream('/Filter /FlateDecode', one))];
    const doc = openPdf(handPdf(objs), { maxStreamBytes: 2 << 20, maxDocumentInflateBytes: 3.5 * (1 << 20) });
    const v = doc.view();
    const results = [4, 5, 6, 7, 8].map((n) => code(() => v.streamData(v.object(n) as PdfStream)));
    expect(results).toEqual(['none', 'none', 'none', 'pdf_inflate_limit', 'pdf_inflate_limit']);
    // Already decoded streams stay readable (cached, not charged twice).
    expect(code(() => doc.view(0).streamData(v.object(4) as PdfStream))).toBe('none');
  });

  it('an object stream beyond maxObjectStreamBytes: pdf_object_stream_too_large; /N of a million: pdf_too_many_objects', () => {
    const z = (d: Uint8Array) => new Uint8Array(deflateSync(Buffer.concat([d, Buffer.alloc(2 << 20, 0x20)])));
    const objs = [CATALOG, PAGES_1, null, objStm([3], [PAGE], z)];
    const pdf = handXrefStreamPdf(objs, { 3: [4, 0] });
    expect(openPdf(pdf).view().pages()).toHaveLength(1);
    expect(code(() => openPdf(pdf, { maxObjectStreamBytes: 1 << 20 }).view().pages())).toBe('pdf_object_stream_too_large');
    const claims = handXrefStreamPdf([CATALOG, PAGES_1, null, objStm([3], [PAGE], undefined, '/N 1000000')], { 3: [4, 0] });
    expect(code(() => openPdf(claims).view().pages())).toBe('pdf_too_many_objects');
  });

  it('an unsupported filter is refused only when its data is asked for', () => {
    const doc = openPdf(handPdf([CATALOG, PAGES_1, PAGE, stream('/Filter /DCTDecode', 'not a jpeg')]));
    const v = doc.view();
    expect(v.pages()).toHaveLength(1);
    expect(code(() => v.streamData(v.object(4) as PdfStream))).toBe('pdf_unsupported_filter');
    const chain = openPdf(handPdf([CATALOG, PAGES_1, PAGE, stream('/Filter [/FlateDecode /LZWDecode]', oneMib())])).view();
    expect(code(() => chain.streamData(chain.object(4) as PdfStream))).toBe('pdf_unsupported_filter');
  });
});

describe('nesting, object counts, revision chains', () => {
  it('100 000 nested arrays: pdf_nesting_too_deep, in an object and in the trailer', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const doc = openPdf(handPdf([CATALOG, PAGES_1, PAGE, deep]));
    expect(code(() => doc.view().object(4))).toBe('pdf_nesting_too_deep');
    expect(code(() => openPdf(handPdf([CATALOG, PAGES_1, PAGE], { trailer: `/X ${deep}` })))).toBe('pdf_nesting_too_deep');
    // Even when a caller raises the cap beyond what the stack can take, the error is the same code.
    const noCap = openPdf(handPdf([CATALOG, PAGES_1, PAGE, deep]), { maxDepth: 10_000_000 });
    expect(code(() => noCap.view().object(4))).toBe('pdf_nesting_too_deep');
  });

  it('a trailer /Size of 1 000 000: pdf_too_many_objects', () => {
    const pdf = Buffer.from(handPdf([CATALOG, PAGES_1, PAGE])).toString('latin1').replace('/Size 4', '/Size 1000000');
    expect(code(() => openPdf(new Uint8Array(Buffer.from(pdf, 'latin1'))))).toBe('pdf_too_many_objects');
  });

  it('a real 1 000 000-entry xref table: pdf_too_many_objects', () => {
    const head = Buffer.from(handPdf([CATALOG, PAGES_1, PAGE])).toString('latin1');
    const xrefAt = head.indexOf('xref\n');
    const entry = '0000000009 00000 n \n';
    const table = `xref\n0 1000000\n0000000000 65535 f \n${entry.repeat(999_999)}trailer\n<< /Size 1000000 /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const pdf = new Uint8Array(Buffer.from(head.slice(0, xrefAt) + table, 'latin1'));
    expect(code(() => openPdf(pdf))).toBe('pdf_too_many_objects');
  });

  it('an xref stream claiming 1 000 000 entries: pdf_too_many_objects', () => {
    const base = Buffer.from(handPdf([CATALOG, PAGES_1, PAGE])).toString('latin1');
    const xrefAt = base.indexOf('xref\n');
    const xs = `4 0 obj\n<< /Type /XRef /Size 5 /Index [0 1000000] /W [1 2 1] /Root 1 0 R /Length 4 >>\nstream\n\x01\x00\x09\x00\nendstream\nendobj\n`;
    const pdf = base.slice(0, xrefAt) + xs + `startxref\n${xrefAt}\n%%EOF\n`;
    expect(code(() => openPdf(new Uint8Array(Buffer.from(pdf, 'latin1'))))).toBe('pdf_too_many_objects');
  });

  it('a /Prev loop and a chain longer than maxRevisions: pdf_too_many_revisions', () => {
    const base = Buffer.from(handPdf([CATALOG, PAGES_1, PAGE])).toString('latin1');
    const xrefAt = base.indexOf('xref\n');
    const selfLoop = base.replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`);
    expect(code(() => openPdf(new Uint8Array(Buffer.from(selfLoop, 'latin1'))))).toBe('pdf_too_many_revisions');
    // Two updates pointing at each other.
    let s = base;
    const a = s.length;
    s += `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${a + 60} >>\nstartxref\n${a}\n%%EOF\n`;
    const b = s.length;
    s = s.replace(`/Prev ${a + 60}`, `/Prev ${String(b).padEnd(String(a + 60).length)}`);
    s += `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${a} >>\nstartxref\n${b}\n%%EOF\n`;
    expect(code(() => openPdf(new Uint8Array(Buffer.from(s, 'latin1'))))).toBe('pdf_too_many_revisions');
    // 1 001 real updates.
    let chain = base;
    let prev = xrefAt;
    for (let i = 0; i < 1001; i++) {
      const at = chain.length;
      chain += `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`;
      prev = at;
    }
    const chainPdf = new Uint8Array(Buffer.from(chain, 'latin1'));
    expect(code(() => openPdf(chainPdf))).toBe('pdf_too_many_revisions');
    const long = openPdf(chainPdf, { maxRevisions: 2000 });
    expect(long.revisions).toHaveLength(1002);
    // Every revision's view, each sharing the one xref history.
    for (const r of long.revisions) expect(long.view(r.index).pages()).toHaveLength(1);
  });
});
