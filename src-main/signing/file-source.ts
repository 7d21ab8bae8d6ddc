/**
 * A file on disk as a ByteSource for the bounded reader (src-shared/pdf/source.ts): positioned
 * reads of exactly the windows the reader asks for — the tail, the xref chain, a few objects — so
 * signing a 50 MB PDF never holds it in memory. Synchronous: the reads are small, and a window
 * must be there when the parser asks for it.
 */
import { readSync } from 'node:fs';
import type { ByteSource } from '../../src-shared/pdf/source';

export class FileSource implements ByteSource {
  /** Bytes read so far: what signing costs in I/O beyond the copy (checked by the tests). */
  bytesRead = 0;

  constructor(
    private readonly fd: number,
    readonly length: number,
  ) {}

  read(from: number, to: number): Uint8Array {
    const lo = Math.max(0, from), hi = Math.min(this.length, to);
    if (hi <= lo) return new Uint8Array(0);
    const out = new Uint8Array(hi - lo);
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, lo + done);
      if (n === 0) throw new Error('the file became shorter while it was read');
      done += n;
    }
    this.bytesRead += done;
    return out;
  }
}
