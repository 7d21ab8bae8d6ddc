/**
 * The PDF tokenizer, working on the file's bytes directly (no whole-file string: files reach
 * 100 MB). Every loop advances the position and stops at the end of the data; no regular
 * expression ever sees hostile input.
 */
import { PdfReadError } from './model';

export type TokenType = 'eof' | 'num' | 'name' | 'str' | 'kw' | '[' | ']' | '<<' | '>>' | 'junk';

/** Names and keywords longer than this are not from any real writer. */
const MAX_NAME = 4096;
/** Long strings and comments are charged to the document's work budget in steps of this many bytes, as they are scanned. */
const CHARGE_STEP = 4096;

export function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}
export function isDelim(c: number): boolean {
  return c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
}
export function isRegular(c: number): boolean {
  return !isWhite(c) && !isDelim(c);
}
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Thrown when a lexer over a window of the file reaches the window's end before the data's end:
 * the caller reads a larger window and parses again (SourceReader). Never leaves the reader.
 */
export const NEED_MORE: unique symbol = Symbol('the window ends before the data');

export class Lexer {
  pos: number;
  /** The last token: its type, start, and value (num, text for name/kw, bytes for str). */
  type: TokenType = 'eof';
  start = 0;
  num = 0;
  isInt = false;
  text = '';
  bytes: Uint8Array = new Uint8Array(0);
  hex = false;
  /**
   * Called with the length of every long string or comment scanned: a damaged file could make
   * many parses scan the same megabytes to the end of the data (an unterminated string).
   */
  charge?: (n: number) => void;
  /** Where the data being lexed ends. */
  readonly end: number;
  /** Where scanning stops: the end of the data or of the window, whichever comes first. */
  readonly stop: number;

  /**
   * Positions are offsets in the file: `data` holds the bytes from `base` on (the whole file, or a
   * window of it); `end` defaults to the end of `data`.
   */
  constructor(
    readonly data: Uint8Array,
    pos = 0,
    end?: number,
    readonly base = 0,
  ) {
    this.pos = pos;
    this.end = end ?? base + data.length;
    this.stop = Math.min(this.end, base + data.length);
  }

  /** At the window's stop: NEED_MORE when the data goes on past it. */
  more(): void {
    if (this.stop < this.end) throw NEED_MORE;
  }

  /** The byte at `p` (undefined past the end of the data). */
  byteAt(p: number): number | undefined {
    if (p >= this.stop) {
      this.more();
      return undefined;
    }
    return this.data[p - this.base];
  }

  /** Whether `s` (ASCII) starts at the current position. */
  startsWith(s: string): boolean {
    for (let k = 0; k < s.length; k++) if (this.byteAt(this.pos + k) !== s.charCodeAt(k)) return false;
    return true;
  }

  truncated(what: string): PdfReadError {
    return new PdfReadError('pdf_truncated', `the data ends inside ${what}`, { offset: this.start });
  }

