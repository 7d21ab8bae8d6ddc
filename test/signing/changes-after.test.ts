/**
 * What counts as "only signatures were added" after a signed revision (the lock rule's input).
 * Synthetic incremental updates, so each case changes exactly one thing.
 */
import { describe, expect, it } from 'vitest';
import { changesAfter } from '../../src-shared/signing/verify-pdf';

const enc = (s: string) => new TextEncoder().encode(s);
const signed = [
  '%PDF-1.7',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595.0 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >> endobj',
  '4 0 obj << /Length 10 >> stream\nBT ET q Q\nendstream endobj',
  '6 0 obj << /FT /Sig /Type /Annot /Subtype /Widget /V 7 0 R >> endobj',
  '7 0 obj << /Type /Sig /Contents <' + '0'.repeat(20000) + '> >> endobj',
  '%%EOF',
  '',
].join('\n');
const signature = '9 0 obj << /FT /Sig /Type /Annot /Subtype /Widget /V 10 0 R >> endobj\n10 0 obj << /Type /Sig /Contents <00> >> endobj\n';
const after = (update: string) => {
  const bytes = enc(signed + update + '%%EOF\n');
  return changesAfter(bytes, enc(signed).length);
};

describe('changes after a signed revision', () => {
  it('a co-signature that adds its widget to the page is "signatures only"', () => {
    const page = '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 9 0 R] >> endobj\n';
    expect(after(page + signature).kind).toBe('signatures_only');
  });

  it('a co-signature that also swaps the page content, resizes it or rotates it is an edit', () => {
    for (const changed of [
      '/MediaBox [0 0 595 842] /Contents 8 0 R /Resources << /Font << /F1 5 0 R >> >>',
      '/MediaBox [0 0 842 595] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>',
      '/MediaBox [0 0 595 842] /Rotate 90 /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>',
      '/MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 8 0 R >> >>',
    ]) {
      const page = `3 0 obj << /Type /Page /Parent 2 0 R ${changed} /Annots [6 0 R 9 0 R] >> endobj\n`;
      const r = after(page + signature);
      expect(r.kind, changed).toBe('other_changes');
      expect(r.objects.find((o) => o.number === 3)?.type).toBe('page_content');
    }
  });

  it('a new content stream, or a page update without any signature, is an edit', () => {
    expect(after('8 0 obj << /Length 5 >> stream\nBT ET\nendstream endobj\n' + signature).kind).toBe('other_changes');
    expect(after('3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [6 0 R] >> endobj\n').kind).toBe('other_changes');
  });

  it('stays fast on long runs of digits (a signature placeholder) in the signed part and after it', () => {
    const big = '11 0 obj << /Type /Sig /Contents <' + '0'.repeat(60_000) + '> >> endobj\n';
    const r = after(signature + big);
    expect(r.kind).toBe('signatures_only');
  });
});
