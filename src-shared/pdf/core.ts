/**
 * What all views of one document share: the bytes, the inflate budget, decoded streams, objects
 * parsed at file offsets, parsed object streams, and the repair machinery. Repairs (searching
 * for `endstream`, for an object header near a wrong offset, one scan of the whole file for
 * object headers) all draw on one work budget proportional to the file, so no hostile file can
 * make them quadratic.
 */
import { isDigit, isRegular, isWhite, Lexer, NEED_MORE } from './lexer';
import { decodeFilters } from './filters';
import { PdfReadError, PdfRef, PdfStream, type PdfLimits, type PdfValue } from './model';
import { parseIndirect, Parser, readObjectHeader, type IndirectObject, type ParseLimits, type StreamHelpers } from './parser';
import { SourceReader, type ByteSource } from './source';
import type { XrefContext } from './xref';

type Resolve = (v: PdfValue | undefined) => PdfValue | undefined;

const NEAR_BACK = 16;
const NEAR_FORWARD = 512;
/** The first window of a parse from a file on disk: most objects fit; larger ones cost a few retries. */
const FIRST_WINDOW = 16 * 1024;
/** The scan for object headers reads a file on disk in steps of this size. */
const INDEX_STEP = 1 << 20;

export interface ObjStm {
  nums: number[];
  offsets: number[];
  first: number;
  data: Uint8Array;
  values: Map<number, PdfValue>;
  byNum?: Map<number, number>;
}

export class DocCore implements XrefContext {
  readonly file: SourceReader;
  readonly length: number;
  readonly parseLimits: ParseLimits;
  readonly streamHelpers: StreamHelpers;
  private work: number;
  private inflated = 0;
  private readonly decoded = new Map<string, Uint8Array>();
  private readonly objStms = new Map<string, ObjStm>();
  private headerIndex?: Map<number, number[]>;
  /** Objects found at their xref offset, shared by all views (an object at one offset is one object). */
  private readonly atOffset = new Map<number, IndirectObject | null>();

  constructor(
    source: ByteSource,
    readonly limits: Readonly<PdfLimits>,
    /** Bytes of junk before `%PDF-`: some writers' offsets count from the header. */
    readonly headerOffset: number,
  ) {
    this.file = new SourceReader(source);
    this.length = source.length;
    this.parseLimits = { maxDepth: limits.maxDepth, maxElements: limits.maxObjects, charge: (n) => this.charge(n) };
    this.work = 8 * source.length + (1 << 20);
    this.streamHelpers = { lengthOf: (v) => (typeof v === 'number' ? v : undefined), findEndstream: (from) => this.search('endstream', from) };
  }

  charge(n: number): void {
    this.work -= n;
    if (this.work < 0) throw new PdfReadError('pdf_invalid', 'the file needs more repair than any real writer makes necessary');
  }

  /**
   * Runs `f` on a lexer at `at` over the file (up to `end`): over the whole file in memory, or over
   * windows of a file on disk, each larger than the last until `f` no longer runs off its end. A
   * retry refunds the work the failed attempt charged: every attempt reads a prefix of what the
   * successful one reads, so the budget sees each parse once, as in memory.
   */
  lexAt<T>(at: number, f: (lex: Lexer) => T, end = this.length): T {
    const whole = this.file.whole;
    if (whole) return f(new Lexer(whole, at, end));
    for (let size = this.file.source.window ?? FIRST_WINDOW; ; size *= 4) {
      const w = this.file.window(at, Math.min(end, at + size));
      const work = this.work;
      try {
        return f(new Lexer(w.data, at, end, w.base));
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        this.work = work;
      }
    }
  }

  /** The indirect object at `offset` (no object number checked), or undefined when no header is there. */
  parseIndirectAt(offset: number, helpers: StreamHelpers): IndirectObject | undefined {
    return this.lexAt(offset, (lex) => parseIndirect(lex, this.file, this.parseLimits, helpers));
  }

  /** indexOf on the work budget: it never scans further than the budget left. */
  search(needle: string, from: number): number {
    const len = this.length;
    const to = Math.min(len, from + Math.max(0, this.work) + needle.length);
    const p = this.file.indexOf(needle, from, to);
    this.charge((p < 0 ? to : p) - from + needle.length);
    if (p < 0 && to < len) this.charge(len); // not found within what the budget allows
    return p;
  }

  decodeDirect(s: PdfStream): Uint8Array {
    return this.decode(s, (v) => v, this.limits.maxStreamBytes);
  }

