/**
 * The object parser: values, indirect objects and streams, on top of the tokenizer. Nesting is
 * capped (pdf_nesting_too_deep) before recursion could exhaust the stack, and one container
 * holds at most `maxElements` values so a hostile array cannot claim unbounded memory.
 */
import { isDigit, isRegular, isWhite, type Lexer } from './lexer';
import { PdfDict, PdfName, PdfReadError, PdfRef, PdfStream, PdfString, type PdfValue } from './model';

export interface ParseLimits {
  maxDepth: number;
  maxElements: number;
  /** The document's work budget, for long scans (Lexer.charge). */
  charge?: (n: number) => void;
}

export class Parser {
  constructor(
    readonly lex: Lexer,
    readonly limits: ParseLimits,
  ) {
    lex.charge ??= limits.charge;
  }

  /** Reads the next value. */
  value(): PdfValue {
    this.lex.next();
    return this.fromToken(0);
  }

  private fromToken(depth: number): PdfValue {
    const lex = this.lex;
    switch (lex.type) {
      case 'num':
        return lex.isInt && lex.num >= 0 ? this.maybeRef(lex.num) : lex.num;
      case 'name':
        return new PdfName(lex.text);
      case 'str':
        return new PdfString(lex.bytes, lex.hex);
      case '[':
        return this.array(depth + 1);
      case '<<':
        return this.dict(depth + 1);
      case 'kw':
        if (lex.text === 'true') return true;
        if (lex.text === 'false') return false;
        if (lex.text === 'null') return null;
        throw new PdfReadError('pdf_invalid', `unexpected keyword ${lex.text.slice(0, 40)}`, { offset: lex.start });
      case 'eof':
        throw lex.truncated('an object');
      default:
        throw new PdfReadError('pdf_invalid', `unexpected ${lex.type}`, { offset: lex.start });
    }
  }

  /** `num gen R` is a reference; the look-ahead reads only digits and spaces, then restores. */
  private maybeRef(num: number): PdfValue {
    const lex = this.lex;
    const save = lex.pos;
    let p = save;
    let c = lex.byteAt(p);
    while (c !== undefined && isWhite(c)) c = lex.byteAt(++p);
    if (p === save || c === undefined || !isDigit(c)) return num;
    let gen = 0, digits = 0;
    while (c !== undefined && isDigit(c) && digits < 10) {
      gen = gen * 10 + (c - 0x30);
      c = lex.byteAt(++p);
      digits++;
    }
    while (c !== undefined && isWhite(c)) c = lex.byteAt(++p); // `1 0R` is a reference too, as in pdf.js
    if (c !== 0x52) return num;
    const after = lex.byteAt(p + 1);
    if (after !== undefined && isRegular(after)) return num;
    lex.pos = p + 1;
    return new PdfRef(num, gen);
  }

  private checkDepth(depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw new PdfReadError('pdf_nesting_too_deep', `arrays and dictionaries nested deeper than ${this.limits.maxDepth}`, {
        offset: this.lex.start,
      });
    }
  }

  private array(depth: number): PdfValue[] {
    this.checkDepth(depth);
    const out: PdfValue[] = [];
    for (;;) {
      if (this.lex.next() === ']') return out;
      if (out.length >= this.limits.maxElements) throw tooMany(this.lex.start);
      out.push(this.fromToken(depth));
    }
  }

  private dict(depth: number): PdfDict {
    this.checkDepth(depth);
    const lex = this.lex;
    const m = new Map<string, PdfValue>();
    for (;;) {
      const t = lex.next();
      if (t === '>>') return new PdfDict(m);
      if (t === 'eof') throw lex.truncated('a dictionary');
      // A key that is not a name: skipped, as viewers do (every token advances, so this ends).
      if (t !== 'name') {
        if (t === 'kw' && (lex.text === 'endobj' || lex.text === 'stream')) throw new PdfReadError('pdf_invalid', 'unterminated dictionary', { offset: lex.start });
        continue;
      }
      const key = lex.text;
      if (m.size >= this.limits.maxElements) throw tooMany(lex.start);
      const vt = lex.next();
      if (vt === '>>') {
        m.set(key, null);
        return new PdfDict(m);
      }
      m.set(key, this.fromToken(depth));
    }
  }
}

function tooMany(offset: number): PdfReadError {
  return new PdfReadError('pdf_too_many_objects', 'one array or dictionary holds too many values', { offset });
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
}

/** Reads `num gen obj` at (or after whitespace at) `offset`; undefined when no header is there. */
export function readObjectHeader(lex: Lexer): { num: number; gen: number } | undefined {
  if (lex.next() !== 'num' || !lex.isInt || lex.num < 0) return undefined;
  const num = lex.num;
  if (lex.next() !== 'num' || !lex.isInt || lex.num < 0) return undefined;
  const gen = lex.num;
  if (lex.next() !== 'kw' || lex.text !== 'obj') return undefined;
  return { num, gen };
}

export interface StreamHelpers {
  /** The value of /Length when it can be known (a direct integer or a resolvable reference). */
  lengthOf(v: PdfValue | undefined): number | undefined;
  /** The offset of the first `endstream` at or after `from`, or -1 (a bounded, budgeted search). */
  findEndstream(from: number): number;
}

/** Random access to the file's bytes, for the few reads a stream needs away from its dictionary. */
export interface ByteAccess {
  readonly length: number;
  byteAt(p: number): number | undefined;
  startsWith(at: number, s: string): boolean;
}

/** Parses the indirect object whose header starts at (or after whitespace at) the lexer's position. */
export function parseIndirect(lex: Lexer, file: ByteAccess, limits: ParseLimits, helpers: StreamHelpers): IndirectObject | undefined {
  lex.charge = limits.charge;
  const header = readObjectHeader(lex);
  if (!header) return undefined;
  const parser = new Parser(lex, limits);
  const value = parser.value();
  const after = lex.pos;
  if (!(value instanceof PdfDict) || lex.next() !== 'kw' || lex.text !== 'stream') {
    lex.pos = after;
    return { ...header, value };
  }
  let p = lex.pos;
  while (lex.byteAt(p) === 0x20) p++; // some writers put spaces before the EOL
  if (lex.byteAt(p) === 0x0d) p++;
  if (lex.byteAt(p) === 0x0a) p++;
  // From here on nothing reads the lexer's window: a larger window cannot change what follows.
  const dataStart = p;
  const length = helpers.lengthOf(value.get('Length'));
  if (length !== undefined && Number.isSafeInteger(length) && length >= 0 && dataStart + length <= file.length) {
    let q = dataStart + length;
    for (let c = file.byteAt(q); c !== undefined && isWhite(c); c = file.byteAt(++q));
    if (file.startsWith(q, 'endstream')) return { ...header, value: new PdfStream(value, dataStart, length) };
  }
  // /Length missing or wrong: the data ends at the next `endstream`, minus the EOL before it.
  const e = helpers.findEndstream(dataStart);
  if (e < 0) throw new PdfReadError('pdf_truncated', 'a stream has no endstream', { object: header.num, offset: dataStart });
  let stop = e;
  if (stop > dataStart && file.byteAt(stop - 1) === 0x0a) stop--;
  if (stop > dataStart && file.byteAt(stop - 1) === 0x0d) stop--;
  return { ...header, value: new PdfStream(value, dataStart, stop - dataStart) };
}

export function startsWith(d: Uint8Array, at: number, s: string): boolean {
  if (at < 0 || at + s.length > d.length) return false;
  for (let k = 0; k < s.length; k++) if (d[at + k] !== s.charCodeAt(k)) return false;
  return true;
}
