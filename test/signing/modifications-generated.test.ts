/**
 * The generated lock test (issue 13): every object reachable from the signed revision's catalog
 * (and /Info), rewritten in a later incremental update with a changed value, is reported as a
 * modification naming that object — with a classic xref table, and with object streams
 * (`qpdf --object-streams=generate` before signing) plus xref-stream updates. Rewritten with the
 * same value, no object is a modification. One signed base per variant; the analysis runs alone
 * (no CMS check), so the few hundred cases stay fast.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PdfDict, PdfStream, type PdfView } from '../../src-shared/pdf';
import { openPdf } from '../../src-shared/pdf/reader';
import { appendUpdate, baseDocument, changesOf, createFixture, dictWith, objectBody, pdfText, reachable, sign, streamObject, type Fixture } from './helpers/modification-fixtures';

vi.setConfig({ testTimeout: 120_000 });

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(() => fx?.pki.cleanup());

/** The object `num` with a changed value: a new key, one more line of data, one element less. */
function mutated(view: PdfView, num: number): string | Uint8Array {
  const v = view.object(num)!;
  if (v instanceof PdfStream) {
    const data = view.streamData(v);
    return streamObject(view, v, Buffer.concat([Buffer.from(data), Buffer.from('\n% changed after signing\n')]));
  }
  if (v instanceof PdfDict) return dictWith(v, { SeriktesChanged: 'true' });
  if (Array.isArray(v)) return pdfText(v.length > 0 ? v.slice(1) : [1]);
  return pdfText(typeof v === 'number' ? v + 1 : 1);
}

const VARIANTS = [
  { name: 'classic xref table', objectStreams: false, xref: 'table' as const },
  { name: 'object streams, xref-stream updates', objectStreams: true, xref: 'stream' as const },
];

let total = 0;

describe.each(VARIANTS)('generated rewrites after a signature: $name', ({ objectStreams, xref }) => {
  let signed: Uint8Array;
  let objects: number[];
  let sigDict: number;

  beforeAll(async () => {
    signed = await sign(await baseDocument(fx.pki, { pages: 60, objectStreams }), fx.supplier);
    const view = openPdf(signed).view();
    objects = reachable(view);
    const sig = view.dict(view.dict(view.dict(view.catalog().get('AcroForm'))?.get('Fields'))?.get('V'));
    sigDict = objects.find((n) => view.object(n) === sig) ?? -1;
  });

  it('the signed document alone has no changes after its signature', () => {
    expect(changesOf(signed)).toMatchObject({ kind: 'none', modifications: [] });
  });

  it('each reachable object, changed in a later update, is a modification naming it', () => {
    const view = openPdf(signed).view();
    expect(objects.length).toBeGreaterThanOrEqual(100);
    const missed: string[] = [];
    for (const num of objects) {
      const out = appendUpdate(signed, [{ num, body: mutated(view, num) }], { xref });
      const ch = changesOf(out);
      if (ch.kind !== 'other_changes' || !ch.modifications.some((m) => m.object === num)) {
        missed.push(`${num} (${ch.objects.find((o) => o.number === num)?.type ?? '?'}): ${JSON.stringify(ch.modifications)}`);
      }
      total++;
    }
    expect(missed).toEqual([]);
  });

  it('each reachable object rewritten with the same value is not a modification', () => {
    const view = openPdf(signed).view();
    const flagged: string[] = [];
    for (const num of objects) {
      // The signature dictionary holds the signed /Contents: rewriting it moves the gap out of its object.
      if (num === sigDict) continue;
      const ch = changesOf(appendUpdate(signed, [{ num, body: objectBody(view, num) }], { xref }));
      if (ch.kind !== 'signatures_only') flagged.push(`${num}: ${JSON.stringify(ch.modifications)}`);
    }
    expect(flagged).toEqual([]);
  });
});

describe('the generated set', () => {
  it('has at least 200 changed-object cases', () => {
    expect(total).toBeGreaterThanOrEqual(200);
  });
});