  /** A stream's decoded data, cached, on the per-stream cap and the document-wide inflate budget. */
  decode(s: PdfStream, resolve: Resolve, cap: number): Uint8Array {
    const key = shareKey(s);
    const cached = key ? this.decoded.get(key) : undefined;
    if (cached) return cached;
    const raw = this.file.read(s.dataStart, s.dataStart + s.dataLength);
    const f = resolve(s.dict.get('Filter'));
    if (f === undefined || f === null || (Array.isArray(f) && f.length === 0)) return raw;
    const remaining = this.limits.maxDocumentInflateBytes - this.inflated;
    const limit = Math.max(0, Math.min(cap, remaining));
    let out: Uint8Array;
    try {
      out = decodeFilters(raw, s.dict, resolve, limit);
    } catch (e) {
      if (e instanceof PdfReadError && e.code === 'pdf_inflate_limit') {
        // The work was done even though the data is refused: it counts against the document.
        this.inflated += limit;
        if (limit < cap) throw new PdfReadError('pdf_inflate_limit', `the document's streams inflate beyond ${this.limits.maxDocumentInflateBytes} bytes`);
      }
      throw e;
    }
    this.inflated += out.length;
    if (key) this.decoded.set(key, out);
    return out;
  }

  /** Parses the object at `offset`, checking that it is object `num`; undefined when it is not there. */
  parseAt(num: number, offset: number, helpers: StreamHelpers): IndirectObject | undefined {
    if (offset < 0 || offset >= this.length) return undefined;
    const hit = this.atOffset.get(offset);
    if (hit !== undefined) return hit && hit.num === num ? hit : undefined;
    const obj = this.lexAt(offset, (lex) => {
      lex.charge = this.parseLimits.charge;
      const h = readObjectHeader(lex);
      if (!h || h.num !== num) return undefined;
      lex.pos = offset;
      return parseIndirect(lex, this.file, this.parseLimits, helpers);
    });
    // Only hits are shared: a miss depends on which number was asked for. A stream whose /Length is a
    // reference is not shared either: a later revision may redefine that length for its own views.
    if (obj && !(obj.value instanceof PdfStream && obj.value.dict.get('Length') instanceof PdfRef)) this.atOffset.set(offset, obj);
    return obj;
  }

  /** Looks for `num G obj` a little before and after a wrong offset (and shifted by the junk before %PDF-), starting before `before`. */
  findNear(num: number, offset: number, before = this.length): number {
    const len = this.length;
    for (const base of this.headerOffset > 0 ? [offset, offset + this.headerOffset] : [offset]) {
      const from = Math.max(0, base - NEAR_BACK), to = Math.min(before, base + NEAR_FORWARD);
      this.charge(4 * (to - from));
      if (to <= from) continue;
      // One window holds every candidate, the byte before it and the 64 bytes its header may take.
      const w = this.file.window(from - 1, to + 64);
      const d = w.data, o = w.base;
      for (let p = from; p < to; p++) {
        if (!isDigit(d[p - o]!) || (p > 0 && isRegular(d[p - 1 - o]!))) continue;
        const h = readObjectHeader(new Lexer(d, p, Math.min(len, p + 64), o));
        if (h && h.num === num) return p;
      }
    }
    return -1;
  }

  /** The last header of object `num` that starts before `before`, from one scan of the whole file. */
  findInIndex(num: number, before: number): number {
    const offsets = this.index().get(num);
    if (!offsets) return -1;
    for (let i = offsets.length - 1; i >= 0; i--) if (offsets[i]! < before) return offsets[i]!;
    return -1;
  }

  private index(): Map<number, number[]> {
    if (this.headerIndex) return this.headerIndex;
    const len = this.length;
    this.charge(len);
    const idx = new Map<number, number[]>();
    let count = 0;
    const cap = 2 * this.limits.maxObjects;
    const step = this.file.whole ? len : INDEX_STEP;
    for (let c0 = 1; c0 + 2 < len && count < cap; c0 += step) {
      // A header at i reaches 41 bytes back and 4 forward: each step's window overlaps its neighbours.
      const w = this.file.window(c0 - 41, Math.min(len, c0 + step + 4));
      const d = w.data, o = w.base;
      const c1 = Math.min(len - 2, c0 + step);
      for (let i = c0; i < c1 && count < cap; i++) {
        if (d[i - o] !== 0x6f || d[i + 1 - o] !== 0x62 || d[i + 2 - o] !== 0x6a) continue; // "obj"
        if (i + 3 < len && isRegular(d[i + 3 - o]!)) continue;
        // Walk back over: whitespace, generation digits, whitespace, object number digits (at most 40 bytes).
        let j = i - 1;
        const stop = Math.max(0, i - 40);
        const back = (pred: (c: number) => boolean) => {
          const s = j;
          while (j >= stop && pred(d[j - o]!)) j--;
          return s - j;
        };
        if (back(isWhite) === 0 || back(isDigit) === 0 || back(isWhite) === 0 || back(isDigit) === 0) continue;
        if (j >= 0 && isRegular(d[j - o]!)) continue;
        const start = j + 1;
        const h = readObjectHeader(new Lexer(d, start, i + 3, o));
        if (!h) continue;
        const list = idx.get(h.num);
        if (list) list.push(start);
        else idx.set(h.num, [start]);
        count++;
      }
    }
    this.headerIndex = idx;
    return idx;
  }

