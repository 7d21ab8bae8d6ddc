/**
 * The reader on a file on disk (openPdfSource + FileSource, positioned reads of windows) reads the
 * same document as the reader on the bytes in memory: the same revisions, trailers, xref entries,
 * objects, decoded streams, pages — and on damaged files the same PdfReadError codes at the same
 * steps. A third source hands the reader windows that start at 3 bytes, so nearly every parse runs
 * off its window and is redone on a larger one. Streaming PAdES builds the same update from the
 * file as from memory while reading a small part of a large file.
 */
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPdf, openPdfSource, PdfDict, PdfName, PdfReadError, PdfRef, PdfStream, PdfString, type ByteSource, type PdfSourceDocument, type PdfValue } from '../../src-shared/pdf';
import { signatureUpdateFor, signatureUpdateForSource } from '../../src-shared/signing/pades';
import { FileSource } from '../../src-main/signing/file-source';
import { signPdfFileStreaming } from '../../src-main/signing/pades-file';
import { appendUpdate, CATALOG, handPdf, handXrefStreamPdf, hybridPdf, objStm, PAGE, PAGES_1, qpdfRewrite, samplePdf, tempDir } from './helpers';

vi.setConfig({ testTimeout: 120_000 });

const LIMITS = { maxStreamBytes: 1 << 20, maxDocumentInflateBytes: 4 << 20 };

let tmp: ReturnType<typeof tempDir>;
const files: Record<string, Uint8Array> = {};
beforeAll(async () => {
  tmp = tempDir('pdf-source-');
  const base = await samplePdf(2);
  files.classic = base;
  files.objectStreams = qpdfRewrite(tmp.dir, 'os', base, ['--object-streams=generate']);
  files.linearized = qpdfRewrite(tmp.dir, 'lin', base, ['--linearize', '--object-streams=generate']);
  files.hybrid = hybridPdf();
  files.handXrefStream = handXrefStreamPdf([CATALOG, PAGES_1, null, objStm([3, 5], [PAGE, '(five)']), null], { 3: [4, 0], 5: [4, 1] });
  files.classicUpdated = appendUpdate(files.classic);
  files.objectStreamsUpdated = appendUpdate(files.objectStreams);
  // Two signatures' worth of incremental updates, written by streaming PAdES itself (a dummy CMS).
  let signed = files.objectStreams;
  for (let i = 0; i < 2; i++) {
    const inPath = join(tmp.dir, `signed-in-${i}.pdf`), outPath = join(tmp.dir, `signed-${i}.pdf`);
    writeFileSync(inPath, signed);
    await signPdfFileStreaming(inPath, outPath, { signingTime: new Date(Date.UTC(2026, 0, 2)) }, 1 << 30, () => Promise.resolve(new Uint8Array([0x30, 0x03, 2, 1, i])));
    signed = new Uint8Array(readFileSync(outPath));
  }
  files.signedTwice = signed;
});
afterAll(() => tmp?.cleanup());

let fileNo = 0;
/** Opens `bytes` written to a file, through FileSource; the file is closed when `f` returns. */
function withFile<T>(bytes: Uint8Array, f: (src: FileSource) => T): T {
  const path = join(tmp.dir, `src-${fileNo++}.pdf`);
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    return f(new FileSource(fd, bytes.length));
  } finally {
    closeSync(fd);
  }
}

/** In memory but without `whole`: windows from 3 bytes up, a copy each time. */
const tinyWindows = (bytes: Uint8Array): ByteSource => ({ length: bytes.length, window: 3, read: (a, b) => bytes.slice(Math.max(0, a), Math.min(bytes.length, b)) });

function show(v: PdfValue | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (v instanceof PdfName) return `/${v.name}`;
  if (v instanceof PdfString) return `<${Buffer.from(v.bytes).toString('hex')}>`;
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
  if (v instanceof PdfDict) return `<<${[...v.entries].map(([k, x]) => `/${k} ${show(x)}`).join(' ')}>>`;
  if (v instanceof PdfStream) return `stream(${show(v.dict)} @${v.dataStart}+${v.dataLength})`;
  return '?';
}

