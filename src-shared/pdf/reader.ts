/**
 * openPdf: finds the last `startxref`, follows the /Prev chain of xref sections (classic tables,
 * xref streams, hybrid files) and turns it into revisions, oldest first, each ending just past
 * the `%%EOF` that follows its xref section. Every step is capped (revisions, objects, work).
 */
import { DocCore } from './core';
import { toPdfError } from './errors';
import { isDigit, isWhite } from './lexer';
import { DEFAULT_PDF_LIMITS, PdfReadError, type PdfDocument, type PdfLimits, type PdfRevision, type PdfSourceDocument, type PdfView } from './model';
import { XrefAt, XrefHistory } from './history';
import { memorySource, SourceReader, type ByteSource } from './source';
import { View } from './view';
import { readXrefSectionAt, type XrefSection } from './xref';

/** `%PDF-` may follow junk (mail headers, a BOM): look this far for it. */
const HEADER_SEARCH = 64 * 1024;
/** A wrong startxref/Prev offset: look this far either side for the `xref` keyword. */
const XREF_NEAR = 1024;

export function openPdf(bytes: Uint8Array, limits?: Partial<PdfLimits>): PdfDocument {
  try {
    return new MemoryDocument(bytes, { ...DEFAULT_PDF_LIMITS, ...limits });
  } catch (e) {
    throw toPdfError(e);
  }
}

/**
 * The same reader on any byte source — a file on disk read by positioned reads: only the tail, the
 * xref chain and the objects asked for are read. Same caps, same refusals as openPdf.
 */
export function openPdfSource(source: ByteSource, limits?: Partial<PdfLimits>): PdfSourceDocument {
  try {
    return new Document(source, { ...DEFAULT_PDF_LIMITS, ...limits });
  } catch (e) {
    throw toPdfError(e);
  }
}

class Document implements PdfSourceDocument {
  readonly length: number;
  readonly revisions: readonly PdfRevision[];
  private readonly core: DocCore;
  /** Offset just past each revision's `%%EOF` marker itself (before its end-of-line). */
  private readonly markerEnds: number[];
  private readonly views = new Map<number, View>();
  private history?: XrefHistory;

  constructor(
    readonly source: ByteSource,
    readonly limits: Readonly<PdfLimits>,
  ) {
    this.length = source.length;
    const file = new SourceReader(source);
    const header = file.indexOf('%PDF-', 0, Math.min(source.length, HEADER_SEARCH));
    if (header < 0) throw new PdfReadError('pdf_invalid', 'not a PDF file (no %PDF- header)');
    this.core = new DocCore(source, limits, header);
    const sections = this.readChain(header);
    const { revisions, markerEnds } = this.toRevisions(sections);
    this.revisions = revisions;
    this.markerEnds = markerEnds;
    for (const r of revisions) {
      const enc = r.trailer.get('Encrypt');
      if (enc !== undefined && enc !== null) throw new PdfReadError('pdf_encrypted', 'the document is encrypted');
    }
  }

  view(index = this.revisions.length - 1): PdfView {
    try {
      const rev = this.revisions[index];
      if (!rev) throw new PdfReadError('pdf_invalid', `no revision ${index}`);
      let v = this.views.get(index);
      if (!v) {
        this.history ??= new XrefHistory(this.revisions);
        const xref = new XrefAt(this.history, index);
        if (xref.size > this.limits.maxObjects) throw new PdfReadError('pdf_too_many_objects', `${xref.size} objects`);
        v = new View(this.core, rev, xref);
        this.views.set(index, v);
      }
      return v;
    } catch (e) {
      throw toPdfError(e);
    }
  }

  revisionEndingAt(offset: number): PdfRevision | undefined {
    const file = this.core.file;
    for (const r of this.revisions) {
      if (offset >= this.markerEnds[r.index]! && offset <= r.end) return r;
      if (offset > r.end && offset <= this.length && offset - r.end <= 1024) {
        let p = r.end;
        while (p < offset && isWhite(file.byteAt(p)!)) p++;
        if (p === offset) return r;
      }
    }
    return undefined;
  }

