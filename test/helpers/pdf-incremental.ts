/**
 * A small hand-made incremental writer for tests: appends objects to a PDF as one incremental
 * update (classic xref table or an uncompressed xref stream), the way a signer or a forger would.
 * It knows nothing of what the objects mean, so a test can write any change — a new page, a
 * rewritten catalog, an annotation — and ask the lock rule about it.
 */
import { concat } from '../../src-shared/signing/bytes';

const enc = new TextEncoder();
const latin1 = (b: Uint8Array, from = 0, to = b.length): string => {
  let s = '';
  for (let i = from; i < to; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(to, i + 8192)));
  return s;
};

export interface NewObject {
  num: number;
  gen?: number;
  /** What goes between `N G obj` and `endobj`: a dictionary, an array, a stream (`<< … >>\nstream\n…\nendstream`). */
  body: string | Uint8Array;
}

export interface TrailerInfo {
  startxref: number;
  root: string;
  size: number;
  info?: string;
}

/** The last trailer's /Root, /Size, /Info and startxref (a classic trailer or an xref stream's dictionary). */
export function lastTrailer(pdf: Uint8Array): TrailerInfo {
  const tail = latin1(pdf, Math.max(0, pdf.length - 2048));
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!sx) throw new Error('pdf-incremental: no startxref at the end of the file');
  const startxref = Number(sx[1]);
  const section = latin1(pdf, startxref, Math.min(pdf.length, startxref + (1 << 20)));
  const trailerAt = section.startsWith('xref') ? section.indexOf('trailer') : 0;
  const dict = section.slice(trailerAt, trailerAt + 4096);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(dict)?.[1];
  const size = /\/Size\s+(\d+)/.exec(dict)?.[1];
  if (!root || !size) throw new Error('pdf-incremental: no /Root or /Size in the last trailer');
  const info = /\/Info\s+(\d+\s+\d+\s+R)/.exec(dict)?.[1];
  return { startxref, root, size: Number(size), ...(info ? { info } : {}) };
}

/**
 * `pdf` + the objects + an xref section of the given kind + trailer (/Prev to the previous
 * section, /Root unless `trailerExtra` overrides it) + startxref + %%EOF.
 */
export function appendUpdate(pdf: Uint8Array, objects: NewObject[], o: { xref?: 'table' | 'stream'; trailerExtra?: string; root?: string } = {}): Uint8Array {
  const prev = lastTrailer(pdf);
  const parts: Uint8Array[] = [pdf];
  let at = pdf.length;
  const push = (b: Uint8Array | string) => {
    const bytes = typeof b === 'string' ? enc.encode(b) : b;
    parts.push(bytes);
    at += bytes.length;
  };
  if (pdf[pdf.length - 1] !== 0x0a) push('\n');
  const offsets = new Map<number, { offset: number; gen: number }>();
  for (const obj of objects) {
    const gen = obj.gen ?? 0;
    offsets.set(obj.num, { offset: at, gen });
    push(`${obj.num} ${gen} obj\n`);
    push(obj.body);
    push('\nendobj\n');
  }
  const root = o.root ?? prev.root;
  const info = prev.info ? ` /Info ${prev.info}` : '';
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  if ((o.xref ?? 'table') === 'table') {
    const size = Math.max(prev.size, (nums[nums.length - 1] ?? 0) + 1);
    const xrefAt = at;
    let table = 'xref\n';
    for (const n of nums) {
      const e = offsets.get(n)!;
      table += `${n} 1\n${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
    }
    push(table);
    push(`trailer\n<< /Size ${size} /Root ${root}${info} /Prev ${prev.startxref}${o.trailerExtra ? ` ${o.trailerExtra}` : ''} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    return concat(parts);
  }
  const xrefNum = Math.max(prev.size, (nums[nums.length - 1] ?? 0) + 1);
  const size = xrefNum + 1;
  const xrefAt = at;
  offsets.set(xrefNum, { offset: xrefAt, gen: 0 });
  const all = [...nums, xrefNum];
  const rows = new Uint8Array(all.length * 7);
  const index: number[] = [];
  for (const [i, n] of all.entries()) {
    const e = offsets.get(n)!;
    rows.set([1, (e.offset >>> 24) & 255, (e.offset >>> 16) & 255, (e.offset >>> 8) & 255, e.offset & 255, (e.gen >>> 8) & 255, e.gen & 255], i * 7);
    index.push(n, 1);
  }
  push(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] /Index [${index.join(' ')}] /Root ${root}${info} /Prev ${prev.startxref}${o.trailerExtra ? ` ${o.trailerExtra}` : ''} /Length ${rows.length} >>\nstream\n`);
  push(rows);
  push(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  return concat(parts);
}

/** A stream object body with the right /Length (uncompressed). */
export function streamBody(dict: string, data: string | Uint8Array): Uint8Array {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  const inner = dict.trim().replace(/^<<|>>$/g, '');
  return concat([enc.encode(`<<${inner} /Length ${bytes.length} >>\nstream\n`), bytes, enc.encode('\nendstream')]);
}