  /** The object stream stored in `s` (parsed once per document), capped by maxObjectStreamBytes. */
  objStm(s: PdfStream, resolve: Resolve): ObjStm {
    const key = shareKey(s);
    const cached = key ? this.objStms.get(key) : undefined;
    if (cached) return cached;
    const n = resolve(s.dict.get('N')), first = resolve(s.dict.get('First'));
    if (typeof n !== 'number' || typeof first !== 'number' || !Number.isInteger(n) || !Number.isInteger(first) || n < 0 || first < 0) {
      throw new PdfReadError('pdf_invalid', 'an object stream without a valid /N and /First');
    }
    if (n > this.limits.maxObjects) throw new PdfReadError('pdf_too_many_objects', `an object stream claims ${n} objects`);
    const cap = this.limits.maxObjectStreamBytes;
    const budgetLeft = this.limits.maxDocumentInflateBytes - this.inflated;
    let data: Uint8Array;
    try {
      data = this.decode(s, resolve, cap);
    } catch (e) {
      // Over its own cap (not the document's budget): the object stream is too large.
      if (e instanceof PdfReadError && e.code === 'pdf_inflate_limit' && budgetLeft >= cap) {
        throw new PdfReadError('pdf_object_stream_too_large', `an object stream decodes beyond ${cap} bytes`);
      }
      throw e;
    }
    if (data.length > cap) throw new PdfReadError('pdf_object_stream_too_large', `an object stream decodes beyond ${cap} bytes`);
    if (first > data.length) throw new PdfReadError('pdf_invalid', 'an object stream whose /First is past its data');
    // Each pair takes at least 4 bytes ("1 0 "), so /N cannot exceed what /First leaves room for.
    if (n * 4 > first + 4) throw new PdfReadError('pdf_invalid', 'an object stream whose /N does not fit its /First');
    const lex = new Lexer(data, 0, first);
    const nums: number[] = [], offsets: number[] = [];
    for (let i = 0; i < n; i++) {
      if (lex.next() !== 'num' || !lex.isInt) throw new PdfReadError('pdf_invalid', 'a bad object stream header');
      const num = lex.num;
      if (lex.next() !== 'num' || !lex.isInt) throw new PdfReadError('pdf_invalid', 'a bad object stream header');
      nums.push(num);
      offsets.push(lex.num);
    }
    const o: ObjStm = { nums, offsets, first, data, values: new Map() };
    if (key) this.objStms.set(key, o);
    return o;
  }

  /** Object `num` from an object stream, by its index (checked) or, when the index is wrong, by number. */
  fromObjStm(o: ObjStm, num: number, index: number): PdfValue | undefined {
    let i = index;
    if (o.nums[i] !== num) {
      if (!o.byNum) {
        o.byNum = new Map();
        o.nums.forEach((x, k) => o.byNum!.has(x) || o.byNum!.set(x, k));
      }
      const k = o.byNum.get(num);
      if (k === undefined) return undefined;
      i = k;
    }
    const hit = o.values.get(i);
    if (hit !== undefined || o.values.has(i)) return hit;
    const at = o.first + o.offsets[i]!;
    if (at >= o.data.length) throw new PdfReadError('pdf_invalid', 'an object stream entry past its data', { object: num });
    const value = new Parser(new Lexer(o.data, at), this.parseLimits).value();
    o.values.set(i, value);
    return value;
  }
}

/**
 * Where a stream's decoded form can be shared between views: its data's place in the file, unless
 * its filters (or an object stream's /N, /First) are indirect: a later revision could redefine them for its views only.
 */
function shareKey(s: PdfStream): string | undefined {
  if (['Filter', 'DecodeParms', 'N', 'First'].some((k) => s.dict.get(k) instanceof PdfRef)) return undefined;
  return `${s.dataStart}:${s.dataLength}`;
}