  /** The xref sections from the newest (where the last startxref points) back along /Prev. */
  private readChain(header: number): XrefSection[] {
    const { core, limits } = this;
    const file = core.file;
    const sx = file.lastIndexOf('startxref', this.length);
    if (sx < 0) throw new PdfReadError('pdf_truncated', 'the file has no startxref (cut short?)');
    let next: number | undefined = core.lexAt(sx + 9, (lex) => (lex.next() === 'num' && lex.isInt ? lex.num : undefined));
    if (next === undefined) throw new PdfReadError('pdf_truncated', 'startxref without an offset', { offset: sx });
    const sections: XrefSection[] = [];
    const seen = new Set<number>();
    let total = 0;
    while (next !== undefined) {
      if (seen.has(next)) throw new PdfReadError('pdf_too_many_revisions', 'the /Prev chain loops', { offset: next });
      if (sections.length >= limits.maxRevisions) throw new PdfReadError('pdf_too_many_revisions', `more than ${limits.maxRevisions} revisions`);
      seen.add(next);
      let s: XrefSection;
      try {
        s = this.readSection(next, header);
      } catch (e) {
        // The last startxref without its %%EOF after it, and nothing readable where it points: cut short.
        if (sections.length === 0 && e instanceof PdfReadError && e.code === 'pdf_invalid' && file.indexOf('%%EOF', sx) < 0) {
          throw new PdfReadError('pdf_truncated', 'the file ends inside its last xref section', { offset: sx });
        }
        throw e;
      }
      if (seen.has(s.offset) && s.offset !== next) throw new PdfReadError('pdf_too_many_revisions', 'the /Prev chain loops', { offset: s.offset });
      seen.add(s.offset);
      total += s.entries.size;
      // Linearized files list every object twice at most; more than that is an attack.
      if (total > 2 * limits.maxObjects) throw new PdfReadError('pdf_too_many_objects', 'the xref sections list too many objects');
      sections.push(s);
      const prev = s.trailer.get('Prev');
      next = typeof prev === 'number' && Number.isSafeInteger(prev) && prev >= 0 ? prev : undefined;
    }
    return sections;
  }

  private readSection(offset: number, header: number): XrefSection {
    const { core, length } = this;
    const file = core.file;
    if (offset >= length + header) throw new PdfReadError('pdf_truncated', 'an xref offset past the end of the file', { offset });
    const tryAt = (o: number) => (o >= 0 && o < length ? readXrefSectionAt(core, o) : undefined);
    let s: XrefSection | undefined;
    let failure: PdfReadError | undefined;
    try {
      s = tryAt(offset);
    } catch (e) {
      // Something unreadable where the offset points: a wrong offset, maybe. Try the repairs below first.
      if (!(e instanceof PdfReadError) || e.code !== 'pdf_invalid') throw e;
      failure = e;
    }
    const attempt = (o: number) => {
      try {
        return tryAt(o);
      } catch (e) {
        if (e instanceof PdfReadError && e.code === 'pdf_invalid') return undefined;
        throw e;
      }
    };
    if (!s && header > 0) s = attempt(offset + header);
    if (!s) {
      const from = Math.max(0, offset - XREF_NEAR);
      core.charge(2 * XREF_NEAR);
      const p = file.indexOf('xref', from, Math.min(length, offset + XREF_NEAR));
      if (p >= 0 && (p === 0 || !isDigit(file.byteAt(p - 1)!)) && !file.startsWith(p - 5, 'start')) s = attempt(p);
    }
    if (!s && failure) throw failure;
    if (!s) throw new PdfReadError('pdf_invalid', 'no xref section where startxref points', { offset });
    return s;
  }

  private toRevisions(newestFirst: XrefSection[]): { revisions: PdfRevision[]; markerEnds: number[] } {
    const revisions: PdfRevision[] = [];
    const markerEnds: number[] = [];
    const file = this.core.file;
    for (const s of [...newestFirst].reverse()) {
      const eof = this.core.search('%%EOF', s.endPos);
      let markerEnd = this.length, end = this.length;
      if (eof >= 0) {
        markerEnd = end = eof + 5;
        if (file.byteAt(end) === 0x0d) end++;
        if (file.byteAt(end) === 0x0a) end++;
      }
      const last = revisions[revisions.length - 1];
      if (last && end <= last.end) {
        // A section that ends before the previous one: the first-page xref of a linearized file
        // (its /Prev points forward to the main xref). Both describe one revision.
        const entries = new Map(last.entries);
        for (const [n, e] of s.entries) entries.set(n, e);
        revisions[revisions.length - 1] = { ...last, startxref: s.offset, xrefKind: s.kind, trailer: s.trailer, entries };
        continue;
      }
      revisions.push({ index: revisions.length, startxref: s.offset, end, xrefKind: s.kind, trailer: s.trailer, entries: s.entries });
      markerEnds.push(markerEnd);
    }
    return { revisions, markerEnds };
  }
}

/** The reader on a file in memory: `bytes` is the file, for callers that compare raw data. */
class MemoryDocument extends Document implements PdfDocument {
  constructor(
    readonly bytes: Uint8Array,
    limits: Readonly<PdfLimits>,
  ) {
    super(memorySource(bytes), limits);
  }
}
