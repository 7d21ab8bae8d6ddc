/**
 * Where the reader gets a file's bytes: the whole file in memory, or positioned reads from a file
 * on disk (src-main/signing/file-source.ts) so that signing a 50 MB PDF reads only its tail, its
 * xref chain and a few objects. The reader asks for windows; a parse that runs off the end of its
 * window before the end of the data is redone on a larger one (Lexer: NEED_MORE), so a windowed
 * parse sees exactly the bytes an in-memory one does.
 */
import { indexOf, lastIndexOf } from './lexer';

export interface ByteSource {
  readonly length: number;
  /**
   * Bytes [from, to) clipped to [0, length): a view or a copy that stays valid while the caller
   * holds it (the reader keeps several windows at once). A source that cannot deliver them throws.
   */
  read(from: number, to: number): Uint8Array;
  /** The whole content when it is in memory: the reader then never reads in windows. */
  readonly whole?: Uint8Array;
  /** The first window a parse asks for (bytes); tests make it tiny to exercise the retries. */
  readonly window?: number;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, whole: bytes, read: (from, to) => bytes.subarray(Math.max(0, from), Math.max(0, Math.min(bytes.length, to))) };
}

/** Searches over a file read a first step of this many bytes (what they look for is usually near), then steps four times larger, up to SCAN_STEP. */
const SCAN_FIRST = 4096;
const SCAN_STEP = 1 << 20;
/** Single bytes away from any window (an `endstream` after a stream's data) come from cached blocks of this size. */
const BLOCK = 4096;

/** Searches, single bytes and windows over a source; in memory they are the plain array functions. */
export class SourceReader {
  readonly length: number;
  readonly whole?: Uint8Array;
  private block?: { at: number; data: Uint8Array };

  constructor(readonly source: ByteSource) {
    this.length = source.length;
    this.whole = source.whole;
  }

  /** Bytes [from, to), clipped, with the offset of their first byte. */
  window(from: number, to: number): { data: Uint8Array; base: number } {
    if (this.whole) return { data: this.whole, base: 0 };
    const lo = Math.max(0, from);
    return { data: this.read(lo, to), base: lo };
  }

  read(from: number, to: number): Uint8Array {
    const lo = Math.max(0, from), hi = Math.min(this.length, to);
    if (hi <= lo) return new Uint8Array(0);
    if (this.whole) return this.whole.subarray(lo, hi);
    const b = this.block;
    if (b && lo >= b.at && hi <= b.at + b.data.length) return b.data.subarray(lo - b.at, hi - b.at);
    const data = this.source.read(lo, hi);
    if (data.length !== hi - lo) throw new Error('the file changed while it was read');
    return data;
  }

  byteAt(p: number): number | undefined {
    if (this.whole) return this.whole[p];
    if (p < 0 || p >= this.length) return undefined;
    let b = this.block;
    if (!b || p < b.at || p >= b.at + b.data.length) {
      const at = p - (p % BLOCK);
      this.block = b = { at, data: this.source.read(at, Math.min(this.length, at + BLOCK)) };
      if (b.data.length === 0) throw new Error('the file changed while it was read');
    }
    return b.data[p - b.at];
  }

  startsWith(at: number, s: string): boolean {
    if (at < 0 || at + s.length > this.length) return false;
    for (let k = 0; k < s.length; k++) if (this.byteAt(at + k) !== s.charCodeAt(k)) return false;
    return true;
  }

  /** The first `needle` starting in [from, to - needle.length], or -1. */
  indexOf(needle: string, from: number, to = this.length): number {
    const end = Math.min(to, this.length);
    if (this.whole) return indexOf(this.whole, needle, from, end);
    let lo = Math.max(0, from);
    for (let step = SCAN_FIRST; lo + needle.length <= end; step = Math.min(SCAN_STEP, step * 4)) {
      const hi = Math.min(end, lo + step + needle.length - 1);
      const p = indexOf(this.read(lo, hi), needle, 0);
      if (p >= 0) return lo + p;
      lo = hi - needle.length + 1;
    }
    return -1;
  }

  /** The last `needle` starting in [from, before), or -1. */
  lastIndexOf(needle: string, before: number, from = 0): number {
    if (this.whole) return lastIndexOf(this.whole, needle, before, from);
    let hi = Math.min(before, this.length - needle.length + 1);
    for (let step = SCAN_FIRST; hi > Math.max(0, from); step = Math.min(SCAN_STEP, step * 4)) {
      const lo = Math.max(0, from, hi - step);
      const p = lastIndexOf(this.read(lo, hi + needle.length - 1), needle, hi - lo);
      if (p >= 0) return lo + p;
      hi = lo;
    }
    return -1;
  }
}
