/**
 * Truncated and mutated files: whatever the damage, the reader either reads the file or throws a
 * PdfReadError with one of its codes; never another exception, never a hang.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPdf, PDF_READ_ERRORS, PdfReadError, PdfStream } from '../../src-shared/pdf';
import { qpdfRewrite, samplePdf, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
const files: Record<string, Uint8Array> = {};
beforeAll(async () => {
  tmp = tempDir('pdf-hostile-');
  const base = await samplePdf(2);
  files.classic = base;
  files.objectStreams = qpdfRewrite(tmp.dir, 'os', base, ['--object-streams=generate']);
  files.linearized = qpdfRewrite(tmp.dir, 'lin', base, ['--linearize', '--object-streams=generate']);
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
  it.each(['classic', 'objectStreams', 'linearized'])('%s, cut at ~300 offsets and in the last 64 bytes', (name) => {
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
  it.each(['classic', 'objectStreams', 'linearized'])('%s: random byte edits, insertions and deletions', (name) => {
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