function step(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof PdfReadError) return `error ${e.code}`;
    throw e;
  }
}

/** Everything the reader's API offers, as text: equal transcripts mean the same parse. */
function transcript(open: () => PdfSourceDocument): string[] {
  const out: string[] = [];
  let doc: PdfSourceDocument;
  try {
    doc = open();
  } catch (e) {
    if (e instanceof PdfReadError) return [`open: ${e.code}`];
    throw e;
  }
  for (const rev of doc.revisions) {
    out.push(`rev ${rev.index} xref@${rev.startxref} end ${rev.end} ${rev.xrefKind} ${show(rev.trailer)} ${JSON.stringify([...rev.entries])}`);
    out.push(`ending at ${rev.end}: ${doc.revisionEndingAt(rev.end)?.index}; +2: ${doc.revisionEndingAt(rev.end + 2)?.index}`);
    out.push(step(() => {
      const v = doc.view(rev.index);
      const lines = [`catalog ${step(() => show(v.catalog()))}`, `pages ${step(() => v.pages().map((p) => p.ref.key).join(','))}`];
      for (const num of [...v.xref.keys()].sort((a, b) => a - b)) {
        lines.push(`${num}: ${step(() => {
          const o = v.object(num);
          if (!(o instanceof PdfStream)) return show(o);
          return `${show(o)} data ${step(() => Buffer.from(v.streamData(o)).toString('base64'))}`;
        })}`);
      }
      return lines.join('\n');
    }));
  }
  return out;
}

/** The three readings of one file must agree line by line. */
function expectSameParse(bytes: Uint8Array, label: string): string[] {
  const mem = transcript(() => openPdf(bytes, LIMITS));
  const file = withFile(bytes, (src) => transcript(() => openPdfSource(src, LIMITS)));
  const tiny = transcript(() => openPdfSource(tinyWindows(bytes), LIMITS));
  expect(file, `${label}: file`).toEqual(mem);
  expect(tiny, `${label}: tiny windows`).toEqual(mem);
  return mem;
}

describe('the same parse from a file on disk as from memory', () => {
  it.each(['classic', 'objectStreams', 'linearized', 'hybrid', 'handXrefStream', 'classicUpdated', 'objectStreamsUpdated', 'signedTwice'])('%s', (name) => {
    const t = expectSameParse(files[name]!, name);
    expect(t[0]).toMatch(/^rev 0 /);
    expect(t.join('\n')).not.toContain('error');
  });
});

