/**
 * Stream decoding for the bounded reader: a capped, streaming inflater (pako) and the few
 * filters signed business documents use. The cap is checked as output is produced, so a bomb
 * costs at most `maxBytes` of memory and the time to produce them, never its full size.
 */
import { Inflate } from 'pako';
import { PdfReadError } from './model';

/** Input is fed in slices so no single push can produce more than ~1 000× this much output before onData runs. */
const INPUT_SLICE = 16 * 1024;
const OUTPUT_CHUNK = 64 * 1024;

class LimitReached extends Error {}

/** pako keeps its unflushed output in `strm`; reading it is how a truncated tail is recovered. */
interface PakoInternals {
  strm?: { output?: Uint8Array; next_out?: number; avail_out?: number };
  ended?: boolean;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === total) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function inflateOnce(data: Uint8Array, maxBytes: number, raw: boolean): { out: Uint8Array; ok: boolean } {
  const inf = new Inflate({ chunkSize: OUTPUT_CHUNK, raw });
  const chunks: Uint8Array[] = [];
  let total = 0;
  const take = (c: Uint8Array) => {
    total += c.length;
    if (total > maxBytes) throw new LimitReached();
    // pako reuses nothing once it hands a chunk over, but subarrays of its buffer are copied to be safe.
    chunks.push(c.slice());
  };
  inf.onData = (c) => take(c as Uint8Array);
  inf.onEnd = () => undefined;
  const internals = inf as unknown as PakoInternals;
  let ok = true;
  try {
    for (let at = 0; at < data.length && !internals.ended; at += INPUT_SLICE) {
      if (!inf.push(data.subarray(at, Math.min(data.length, at + INPUT_SLICE)), false)) {
        ok = false;
        break;
      }
    }
    // What was inflated but not flushed (truncated input or a corrupt tail): viewers show it, so do we.
    const s = internals.strm;
    if (!internals.ended || !ok) {
      if (s?.output && s.next_out && s.avail_out !== 0) take(s.output.subarray(0, s.next_out));
      ok = false;
    }
  } catch (e) {
    if (e instanceof LimitReached) throw new PdfReadError('pdf_inflate_limit', `a stream inflates beyond ${maxBytes} bytes`);
    throw new PdfReadError('pdf_invalid', 'corrupt compressed stream');
  }
  return { out: concat(chunks, total), ok };
}

/**
 * Inflates zlib (or, as a fallback, raw deflate) data, refusing with pdf_inflate_limit as soon
 * as the output passes `maxBytes`. A corrupt or truncated tail keeps what was inflated before it;
 * data that yields nothing at all is pdf_invalid.
 */
export function inflateCapped(data: Uint8Array, maxBytes: number): Uint8Array {
  const first = inflateOnce(data, maxBytes, false);
  if (first.ok || first.out.length > 0) return first.out;
  // Some writers omit the zlib header; try raw deflate once before giving up.
  const second = inflateOnce(data, maxBytes, true);
  if (second.ok || second.out.length > 0) return second.out;
  if (data.length === 0) return new Uint8Array(0);
  throw new PdfReadError('pdf_invalid', 'corrupt compressed stream');
}

export interface PredictorParams {
  predictor: number;
  colors: number;
  bitsPerComponent: number;
  columns: number;
}

/** Undoes a PNG (10–15) or TIFF (2) predictor. Output is never longer than the input. */
export function unpredict(data: Uint8Array, p: PredictorParams): Uint8Array {
  if (p.predictor <= 1) return data;
  const { colors, bitsPerComponent: bpc, columns } = p;
  if (![1, 2, 4, 8, 16].includes(bpc) || colors < 1 || colors > 32 || columns < 1 || columns > 1 << 24) {
    throw new PdfReadError('pdf_invalid', 'bad predictor parameters');
  }
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  // Not even one row of data: nothing to undo (and no row buffer sized by a hostile /Columns).
  if (rowBytes + (p.predictor >= 10 ? 1 : 0) > data.length) return new Uint8Array(0);
  if (p.predictor === 2) {
    if (bpc !== 8) throw new PdfReadError('pdf_unsupported_filter', 'TIFF predictor with other than 8 bits per component');
    const out = data.slice();
    for (let row = 0; row < out.length; row += rowBytes) {
      const end = Math.min(out.length, row + rowBytes);
      for (let i = row + bpp; i < end; i++) out[i] = (out[i]! + out[i - bpp]!) & 0xff;
    }
    return out;
  }
  if (p.predictor < 10) throw new PdfReadError('pdf_unsupported_filter', `predictor ${p.predictor}`);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  let prev = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const src = r * (rowBytes + 1);
    const type = data[src]!;
    const cur = out.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = 0; i < rowBytes; i++) {
      const x = data[src + 1 + i]!;
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new PdfReadError('pdf_invalid', `bad PNG predictor row type ${type}`);
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export function asciiHexDecode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.length >> 1) + 1);
  let n = 0, hi = -1;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x3e) break; // '>' ends the data
    const v = hexVal(c);
    if (v < 0) {
      if (isWs(c)) continue;
      throw new PdfReadError('pdf_invalid', 'bad ASCIIHex data');
    }
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[n++] = hi << 4;
  return out.subarray(0, n);
}

export function ascii85Decode(data: Uint8Array, maxBytes: number): Uint8Array {
  let start = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) start = 2; // optional '<~'
  const out = new Uint8Array(Math.min(maxBytes + 4, data.length * 4 + 4)); // 'z' makes 4 bytes of 1
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    let v = 0;
    for (let k = 0; k < 5; k++) v = v * 85 + (group[k] ?? 84);
    if (n + 4 > out.length) throw new PdfReadError('pdf_inflate_limit', 'ASCII85 data beyond the stream cap');
    for (let k = 0; k < count - 1; k++) out[n++] = (v >>> (24 - 8 * k)) & 0xff;
    group.length = 0;
  };
  for (let i = start; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break; // '~>'
    if (isWs(c)) continue;
    if (c === 0x7a && group.length === 0) {
      if (n + 4 > out.length) throw new PdfReadError('pdf_inflate_limit', 'ASCII85 data beyond the stream cap');
      out.fill(0, n, n + 4);
      n += 4;
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new PdfReadError('pdf_invalid', 'bad ASCII85 data');
    group.push(c - 0x21);
    if (group.length === 5) flush(5);
  }
  if (group.length === 1) throw new PdfReadError('pdf_invalid', 'bad ASCII85 tail');
  if (group.length > 1) flush(group.length);
  return out.subarray(0, n);
}
