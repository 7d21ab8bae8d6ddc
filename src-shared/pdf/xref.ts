/**
 * One cross-reference section: a classic `xref` table with its trailer (and, in a hybrid file,
 * the /XRefStm stream it points to) or an xref stream (/W, /Index). Counts are checked against
 * maxObjects before any entry is read, so a section claiming a million objects fails at once.
 */
import { isDigit, type Lexer } from './lexer';
import { PdfDict, PdfReadError, PdfStream, type PdfLimits, type PdfValue, type XrefEntry } from './model';
import { Parser, type IndirectObject, type ParseLimits, type StreamHelpers } from './parser';

export interface XrefContext {
  /** The file's length in bytes. */
  readonly length: number;
  readonly limits: Readonly<PdfLimits>;
  readonly parseLimits: ParseLimits;
  readonly streamHelpers: StreamHelpers;
  /** Runs `f` on a lexer at `at` that sees the file's bytes (in memory or in windows read from disk). */
  lexAt<T>(at: number, f: (lex: Lexer) => T): T;
  parseIndirectAt(offset: number, helpers: StreamHelpers): IndirectObject | undefined;
  /** Decodes a stream whose filter parameters are direct values (xref streams), on the document's budget. */
  decodeDirect(s: PdfStream): Uint8Array;
  /** The document's work budget: sections reached from many /Prev offsets cost each time they are read. */
  charge(n: number): void;
}

export interface XrefSection {
  offset: number;
  kind: 'table' | 'stream';
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
  /** Where the section ends (after the trailer dictionary or the stream object). */
  endPos: number;
}

