/**
 * Truncated and mutated files: whatever the damage, the reader either reads the file or throws a
 * PdfReadError with one of its codes; never another exception, never a hang.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPdf, PDF_READ_ERRORS, PdfReadError, PdfStream } from '../../src-shared/pdf';
import { appendUpdate, CATALOG, handPdf, handXrefStreamPdf, PAGE, PAGES_1, qpdfRewrite, samplePdf, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
const files: Record<string, Uint8Array> = {};
beforeAll(async () => {
  tmp = tempDir('pdf-hostile-');
  const base = await samplePdf(2);
  files.classic = base;
  files.objectStreams = qpdfRewrite(tmp.dir, 'os', base, ['--object-streams=generate']);
  files.linearized = qpdfRewrite(tmp.dir, 'lin', base, ['--linearize', '--object-streams=generate']);
  files.classicUpdated = appendUpdate(files.classic);
  files.objectStreamsUpdated = appendUpdate(files.objectStreams);
});

afterAll(() => tmp?.cleanup());

/** Opens and reads everything the API offers; returns 'ok' or the error code. */
function exercise(bytes: Uint8Array): string {
  try {
    const doc = openPdf(bytes, { maxStreamBytes: 1 << 20, maxDocumentInflateBytes: 4 << 20 });
    for (const rev of doc.revisions) {
      const v = doc.view(rev.index);
      for (const step of [() => v.catalog(), () => v.pages()]) {
        try {
          step();
        } catch (e) {
          if (!(e instanceof PdfReadError)) throw e;
        }
      }
      for (const [num] of v.xref) {
        try {
          const o = v.object(num);
          if (o instanceof PdfStream) v.streamData(o);
          v.dict(o);
        } catch (e) {
          if (!(e instanceof PdfReadError)) throw e;
        }
      }
      doc.revisionEndingAt(rev.end);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof PdfReadError) return e.code;
    return `other: ${(e as Error)?.stack ?? String(e)}`;
  }
}

const allowed = new Set<string>(['ok', ...PDF_READ_ERRORS]);

describe('truncated files', () => {
  it('an appended update: two revisions; cut inside the update, the first revision alone', () => {
    for (const name of ['classicUpdated', 'objectStreamsUpdated']) {
      const f = files[name]!;
      const doc = openPdf(f);
      expect(doc.revisions).toHaveLength(2);
      expect(doc.revisions[1]!.end).toBe(f.length);
      const firstEnd = doc.revisions[0]!.end;
      // Before the update's startxref: the first revision alone. Inside its startxref number: pdf_truncated,
      // or (the `xref` keyword found near the cut number) the update read as a last revision without %%EOF.
      for (let cut = firstEnd; cut < f.length; cut += 3) {
        const r = exercise(f.subarray(0, cut));
        if (r === 'pdf_truncated') continue;
        const ends = openPdf(f.subarray(0, cut)).revisions.map((x) => x.end);
        expect([[firstEnd], [firstEnd, cut]], `cut at ${cut}: ${r}`).toContainEqual(ends);
      }
    }
  });

  it.each(['classic', 'objectStreams', 'linearized', 'classicUpdated', 'objectStreamsUpdated'])('%s, cut at ~300 offsets and in the last 64 bytes', (name) => {
    const f = files[name]!;
    const cuts = new Set<number>();
    for (let i = 0; i < 300; i++) cuts.add(Math.floor((f.length * i) / 300));
    for (let i = 1; i <= 64; i++) cuts.add(f.length - i);
    const outcomes = new Map<string, number>();
    for (const cut of cuts) {
      const r = exercise(f.subarray(0, cut));
      expect(allowed.has(r), `cut at ${cut}: ${r}`).toBe(true);
      outcomes.set(r, (outcomes.get(r) ?? 0) + 1);
    }
    // Cuts before the final startxref cannot be read as the whole document.
    expect(outcomes.get('ok') ?? 0).toBeLessThan(cuts.size);
  });
});

describe('mutated files (fast-check)', () => {
  it.each(['classic', 'objectStreams', 'linearized', 'classicUpdated'])('%s: random byte edits, insertions and deletions', (name) => {
    const f = files[name]!;
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(f.length - 1), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(f.length - 1), text: fc.constantFrom('[', '<<', '(', ')', '>>', '\\', ' 0 R', 'endstream', '%', '999999999999', '-', '\n', '#') }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(f.length - 1), count: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let b = Buffer.from(f);
        for (const e of edits) {
          const at = Math.min(e.at, b.length - 1);
          if (e.kind === 'set') b[at] = e.byte;
          else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.text, 'latin1'), b.subarray(at)]);
          else b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.count)]);
        }
        const r = exercise(new Uint8Array(b));
        expect(allowed.has(r), r).toBe(true);
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

describe('damage that would make repeated work quadratic', () => {
  it('2 000 objects whose strings never end, before 2 MiB without a closing parenthesis', () => {
    const objs = [CATALOG, PAGES_1, PAGE, ...Array.from({ length: 2000 }, () => '(unterminated')];
    const pdf = Buffer.from(handPdf(objs)).toString('latin1');
    // Move the xref after a 2 MiB tail: every string now runs to the end of the file.
    const xrefAt = pdf.indexOf('xref\n');
    const tail = 'x'.repeat(2 << 20);
    const fixed = pdf.slice(0, xrefAt) + tail + pdf.slice(xrefAt).replace(/startxref\n\d+/, `startxref\n${xrefAt + tail.length}`);
    const doc = openPdf(new Uint8Array(Buffer.from(fixed, 'latin1')));
    const v = doc.view();
    const codes = new Set<string>();
    for (let n = 4; n < 2004; n++) {
      try {
        v.object(n);
        codes.add('ok');
      } catch (e) {
        codes.add(e instanceof PdfReadError ? e.code : 'other');
      }
    }
    expect([...codes].sort()).toEqual(['pdf_invalid', 'pdf_truncated']);
  });

  it('an object stream of 20 000 entries all pointing into one unterminated string', () => {
    const n = 20_000;
    const nums = Array.from({ length: n }, (_, i) => i + 4);
    let header = '';
    for (const num of nums) header += `${num} 0 `;
    const body = header + '(' + 'y'.repeat(4 << 20);
    const z = new Uint8Array(deflateSync(Buffer.from(body, 'latin1')));
    const stm = [`<< /Type /ObjStm /N ${n} /First ${header.length} /Filter /FlateDecode /Length ${z.length} >>\nstream\n`, z, '\nendstream'];
    const objs: (string | (string | Uint8Array)[] | null)[] = [CATALOG, PAGES_1, PAGE, ...nums.map(() => null), stm];
    const compressed: Record<number, [number, number]> = {};
    nums.forEach((num, i) => (compressed[num] = [n + 4, i]));
    const doc = openPdf(handXrefStreamPdf(objs, compressed));
    const v = doc.view();
    const codes = new Set<string>();
    for (const num of nums) {
      try {
        v.object(num);
        codes.add('ok');
      } catch (e) {
        codes.add(e instanceof PdfReadError ? e.code : 'other');
      }
    }
    expect([...codes].every((c) => c === 'pdf_invalid' || c === 'pdf_truncated')).toBe(true);
  });
});