describe('damaged files fail the same way', () => {
  it('truncated at ~80 offsets and in the last 40 bytes of every kind of file', () => {
    for (const name of ['classic', 'objectStreams', 'linearized', 'hybrid', 'objectStreamsUpdated', 'signedTwice']) {
      const f = files[name]!;
      const cuts = new Set<number>();
      for (let i = 1; i < 80; i++) cuts.add(Math.floor((f.length * i) / 80));
      for (let i = 1; i <= 40; i++) cuts.add(f.length - i);
      for (const cut of cuts) expectSameParse(f.subarray(0, cut), `${name} cut at ${cut}`);
    }
  });

  it('a /Prev loop, a /Prev to itself, and huge offsets in startxref, /Prev, /XRefStm and xref entries', () => {
    const base = Buffer.from(handPdf([CATALOG, PAGES_1, PAGE])).toString('latin1');
    const xrefAt = base.indexOf('xref\n');
    const selfLoop = base.replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`);
    let s = base;
    const a = s.length;
    s += `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${a + 60} >>\nstartxref\n${a}\n%%EOF\n`;
    const b = s.length;
    const loop = s.replace(`/Prev ${a + 60}`, `/Prev ${String(b).padEnd(String(a + 60).length)}`) + `xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${a} >>\nstartxref\n${b}\n%%EOF\n`;
    const cases: Record<string, [string, string]> = {
      selfLoop: [selfLoop, 'open: pdf_too_many_revisions'],
      loop: [loop, 'open: pdf_too_many_revisions'],
      startxref: [base.replace(`startxref\n${xrefAt}`, 'startxref\n99999999999'), 'open: pdf_truncated'],
      prev: [base.replace('/Root 1 0 R', '/Root 1 0 R /Prev 99999999999'), 'open: pdf_truncated'],
      xrefStm: [base.replace('/Root 1 0 R', '/Root 1 0 R /XRefStm 99999999999'), ''],
      entry: [base.replace(/\d{10}( 00000 n \n)(?![\s\S]*\d{10} 00000 n)/, `9999999999$1`), ''],
    };
    for (const [name, [pdf, expected]] of Object.entries(cases)) {
      const t = expectSameParse(new Uint8Array(Buffer.from(pdf, 'latin1')), name);
      if (expected) expect(t, name).toEqual([expected]);
    }
    // The page's entry past the end of the file: found by the scan for object headers, from disk too.
    expect(expectSameParse(new Uint8Array(Buffer.from(cases.entry![0], 'latin1')), 'entry').join('\n')).toContain('3: <</Type /Page');
    // An update listing an object past the end that is nowhere in the file: that object alone is pdf_truncated.
    const at = base.length;
    const past = `${base}xref\n0 1\n0000000000 65535 f \n7 1\n9999999999 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Prev ${xrefAt} >>\nstartxref\n${at}\n%%EOF\n`;
    expect(expectSameParse(new Uint8Array(Buffer.from(past, 'latin1')), 'past').join('\n')).toContain('7: error pdf_truncated');
  });

  it('random byte edits, insertions and deletions', () => {
    const names = ['classic', 'objectStreams', 'hybrid', 'signedTwice'];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 6 }), (name, edits) => {
        let f = Buffer.from(files[name]!);
        for (const [where, byte, op] of edits) {
          const at = Math.min(f.length - 1, Math.floor(where * f.length));
          if (op === 'set') f[at] = byte;
          else if (op === 'insert') f = Buffer.concat([f.subarray(0, at), Buffer.from([byte]), f.subarray(at)]);
          else f = Buffer.concat([f.subarray(0, at), f.subarray(at + 1)]);
        }
        expectSameParse(new Uint8Array(f), name);
      }),
      { numRuns: 60, seed: 1406 },
    );
  });
});

describe('streaming PAdES reads the file, not the document', () => {
  it('builds the same update from the file as from memory', () => {
    const o = { signingTime: new Date(Date.UTC(2026, 5, 1)), name: 'Тест' };
    for (const name of ['classic', 'objectStreams', 'linearized', 'hybrid', 'signedTwice']) {
      const f = files[name]!;
      const mem = signatureUpdateFor(f, o);
      const disk = withFile(f, (src) => signatureUpdateForSource(src, o));
      expect(Buffer.from(disk.update).equals(Buffer.from(mem.update)), name).toBe(true);
      expect(disk.byteRange).toEqual(mem.byteRange);
    }
  });

  it('signing a 4 MiB PDF reads under 256 KiB of it to build the update', async () => {
    const big = handPdf([CATALOG, PAGES_1, PAGE, ['<< /Length 4194304 >>\nstream\n', new Uint8Array(4 << 20).fill(0x41), '\nendstream']]);
    const inPath = join(tmp.dir, 'big.pdf');
    writeFileSync(inPath, big);
    const r = await signPdfFileStreaming(inPath, join(tmp.dir, 'big-signed.pdf'), {}, 1 << 30, () => Promise.resolve(new Uint8Array([0x30, 0])));
    expect(r.parsedBytes).toBeGreaterThan(0);
    expect(r.parsedBytes).toBeLessThan(256 * 1024);
  });
});