const int = (v: PdfValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

function tooMany(n: number, limits: Readonly<PdfLimits>, offset: number): PdfReadError {
  return new PdfReadError('pdf_too_many_objects', `an xref section claims ${n} objects (limit ${limits.maxObjects})`, { offset });
}

export function checkSize(trailer: PdfDict, limits: Readonly<PdfLimits>, offset: number): void {
  const size = trailer.get('Size');
  if (typeof size === 'number' && size > limits.maxObjects) throw tooMany(size, limits, offset);
}

/** The section at `offset` exactly (after whitespace), or undefined when neither kind starts there. */
export function readXrefSectionAt(ctx: XrefContext, offset: number): XrefSection | undefined {
  const kind = ctx.lexAt(offset, (lex) => {
    lex.skipSpace();
    if (lex.startsWith('xref')) return { table: lex.pos };
    const c = lex.byteAt(lex.pos);
    return c !== undefined && isDigit(c) ? 'stream' : undefined;
  });
  if (kind === 'stream') return readStream(ctx, offset);
  return kind ? readTable(ctx, kind.table) : undefined;
}

function readTable(ctx: XrefContext, at: number): XrefSection {
  const { limits } = ctx;
  const { entries, trailer, endPos } = ctx.lexAt(at + 4, (lex) => lexTable(ctx, lex, at));
  ctx.charge(endPos - at);
  const section: XrefSection = { offset: at, kind: 'table', trailer, entries, endPos };
  // Hybrid file: objects in object streams are listed by /XRefStm; the table's own in-use entries win.
  const xrefStm = int(trailer.get('XRefStm'));
  const s = xrefStm !== undefined && xrefStm < ctx.length ? readStream(ctx, xrefStm) : undefined;
  if (s) {
    for (const [num, e] of s.entries) {
      const mine = entries.get(num);
      if (!mine || mine.kind === 'free') entries.set(num, e);
    }
    if (entries.size > limits.maxObjects) throw tooMany(entries.size, limits, s.offset);
  }
  return section;
}

/** The table's subsections and trailer dictionary, read with one lexer from just after `xref`. */
function lexTable(ctx: XrefContext, lex: Lexer, at: number): { entries: Map<number, XrefEntry>; trailer: PdfDict; endPos: number } {
  const { limits } = ctx;
  const entries = new Map<number, XrefEntry>();
  let total = 0;
  let first = true;
  for (;;) {
    const save = lex.pos;
    const t = lex.next();
    if (t === 'kw' && lex.text === 'trailer') break;
    if (t === 'eof') throw lex.truncated('an xref table');
    if (t !== 'num' || !lex.isInt || lex.num < 0) throw new PdfReadError('pdf_invalid', 'bad xref subsection header', { offset: save });
    let start = lex.num;
    if (lex.next() !== 'num' || !lex.isInt || lex.num < 0) throw new PdfReadError('pdf_invalid', 'bad xref subsection header', { offset: save });
    const count = lex.num;
    total += count;
    if (total > limits.maxObjects) throw tooMany(total, limits, save);
    // An entry takes at least 18 bytes ("0 0 n" padded); a count the file cannot hold is truncation.
    if (count * 18 > ctx.length - lex.pos + 18) throw new PdfReadError('pdf_truncated', 'an xref subsection runs past the end of the file', { offset: save });
    for (let i = 0; i < count; i++) {
      const entryAt = lex.pos;
      if (lex.next() !== 'num' || !lex.isInt) throw new PdfReadError('pdf_invalid', 'bad xref entry', { offset: entryAt });
      const off = lex.num;
      if (lex.next() !== 'num' || !lex.isInt) throw new PdfReadError('pdf_invalid', 'bad xref entry', { offset: entryAt });
      const gen = lex.num;
      if (lex.next() !== 'kw' || (lex.text !== 'n' && lex.text !== 'f')) throw new PdfReadError('pdf_invalid', 'bad xref entry', { offset: entryAt });
      const free = lex.text === 'f';
      // A well-known writer bug: the first subsection numbered 1 whose first entry is object 0's free head.
      if (first && i === 0 && start === 1 && free && off === 0 && gen === 65535) start = 0;
      const num = start + i;
      if (!entries.has(num)) entries.set(num, free ? { kind: 'free', gen } : { kind: 'offset', offset: off, gen });
    }
    first = false;
  }
  const trailerAt = lex.pos;
  lex.next();
  if (lex.type !== '<<') throw new PdfReadError('pdf_invalid', 'no trailer dictionary', { offset: trailerAt });
  lex.pos = lex.start;
  const trailer = new Parser(lex, ctx.parseLimits).value();
  if (!(trailer instanceof PdfDict)) throw new PdfReadError('pdf_invalid', 'no trailer dictionary', { offset: trailerAt });
  checkSize(trailer, limits, at);
  return { entries, trailer, endPos: lex.pos };
}

function readStream(ctx: XrefContext, offset: number): XrefSection | undefined {
  const { limits } = ctx;
  const obj = ctx.parseIndirectAt(offset, ctx.streamHelpers);
  if (!obj) return undefined;
  const s = obj.value;
  if (!(s instanceof PdfStream)) throw new PdfReadError('pdf_invalid', 'the xref section is not a stream', { offset });
  const d = s.dict;
  checkSize(d, limits, offset);
  const size = int(d.get('Size'));
  const w = d.get('W');
  if (!Array.isArray(w) || w.length < 3) throw new PdfReadError('pdf_invalid', 'an xref stream without /W', { offset });
  const widths = w.slice(0, 3).map((x) => int(x as PdfValue));
  if (widths.some((x) => x === undefined || x > 8)) throw new PdfReadError('pdf_invalid', 'bad /W in an xref stream', { offset });
  const [w0, w1, w2] = widths as [number, number, number];
  const rowLen = w0 + w1 + w2;
  if (rowLen === 0) throw new PdfReadError('pdf_invalid', 'bad /W in an xref stream', { offset });
  const index = d.get('Index');
  const ranges: [number, number][] = [];
  if (Array.isArray(index)) {
    let total = 0;
    for (let i = 0; i + 1 < index.length; i += 2) {
      const a = int(index[i]), n = int(index[i + 1]);
      if (a === undefined || n === undefined) throw new PdfReadError('pdf_invalid', 'bad /Index in an xref stream', { offset });
      total += n;
      if (total > limits.maxObjects) throw tooMany(total, limits, offset);
      ranges.push([a, n]);
    }
  } else {
    if (size === undefined) throw new PdfReadError('pdf_invalid', 'an xref stream without /Size', { offset });
    ranges.push([0, size]);
  }
  const data = ctx.decodeDirect(s);
  ctx.charge(data.length);
  const entries = new Map<number, XrefEntry>();
  let row = 0;
  const field = (at: number, width: number): number => {
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[at + k]!;
    return v;
  };
  for (const [start, count] of ranges) {
    for (let i = 0; i < count; i++, row++) {
      const at = row * rowLen;
      if (at + rowLen > data.length) break; // a short stream: the entries it has
      const type = w0 === 0 ? 1 : field(at, w0);
      const f2 = field(at + w0, w1);
      const f3 = field(at + w0 + w1, w2);
      const num = start + i;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { kind: 'free', gen: f3 });
      else if (type === 1) entries.set(num, { kind: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { kind: 'compressed', stream: f2, index: f3 });
      // Other types are reserved: the object is treated as absent, as the specification says.
    }
  }
  return { offset, kind: 'stream', trailer: d, entries, endPos: findEndobj(ctx, s) };
}

function findEndobj(ctx: XrefContext, s: PdfStream): number {
  return ctx.lexAt(s.dataStart + s.dataLength, (lex) => {
    lex.next(); // endstream
    const after = lex.pos;
    return lex.next() === 'kw' && lex.text === 'endobj' ? lex.pos : after;
  });
}