  /** Skips whitespace and comments. */
  skipSpace(): void {
    const d = this.data, b = this.base, stop = this.stop;
    while (this.pos < stop) {
      const c = d[this.pos - b]!;
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        let step = this.pos + CHARGE_STEP;
        while (this.pos < stop && d[this.pos - b] !== 0x0a && d[this.pos - b] !== 0x0d) {
          if (++this.pos === step) {
            this.charge?.(CHARGE_STEP);
            step += CHARGE_STEP;
          }
        }
      } else return;
    }
    this.more();
  }

  next(): TokenType {
    this.skipSpace();
    const d = this.data, b = this.base, stop = this.stop;
    this.start = this.pos;
    if (this.pos >= stop) return (this.type = 'eof');
    const c = d[this.pos - b]!;
    if (c === 0x2f) return this.readName();
    if (c === 0x28) return this.readLiteral();
    if (c === 0x3c || c === 0x3e) {
      if (this.pos + 1 >= stop) this.more();
      if (this.pos + 1 < stop && d[this.pos + 1 - b] === c) {
        this.pos += 2;
        return (this.type = c === 0x3c ? '<<' : '>>');
      }
      if (c === 0x3c) return this.readHex();
      this.pos++;
      return (this.type = 'junk');
    }
    if (c === 0x5b || c === 0x5d) {
      this.pos++;
      return (this.type = c === 0x5b ? '[' : ']');
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) return this.readNumber();
    if (isDelim(c)) {
      this.pos++;
      return (this.type = 'junk');
    }
    let p = this.pos;
    while (p < stop && isRegular(d[p - b]!)) p++;
    if (p >= stop) this.more();
    this.text = latin1(d, this.pos - b, Math.min(p, this.pos + MAX_NAME) - b);
    this.pos = p;
    return (this.type = 'kw');
  }

  /** Numbers as writers produce them: `12`, `-3`, `+3`, `-.5`, `4.`, and pdf.js's `--5` tolerance. */
  private readNumber(): TokenType {
    const d = this.data, b = this.base, stop = this.stop;
    let p = this.pos;
    let neg = false;
    while (p < stop && (d[p - b] === 0x2b || d[p - b] === 0x2d)) {
      if (d[p - b] === 0x2d) neg = true;
      p++;
    }
    let v = 0, frac = 0, scale = 1, seenDot = false, digits = 0;
    while (p < stop) {
      const c = d[p - b]!;
      if (isDigit(c)) {
        digits++;
        if (seenDot) {
          if (scale < 1e15) {
            frac = frac * 10 + (c - 0x30);
            scale *= 10;
          }
        } else v = v * 10 + (c - 0x30);
      } else if (c === 0x2e && !seenDot) seenDot = true;
      else break;
      p++;
    }
    if (p >= stop) this.more();
    this.pos = p;
    this.num = digits === 0 ? 0 : (neg ? -1 : 1) * (v + frac / scale);
    this.isInt = !seenDot && digits > 0 && Number.isSafeInteger(v);
    return (this.type = 'num');
  }

  private readName(): TokenType {
    const d = this.data, b = this.base, stop = this.stop;
    let p = this.pos + 1;
    let s = '';
    while (p < stop && isRegular(d[p - b]!)) {
      let c = d[p - b]!;
      if (c === 0x23 && p + 2 >= stop) this.more();
      if (c === 0x23 && p + 2 < stop && hexVal(d[p + 1 - b]!) >= 0 && hexVal(d[p + 2 - b]!) >= 0) {
        c = (hexVal(d[p + 1 - b]!) << 4) | hexVal(d[p + 2 - b]!);
        p += 2;
      }
      if (s.length >= MAX_NAME) throw new PdfReadError('pdf_invalid', 'a name is too long', { offset: this.start });
      s += String.fromCharCode(c);
      p++;
    }
    if (p >= stop) this.more();
    this.pos = p;
    this.text = s;
    return (this.type = 'name');
  }

  private readLiteral(): TokenType {
    const d = this.data, b = this.base, stop = this.stop;
    // First pass finds the end (nesting and escapes), second decodes into a buffer of that size.
    let p = this.pos + 1;
    let depth = 1;
    let step = p + CHARGE_STEP;
    while (p < stop) {
      if (p >= step) {
        this.charge?.(CHARGE_STEP);
        step += CHARGE_STEP;
      }
      const c = d[p - b]!;
      if (c === 0x5c) p += 2;
      else {
        if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) break;
        p++;
      }
    }
    if (p >= stop) {
      this.more();
      throw this.truncated('a string');
    }
    const close = p;
    const out = new Uint8Array(close - this.pos - 1);
    let n = 0;
    for (p = this.pos + 1; p < close; ) {
      const c = d[p++ - b]!;
      if (c !== 0x5c) {
        // An end-of-line in a string is a single LF whichever way it was written.
        if (c === 0x0d) {
          if (d[p - b] === 0x0a && p < close) p++;
          out[n++] = 0x0a;
        } else out[n++] = c;
        continue;
      }
      const e = d[p++ - b]!;
      switch (e) {
        case 0x6e: out[n++] = 0x0a; break;
        case 0x72: out[n++] = 0x0d; break;
        case 0x74: out[n++] = 0x09; break;
        case 0x62: out[n++] = 0x08; break;
        case 0x66: out[n++] = 0x0c; break;
        case 0x0d: if (d[p - b] === 0x0a && p < close) p++; break; // line continuation
        case 0x0a: break;
        default:
          if (e >= 0x30 && e <= 0x37) {
            let v = e - 0x30;
            for (let k = 0; k < 2 && p < close && d[p - b]! >= 0x30 && d[p - b]! <= 0x37; k++) v = v * 8 + (d[p++ - b]! - 0x30);
            out[n++] = v & 0xff;
          } else out[n++] = e; // \( \) \\ and unknown escapes: the character itself
      }
    }
    this.pos = close + 1;
    this.bytes = out.subarray(0, n);
    this.hex = false;
    return (this.type = 'str');
  }

  private readHex(): TokenType {
    const d = this.data, b = this.base, stop = this.stop;
    let p = this.pos + 1;
    for (let step = p + CHARGE_STEP; p < stop && d[p - b] !== 0x3e; p++) {
      if (p === step) {
        this.charge?.(CHARGE_STEP);
        step += CHARGE_STEP;
      }
    }
    if (p >= stop) {
      this.more();
      throw this.truncated('a hex string');
    }
    const close = p;
    const out = new Uint8Array(((close - this.pos) >> 1) + 1);
    let n = 0, hi = -1;
    for (p = this.pos + 1; p < close; p++) {
      const v = hexVal(d[p - b]!);
      if (v < 0) continue; // whitespace, and junk pdf.js also skips
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4;
    this.pos = close + 1;
    this.bytes = out.subarray(0, n);
    this.hex = true;
    return (this.type = 'str');
  }
}

export function latin1(d: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(d[i]!);
  return s;
}

/** The first occurrence of `needle` (ASCII) in d[from, to), or -1. */
export function indexOf(d: Uint8Array, needle: string, from: number, to = d.length): number {
  const n0 = needle.charCodeAt(0);
  const last = to - needle.length;
  outer: for (let i = Math.max(0, from); i <= last; i++) {
    if (d[i] !== n0) continue;
    for (let k = 1; k < needle.length; k++) if (d[i + k] !== needle.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/** The last occurrence of `needle` starting in [from, before), or -1. */
export function lastIndexOf(d: Uint8Array, needle: string, before: number, from = 0): number {
  const n0 = needle.charCodeAt(0);
  outer: for (let i = Math.min(before - 1, d.length - needle.length); i >= Math.max(0, from); i--) {
    if (d[i] !== n0) continue;
    for (let k = 1; k < needle.length; k++) if (d[i + k] !== needle.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}
